import { describe, expect, it } from 'vitest';
import { can, homePathFor, landingPath, safeNext } from './permissions';

describe('can', () => {
  it('answers from the role’s permissions', () => {
    const me = { permissions: ['team.read'] };
    expect(can(me, 'team.read')).toBe(true);
    expect(can(me, 'team.manage')).toBe(false);
    expect(can(me)).toBe(true);
    expect(can(null, 'team.read')).toBe(false);
  });
});

describe('after signing in', () => {
  it('each tenant kind has its portal', () => {
    expect(homePathFor('platform')).toBe('/admin');
    expect(homePathFor('customer')).toBe('/portal');
    expect(homePathFor('carrier')).toBe('/carrier');
  });

  it('follows next only inside this site', () => {
    expect(safeNext('/portal/team')).toBe('/portal/team');
    for (const bad of ['//evil.example', 'https://evil.example', 'javascript:alert(1)', '/\\evil', '', null]) {
      expect(safeNext(bad)).toBeUndefined();
    }
  });

  it('never sends a user to another kind’s portal', () => {
    expect(landingPath('customer', '/portal/api-keys')).toBe('/portal/api-keys');
    expect(landingPath('customer', '/admin/system/outbox')).toBe('/portal');
    expect(landingPath('platform', '/admin/system/outbox')).toBe('/admin/system/outbox');
    expect(landingPath('carrier', null)).toBe('/carrier');
  });
});
