import { describe, expect, it } from 'vitest';
import { adminPortal } from '../admin/portal';
import { carrierPortal } from '../carrier/portal';
import { customerPortal } from '../portal/portal';
import { activeItem, isGroup, itemHref, navItems, visibleNav } from './nav';

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

describe('visibleNav', () => {
  it('hides screens the role may not open, and groups left empty', () => {
    const viewer = visibleNav(adminPortal, ['team.read', 'customers.read']);
    const labels = viewer.map((entry) => entry.label);
    expect(labels).toContain('Customers');
    expect(labels).not.toContain('Configuration');
    const system = viewer.find((entry) => entry.label === 'System');
    expect(system && isGroup(system) ? system.items.map((i) => i.label) : []).toEqual(['Team']);
  });

  it('shows everything to a role that has every permission', () => {
    const all = navItems(adminPortal).flatMap((item) => (item.permission ? [item.permission] : []));
    const visible = visibleNav(adminPortal, all).flatMap((entry) => (isGroup(entry) ? entry.items : [entry]));
    expect(visible.length).toBe(navItems(adminPortal).length);
  });

  it('a customer owner sees Team and API keys', () => {
    const owner = ['team.read', 'team.manage', 'api_keys.manage', 'services.read', 'billing.read'];
    const labels = visibleNav(customerPortal, owner).map((entry) => entry.label);
    expect(labels).toEqual(expect.arrayContaining(['Team', 'API keys', 'Profile & security']));
  });
});
