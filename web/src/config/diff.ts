import type { FieldChange } from './api';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The fields that differ between two stored values (an audit entry's old and
 * new values, two snapshots), sorted by name. Values that are not objects
 * (a status word) become one row named `value`.
 */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const b = before ?? null;
  const a = after ?? null;
  if ((b === null || isPlainObject(b)) && (a === null || isPlainObject(a)) && (b !== null || a !== null)) {
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort();
    return keys
      .map((field) => ({ field, before: (b ?? {})[field] ?? null, after: (a ?? {})[field] ?? null }))
      .filter((c) => !sameJson(c.before, c.after));
  }
  return sameJson(b, a) ? [] : [{ field: 'value', before: b, after: a }];
}
