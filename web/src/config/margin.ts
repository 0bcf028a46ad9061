import { decimalToMicro, formatRate, microToDecimal } from './money';

/**
 * Margins travel as integers like money: a percentage in millionths of a
 * percent (15 % = 15_000_000) or a fixed amount in micro-units per minute
 * (0.005/min = 5_000). Both scale by a million, so people type either as a
 * decimal ("15", "0.005") and the same exact conversion applies; only the
 * unit and the bounds differ.
 */

export type MarginUnit = 'percent' | 'fixed';

/** Lowest and highest margin of each unit, as the API takes them. */
export type MarginBounds = Record<MarginUnit, [min: number, max: number]>;

export function asMarginUnit(value: unknown): MarginUnit {
  return value === 'fixed' ? 'fixed' : 'percent';
}

/** "15 %", "-2.5 %", "USD 0.0050/min". */
export function formatMargin(unit: MarginUnit, value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return unit === 'percent' ? `${microToDecimal(value)} %` : formatRate(value, currency);
}

/** The API's integer as the decimal a person edits: 15_000_000 → "15", 5_000 → "0.005". */
export function marginToInput(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) ? microToDecimal(value) : '';
}

/** The decimal typed as the API's integer; null when it is not a number with at most 6 decimals. */
export function marginFromInput(text: string | number): number | null {
  return decimalToMicro(text, true);
}

/** Why a typed margin is refused, or null (empty is left to the caller's `required`). */
export function marginInputError(unit: MarginUnit, text: string | number, bounds: MarginBounds): string | null {
  const raw = String(text).trim();
  if (raw === '') return null;
  const value = marginFromInput(raw);
  if (value === null) {
    return /\.\d{7,}$/.test(raw.replace(/[\s,]/g, '')) ? 'Use at most 6 decimals' : unit === 'percent' ? 'Must be a percentage such as 15' : 'Must be an amount such as 0.005';
  }
  const [min, max] = bounds[unit];
  if (value < min || value > max) {
    return unit === 'percent'
      ? `Must be between ${microToDecimal(min)} % and ${microToDecimal(max)} %`
      : `Must be between ${microToDecimal(min)} and ${microToDecimal(max)} per minute`;
  }
  return null;
}
