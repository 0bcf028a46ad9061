import { useRoutes } from 'react-router';
import { accountScreens } from '../account/screens';
import { lazyScreen } from '../shell/lazyScreen';
import { portalRoute } from '../shell/portalRoute';
import { customerPortal } from './portal';

const routes = [
  portalRoute(customerPortal, {
    trunks: lazyScreen(() => import('./choices/SipTrunksPage').then((m) => m.SipTrunksPage)),
    team: accountScreens.team,
    'api-keys': accountScreens.apiKeys,
    profile: accountScreens.profile,
  }),
];

/** The customer's self-service portal below /portal, loaded by the router on the first visit. */
export function CustomerPortal() {
  return useRoutes(routes);
}
