import { describe, expect, it } from 'vitest';
import { formatMargin, type MarginBounds, marginFromInput, marginInputError, marginToInput } from './margin';
import { decimalToMicro, moneyInputError } from './money';

const bounds: MarginBounds = { percent: [-100_000_000, 1_000_000_000], fixed: [-100_000_000, 100_000_000] };

describe('margins', () => {
  it('show percent in millionths of a percent and fixed margins in micro-units per minute as people read them', () => {
    expect(formatMargin('percent', 15_000_000)).toBe('15 %');
    expect(formatMargin('percent', 12_500_000)).toBe('12.5 %');
    expect(formatMargin('percent', -2_000_000)).toBe('-2 %');
    expect(formatMargin('fixed', 5_000, 'EUR')).toBe('EUR 0.0050/min');
    expect(formatMargin('fixed', null)).toBe('—');
  });

  it('edit as decimals and go back to the exact integers', () => {
    expect(marginToInput(20_000_000)).toBe('20');
    expect(marginToInput(5_000)).toBe('0.005');
    expect(marginToInput(null)).toBe('');
    expect(marginFromInput('20')).toBe(20_000_000);
    expect(marginFromInput('0.005')).toBe(5_000);
    expect(marginFromInput('-12.5')).toBe(-12_500_000);
    expect(marginFromInput('abc')).toBeNull();
  });

  it('refuse what the server refuses, with the bounds in the unit shown', () => {
    expect(marginInputError('percent', '15', bounds)).toBeNull();
    expect(marginInputError('percent', '-100', bounds)).toBeNull();
    expect(marginInputError('percent', '1001', bounds)).toBe('Must be between -100 % and 1000 %');
    expect(marginInputError('fixed', '100.5', bounds)).toBe('Must be between -100 and 100 per minute');
    expect(marginInputError('fixed', '0.0000001', bounds)).toBe('Use at most 6 decimals');
    expect(marginInputError('percent', 'lots', bounds)).toBe('Must be a percentage such as 15');
    expect(marginInputError('fixed', '', bounds)).toBeNull();
  });

  it('leave money non-negative unless a field allows a loss', () => {
    expect(decimalToMicro('-0.01')).toBeNull();
    expect(decimalToMicro('-0.01', true)).toBe(-10_000);
    expect(decimalToMicro('-0', true)).toBe(0);
    expect(moneyInputError('-0.01')).toBe('Must not be negative');
    expect(moneyInputError('-0.01', 100_000_000, -100_000_000)).toBeNull();
    expect(moneyInputError('-101', 100_000_000, -100_000_000)).toBe('Must be at least -100');
  });
});
