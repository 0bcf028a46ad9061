import { checkAssignments, normalizeAssignments, sameAssignments, type Assignment } from './assignments';
import type { ConfigRecord, FieldSpec, FormValues, KindDefinition, RowsField } from './kind';
import { asMarginUnit, marginFromInput, marginInputError, marginToInput } from './margin';
import { decimalToMicro, microToDecimal, moneyInputError } from './money';
import { complete } from './rules';

/**
 * The form's values ↔ the API's fields, and the client-side checks of each
 * field's rules. The rules themselves are the server's (GET
 * /api/v1/config/kinds, laid over the definition by `complete`); only the
 * wording of the form's messages is the web's. The server stays the
 * authority and answers with field problems the form shows the same way.
 */

/** What a new record's form starts with. */
export function emptyValues(def: KindDefinition, preset: Record<string, unknown> = {}): FormValues {
  complete(def);
  const values: FormValues = {};
  for (const f of def.fields) values[f.name] = initial(f);
  for (const [k, v] of Object.entries(preset)) {
    const spec = def.fields.find((f) => f.name === k);
    if (spec) values[k] = toFormValue(spec, v);
  }
  if (def.assigned) values.assignments = [{ scope: { kind: 'all' } }];
  return values;
}

function initial(f: FieldSpec): unknown {
  switch (f.type) {
    case 'number':
      return f.default ?? '';
    case 'percent':
      return '';
    case 'money':
      return f.default !== undefined ? microToDecimal(f.default, 2) : '';
    case 'margin':
      return f.default !== undefined ? marginToInput(f.default) : '';
    case 'rows':
      // A required list starts with one row to fill in.
      return f.required ? [emptyRow(f)] : [];
    case 'flag':
      return f.default ?? false;
    case 'select':
      return f.default ?? f.options[0]?.value ?? '';
    case 'list':
      return [];
    case 'reference':
      return null;
    case 'text':
      return f.default ?? '';
    default:
      return '';
  }
}

/** A new row of a `rows` field, with each column's default. */
export function emptyRow(f: RowsField): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const sub of f.fields) row[sub.name] = initial(sub);
  return row;
}

function rowsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {})) : [];
}

/** A stored value as the form edits it. */
export function toFormValue(f: FieldSpec, value: unknown): unknown {
  switch (f.type) {
    case 'number':
    case 'percent':
      return typeof value === 'number' ? value : '';
    case 'money':
      return typeof value === 'number' ? microToDecimal(value, 2) : '';
    case 'margin':
      return marginToInput(value);
    case 'select':
      return value === null || value === undefined ? '' : String(value);
    case 'rows':
      return rowsOf(value).map((row) => Object.fromEntries(f.fields.map((sub) => [sub.name, toFormValue(sub, row[sub.name])])));
    case 'flag':
      return value === true;
    case 'list':
      return Array.isArray(value) ? value.map(String) : [];
    case 'reference':
      return typeof value === 'string' && value ? value : null;
    default:
      return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  }
}

/** The record's form values. */
export function valuesFromRecord(def: KindDefinition, record: ConfigRecord): FormValues {
  complete(def);
  const values: FormValues = {};
  for (const f of def.fields) values[f.name] = toFormValue(f, record[f.name]);
  if (def.assigned) values.assignments = (record.assignments ?? []).map((a) => ({ scope: a.scope, exclude: !!a.exclude }));
  return values;
}

