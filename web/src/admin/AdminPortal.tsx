import { useRoutes } from 'react-router';
import { portalRoute } from '../shell/portalRoute';
import { adminPortal } from './portal';
import { adminScreens } from './screens';

const routes = [portalRoute(adminPortal, adminScreens)];

/** The operator's back office below /admin, loaded by the router on the first visit (src/app/router.tsx). */
export function AdminPortal() {
  return useRoutes(routes);
}
