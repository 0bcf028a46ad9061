import { describe, expect, it } from 'vitest';
import { CANONICAL, canonicalLabel, REQUIRED } from './deckFile';

describe('deck columns', () => {
  it('names every column the server understands, prefix and rate required', () => {
    expect(CANONICAL).toEqual(['prefix', 'destination', 'rate', 'connection_fee', 'initial_increment', 'subsequent_increment', 'effective_from']);
    expect(REQUIRED).toEqual(['prefix', 'rate']);
    for (const c of CANONICAL) expect(canonicalLabel[c]).toBeTruthy();
  });
});
