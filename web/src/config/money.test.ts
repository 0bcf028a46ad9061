import { describe, expect, it } from 'vitest';
import { decimalToMicro, formatMoney, formatRate, microToDecimal, moneyInputError } from './money';

describe('micro-units to decimals and back', () => {
  it('writes the exact decimal', () => {
    expect(microToDecimal(12_500_000)).toBe('12.5');
    expect(microToDecimal(12_500_000, 2)).toBe('12.50');
    expect(microToDecimal(0, 2)).toBe('0.00');
    expect(microToDecimal(1)).toBe('0.000001');
    expect(microToDecimal(10_000, 2)).toBe('0.01');
    expect(microToDecimal(123_456_789_012)).toBe('123456.789012');
    expect(microToDecimal(-2_000_000, 2)).toBe('-2.00');
  });

  it('reads what people type, without float drift', () => {
    expect(decimalToMicro('12.50')).toBe(12_500_000);
    expect(decimalToMicro('0.1')).toBe(100_000);
    expect(decimalToMicro('0.000001')).toBe(1);
    expect(decimalToMicro('1,234.5')).toBe(1_234_500_000);
    expect(decimalToMicro(' $3 ')).toBe(3_000_000);
    expect(decimalToMicro('.25')).toBe(250_000);
    expect(decimalToMicro(19.99)).toBe(19_990_000);
    // 0.1 + 0.2 would be 0.30000000000000004 as floats.
    expect(decimalToMicro('0.3')).toBe(300_000);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '.', 'abc', '1.2.3', '-5', '1.0000001', '1e3']) expect(decimalToMicro(bad), bad).toBeNull();
  });

  it('round-trips every amount with up to 6 decimals', () => {
    for (const micro of [0, 1, 99, 1_000_000, 12_345_678, 999_999_999_999]) {
      expect(decimalToMicro(microToDecimal(micro))).toBe(micro);
    }
  });

  it('explains a refused amount', () => {
    expect(moneyInputError('12.50')).toBeNull();
    expect(moneyInputError('')).toBeNull();
    expect(moneyInputError('-1')).toBe('Must not be negative');
    expect(moneyInputError('1.1234567')).toBe('Use at most 6 decimals');
    expect(moneyInputError('ten')).toBe('Must be an amount such as 12.50');
    expect(moneyInputError('101', 100_000_000)).toBe('Must be at most 100');
  });
});

describe('formatMoney', () => {
  it('shows the currency code and at least two decimals', () => {
    expect(formatMoney(12_500_000, 'usd', { locale: 'en-US' })).toBe('USD 12.50');
    expect(formatMoney(1_234_567_890_000, 'EUR', { locale: 'en-US' })).toBe('EUR 1,234,567.89');
    expect(formatMoney(0, 'GBP', { locale: 'en-US' })).toBe('GBP 0.00');
  });

  it('keeps a rate’s full precision', () => {
    expect(formatMoney(12_345, 'USD', { locale: 'en-US' })).toBe('USD 0.012345');
    expect(formatRate(10_000, 'USD', 'en-US')).toBe('USD 0.0100/min');
    expect(formatRate(7_250, 'EUR', 'en-US')).toBe('EUR 0.00725/min');
  });

  it('follows the locale’s separators', () => {
    expect(formatMoney(1_234_500_000, 'EUR', { locale: 'de-DE' })).toBe('EUR 1.234,50');
  });

  it('shows a dash when there is no amount', () => {
    expect(formatMoney(null, 'USD')).toBe('—');
    expect(formatMoney(undefined, 'USD')).toBe('—');
  });
});
