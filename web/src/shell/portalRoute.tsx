import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { itemHref, navItems, type Portal } from './nav';
import { PortalGuard } from './PortalGuard';
import { PortalShell } from './PortalShell';
import { RequirePermission } from './RequirePermission';
import { ScreenPlaceholder } from './ScreenPlaceholder';

/** A built screen; it gets its portal to title itself and build links. */
export type Screen = ComponentType<{ portal: Portal }>;

/**
 * The routes of one portal, made from its navigation data so that every
 * link has a screen: the built one from `screens` (keyed by the item's
 * path), a placeholder until then. A key that is not in the navigation
 * (e.g. `profile`, reached from the user menu) becomes a route of its own.
 * The whole portal sits behind PortalGuard.
 *
 * The paths are relative: the app's router mounts each portal at
 * `<basePath>/*` and loads it on demand (src/app/router.tsx), and the portal
 * renders these with `useRoutes` (e.g. src/admin/AdminPortal.tsx).
 */
export function portalRoute(portal: Portal, screens: Record<string, Screen> = {}): RouteObject {
  const items = navItems(portal);
  const navPaths = new Set(items.map((item) => item.path));
  return {
    element: (
      <PortalGuard portal={portal}>
        <PortalShell portal={portal} />
      </PortalGuard>
    ),
    children: [
      ...items.map((item): RouteObject => {
        const Built = screens[item.path];
        return {
          ...(item.path === '' ? { index: true } : { path: item.path }),
          element: Built ? (
            <RequirePermission key={itemHref(portal, item)} permission={item.permission} title={item.label}>
              <Built portal={portal} />
            </RequirePermission>
          ) : (
            <ScreenPlaceholder key={itemHref(portal, item)} portal={portal} item={item} />
          ),
        };
      }),
      ...Object.entries(screens)
        .filter(([path]) => !navPaths.has(path))
        .map(([path, Built]): RouteObject => ({ path, element: <Built portal={portal} /> })),
      { path: '*', element: <NotFoundPage homeHref={portal.basePath} homeLabel={`${portal.name} home`} /> },
    ],
  };
}
