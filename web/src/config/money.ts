/**
 * Money and rates travel as INTEGER micro-units of their currency
 * (1 USD = 1,000,000), so the server never stores a float. These helpers turn
 * them into decimals for people and back, exactly: no floating-point
 * arithmetic touches an amount.
 */

export const MICRO_PER_UNIT = 1_000_000;
const MICRO_DIGITS = 6;

/**
 * "12.5" from 12_500_000: the exact decimal, with at least `minDecimals`
 * (trailing zeros beyond that dropped) and never more than 6.
 */
export function microToDecimal(micro: number, minDecimals = 0): string {
  if (!Number.isSafeInteger(micro)) return String(micro);
  const negative = micro < 0;
  const digits = String(Math.abs(micro)).padStart(MICRO_DIGITS + 1, '0');
  const whole = digits.slice(0, -MICRO_DIGITS);
  let fraction = digits.slice(-MICRO_DIGITS).replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(Math.min(minDecimals, MICRO_DIGITS), '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * 12_500_000 from "12.50" (spaces, thousands commas and a leading currency
 * sign are ignored); null for anything that is not an amount with at most 6
 * decimals, and for negative amounts unless `allowNegative` (margins may be).
 */
export function decimalToMicro(input: string | number, allowNegative = false): number | null {
  let text = String(input).trim().replace(/[\s,_]/g, '');
  const negative = allowNegative && /^[-−]/.test(text);
  if (negative) text = text.slice(1);
  text = text.replace(/^[$€£]/, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || text === '' || text === '.') return null;
  const whole = match[1] || '0';
  const fraction = match[2] ?? '';
  if (fraction.length > MICRO_DIGITS) return null;
  const micro = Number(whole) * MICRO_PER_UNIT + Number(fraction.padEnd(MICRO_DIGITS, '0'));
  if (!Number.isSafeInteger(micro)) return null;
  return negative && micro !== 0 ? -micro : micro;
}

/**
 * Why an amount typed by a person is refused, or null when it is fine. The
 * bounds are in micro-units; a negative `minMicro` allows negative amounts.
 */
export function moneyInputError(input: string | number, maxMicro = 1_000_000_000_000, minMicro = 0): string | null {
  const text = String(input).trim();
  if (text === '') return null;
  if (/^[-−]/.test(text) && minMicro >= 0) return 'Must not be negative';
  const micro = decimalToMicro(text, minMicro < 0);
  if (micro === null) {
    return /\.\d{7,}$/.test(text.replace(/[\s,]/g, '')) ? 'Use at most 6 decimals' : 'Must be an amount such as 12.50';
  }
  if (micro > maxMicro) return `Must be at most ${microToDecimal(maxMicro)}`;
  if (micro < minMicro) return `Must be at least ${microToDecimal(minMicro)}`;
  return null;
}

interface FormatMoneyOptions {
  /** Decimals always shown (2 for prices; rates show up to 6 anyway). */
  minDecimals?: number;
  locale?: string;
}

/**
 * "USD 12.50" from (12_500_000, "USD"): the currency code (never a symbol,
 * which is ambiguous between dollars), thousands grouped for the viewer's
 * locale, and the amount's full precision up to 6 decimals.
 */
export function formatMoney(micro: number | null | undefined, currency: string | null | undefined, options: FormatMoneyOptions = {}): string {
  if (micro === null || micro === undefined || !Number.isFinite(micro)) return '—';
  const { minDecimals = 2, locale } = options;
  const decimal = microToDecimal(micro, minDecimals);
  const fractionDigits = decimal.includes('.') ? decimal.split('.')[1]!.length : 0;
  const code = (currency || 'USD').toUpperCase();
  const number = new Intl.NumberFormat(locale, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
  // Format the exact decimal string: Intl reads it without going through a float.
  const amount = number.format(decimal as Intl.StringNumericLiteral);
  return `${code} ${amount}`;
}

/** A per-minute rate: "USD 0.0125/min". */
export function formatRate(micro: number | null | undefined, currency: string | null | undefined, locale?: string): string {
  if (micro === null || micro === undefined) return '—';
  return `${formatMoney(micro, currency, { minDecimals: 4, locale })}/min`;
}
