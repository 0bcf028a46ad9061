/**
 * The columns of a rate deck. The server reads the file (CSV or spreadsheet)
 * and answers every check with the file's headers and the column it takes for
 * each of these; the wizard lets a person correct that mapping.
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

/** Files bigger than this always import through the job queue (the request would otherwise wait for the whole import). */
export const BACKGROUND_BYTES = 5 * 1024 * 1024;

/** Whether a file must import in the background whatever the person chose. */
export function mustImportInBackground(size: number): boolean {
  return size > BACKGROUND_BYTES;
}

/** A deck's status and progress fields, as `GET /carriers/{id}/rate-decks` gives them. */
export interface DeckState {
  status: string;
  processed: number;
  report: unknown;
}

/** Whether the deck is still being imported in the background. */
export function isPending(deck: Pick<DeckState, 'status'>): boolean {
  return deck.status === 'queued' || deck.status === 'importing';
}

/**
 * Where a background import stands, for a progress bar: the phase the job
 * reports (queued → reading → storing → done) as a rough percentage and a
 * sentence. The rows are known once the file is read.
 */
export function deckProgress(deck: DeckState): { value: number; label: string; done: boolean } {
  const phase = typeof deck.report === 'object' && deck.report !== null ? (deck.report as { phase?: unknown }).phase : undefined;
  const rows = deck.processed > 0 ? `${deck.processed.toLocaleString('en-US')} rows` : '';
  if (deck.status === 'queued') return { value: 5, label: 'Queued: waiting for the job worker', done: false };
  if (deck.status === 'importing') {
    if (phase === 'storing') return { value: 70, label: rows ? `Storing ${rows}` : 'Storing the rates', done: false };
    return { value: 35, label: 'Reading the file', done: false };
  }
  if (deck.status === 'rejected') return { value: 100, label: 'Rejected: nothing changed', done: true };
  return { value: 100, label: rows ? `Imported ${rows}` : 'Imported', done: true };
}
