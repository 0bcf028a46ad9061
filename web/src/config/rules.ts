import { api } from '../api/client';
import { sentence, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { countryProblem, sipHostProblem } from './formats';
import type { FieldSpec, KindDefinition, Pattern, RowFieldSpec, SelectOption } from './kind';
import type { MarginBounds } from './margin';

/**
 * The server's rules for each field of each kind (GET /api/v1/config/kinds),
 * laid over the web's kind definitions, which only say labels and layout.
 * The rules are declared once, in the server's kind specs: required, bounds,
 * lengths, patterns, choices, defaults. The forms check them before sending;
 * the server checks them again.
 */

export type KindRules = components['schemas']['KindRules'];
export type FieldRules = components['schemas']['FieldRules'];

/** Margin bounds not known yet: a layout's placeholder until the server's rules fill them in. */
export const unbounded: MarginBounds = {
  percent: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  fixed: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The client-side check of a text format the server names but no pattern can say. */
const formatChecks: Record<string, (entry: string) => string | null> = {
  sip_host: sipHostProblem,
  country: countryProblem,
};

function patternOf(pattern: string | null | undefined, message: string | null | undefined): Pattern | undefined {
  return pattern ? { regex: new RegExp(pattern), message: sentence(message ?? 'is not valid') } : undefined;
}

function caseOf(rules: FieldRules): 'upper' | 'lower' | undefined {
  return rules.case === 'upper' || rules.case === 'lower' ? rules.case : undefined;
}

/** A select's options for the server's values: a choice's words or a number's range, with the layout's labels. */
function optionsOf(layout: SelectOption[], values: string[]): SelectOption[] {
  return values.map((value) => layout.find((o) => o.value === value) ?? { value, label: value });
}

function numberRange(rules: FieldRules): string[] {
  const [min, max] = [rules.min ?? 0, rules.max ?? 0];
  return max >= min && max - min <= 100 ? Array.from({ length: max - min + 1 }, (_, i) => String(min + i)) : [];
}

/** One field's layout with the server's rules laid over it. */
export function fieldWithRules<F extends FieldSpec>(field: F, rules: FieldRules | undefined): F {
  if (!rules) return field;
  const out = { ...field, required: rules.required } as FieldSpec;
  const def = rules.default ?? undefined;
  switch (out.type) {
    case 'text':
      out.max = rules.max_length ?? undefined;
      out.case = caseOf(rules);
      out.pattern = patternOf(rules.pattern, rules.pattern_message);
      out.formatProblem = rules.format ? formatChecks[rules.format] : undefined;
      if (typeof def === 'string') out.default = def;
      break;
    case 'code':
      out.max = rules.max_length ?? undefined;
      out.pattern = patternOf(rules.pattern, rules.pattern_message);
      break;
    case 'textarea':
      out.max = rules.max_length ?? undefined;
      break;
    case 'number':
      out.min = rules.min ?? undefined;
      out.max = rules.max ?? undefined;
      out.optional = rules.nullable;
      if (typeof def === 'number') out.default = def;
      break;
    case 'percent':
      out.min = rules.min ?? undefined;
      out.max = rules.max ?? undefined;
      break;
    case 'money':
      out.min = rules.min ?? undefined;
      out.max = rules.max ?? undefined;
      if (typeof def === 'number') out.default = def;
      break;
    case 'margin': {
      const whole: [number, number] = [rules.min ?? unbounded.percent[0], rules.max ?? unbounded.percent[1]];
      const range = (unit: string): [number, number] => {
        const r = rules.ranges?.ranges.find((x) => x.when === unit);
        return r ? [r.min, r.max] : whole;
      };
      out.bounds = { percent: range('percent'), fixed: range('fixed') };
      if (rules.ranges) out.unitField = rules.ranges.by;
      if (typeof def === 'number') out.default = def;
      break;
    }
    case 'flag':
      if (typeof def === 'boolean') out.default = def;
      break;
    case 'select':
      if (rules.type === 'choice') {
        out.options = optionsOf(out.options, rules.choices ?? []);
        if (typeof def === 'string') out.default = def;
      } else if (rules.type === 'integer') {
        out.options = optionsOf(out.options, numberRange(rules));
        out.numeric = true;
        if (typeof def === 'number') out.default = String(def);
      }
      break;
    case 'list': {
      out.max = rules.max_items ?? undefined;
      out.itemMax = rules.max_length ?? undefined;
      out.itemPattern = patternOf(rules.pattern, rules.pattern_message);
      out.format = rules.format ?? undefined;
      out.item = rules.format ? formatChecks[rules.format] : undefined;
      const c = caseOf(rules);
      out.normalize = c === 'upper' ? (s) => s.toUpperCase() : c === 'lower' ? (s) => s.toLowerCase() : undefined;
      break;
    }
    case 'reference':
      out.kind = rules.reference ?? out.kind;
      break;
    case 'rows':
      out.max = rules.max_items ?? undefined;
      out.unique = rules.unique ?? undefined;
      out.fields = out.fields.map((sub) => fieldWithRules(sub, rules.fields?.find((r) => r.name === sub.name)) as RowFieldSpec);
      break;
  }
  return out as F;
}

/** A kind's definition with the server's rules laid over every field (fields the server does not describe are left as they are). */
export function withRules(def: KindDefinition, rules: KindRules | undefined): KindDefinition {
  if (!rules) return def;
  return { ...def, fields: def.fields.map((f) => fieldWithRules(f, rules.fields.find((r) => r.name === f.name))) };
}

// The rules of the kinds the signed-in person may read, fetched once and kept for the session.
let loaded: Map<string, KindRules> | null = null;
let loading: Promise<Map<string, KindRules>> | null = null;

async function fetchRules(): Promise<Map<string, KindRules>> {
  const list = unwrap(await api.GET('/api/v1/config/kinds'));
  loaded = new Map(list.map((k) => [k.kind, k]));
  return loaded;
}

/**
 * Loads the server's rules (once; again when `kind` is not among them, as
 * after signing in as someone who may read more). Lists load them beside
 * their records, so a form opened from a list has them. Never fails: without
 * rules a form leaves the checks to the server.
 */
export async function loadKindRules(kind?: string): Promise<Map<string, KindRules>> {
  if (loaded && (!kind || loaded.has(kind))) return loaded;
  loading ??= fetchRules().finally(() => {
    loading = null;
  });
  try {
    return await loading;
  } catch {
    return loaded ?? new Map();
  }
}

/** The loaded rules of one kind, if any. */
export function kindRulesOf(kind: string): KindRules | undefined {
  return loaded?.get(kind);
}

/** For tests: rules as if loaded from the server. */
export function setKindRules(list: KindRules[] | null) {
  loaded = list ? new Map(list.map((k) => [k.kind, k])) : null;
}

const completed = new WeakMap<KindDefinition, KindRules>();

/**
 * Gives a definition its fields with the loaded rules laid over them, once per
 * set of rules, so the drawer, its inputs and the checks all see the same
 * complete fields. (The definition's field list is replaced, not its field
 * objects, which kinds may share.) A definition whose rules are not loaded
 * yet is left as it is.
 */
export function complete(def: KindDefinition): KindDefinition {
  const rules = kindRulesOf(def.kind);
  if (!rules || completed.get(def) === rules) return def;
  def.fields = withRules(def, rules).fields;
  completed.set(def, rules);
  return def;
}
