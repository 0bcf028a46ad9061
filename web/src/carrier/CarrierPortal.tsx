import { useRoutes } from 'react-router';
import { accountScreens } from '../account/screens';
import { portalRoute } from '../shell/portalRoute';
import { carrierPortal } from './portal';

const routes = [
  portalRoute(carrierPortal, { team: accountScreens.team, 'api-keys': accountScreens.apiKeys, profile: accountScreens.profile }),
];

/** The wholesale carrier's portal below /carrier, loaded by the router on the first visit. */
export function CarrierPortal() {
  return useRoutes(routes);
}
