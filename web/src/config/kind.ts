import type { MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Permission } from '../auth/permissions';
import type { Assignment } from './assignments';
import type { MarginBounds } from './margin';

/**
 * What a screen declares about one kind of configuration record: labels and
 * layout. The shared machinery (list, form, assignments, preview, drafts,
 * history) does the rest. A field's rules (required, lengths, bounds,
 * choices, defaults, patterns) are not written here: they come from the
 * server (GET /api/v1/config/kinds, see rules.ts) and fill in the optional
 * rule properties below before a form uses them.
 */
export interface KindDefinition {
  /** The API's kind code: `pop`, `plan`, … */
  kind: string;
  /** One record, in a sentence: "POP", "Channel/CPS plan". */
  noun: string;
  /** Several records: "POPs". */
  plural: string;
  fields: FieldSpec[];
  /** Table columns, left to right: field names, or a field with its own title or rendering. */
  columns: ColumnSpec[];
  /** Assigned by scope (offerings): the editor shows who gets the record. */
  assigned?: boolean;
  /** Kept on the softswitch: lists show each record's sync status. */
  synced?: boolean;
  read: Permission;
  write: Permission;
  /** Checks across fields (the server's rules that involve two fields), so the form says so before the server does. */
  check?: (values: FormValues) => Record<string, string>;
  /** Up/down arrows that rewrite this integer field (lower comes first). */
  ordering?: { field: string };
  /** A select above the table filtering on one column that refers to another kind. */
  filter?: { field: string; kind: string; label: string };
  /** More tabs in the editor of a saved record (a DID provider's inventory); `when` limits a tab to some records. */
  tabs?: { value: string; label: string; render: (record: ConfigRecord, canWrite: boolean) => ReactNode; when?: (record: ConfigRecord) => boolean }[];
  /** The name people know a record by; `name` by default. */
  titleOf?: (record: Record<string, unknown>) => string;
  /** Rows per page; ordered kinds show more so the whole order is visible. */
  pageSize?: number;
}

export type ColumnSpec = string | { field: string; title?: string; render?: (record: ConfigRecord) => ReactNode; width?: number };

interface BaseField {
  /** The API's column name. */
  name: string;
  label: string;
  /** One line under the label. */
  description?: string;
  /** From the server's rules. */
  required?: boolean;
  /** Takes half the form's width on wide screens. */
  half?: boolean;
  placeholder?: string;
  /**
   * Shown only while this holds for the form's values (a rate card's margin
   * only when its rates are derived). A hidden field is neither checked nor
   * sent, so the server keeps its stored value or default.
   */
  visible?: (values: FormValues) => boolean;
}

/** A pattern a text must match, with the message when it does not (from the server's rules). */
export interface Pattern {
  regex: RegExp;
  message: string;
}

export interface TextField extends BaseField {
  type: 'text';
  /** Longest text (from the server's rules), and the rules below. */
  max?: number;
  /** Normalised before sending, as the server does. */
  case?: 'upper' | 'lower';
  pattern?: Pattern;
  /** Why a text is not in its format (a country code), or null; from the format the server names. */
  formatProblem?: (text: string) => string | null;
  default?: string;
  monospace?: boolean;
}

/** Letters, digits, `_` and `-`, stored in lower case; always required. */
export interface CodeField extends BaseField {
  type: 'code';
  max?: number;
  pattern?: Pattern;
}

export interface TextareaField extends BaseField {
  type: 'textarea';
  max?: number;
}

export interface NumberField extends BaseField {
  type: 'number';
  /** Bounds, default and `optional` come from the server's rules. */
  min?: number;
  max?: number;
  /** Used by the server when left empty; shown as the new record's value. */
  default?: number;
  /** May be left empty (sent as null). */
  optional?: boolean;
  suffix?: string;
  /** Thousands separators, for counts that grow large (not for ports or codes). */
  grouping?: boolean;
}

/** An amount in micro-units of the record's currency, edited as a decimal. */
export interface MoneyField extends BaseField {
  type: 'money';
  /** The field holding the currency code; `currency` by default. */
  currencyField?: string;
  /** Highest amount, in micro-units. */
  max?: number;
  /** A per-minute rate: shown with up to 6 decimals. */
  rate?: boolean;
  default?: number;
  /** Lowest amount, in micro-units; 0 by default, negative to allow a loss. */
  min?: number;
  /** The amount has no currency of its own (applies in whatever currency rates are in): shown per minute only. */
  noCurrency?: boolean;
}

