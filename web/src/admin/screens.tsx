import { configScreen } from '../config/ConfigListPage';
import { DraftsPage } from '../config/DraftsPage';
import type { Portal } from '../shell/nav';
import type { Screen } from '../shell/portalRoute';
import { authMethods } from './catalog/authMethods';
import { codecs } from './catalog/codecs';
import { didCountries } from './catalog/didCountries';
import { didProviders } from './catalog/didProviders';
import { plans } from './catalog/plans';
import { pops } from './catalog/pops';
import { voiceTiers } from './catalog/voiceTiers';
import { CategoriesPage } from './customers/CategoriesPage';
import { CustomersPage } from './customers/CustomersPage';
import { AdminDashboard } from './dashboard/AdminDashboard';
import { adminKinds } from './kinds';
import { carriers } from './routing/carriers';
import { lcrProfiles } from './routing/lcrProfiles';
import { routeGroups } from './routing/routeGroups';
import { routes } from './routing/routes';
import { RateCardsPage } from './routing/RateCardsPage';
import { RouteLookupPage } from './routing/RouteLookupPage';
import { AuditLogPage } from './system/AuditLogPage';
import { JobsPage } from './system/JobsPage';
import { SettingsPage } from './system/SettingsPage';
import { SwitchSyncPage } from './system/switch/SwitchSyncPage';

function ConfigDrafts({ portal }: { portal: Portal }) {
  return <DraftsPage portal={portal} kinds={adminKinds} />;
}

/** The built admin screens for customers, configuration and system, keyed by their path in admin/portal.ts. */
export const adminConfigScreens: Record<string, Screen> = {
  '': AdminDashboard,
  categories: CategoriesPage,
  customers: CustomersPage,
  'config/pops': configScreen(pops),
  'config/voice-tiers': configScreen(voiceTiers),
  'config/codecs': configScreen(codecs),
  'config/auth-methods': configScreen(authMethods),
  'config/channel-plans': configScreen(plans),
  'config/did-countries': configScreen(didCountries),
  'config/did-providers': configScreen(didProviders),
  'config/drafts': ConfigDrafts,
  'routing/carriers': configScreen(carriers),
  'routing/rate-cards': RateCardsPage,
  'routing/routes': configScreen(routes),
  'routing/route-groups': configScreen(routeGroups),
  'routing/lcr-profiles': configScreen(lcrProfiles),
  'routing/lookup': RouteLookupPage,
  'system/audit-log': AuditLogPage,
  'system/jobs': JobsPage,
  'system/switch': SwitchSyncPage,
  'system/settings': SettingsPage,
};
