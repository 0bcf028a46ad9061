import { describe, expect, it } from 'vitest';
import { diffValues } from './diff';

describe('diffValues', () => {
  it('lists only the fields that changed', () => {
    expect(diffValues({ name: 'A', cps: 5, hosts: ['a'] }, { name: 'A', cps: 10, hosts: ['a', 'b'] })).toEqual([
      { field: 'cps', before: 5, after: 10 },
      { field: 'hosts', before: ['a'], after: ['a', 'b'] },
    ]);
  });

  it('shows every field of a created or deleted record', () => {
    expect(diffValues(null, { name: 'A' })).toEqual([{ field: 'name', before: null, after: 'A' }]);
    expect(diffValues({ name: 'A' }, null)).toEqual([{ field: 'name', before: 'A', after: null }]);
  });

  it('compares plain values as one row', () => {
    expect(diffValues('draft', 'discarded')).toEqual([{ field: 'value', before: 'draft', after: 'discarded' }]);
    expect(diffValues(null, null)).toEqual([]);
    expect(diffValues('x', 'x')).toEqual([]);
  });
});
