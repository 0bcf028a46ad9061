import { kindScreen } from '../config/kindScreen';
import type { Portal } from '../shell/nav';
import type { Screen } from '../shell/portalRoute';
import { lazyScreen } from '../shell/lazyScreen';
import { accountScreens } from '../account/screens';

/**
 * The built admin screens, keyed by their path in admin/portal.ts. Each one
 * loads on demand, so the admin's first load is only its shell.
 */
export const adminScreens: Record<string, Screen> = {
  '': lazyScreen(() => import('./dashboard/AdminDashboard').then((m) => m.AdminDashboard)),
  categories: lazyScreen(() => import('./customers/CategoriesPage').then((m) => m.CategoriesPage)),
  customers: lazyScreen(() => import('./customers/CustomersPage').then((m) => m.CustomersPage)),
  'config/pops': kindScreen(() => import('./catalog/pops').then((m) => m.pops)),
  'config/voice-tiers': kindScreen(() => import('./catalog/voiceTiers').then((m) => m.voiceTiers)),
  'config/codecs': kindScreen(() => import('./catalog/codecs').then((m) => m.codecs)),
  'config/auth-methods': kindScreen(() => import('./catalog/authMethods').then((m) => m.authMethods)),
  'config/channel-plans': kindScreen(() => import('./catalog/plans').then((m) => m.plans)),
  'config/did-countries': kindScreen(() => import('./catalog/didCountries').then((m) => m.didCountries)),
  'config/did-providers': kindScreen(() => import('./catalog/didProviders').then((m) => m.didProviders)),
  'config/drafts': lazyScreen(async () => {
    const [{ DraftsPage }, { adminKinds }] = await Promise.all([import('../config/DraftsPage'), import('./kinds')]);
    return function ConfigDrafts({ portal }: { portal: Portal }) {
      return <DraftsPage portal={portal} kinds={adminKinds} />;
    };
  }),
  'routing/carriers': kindScreen(() => import('./routing/carriers').then((m) => m.carriers)),
  'routing/rate-cards': lazyScreen(() => import('./routing/RateCardsPage').then((m) => m.RateCardsPage)),
  'routing/routes': kindScreen(() => import('./routing/routes').then((m) => m.routes)),
  'routing/route-groups': kindScreen(() => import('./routing/routeGroups').then((m) => m.routeGroups)),
  'routing/lcr-profiles': kindScreen(() => import('./routing/lcrProfiles').then((m) => m.lcrProfiles)),
  'routing/lookup': lazyScreen(() => import('./routing/RouteLookupPage').then((m) => m.RouteLookupPage)),
  'system/audit-log': lazyScreen(() => import('./system/AuditLogPage').then((m) => m.AuditLogPage)),
  'system/jobs': lazyScreen(() => import('./system/JobsPage').then((m) => m.JobsPage)),
  'system/switch': lazyScreen(() => import('./system/switch/SwitchSyncPage').then((m) => m.SwitchSyncPage)),
  'system/settings': lazyScreen(() => import('./system/SettingsPage').then((m) => m.SettingsPage)),
  'system/outbox': lazyScreen(() => import('./system/MailOutbox').then((m) => m.MailOutbox)),
  'system/team': accountScreens.team,
  'system/api-keys': accountScreens.apiKeys,
  profile: accountScreens.profile,
};
