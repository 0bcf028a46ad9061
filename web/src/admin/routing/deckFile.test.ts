import { describe, expect, it } from 'vitest';
import { csvHeaders, detectMapping } from './deckFile';

describe('deck files', () => {
  it('reads the header row of a CSV file', () => {
    expect(csvHeaders('Dial Code,"Country, name",Price ($)\r\n1,US,0.01\n')).toEqual(['Dial Code', 'Country, name', 'Price ($)']);
    expect(csvHeaders('\uFEFFprefix;rate\n44;0.02')).toEqual(['prefix', 'rate']);
  });
  it('guesses the mapping as the server does', () => {
    const m = detectMapping(['Dial Code', 'Country', 'Price ($)', 'Setup Fee', 'Billing', 'Effective Date']);
    expect(m).toEqual({
      prefix: 'Dial Code',
      destination: 'Country',
      rate: 'Price ($)',
      connection_fee: 'Setup Fee',
      initial_increment: 'Billing',
      effective_from: 'Effective Date',
    });
  });
});
