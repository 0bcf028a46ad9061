import type { Icon } from '@tabler/icons-react';
import { can, type Permission } from '../auth/permissions';
import type { PortalKind } from '../theme';

/** One screen in a portal's navigation. */
export interface NavItem {
  label: string;
  /** Relative to the portal's base path; '' is the portal's home. */
  path: string;
  icon: Icon;
  /** One sentence under the page title: what this screen is for. */
  summary: string;
  /** Shown in the empty state until the screen has data. */
  empty: string;
  /** Hidden from roles without it (the server refuses them anyway). */
  permission?: Permission;
}

/** A titled, collapsible group of screens. */
export interface NavGroup {
  label: string;
  icon: Icon;
  items: NavItem[];
}

export type NavEntry = NavItem | NavGroup;

/** Everything the shared shell needs to draw one portal. */
export interface Portal {
  kind: PortalKind;
  /** Shown next to the logo: "Admin", "Customer portal", … */
  name: string;
  /** The same on phones, where the header is narrow. */
  shortName: string;
  basePath: `/${string}`;
  nav: NavEntry[];
}

export function isGroup(entry: NavEntry): entry is NavGroup {
  return 'items' in entry;
}

/** Every screen of a portal, in navigation order. */
export function navItems(portal: Portal): NavItem[] {
  return portal.nav.flatMap((entry) => (isGroup(entry) ? entry.items : [entry]));
}

/** The absolute URL of a screen. */
export function itemHref(portal: Portal, item: NavItem): string {
  return item.path === '' ? portal.basePath : `${portal.basePath}/${item.path}`;
}

/**
 * The screen a URL belongs to: the longest item path that is the URL or a
 * parent of it, so /admin/customers/42 still highlights "Customers".
 */
export function activeItem(portal: Portal, pathname: string): NavItem | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  let best: NavItem | undefined;
  for (const item of navItems(portal)) {
    const href = itemHref(portal, item);
    const matches = item.path === '' ? path === href : path === href || path.startsWith(`${href}/`);
    if (matches && (!best || href.length > itemHref(portal, best).length)) best = item;
  }
  return best;
}

/**
 * The navigation a user may see: items their role lacks the permission for
 * are left out, and so are groups left empty.
 */
export function visibleNav(portal: Portal, permissions: readonly string[]): NavEntry[] {
  const allowed = (item: NavItem) => can({ permissions: [...permissions] }, item.permission);
  return portal.nav.flatMap((entry): NavEntry[] => {
    if (!isGroup(entry)) return allowed(entry) ? [entry] : [];
    const items = entry.items.filter(allowed);
    return items.length > 0 ? [{ ...entry, items }] : [];
  });
}
