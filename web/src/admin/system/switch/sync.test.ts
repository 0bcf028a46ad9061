import { describe, expect, it } from 'vitest';
import {
  callFailed,
  callLook,
  diffValue,
  engineBusy,
  fieldDiffs,
  jsonSummary,
  kindLabel,
  kindNoun,
  localPart,
  payloadLine,
  prettyJson,
  problemLook,
  recordTitle,
  reportArrived,
  type RecordSyncStatus,
  statusLook,
  statusMap,
  statusQuery,
  syncExplanation,
} from './sync';

const counts = (c: Partial<Record<'pending' | 'running' | 'failed' | 'synced' | 'drift', number>> = {}) => ({ pending: 0, running: 0, failed: 0, synced: 0, drift: 0, ...c });

describe('statusLook', () => {
  it('colours each push status by its meaning', () => {
    expect(statusLook('synced')).toEqual({ label: 'Synced', color: 'green' });
    expect(statusLook('failed')).toEqual({ label: 'Failed', color: 'red' });
    expect(statusLook('pending').label).toBe('Pending');
  });

  it('shows an unknown status in words, in gray', () => {
    expect(statusLook('on_hold')).toEqual({ label: 'On hold', color: 'gray' });
    expect(statusLook('drift')).toEqual({ label: 'Drift', color: 'amber' });
  });
});

describe('kindLabel and recordTitle', () => {
  it('names the synced kinds as people say them', () => {
    expect(kindLabel('pop')).toBe('POP');
    expect(kindLabel('rate_card')).toBe('Rate card');
    expect(kindLabel(null)).toBe('Record');
    expect(kindNoun('rate_card')).toBe('rate card');
    expect(kindNoun('pop')).toBe('POP');
  });

  it('calls a record by its name, then its code or prefix, then a short id', () => {
    expect(recordTitle({ name: 'ACME Voice', code: 'acme' }, 'x')).toBe('ACME Voice');
    expect(recordTitle({ name: ' ', prefix: '44' }, 'x')).toBe('44');
    expect(recordTitle(undefined, '01a212bb-ae22-70ca-b91d-892fff65651f')).toBe('01a212bb…');
  });
});

describe('drift', () => {
  it('says what to do about each problem', () => {
    expect(problemLook('missing_on_switch')).toMatchObject({ label: 'Missing on switch', color: 'red' });
    expect(problemLook('not_managed').hint).toMatch(/not made by DIDtron/);
    expect(problemLook('something_new')).toMatchObject({ label: 'Something new', color: 'gray' });
  });

  it('keeps only well-formed field differences', () => {
    expect(fieldDiffs([{ field: 'port', expected: 5060, actual: 5070 }, { nope: 1 }, 'x', null])).toEqual([{ field: 'port', expected: 5060, actual: 5070 }]);
    expect(fieldDiffs(undefined)).toEqual([]);
  });

  it('names the part of a local key beyond its record id', () => {
    expect(localPart('01a2/sip.acme.example')).toBe('sip.acme.example');
    expect(localPart('01a2')).toBe('');
    expect(localPart(null)).toBe('');
  });

  it('shows values so that a string, a number and nothing read apart', () => {
    expect(diffValue('5060')).toBe('"5060"');
    expect(diffValue(5060)).toBe('5060');
    expect(diffValue('')).toBe('""');
    expect(diffValue(null)).toBe('nothing');
    expect(diffValue(['a'])).toBe('["a"]');
  });
});

describe('calls', () => {
  it('counts an HTTP error as a failure even without a driver error', () => {
    expect(callFailed({ status: 404, error: null })).toBe(true);
    expect(callFailed({ status: null, error: 'ConnexCS did not answer in time' })).toBe(true);
    expect(callFailed({ status: 201, error: null })).toBe(false);
  });

  it('colours the HTTP status', () => {
    expect(callLook({ status: 201 })).toEqual({ label: '201', color: 'green' });
    expect(callLook({ status: 503, error: 'unavailable' })).toEqual({ label: '503', color: 'red' });
    expect(callLook({ status: null, error: 'timeout' })).toEqual({ label: 'No answer', color: 'red' });
  });
});

