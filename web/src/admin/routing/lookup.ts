import dayjs from 'dayjs';
import type { components } from '../../api/schema';

/** Reading a route plan (`GET /api/v1/routing/explain`) for the lookup screen. */

export type RoutePlan = components['schemas']['RoutePlan'];
export type RouteCandidate = components['schemas']['RouteCandidate'];

/** The number as dialled, without spaces, dots, dashes or brackets; null when it is not 1–20 digits with an optional +. */
export function dialledNumber(input: string): string | null {
  const n = input.replace(/[\s().-]/g, '');
  return /^\+?\d{1,20}$/.test(n) ? n : null;
}

export interface LookupInput {
  number: string;
  customer: string | null;
  tier: string | null;
  /** A local date-time as the picker gives it (`YYYY-MM-DD HH:mm:ss`), or null for now. */
  at: string | null;
}

/** The explain query for the inputs: empty ones left out, the moment as RFC 3339 (UTC). */
export function explainQuery(input: LookupInput): { number: string; customer?: string; tier?: string; at?: string } {
  const at = input.at ? dayjs(input.at) : null;
  return {
    number: input.number,
    ...(input.customer ? { customer: input.customer } : {}),
    ...(input.tier ? { tier: input.tier } : {}),
    ...(at && at.isValid() ? { at: at.toISOString() } : {}),
  };
}

/**
 * How a candidate's margin reads: `loss` (sell below buy), `below` (kept
 * although under the profile's minimum), `ok`, or `none` without a rate card.
 */
export function marginTone(c: Pick<RouteCandidate, 'margin_micro' | 'below_margin'>): 'loss' | 'below' | 'ok' | 'none' {
  if (c.margin_micro === null || c.margin_micro === undefined) return c.below_margin ? 'below' : 'none';
  if (c.margin_micro < 0) return 'loss';
  return c.below_margin ? 'below' : 'ok';
}
