import type { PortalKind } from '../theme';
import type { Me } from './useMe';

/**
 * What a role may do, as GET /api/v1/me lists it. The web app hides what the
 * role lacks; the server stays the authority and refuses it anyway.
 */
export type Permission =
  | 'team.read'
  | 'team.manage'
  | 'api_keys.manage'
  | 'services.read'
  | 'services.manage'
  | 'billing.read'
  | 'billing.manage'
  | 'rates.manage'
  | 'customers.read'
  | 'customers.manage'
  | 'config.read'
  | 'config.manage'
  | 'finance.manage'
  | 'support.manage'
  | 'marketing.manage'
  | 'audit.read'
  | 'system.manage';

/** Whether the signed-in user's role allows `permission`; no permission asked means yes. */
export function can(me: Pick<Me, 'permissions'> | null | undefined, permission?: Permission): boolean {
  if (!permission) return true;
  return me?.permissions.includes(permission) ?? false;
}

/** The portal each kind of tenant works in. */
export const portalOfTenant: Record<string, PortalKind> = {
  platform: 'admin',
  customer: 'customer',
  carrier: 'carrier',
};

const portalPaths: Record<PortalKind, string> = {
  admin: '/admin',
  customer: '/portal',
  carrier: '/carrier',
};

/** Where a user of this tenant kind lands after signing in: platform → /admin, … */
export function homePathFor(tenantKind: string): string {
  const portal = portalOfTenant[tenantKind];
  return portal ? portalPaths[portal] : '/';
}

/**
 * A `?next=` target that is safe to follow: a path on this site only, never
 * another origin (`//evil.example`, `https://…`) or a script URL.
 */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next;
}

/**
 * Where to go after signing in: `next` when it belongs to the user's own
 * portal (or is a public page), the portal's home otherwise.
 */
export function landingPath(tenantKind: string, next: string | null | undefined): string {
  const home = homePathFor(tenantKind);
  const target = safeNext(next);
  if (!target) return home;
  const otherPortal = Object.values(portalPaths).some(
    (base) => base !== home && (target === base || target.startsWith(`${base}/`)),
  );
  return otherPortal ? home : target;
}
