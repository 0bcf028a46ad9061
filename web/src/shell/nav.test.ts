import { describe, expect, it } from 'vitest';
import { adminPortal } from '../admin/portal';
import { carrierPortal } from '../carrier/portal';
import { customerPortal } from '../portal/portal';
import { activeItem, itemHref, navItems } from './nav';

const portals = [adminPortal, customerPortal, carrierPortal];

describe('portal navigation data', () => {
  it.each(portals.map((p) => [p.name, p] as const))('%s has unique, well-formed paths', (_, portal) => {
    const hrefs = navItems(portal).map((item) => itemHref(portal, item));
    expect(new Set(hrefs).size).toBe(hrefs.length);
    for (const item of navItems(portal)) {
      expect(item.path).toMatch(/^([a-z0-9-]+(\/[a-z0-9-]+)*)?$/);
      expect(item.summary.length).toBeGreaterThan(10);
      expect(item.empty.length).toBeGreaterThan(10);
    }
    expect(navItems(portal)[0]?.path).toBe('');
  });

  it('the admin portal has every section of the plan', () => {
    const labels = adminPortal.nav.map((entry) => entry.label);
    expect(labels).toEqual([
      'Dashboard',
      'Customers',
      'Configuration',
      'Routing',
      'Monitoring',
      'Billing',
      'System',
    ]);
  });
});

describe('activeItem', () => {
  it('matches the home screen only exactly', () => {
    expect(activeItem(adminPortal, '/admin')?.label).toBe('Dashboard');
    expect(activeItem(adminPortal, '/admin/')?.label).toBe('Dashboard');
    expect(activeItem(adminPortal, '/admin/nowhere')).toBeUndefined();
  });

  it('keeps a screen highlighted on its detail pages', () => {
    expect(activeItem(adminPortal, '/admin/customers/0190a1b2')?.label).toBe('Customers');
    expect(activeItem(adminPortal, '/admin/routing/rate-cards')?.label).toBe('Rate cards');
  });

  it('does not confuse siblings that share a prefix', () => {
    expect(activeItem(adminPortal, '/admin/routing/routes')?.label).toBe('Routes');
    expect(activeItem(adminPortal, '/admin/routing/route-groups')?.label).toBe('Route groups');
  });
});
