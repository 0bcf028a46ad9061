import { lazyScreen } from '../shell/lazyScreen';

/** The account screens every portal has (team, API keys, profile), each loaded when first shown. */
export const accountScreens = {
  team: lazyScreen(() => import('./team/TeamPage').then((m) => m.TeamPage)),
  apiKeys: lazyScreen(() => import('./api-keys/ApiKeysPage').then((m) => m.ApiKeysPage)),
  profile: lazyScreen(() => import('./profile/ProfilePage').then((m) => m.ProfilePage)),
};