/** One form value as the API takes it. */
export function toApiValue(f: FieldSpec, value: unknown): unknown {
  switch (f.type) {
    case 'number':
    case 'percent': {
      if (value === '' || value === null || value === undefined) return null;
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : null;
    }
    case 'money': {
      const text = String(value ?? '').trim();
      return text === '' ? null : decimalToMicro(text, (f.min ?? 0) < 0);
    }
    case 'margin': {
      const text = String(value ?? '').trim();
      return text === '' ? null : marginFromInput(text);
    }
    case 'select': {
      const text = String(value ?? '');
      if (!f.numeric) return text;
      return text === '' ? null : Number(text);
    }
    case 'rows':
      return rowsOf(value).map((row) => Object.fromEntries(f.fields.map((sub) => [sub.name, toApiValue(sub, row[sub.name])])));
    case 'flag':
      return value === true;
    case 'list': {
      const items = Array.isArray(value) ? value.map((v) => String(v).trim()).filter(Boolean) : [];
      return f.normalize ? items.map(f.normalize) : items;
    }
    case 'reference':
      return typeof value === 'string' && value ? value : null;
    case 'code':
      return String(value ?? '').trim().toLowerCase();
    case 'text': {
      const text = String(value ?? '').trim();
      return f.case === 'upper' ? text.toUpperCase() : f.case === 'lower' ? text.toLowerCase() : text;
    }
    default:
      return String(value ?? '').trim();
  }
}

/** Whether a field is shown (and so checked and sent) for these values. */
export function isVisible(f: FieldSpec, values: FormValues): boolean {
  return f.visible ? f.visible(values) : true;
}

/** Every field of the record as the API takes it (a create). Empty optional numbers are left to the server's default. */
export function fieldsFromValues(def: KindDefinition, values: FormValues): Record<string, unknown> {
  complete(def);
  const fields: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (!isVisible(f, values)) continue;
    const v = toApiValue(f, values[f.name]);
    if (v === null && (f.type === 'number' || f.type === 'money' || f.type === 'margin') && !(f.type === 'number' && f.optional)) continue;
    fields[f.name] = v;
  }
  return fields;
}

/** Deep equality of API values (lists of objects compare by content, whatever their keys' order). */
export function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] != null);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] != null);
    return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return (a ?? null) === (b ?? null);
}

/** Only the fields that differ from the stored record (an update); hidden fields keep their stored value. */
export function changedFields(def: KindDefinition, record: ConfigRecord, values: FormValues): Record<string, unknown> {
  complete(def);
  const out: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (!isVisible(f, values)) continue;
    const v = toApiValue(f, values[f.name]);
    if (!same(v, record[f.name])) out[f.name] = v;
  }
  return out;
}

/** The assignment set to send with an update: the full set when it changed, otherwise nothing. */
export function changedAssignments(def: KindDefinition, record: ConfigRecord | null, values: FormValues): Assignment[] | undefined {
  if (!def.assigned) return undefined;
  const next = normalizeAssignments(values.assignments ?? []);
  if (record && sameAssignments(next, record.assignments ?? [])) return undefined;
  return next;
}

/**
 * Why one value is refused, or undefined. `siblings` are the other values of
 * the record (or of the row) for rules that depend on them: a margin's unit.
 */
