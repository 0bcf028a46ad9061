/**
 * Scoped assignment, as the server resolves it (crates/core/src/scope.rs):
 * a record is given to ALL, to categories, to groups, to single customers, or
 * made private to one customer; any scope but ALL and private may instead
 * exclude. For one customer only the matching scopes count, and the most
 * specific level decides (ALL < category < group < customer); at that level an
 * exclusion wins. The server stays the authority; these mirror its rules so
 * the editor can explain them and refuse a bad set before saving.
 */

export type ScopeKind = 'all' | 'category' | 'group' | 'customer' | 'private';

export type Scope = { kind: 'all' } | { kind: Exclude<ScopeKind, 'all'>; id: string };

export interface Assignment {
  scope: Scope;
  exclude?: boolean;
}

/** Where a customer sits. */
export interface Placement {
  customer: string;
  category?: string | null;
  group?: string | null;
}

/** 0 for ALL up to 3 for one customer (private counts as customer). */
export function specificity(scope: Scope): number {
  switch (scope.kind) {
    case 'all':
      return 0;
    case 'category':
      return 1;
    case 'group':
      return 2;
    default:
      return 3;
  }
}

export function scopeId(scope: Scope): string | undefined {
  return scope.kind === 'all' ? undefined : scope.id;
}

function matches(scope: Scope, p: Placement): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'category':
      return p.category === scope.id;
    case 'group':
      return p.group === scope.id;
    default:
      return p.customer === scope.id;
  }
}

/** The level at which the assignments reach the customer, or null when they do not. */
export function reach(assignments: readonly Assignment[], p: Placement): number | null {
  const matching = assignments.filter((a) => matches(a.scope, p));
  if (matching.length === 0) return null;
  const top = Math.max(...matching.map((a) => specificity(a.scope)));
  const excluded = matching.some((a) => specificity(a.scope) === top && a.exclude);
  return excluded ? null : top;
}

export function isPrivate(assignments: readonly Assignment[]): boolean {
  return assignments.some((a) => a.scope.kind === 'private');
}

/**
 * Why an assignment set is refused, or null when it is fine: a private record
 * has exactly one assignment, ALL (and private) cannot be excluded, every
 * scope but ALL names its target, and no scope is listed twice.
 */
export function checkAssignments(assignments: readonly Assignment[]): string | null {
  const privates = assignments.filter((a) => a.scope.kind === 'private').length;
  if (privates > 0 && assignments.length > 1) {
    return 'A private record belongs to one customer only: remove the other scopes.';
  }
  if (assignments.some((a) => a.exclude && (a.scope.kind === 'all' || a.scope.kind === 'private'))) {
    return 'Only categories, groups and customers can be excluded.';
  }
  for (const a of assignments) {
    if (a.scope.kind !== 'all' && !a.scope.id) {
      return a.scope.kind === 'private' ? 'Choose the customer this record is private to.' : `Choose which ${a.scope.kind} each scope means.`;
    }
  }
  const seen = new Set<string>();
  for (const a of assignments) {
    const key = `${a.scope.kind}:${scopeId(a.scope) ?? ''}`;
    if (seen.has(key)) return `The same ${a.scope.kind === 'all' ? 'ALL' : a.scope.kind} is listed twice.`;
    seen.add(key);
  }
  return null;
}

/** The set as the API expects it: `exclude` only where true, no blank targets. */
export function normalizeAssignments(assignments: readonly Assignment[]): Assignment[] {
  return assignments.map((a) => (a.exclude ? { scope: a.scope, exclude: true } : { scope: a.scope }));
}

/** Whether two sets grant the same thing (order does not matter). */
export function sameAssignments(a: readonly Assignment[] = [], b: readonly Assignment[] = []): boolean {
  const key = (x: Assignment) => `${x.scope.kind}:${scopeId(x.scope) ?? ''}:${x.exclude ? 1 : 0}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Names for scope targets; unknown ids fall back to a short id. */
export type NameOf = (scope: Scope) => string;

const kindWord: Record<Exclude<ScopeKind, 'all'>, string> = {
  category: 'category',
  group: 'group',
  customer: 'customer',
  private: 'customer',
};

/** "category Individual", "all customers". */
export function scopePhrase(scope: Scope, nameOf: NameOf): string {
  return scope.kind === 'all' ? 'all customers' : `${kindWord[scope.kind]} ${nameOf(scope)}`;
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * One sentence saying who gets the record, for the editor and the table:
 * "All customers except category Individual", "Only customer Acme (private)",
 * "Nobody yet".
 */
export function describeAssignments(assignments: readonly Assignment[], nameOf: NameOf): string {
  const complete = assignments.filter((a) => a.scope.kind === 'all' || a.scope.id);
  if (complete.length === 0) return 'Nobody yet';
  const priv = complete.find((a) => a.scope.kind === 'private');
  if (priv) return `Only ${scopePhrase(priv.scope, nameOf)} (private)`;
  const includes = complete.filter((a) => !a.exclude).sort((x, y) => specificity(x.scope) - specificity(y.scope));
  const excludes = complete.filter((a) => a.exclude).sort((x, y) => specificity(x.scope) - specificity(y.scope));
  const granted = includes.map((a) => scopePhrase(a.scope, nameOf));
  const denied = excludes.map((a) => scopePhrase(a.scope, nameOf));
  if (granted.length === 0) return 'Nobody yet (only exclusions)';
  const head = granted[0] === 'all customers' ? ['All customers', ...granted.slice(1)] : granted.map((g, i) => (i === 0 ? g.charAt(0).toUpperCase() + g.slice(1) : g));
  let text = joinAnd(head);
  if (denied.length > 0) text += ` except ${joinAnd(denied)}`;
  return text;
}

/** The precedence rules, as help text beside every assignment editor. */
export const assignmentRules = [
  'The most specific scope that matches a customer decides: All < category < group < customer.',
  'At the same level an exclusion wins over an inclusion.',
  'ALL cannot be excluded; exclude a category, group or customer instead (e.g. All, except category Individual).',
  'A private record has exactly one assignment: the customer it belongs to.',
  'Customers get every offering that reaches them (POPs, tiers, codecs, auth methods, plans, DID countries and providers).',
] as const;
