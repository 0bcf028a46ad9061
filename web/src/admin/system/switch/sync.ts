/**
 * What the switch sync screens show, as plain functions: the words and colours of push, record and
 * drift statuses, how a call's outcome reads, JSON made readable, and when the page must keep
 * polling. No React here, so all of it is unit-tested (sync.test.ts).
 */
import type { components } from '../../../api/schema';

export type Overview = components['schemas']['Overview'];
export type Push = components['schemas']['Push'];
export type PlannedCall = components['schemas']['PlannedCall'];
export type ConnectionTest = components['schemas']['ConnectionTest'];

/**
 * One call to the switch. The OpenAPI document types `request` and `response` as objects, but the
 * server stores whatever the switch answered: an object, an array, a string or nothing.
 */
export type Call = Omit<components['schemas']['Call'], 'request' | 'response'> & { request?: unknown; response?: unknown };

/** One difference a reconciliation found; `fields` only for `different`. */
export type Drift = Omit<components['schemas']['Drift'], 'fields'> & { fields: unknown[] };

export type Reconciliation = Omit<components['schemas']['Reconciliation'], 'drift'> & { drift: Drift[] };

export type Webhook = Omit<components['schemas']['Webhook'], 'payload'> & { payload: unknown };

/**
 * A record's sync status (GET /api/v1/switch/status). Written out here because the OpenAPI
 * document names two different schemas `SyncStatus` and keeps the DID provider's one, so the
 * generated type of that endpoint is wrong.
 */
export type RecordSyncStatus = components['schemas']['RecordSyncStatus'];

export interface Look {
  label: string;
  color: string;
}

/** The statuses of a push, in the order work moves through them. */
export const pushStatuses = [
  { value: 'pending', label: 'Pending', color: 'gray' },
  { value: 'running', label: 'Running', color: 'blue' },
  { value: 'failed', label: 'Failed', color: 'red' },
  { value: 'synced', label: 'Synced', color: 'green' },
] as const;

export type PushStatus = (typeof pushStatuses)[number]['value'];

/** A record's status beyond a push's: pushed, but the last reconciliation found the switch changed since. */
const driftStatus: Look = { label: 'Drift', color: 'amber' };

/** The label and colour of a push's or a record's sync status ("pending", "synced", "drift", …). */
export function statusLook(status: string): Look {
  if (status === 'drift') return driftStatus;
  const found = pushStatuses.find((s) => s.value === status);
  return found ? { label: found.label, color: found.color } : { label: sentenceCase(status), color: 'gray' };
}

/** Needs a person: the push failed for good, or the switch drifted from the record. */
export function needsAttention(status: string | null | undefined): boolean {
  return status === 'failed' || status === 'drift';
}

/** Waiting for the switch: queued or being pushed. */
export function isInFlight(status: string | null | undefined): boolean {
  return status === 'pending' || status === 'running';
}

/** The kinds of record kept on the switch, as people say them. */
const kindNames: Record<string, string> = {
  carrier: 'Carrier',
  pop: 'POP',
  route: 'Route',
  rate_card: 'Rate card',
};

/** "carrier" → "Carrier", "rate_card" → "Rate card". */
export function kindLabel(kind: string | null | undefined): string {
  if (!kind) return 'Record';
  return kindNames[kind] ?? sentenceCase(kind);
}

/** The kind inside a sentence: "carrier", "rate card", but "POP". */
export function kindNoun(kind: string | null | undefined): string {
  const label = kindLabel(kind);
  return label === label.toUpperCase() ? label : label.toLowerCase();
}

/** The switch's objects, as people say them ("carrier_ip" → "Carrier IP"). */
const objectNames: Record<string, string> = {
  carrier: 'Carrier',
  carrier_ip: 'Carrier IP',
  server: 'Server (POP)',
  route: 'Route',
  rate_card: 'Rate card',
  customer: 'Customer',
};

export function objectLabel(object: string): string {
  return objectNames[object] ?? sentenceCase(object);
}

