/** A record in an ordered list: lower priority comes first. */
export interface Ranked {
  id: string;
  priority: number;
}

/**
 * Moves one record up (-1) or down (+1) and returns the priorities to save:
 * a swap of two distinct priorities when that is enough, otherwise the whole
 * list renumbered 10, 20, 30… (1, 2, 3… when that would pass `max`). Only
 * records whose priority changes are returned.
 */
export function movePriority(items: readonly Ranked[], index: number, direction: -1 | 1, max = 1000): Ranked[] {
  const target = index + direction;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [];
  const order = [...items];
  [order[index], order[target]] = [order[target]!, order[index]!];
  const a = items[index]!;
  const b = items[target]!;
  const strictlyRising = items.every((item, i) => i === 0 || items[i - 1]!.priority < item.priority);
  if (strictlyRising && a.priority !== b.priority) {
    return [
      { id: a.id, priority: b.priority },
      { id: b.id, priority: a.priority },
    ];
  }
  const step = order.length * 10 <= max ? 10 : 1;
  return order.map((item, i) => ({ id: item.id, priority: (i + 1) * step })).filter((next) => items.find((item) => item.id === next.id)!.priority !== next.priority);
}
