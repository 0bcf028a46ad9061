import { describe, expect, it } from 'vitest';
import { membersSummary, orderLabel, readMembers, sharesProblem } from './routeGroupMembers';

const names: Record<string, string> = { a: 'ACME', b: 'Beta', c: 'Core', d: 'Dial' };
const name = (id: string) => names[id] ?? id;

describe('route group members', () => {
  it('read as primaries with their shares, then each backup after an arrow', () => {
    const members = [
      { carrier_id: 'b', order: 2, share: 100 },
      { carrier_id: 'c', order: 1, share: 30 },
      { carrier_id: 'a', order: 1, share: 70 },
    ];
    expect(membersSummary(members, name)).toBe('ACME 70 % · Core 30 % → backup Beta');
  });

  it('leave out the 100 % of a lone carrier and keep the shares of a shared backup', () => {
    expect(membersSummary([{ carrier_id: 'a', order: 1, share: 100 }], name)).toBe('ACME');
    expect(
      membersSummary(
        [
          { carrier_id: 'a', order: 1, share: 100 },
          { carrier_id: 'b', order: 3, share: 50 },
          { carrier_id: 'c', order: 3, share: 50 },
          { carrier_id: 'd', order: 2, share: 100 },
        ],
        name,
      ),
    ).toBe('ACME → backup Dial → backup Beta 50 % · Core 50 %');
    expect(membersSummary([], name)).toBe('');
  });

  it('take form values with numbers as text and skip rows without a carrier', () => {
    expect(readMembers([{ carrier_id: 'a', order: '1', share: 100 }, { carrier_id: null, order: '2', share: 100 }])).toEqual([{ carrier_id: 'a', order: 1, share: 100 }]);
  });

  it('want the shares of each order to add up to 100 %', () => {
    expect(sharesProblem([{ carrier_id: 'a', order: 1, share: 70 }, { carrier_id: 'c', order: 1, share: 30 }, { carrier_id: 'b', order: 2, share: 100 }])).toBeNull();
    expect(sharesProblem([{ carrier_id: 'a', order: 1, share: 60 }, { carrier_id: 'c', order: 1, share: 30 }])).toBe('The shares of the primary carriers add up to 90 %, not 100 %');
    expect(sharesProblem([{ carrier_id: 'a', order: 1, share: 100 }, { carrier_id: 'b', order: 2, share: 40 }])).toBe('The shares of the carriers of backup 1 add up to 40 %, not 100 %');
    expect(orderLabel(1)).toBe('Primary');
    expect(orderLabel(3)).toBe('Backup 2');
  });
});
