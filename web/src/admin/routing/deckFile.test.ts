import { describe, expect, it } from 'vitest';
import { BACKGROUND_BYTES, CANONICAL, canonicalLabel, deckProgress, isPending, mustImportInBackground, REQUIRED } from './deckFile';

describe('deck columns', () => {
  it('names every column the server understands, prefix and rate required', () => {
    expect(CANONICAL).toEqual(['prefix', 'destination', 'rate', 'connection_fee', 'initial_increment', 'subsequent_increment', 'effective_from']);
    expect(REQUIRED).toEqual(['prefix', 'rate']);
    for (const c of CANONICAL) expect(canonicalLabel[c]).toBeTruthy();
  });
});

describe('background imports', () => {
  it('are forced for files over 5 MB', () => {
    expect(mustImportInBackground(BACKGROUND_BYTES)).toBe(false);
    expect(mustImportInBackground(BACKGROUND_BYTES + 1)).toBe(true);
    expect(mustImportInBackground(1200)).toBe(false);
  });

  it('show the phase the job reports, with the rows once the file is read', () => {
    expect(deckProgress({ status: 'queued', processed: 0, report: { phase: 'queued' } })).toMatchObject({ value: 5, done: false, label: 'Queued: waiting for the job worker' });
    expect(deckProgress({ status: 'importing', processed: 0, report: { phase: 'reading' } })).toMatchObject({ value: 35, label: 'Reading the file' });
    expect(deckProgress({ status: 'importing', processed: 5000, report: { phase: 'storing' } })).toMatchObject({ value: 70, label: 'Storing 5,000 rows' });
    expect(deckProgress({ status: 'active', processed: 5000, report: { rows: 5000 } })).toMatchObject({ value: 100, done: true, label: 'Imported 5,000 rows' });
    expect(deckProgress({ status: 'rejected', processed: 1, report: { errors: [] } })).toMatchObject({ done: true, label: 'Rejected: nothing changed' });
    expect(isPending({ status: 'importing' })).toBe(true);
    expect(isPending({ status: 'superseded' })).toBe(false);
  });
});
