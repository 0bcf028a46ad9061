import { lazy } from 'react';
import type { Screen } from './portalRoute';

/**
 * A screen whose code is fetched the first time it is shown, so a portal's
 * first load carries only its shell and each screen brings its own libraries
 * (tables, date pickers, charts). The portal shell's Suspense boundary shows
 * a skeleton meanwhile.
 *
 *   'routing/lookup': lazyScreen(() => import('./routing/RouteLookupPage').then((m) => m.RouteLookupPage)),
 */
export function lazyScreen(load: () => Promise<Screen>): Screen {
  return lazy(async () => ({ default: await load() }));
}
