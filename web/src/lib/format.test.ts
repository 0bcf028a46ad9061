import { describe, expect, it } from 'vitest';
import { describeUserAgent, formatRelative } from './format';

describe('describeUserAgent', () => {
  it('names common browsers and systems', () => {
    expect(
      describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36'),
    ).toBe('Chrome 142 on Linux');
    expect(
      describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'),
    ).toBe('Safari 18 on macOS');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'Firefox 133 on Windows',
    );
    expect(describeUserAgent('curl/8.5.0')).toBe('curl 8.5.0');
    expect(describeUserAgent('')).toBe('Unknown browser');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it('says how long ago', () => {
    expect(formatRelative('2026-11-25T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-11-25T11:59:50Z', now)).toBe('just now');
    expect(formatRelative(null, now)).toBe('Never');
  });
});
