import { describe, expect, it } from 'vitest';
import { dialledNumber, explainQuery, marginTone } from './lookup';

describe('route lookup', () => {
  it('takes the number as dialled, punctuation aside', () => {
    expect(dialledNumber('+44 7700 900123')).toBe('+447700900123');
    expect(dialledNumber('(020) 123-4567')).toBe('0201234567');
    expect(dialledNumber('12ab')).toBeNull();
    expect(dialledNumber('')).toBeNull();
  });

  it('asks only for what was given, the moment in UTC', () => {
    expect(explainQuery({ number: '2012345', customer: null, tier: null, at: null })).toEqual({ number: '2012345' });
    const q = explainQuery({ number: '2012345', customer: 'c1', tier: 't1', at: '2026-12-01 08:30:00' });
    expect(q).toMatchObject({ number: '2012345', customer: 'c1', tier: 't1' });
    expect(new Date(q.at!).getTime()).toBe(new Date(2026, 11, 1, 8, 30, 0).getTime());
    expect(q.at).toMatch(/Z$/);
  });

  it('marks losses and margins under the profile’s minimum', () => {
    expect(marginTone({ margin_micro: -1000, below_margin: true })).toBe('loss');
    expect(marginTone({ margin_micro: 500, below_margin: true })).toBe('below');
    expect(marginTone({ margin_micro: 18_000, below_margin: false })).toBe('ok');
    expect(marginTone({ margin_micro: null, below_margin: false })).toBe('none');
  });
});
