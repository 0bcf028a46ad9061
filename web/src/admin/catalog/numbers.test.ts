import { describe, expect, it } from 'vitest';
import { countryProblem, sipHostProblem } from './common';
import { e164Problem, parseNumbers } from './numbers';

describe('numbers pasted into an inventory', () => {
  it('are read one per line, commas also separating, with their line numbers', () => {
    expect(parseNumbers('+12025550100\n\n+12025550101, +12025550102\n')).toEqual([
      { number: '+12025550100', line: 1 },
      { number: '+12025550101', line: 3 },
      { number: '+12025550102', line: 3 },
    ]);
  });

  it('must be E.164, as the server checks', () => {
    expect(e164Problem('+12025550100')).toBeNull();
    expect(e164Problem('+1 (202) 555-0100')).toBeNull();
    for (const bad of ['12025550100', '+0123456789', '+1234567', '+1234567890123456', '+1202abc0100']) expect(e164Problem(bad), bad).not.toBeNull();
  });
});

describe('catalog field rules', () => {
  it('accepts host names and addresses with an optional port', () => {
    for (const ok of ['sip.example.com', '203.0.113.10', '203.0.113.10:5080', 'sip-1.example.com:5061', '2001:db8::1']) expect(sipHostProblem(ok), ok).toBeNull();
    for (const bad of ['', 'sip_example.com', '-sip.example.com', 'sip.example.com:0', 'sip.example.com:99999', 'a:b:c d']) expect(sipHostProblem(bad), bad).not.toBeNull();
  });

  it('knows ISO 3166 country codes', () => {
    expect(countryProblem('us')).toBeNull();
    expect(countryProblem('GB')).toBeNull();
    expect(countryProblem('XX')).not.toBeNull();
    expect(countryProblem('USA')).not.toBeNull();
  });
});
