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