/**
 * A margin, as a percentage or a fixed amount per minute according to the
 * select named by `unitField` ('percent' | 'fixed'); see margin.ts.
 */
export interface MarginField extends BaseField {
  type: 'margin';
  unitField: string;
  /** Per unit; a layout says `unbounded` and the server's rules fill them in. */
  bounds: MarginBounds;
  /** The field holding the currency of fixed margins; `currency` by default. */
  currencyField?: string;
  default?: number;
}

/** A whole percentage (bounds from the server's rules, 0–100). */
export interface PercentField extends BaseField {
  type: 'percent';
  min?: number;
  max?: number;
}

export interface FlagField extends BaseField {
  type: 'flag';
  default?: boolean;
}

export interface SelectOption {
  value: string;
  label: string;
  /** The status colour of this value (design_guidelines.md, semantic colours). */
  color?: MantineColor;
}

export interface SelectField extends BaseField {
  type: 'select';
  /**
   * The label (and colour) of each value, in the order shown. The values the
   * server takes come from its rules: a choice's words, or a number's range;
   * one without a label here shows as it is.
   */
  options: SelectOption[];
  default?: string;
  /** The API's values are integers (the options' values are their text). */
  numeric?: boolean;
}

/** A list of short texts (hosts, documents, country codes). */
export interface ListField extends BaseField {
  type: 'list';
  /** Most entries, and each entry's longest text, pattern and format (from the server's rules). */
  max?: number;
  itemMax?: number;
  itemPattern?: Pattern;
  format?: string;
  /** Why one entry is refused, or null. */
  item?: (entry: string) => string | null;
  /** Applied to each entry before checking and sending (e.g. upper-case a country code). */
  normalize?: (entry: string) => string;
  /** Suggested entries. */
  suggestions?: string[];
}

/** The id of a record of another kind (a group's category). */
export interface ReferenceField extends BaseField {
  type: 'reference';
  kind: string;
}

/** A field that can be a column of a `rows` field. */
export type RowFieldSpec = TextField | NumberField | MoneyField | MarginField | PercentField | FlagField | SelectField | ReferenceField;

/**
 * A list of objects edited as a small table, one typed field per column
 * (a route group's members, a rate card's per-prefix overrides). Server
 * problems such as `members[1].share` show under their cell.
 */
export interface RowsField extends BaseField {
  type: 'rows';
  fields: RowFieldSpec[];
  /** One row in a sentence: "carrier" → "Add carrier". */
  rowNoun: string;
  /** A column whose value may appear in one row only. */
  unique?: string;
  max?: number;
  /** What the rows read as outside the form (lists, diffs), given the record they belong to; one line per row otherwise. */
  display?: (rows: Record<string, unknown>[], record?: Record<string, unknown> | null) => ReactNode;
  /** The empty table's sentence. */
  emptyText?: string;
}

export type FieldSpec =
  | TextField
  | CodeField
  | TextareaField
  | NumberField
  | MoneyField
  | MarginField
  | PercentField
  | FlagField
  | SelectField
  | ListField
  | ReferenceField
  | RowsField;

/** What the form holds: strings for text and money, numbers or '' for numbers, and so on. */
export type FormValues = Record<string, unknown> & { assignments?: Assignment[] };

/** A record as the config API returns it. */
export interface ConfigRecord {
  id: string;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  assignments?: Assignment[];
  [field: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function recordTitle(def: Pick<KindDefinition, 'titleOf'>, record: Record<string, unknown> | null | undefined): string {
  if (!record) return '';
  if (def.titleOf) return def.titleOf(record);
  const name = record.name ?? record.code ?? record.id;
  return typeof name === 'string' && name ? name : '(unnamed)';
}

export function fieldOf(def: Pick<KindDefinition, 'fields'>, name: string): FieldSpec | undefined {
  return def.fields.find((f) => f.name === name);
}

/** "voice tier" → "Voice tier"; acronyms stay as they are. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A title inside a sentence: "Voice tiers" → "voice tiers", but "POPs" and "DID countries" keep their acronyms. */
export function inSentence(text: string): string {
  return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
