/** Why a typed number is refused, as the server's E.164 check. */
export function e164Problem(raw: string): string | null {
  const digits = raw.replace(/[\s\-().]/g, '');
  const d = digits.startsWith('+') ? digits.slice(1) : null;
  if (d === null || d.length < 8 || d.length > 15 || !/^\d+$/.test(d) || d.startsWith('0')) {
    return `“${raw}” is not an E.164 number such as +12025550100`;
  }
  return null;
}

/** The numbers in a textarea: one per line (commas and semicolons also separate), with their line numbers. */
export function parseNumbers(text: string): { number: string; line: number }[] {
  const out: { number: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const part of line.split(/[,;]/)) {
      const n = part.trim();
      if (n) out.push({ number: n, line: i + 1 });
    }
  });
  return out;
}
