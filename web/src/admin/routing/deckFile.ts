/**
 * What the browser can tell about a rate deck before sending it: the header
 * row of a CSV file and the mapping the server would guess from it (the same
 * synonyms as crates/server/src/routing/deck.rs). Excel files are read by the
 * server only.
 */

export const CANONICAL = ['prefix', 'destination', 'rate', 'connection_fee', 'initial_increment', 'subsequent_increment', 'effective_from'] as const;
export type Canonical = (typeof CANONICAL)[number];
export type Mapping = Partial<Record<Canonical, string>>;

export const canonicalLabel: Record<Canonical, string> = {
  prefix: 'Prefix',
  destination: 'Destination',
  rate: 'Rate per minute',
  connection_fee: 'Connection fee',
  initial_increment: 'Initial increment',
  subsequent_increment: 'Subsequent increment',
  effective_from: 'Effective from',
};

export const REQUIRED: Canonical[] = ['prefix', 'rate'];

const synonyms: Record<Canonical, string[]> = {
  prefix: ['prefix', 'code', 'dial_code', 'dialcode', 'dialing_code', 'destination_code', 'number_prefix', 'country_code_prefix'],
  destination: ['destination', 'description', 'name', 'dest', 'country', 'destination_name', 'area'],
  rate: ['rate', 'price', 'cost', 'rate_per_minute', 'per_minute', 'rate_min', 'per_min', 'usd_min'],
  connection_fee: ['connection_fee', 'connection', 'setup_fee', 'conn_fee', 'connect_fee', 'connection_charge'],
  initial_increment: ['initial_increment', 'initial', 'first_increment', 'min_duration', 'minimum_time', 'increment', 'billing_increment', 'billing'],
  subsequent_increment: ['subsequent_increment', 'subsequent', 'next_increment', 'additional_increment'],
  effective_from: ['effective_from', 'effective_date', 'effective', 'valid_from', 'start_date', 'date'],
};

export function normaliseHeader(header: string): string {
  let out = '';
  for (const c of header.trim().toLowerCase()) {
    if (/[a-z0-9]/.test(c)) out += c;
    else if (!out.endsWith('_')) out += '_';
  }
  return out.replace(/^_+|_+$/g, '');
}

/** The mapping the server guesses from these headers. */
export function detectMapping(headers: string[]): Mapping {
  const m: Mapping = {};
  for (const canonical of CANONICAL) {
    for (const syn of synonyms[canonical]) {
      const h = headers.find((x) => normaliseHeader(x) === syn && !Object.values(m).includes(x));
      if (h !== undefined) {
        m[canonical] = h;
        break;
      }
    }
  }
  return m;
}

/** The cells of a CSV file's first record (quotes honoured; `,` or `;` separated). */
export function csvHeaders(text: string): string[] {
  const body = text.replace(/^\uFEFF/, '');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const sep = firstLine.includes(',') || !firstLine.includes(';') ? ',' : ';';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      cells.push(cell.trim());
      cell = '';
    } else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  cells.push(cell.trim());
  return cells.filter((c, i) => c !== '' || i < cells.length - 1);
}

export function isCsv(name: string): boolean {
  return /\.(csv|txt)$/i.test(name);
}