export function fieldError(f: FieldSpec, value: unknown, siblings: Record<string, unknown> = {}): string | undefined {
  const empty = value === '' || value === null || value === undefined || (Array.isArray(value) && value.length === 0);
  switch (f.type) {
    case 'code':
    case 'text':
    case 'textarea': {
      const raw = String(value ?? '').trim();
      const text = f.type === 'code' ? raw.toLowerCase() : raw;
      if ((f.required || f.type === 'code') && !text) return 'Is required';
      if (f.max !== undefined && [...text].length > f.max) return `Must be at most ${f.max} characters`;
      if (f.type !== 'textarea' && text && f.pattern && !f.pattern.regex.test(f.type === 'text' && f.case === 'upper' ? text.toUpperCase() : text)) {
        return f.pattern.message;
      }
      if (f.type === 'text' && text && f.formatProblem) return f.formatProblem(f.case === 'upper' ? text.toUpperCase() : text) ?? undefined;
      return undefined;
    }
    case 'number':
    case 'percent': {
      const [min, max] = [f.min ?? Number.MIN_SAFE_INTEGER, f.max ?? Number.MAX_SAFE_INTEGER];
      if (empty) return f.required || (f.type === 'number' && f.default === undefined && !f.optional) ? 'Is required' : undefined;
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isInteger(n)) return 'Must be a whole number';
      if (n < min || n > max) return max >= Number.MAX_SAFE_INTEGER ? `Must be at least ${min}` : `Must be between ${min} and ${max}`;
      return undefined;
    }
    case 'money':
      if (empty) return f.required ? 'Is required' : undefined;
      return moneyInputError(String(value), f.max, f.min) ?? undefined;
    case 'margin':
      if (empty) return f.required ? 'Is required' : undefined;
      return marginInputError(asMarginUnit(siblings[f.unitField]), String(value), f.bounds) ?? undefined;
    case 'rows': {
      const rows = rowsOf(value);
      if (f.required && rows.length === 0) return `Add at least one ${f.rowNoun}`;
      if (f.max !== undefined && rows.length > f.max) return `At most ${f.max} ${f.rowNoun}s`;
      return undefined;
    }
    case 'select':
      if (!f.options.some((o) => o.value === value)) return f.required || !empty ? `Choose one of: ${f.options.map((o) => o.label).join(', ')}` : undefined;
      return undefined;
    case 'list': {
      if (f.required && empty) return 'Needs at least one entry';
      const items = (Array.isArray(value) ? value : []).map((v) => String(v).trim()).filter(Boolean).map((v) => (f.normalize ? f.normalize(v) : v));
      if (f.max !== undefined && items.length > f.max) return `At most ${f.max} entries`;
      const seen = new Set<string>();
      for (const item of items) {
        if (f.itemMax !== undefined && [...item].length > f.itemMax) return `“${item.slice(0, 40)}…” is longer than ${f.itemMax} characters`;
        if (f.itemPattern && !f.itemPattern.regex.test(item)) return `“${item}”: ${f.itemPattern.message.charAt(0).toLowerCase()}${f.itemPattern.message.slice(1)}`;
        const problem = f.item?.(item);
        if (problem) return problem;
        if (seen.has(item)) return `${item} is listed twice`;
        seen.add(item);
      }
      return undefined;
    }
    case 'reference':
      return f.required && empty ? 'Is required' : undefined;
    default:
      return undefined;
  }
}

/** The problems of each cell of a `rows` field, keyed as the server does: `members[1].share`. */
export function rowErrors(f: RowsField, value: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Map<string, number>();
  rowsOf(value).forEach((row, i) => {
    for (const sub of f.fields) {
      const problem = fieldError(sub, row[sub.name], row);
      if (problem) errors[`${f.name}[${i}].${sub.name}`] = problem;
    }
    if (f.unique) {
      const key = String(toApiValue(f.fields.find((s) => s.name === f.unique)!, row[f.unique]) ?? '');
      if (key && seen.has(key)) errors[`${f.name}[${i}].${f.unique}`] ??= `Already in row ${seen.get(key)! + 1}`;
      else if (key) seen.set(key, i);
    }
  });
  return errors;
}

/** Every problem of the form at once, as the server reports them: field name (or `rows[i].column`) → message. */
export function validate(def: KindDefinition, values: FormValues): Record<string, string> {
  complete(def);
  const errors: Record<string, string> = {};
  for (const f of def.fields) {
    if (!isVisible(f, values)) continue;
    const problem = fieldError(f, values[f.name], values);
    if (problem) errors[f.name] = problem;
    if (f.type === 'rows') Object.assign(errors, rowErrors(f, values[f.name]));
  }
  for (const [field, message] of Object.entries(def.check?.(values) ?? {})) errors[field] ??= message;
  if (def.assigned) {
    const problem = checkAssignments(values.assignments ?? []);
    if (problem) errors.assignments = problem;
  }
  return errors;
}

/**
 * The form field a server problem belongs to: `sip_hosts[1]` → `sip_hosts`
 * (entry 2), `assignments[0]` → `assignments`, `members[1].share` →
 * `members`, row 2, column `share`.
 */
export function problemField(field: string): { name: string; index?: number; column?: string } {
  const m = /^([^[\].]+)(?:\[(\d+)\](?:\.([^[\].]+))?)?/.exec(field);
  if (!m) return { name: field };
  if (m[2] === undefined) return { name: m[1]! };
  return m[3] !== undefined ? { name: m[1]!, index: Number(m[2]), column: m[3] } : { name: m[1]!, index: Number(m[2]) };
}
