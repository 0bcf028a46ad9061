import type { Screen } from '../shell/portalRoute';
import { lazyScreen } from '../shell/lazyScreen';
import type { KindDefinition } from './kind';

/**
 * The list screen of a kind of record, loaded on demand together with the
 * shared list machinery (and its table library):
 *
 *   'config/pops': kindScreen(() => import('./catalog/pops').then((m) => m.pops)),
 */
export function kindScreen(load: () => Promise<KindDefinition>): Screen {
  return lazyScreen(async () => {
    const [{ configScreen }, def] = await Promise.all([import('./ConfigListPage'), load()]);
    return configScreen(def);
  });
}
