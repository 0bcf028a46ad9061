import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RouteErrorPage } from '../pages/RouteErrorPage';
import { itemHref, navItems, type Portal } from './nav';
import { PortalShell } from './PortalShell';
import { ScreenPlaceholder } from './ScreenPlaceholder';

/**
 * The routes of one portal, made from its navigation data so that every
 * link has a screen. When a screen is built, give its route an element here
 * (or a `lazy` import) instead of the placeholder.
 */
export function portalRoute(portal: Portal): RouteObject {
  return {
    path: portal.basePath,
    element: <PortalShell portal={portal} />,
    errorElement: <RouteErrorPage />,
    children: [
      ...navItems(portal).map(
        (item): RouteObject => ({
          ...(item.path === '' ? { index: true } : { path: item.path }),
          element: <ScreenPlaceholder key={itemHref(portal, item)} portal={portal} item={item} />,
        }),
      ),
      { path: '*', element: <NotFoundPage homeHref={portal.basePath} homeLabel={`${portal.name} home`} /> },
    ],
  };
}