/** "rate_card" → "Rate card". */
export function sentenceCase(code: string): string {
  const words = code.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a record is called in a list: its name, else its code or prefix, else a short id. */
export function recordTitle(record: Record<string, unknown> | null | undefined, id: string): string {
  for (const field of ['name', 'code', 'prefix']) {
    const value = record?.[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return shortId(id);
}

/** "01a212bb-ae22-70ca-…" → "01a212bb…": enough to tell ids apart in a table. */
export function shortId(id: string | null | undefined): string {
  if (!id) return '';
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

/** What a switch object's local key adds to its record's id: a carrier IP's host (`<carrier id>/<host>`), or nothing. */
export function localPart(localKey: string | null | undefined): string {
  if (!localKey) return '';
  const slash = localKey.indexOf('/');
  return slash < 0 ? '' : localKey.slice(slash + 1);
}

/** The drift problems of a reconciliation, with what to do about each (docs/switch/sync-engine.md). */
const problems: Record<string, Look & { hint: string }> = {
  not_pushed: { label: 'Not pushed', color: 'amber', hint: 'The record’s object was never created on the switch. Push the record.' },
  missing_on_switch: { label: 'Missing on switch', color: 'red', hint: 'DIDtron made this object, but the switch no longer has it. Push the record.' },
  different: { label: 'Different', color: 'amber', hint: 'The switch holds other values than DIDtron sent. Push the record, or change the record if the switch is right.' },
  left_behind: { label: 'Left behind', color: 'sky', hint: 'An object DIDtron made that no record wants any more. Push the record to delete it.' },
  not_managed: { label: 'Not managed', color: 'gray', hint: 'On the switch, but not made by DIDtron. Leave it, or remove it on the switch.' },
};

export function problemLook(problem: string): Look & { hint: string } {
  return problems[problem] ?? { label: sentenceCase(problem), color: 'gray', hint: '' };
}

/** One field a reconciliation found different. */
export interface FieldDiff {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** The `fields` of a drift row, keeping only well-formed entries. */
export function fieldDiffs(fields: unknown[] | null | undefined): FieldDiff[] {
  return (fields ?? []).flatMap((f) => {
    if (typeof f !== 'object' || f === null) return [];
    const entry = f as Record<string, unknown>;
    return typeof entry.field === 'string' ? [{ field: entry.field, expected: entry.expected, actual: entry.actual }] : [];
  });
}

/** A value in a diff: strings quoted (so "" and "5060" read apart from nothing and 5060), null as "nothing". */
export function diffValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  return JSON.stringify(value);
}

/**
 * Whether a call to the switch failed: the driver gave up with an error, or the switch answered
 * with an HTTP error (the local driver logs a 404 without an error).
 */
export function callFailed(call: Pick<Call, 'status' | 'error'>): boolean {
  return !!call.error || (typeof call.status === 'number' && call.status >= 400);
}

/** The colour of a call's HTTP status: 2xx green, 4xx/5xx red, none (no answer) red when it failed. */
export function callLook(call: Pick<Call, 'status' | 'error'>): Look {
  if (typeof call.status !== 'number') return { label: call.error ? 'No answer' : '—', color: call.error ? 'red' : 'gray' };
  if (call.status >= 400 || call.error) return { label: String(call.status), color: 'red' };
  if (call.status >= 300) return { label: String(call.status), color: 'amber' };
  return { label: String(call.status), color: 'green' };
}

/** What a call was made for. */
const purposes: Record<string, Look> = {
  push: { label: 'Push', color: 'blue' },
  rollback: { label: 'Rollback', color: 'amber' },
  reconcile: { label: 'Reconcile', color: 'sky' },
  test: { label: 'Test', color: 'gray' },
};

export function purposeLook(purpose: string): Look {
  return purposes[purpose] ?? { label: sentenceCase(purpose), color: 'gray' };
}

/** What a planned call does. */
const actions: Record<string, Look> = {
  create: { label: 'Create', color: 'green' },
  update: { label: 'Update', color: 'blue' },
  delete: { label: 'Delete', color: 'red' },
};

export function actionLook(action: string): Look {
  return actions[action] ?? { label: sentenceCase(action), color: 'gray' };
}

/**
 * JSON as people read it: indented, with a string that holds JSON (as some switches answer)
 * unpacked; anything else as it is.
 */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        return value;
      }
    }
    return value;
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A one-line summary of a JSON body: "3 fields", "2 items", or the text itself, shortened. */
export function jsonSummary(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return value.length === 1 ? '1 item' : `${value.length} items`;
  if (typeof value === 'object') {
    const n = Object.keys(value).length;
    return n === 1 ? '1 field' : `${n} fields`;
  }
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A webhook's payload on one line, for the list: `username=smallco-1 · ip=203.0.113.7`. */
export function payloadLine(payload: unknown, max = 120): string {
  let text: string;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    text = Object.entries(payload as Record<string, unknown>)
      .filter(([k]) => k !== 'event' && k !== 'type')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' · ');
  } else {
    text = payload === undefined ? '' : JSON.stringify(payload) ?? '';
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Whether the page should poll: something is queued or running, a reconciliation is running, or
 * one was just asked for and has not reported yet.
 */
export function engineBusy(overview: Pick<Overview, 'pushes' | 'last_reconciliation'> | undefined, awaitingReport = false): boolean {
  if (awaitingReport) return true;
  if (!overview) return false;
  return overview.pushes.pending + overview.pushes.running > 0 || overview.last_reconciliation?.status === 'running';
}

/**
 * After "Run now": whether the report it started is in and finished. `before` is the newest
 * report's id when the button was pressed (null when there was none); the job adds a new one.
 */
export function reportArrived(before: string | null, newest: Pick<Reconciliation, 'id' | 'status'> | null | undefined): boolean {
  if (!newest || newest.id === before) return false;
  return newest.status !== 'running';
}

/**
 * The query of GET /api/v1/switch/status: ids sorted and de-duplicated (so the same set shares one
 * cache entry), and left out when there are too many for a URL (the server then answers for the
 * whole kind and the caller picks its ids).
 */
export function statusQuery(kind: string, ids: readonly string[], maxIds = 100): { kind: string; ids?: string } {
  const unique = [...new Set(ids.filter(Boolean))].sort();
  return unique.length === 0 || unique.length > maxIds ? { kind } : { kind, ids: unique.join(',') };
}

/** Record id → its status, for the ids asked about (all of them when `ids` is empty). */
export function statusMap(rows: readonly RecordSyncStatus[], ids: readonly string[] = []): Record<string, RecordSyncStatus> {
  const wanted = ids.length > 0 ? new Set(ids) : null;
  const map: Record<string, RecordSyncStatus> = {};
  for (const row of rows) {
    if (!wanted || wanted.has(row.record_id)) map[row.record_id] = row;
  }
  return map;
}

/** The sentence a sync badge's tooltip says. */
export function syncExplanation({ status, version, syncedVersion, error }: { status: string; version?: number | null; syncedVersion?: number | null; error?: string | null }): string {
  const v = typeof version === 'number' && version > 0 ? `version ${version}` : 'this change';
  const V = v.charAt(0).toUpperCase() + v.slice(1);
  const there = typeof syncedVersion === 'number' && syncedVersion > 0 ? `; the switch has version ${syncedVersion}` : '';
  switch (status) {
    case 'synced':
      return typeof syncedVersion === 'number' && syncedVersion > 0 ? `The switch holds version ${syncedVersion}.` : 'The switch holds this record.';
    case 'pending':
      // A push that met a passing failure (a 503, a timeout) waits to try again; the error says when.
      return error?.trim() ? `${V} is waiting to try the switch again${there}: ${error.trim()}` : `${V} is on its way to the switch${there}.`;
    case 'running':
      return `Pushing ${v} to the switch now${there}.`;
    case 'failed':
      return `The push of ${v} failed${there}: ${error?.trim() || 'no error was given'}`;
    case 'drift':
      return `The switch no longer holds what DIDtron sent${error?.trim() ? `: ${error.trim()}` : ''}. Push the record again to repair it.`;
    default:
      return sentenceCase(status);
  }
}
