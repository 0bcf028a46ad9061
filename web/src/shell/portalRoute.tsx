import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RouteErrorPage } from '../pages/RouteErrorPage';
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
 */
export function portalRoute(portal: Portal, screens: Record<string, Screen> = {}): RouteObject {
  const items = navItems(portal);
  const navPaths = new Set(items.map((item) => item.path));
  return {
    path: portal.basePath,
    element: (
      <PortalGuard portal={portal}>
        <PortalShell portal={portal} />
      </PortalGuard>
    ),
    errorElement: <RouteErrorPage />,
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
