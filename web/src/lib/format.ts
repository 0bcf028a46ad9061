/** Display helpers for dates and browsers, shared by every table. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function parse(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "25 Nov 2026, 10:25" in the viewer's time zone; "—" when absent. */
export function formatDateTime(value: string | null | undefined): string {
  const d = parse(value);
  return d ? dateTime.format(d) : '—';
}

/** "25 Nov 2026"; "—" when absent. */
export function formatDate(value: string | null | undefined): string {
  const d = parse(value);
  return d ? dateOnly.format(d) : '—';
}

/** "5 minutes ago", "in 3 days"; "Never" when absent. */
export function formatRelative(value: string | null | undefined, now: Date = new Date()): string {
  const d = parse(value);
  if (!d) return 'Never';
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (abs >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

/** "Chrome 142 on Linux" from a User-Agent header; the raw string stays in a tooltip. */
export function describeUserAgent(ua: string): string {
  if (!ua.trim()) return 'Unknown browser';
  const browsers: [RegExp, string][] = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/FxiOS\/(\d+)/, 'Firefox'],
    [/CriOS\/(\d+)/, 'Chrome'],
    [/HeadlessChrome\/(\d+)/, 'Headless Chrome'],
    [/Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[^ ]* .*Safari\//, 'Safari'],
    [/curl\/([\d.]+)/, 'curl'],
  ];
  let browser = '';
  for (const [re, name] of browsers) {
    const m = ua.match(re);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const systems: [RegExp, string][] = [
    [/Windows NT/, 'Windows'],
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Android/, 'Android'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ];
  const system = systems.find(([re]) => re.test(ua))?.[1];
  if (!browser) browser = ua.split(/[\s/]/)[0] || 'Unknown browser';
  return system ? `${browser} on ${system}` : browser;
}
