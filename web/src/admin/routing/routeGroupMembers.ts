/**
 * A route group's members: carriers with an order (1 = primary, 2 = first
 * backup, … up to 10) and, among carriers of the same order, load shares in
 * percent that add up to 100 (crates/server/src/routing/route_groups.rs).
 */

export interface Member {
  carrier_id: string;
  order: number;
  share: number;
}

export const MAX_ORDER = 10;

/** "Primary", "Backup 1", "Backup 2"… */
export function orderLabel(order: number): string {
  return order <= 1 ? 'Primary' : `Backup ${order - 1}`;
}

/** Members from stored or form values (numbers may arrive as text); rows without a carrier are skipped. */
export function readMembers(rows: readonly Record<string, unknown>[]): Member[] {
  return rows
    .map((r) => ({ carrier_id: String(r.carrier_id ?? ''), order: Number(r.order), share: Number(r.share) }))
    .filter((m) => m.carrier_id !== '' && Number.isFinite(m.order));
}

/**
 * How the group sends calls, in one line: "ACME 70 % · Core 30 % → backup
 * Beta". Carriers of one order are joined by "·" with their shares (a lone
 * carrier's 100 % is left out), biggest share first; each later order follows
 * an arrow.
 */
export function membersSummary(members: readonly Member[], carrierName: (id: string) => string): string {
  const orders = [...new Set(members.map((m) => m.order))].sort((a, b) => a - b);
  return orders
    .map((order, i) => {
      const level = members.filter((m) => m.order === order).sort((a, b) => b.share - a.share);
      const names = level.map((m) => (level.length === 1 && m.share === 100 ? carrierName(m.carrier_id) : `${carrierName(m.carrier_id)} ${m.share} %`)).join(' · ');
      return i === 0 ? names : `backup ${names}`;
    })
    .join(' → ');
}

/** Why the shares are refused (each order's must add up to 100 %), or null. */
export function sharesProblem(members: readonly Member[]): string | null {
  const totals = new Map<number, number>();
  for (const m of members) {
    if (!Number.isFinite(m.share)) continue;
    totals.set(m.order, (totals.get(m.order) ?? 0) + m.share);
  }
  const wrong = [...totals.entries()].sort(([a], [b]) => a - b).find(([, total]) => total !== 100);
  if (!wrong) return null;
  const [order, total] = wrong;
  const who = order <= 1 ? 'the primary carriers' : `the carriers of ${orderLabel(order).toLowerCase()}`;
  return `The shares of ${who} add up to ${total} %, not 100 %`;
}