describe('prettyJson and summaries', () => {
  it('indents objects and unpacks JSON held in a string', () => {
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('Bad Gateway')).toBe('Bad Gateway');
    expect(prettyJson('{not json')).toBe('{not json');
    expect(prettyJson(null)).toBe('null');
    expect(prettyJson(undefined)).toBe('');
  });

  it('summarises a body in a few words', () => {
    expect(jsonSummary({ a: 1, b: 2 })).toBe('2 fields');
    expect(jsonSummary([1])).toBe('1 item');
    expect(jsonSummary(null)).toBe('empty');
    expect(jsonSummary('x'.repeat(50))).toHaveLength(40);
  });

  it('puts a webhook payload on one line without its event name', () => {
    expect(payloadLine({ event: 'registration', username: 'smallco-1', ip: '203.0.113.7' })).toBe('username=smallco-1 · ip=203.0.113.7');
    expect(payloadLine({ balance: -12.5, tags: ['a'] })).toBe('balance=-12.5 · tags=["a"]');
    expect(payloadLine({ note: 'y'.repeat(200) }, 20)).toHaveLength(20);
  });
});

describe('polling', () => {
  it('polls while pushes wait or a reconciliation runs', () => {
    expect(engineBusy(undefined)).toBe(false);
    expect(engineBusy({ pushes: counts({ synced: 4 }), last_reconciliation: null })).toBe(false);
    expect(engineBusy({ pushes: counts({ pending: 1 }), last_reconciliation: null })).toBe(true);
    expect(engineBusy({ pushes: counts({ running: 1 }) })).toBe(true);
    const running = { id: 'r', status: 'running', checked: 0, drift_count: 0, drift: [], created_at: '', updated_at: '' };
    expect(engineBusy({ pushes: counts(), last_reconciliation: running })).toBe(true);
    expect(engineBusy({ pushes: counts(), last_reconciliation: null }, true)).toBe(true);
  });

  it('waits for a new, finished report after Run now', () => {
    expect(reportArrived('r1', { id: 'r1', status: 'done' })).toBe(false);
    expect(reportArrived('r1', { id: 'r2', status: 'running' })).toBe(false);
    expect(reportArrived('r1', { id: 'r2', status: 'done' })).toBe(true);
    expect(reportArrived(null, { id: 'r1', status: 'failed' })).toBe(true);
    expect(reportArrived(null, undefined)).toBe(false);
  });
});

describe('sync status of records', () => {
  const row = (id: string, status = 'synced'): RecordSyncStatus => ({ record_kind: 'carrier', record_id: id, status, version: 2, synced_version: 2, updated_at: '' });

  it('asks for the same ids the same way, and for the whole kind when there are too many', () => {
    expect(statusQuery('carrier', ['b', 'a', 'b', ''])).toEqual({ kind: 'carrier', ids: 'a,b' });
    expect(statusQuery('carrier', [])).toEqual({ kind: 'carrier' });
    expect(statusQuery('carrier', ['a', 'b', 'c'], 2)).toEqual({ kind: 'carrier' });
  });

  it('maps ids to their status, keeping only the ids asked about', () => {
    const map = statusMap([row('a'), row('b', 'failed'), row('c')], ['a', 'b']);
    expect(Object.keys(map).sort()).toEqual(['a', 'b']);
    expect(map.b?.status).toBe('failed');
    expect(Object.keys(statusMap([row('a'), row('c')]))).toEqual(['a', 'c']);
  });

  it('explains a status in a sentence', () => {
    expect(syncExplanation({ status: 'synced', syncedVersion: 3 })).toBe('The switch holds version 3.');
    expect(syncExplanation({ status: 'pending', version: 4, syncedVersion: 3 })).toBe('Version 4 is on its way to the switch; the switch has version 3.');
    expect(syncExplanation({ status: 'failed', version: 2, error: 'the switch has no carrier 9' })).toBe('The push of version 2 failed: the switch has no carrier 9');
    expect(syncExplanation({ status: 'pending', version: 2, error: 'maintenance — trying again at 10:01:00 UTC (attempt 1 of 4)' })).toBe(
      'Version 2 is waiting to try the switch again: maintenance — trying again at 10:01:00 UTC (attempt 1 of 4)',
    );
    expect(syncExplanation({ status: 'drift', error: 'carrier c1: the switch holds other values for channels' })).toBe(
      'The switch no longer holds what DIDtron sent: carrier c1: the switch holds other values for channels. Push the record again to repair it.',
    );
  });
});
