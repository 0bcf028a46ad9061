import type { KindDefinition } from '../config/kind';
import { authMethods } from './catalog/authMethods';
import { codecs } from './catalog/codecs';
import { didCountries } from './catalog/didCountries';
import { didProviders } from './catalog/didProviders';
import { plans } from './catalog/plans';
import { pops } from './catalog/pops';
import { voiceTiers } from './catalog/voiceTiers';
import { categories, groups } from './customers/kinds';
import { carriers } from './routing/carriers';
import { lcrProfiles } from './routing/lcrProfiles';
import { rateCards } from './routing/rateCards';
import { routeGroups } from './routing/routeGroups';
import { routes } from './routing/routes';

/** Every kind of configuration record the admin edits (drafts and the audit log format them by these). */
export const adminKinds: KindDefinition[] = [
  categories,
  groups,
  pops,
  voiceTiers,
  codecs,
  authMethods,
  plans,
  didCountries,
  didProviders,
  carriers,
  rateCards,
  routes,
  routeGroups,
  lcrProfiles,
];
