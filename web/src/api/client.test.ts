import { describe, expect, it } from 'vitest';
import { readCookie } from './client';

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('didtron_csrf', 'a=1; didtron_csrf=abc%2Bdef; b=2')).toBe('abc+def');
  });

  it('does not confuse names that share a suffix', () => {
    expect(readCookie('csrf', 'didtron_csrf=abc')).toBeUndefined();
  });
});
