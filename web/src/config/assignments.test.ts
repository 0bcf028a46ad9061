import { describe, expect, it } from 'vitest';
import {
  type Assignment,
  checkAssignments,
  describeAssignments,
  normalizeAssignments,
  type Placement,
  reach,
  sameAssignments,
} from './assignments';

const all: Assignment = { scope: { kind: 'all' } };
const cat = (id: string, exclude = false): Assignment => ({ scope: { kind: 'category', id }, exclude });
const group = (id: string, exclude = false): Assignment => ({ scope: { kind: 'group', id }, exclude });
const customer = (id: string, exclude = false): Assignment => ({ scope: { kind: 'customer', id }, exclude });
const at = (c: string, category?: string, g?: string): Placement => ({ customer: c, category, group: g });

describe('which customers a record reaches (mirrors crates/core/src/scope.rs)', () => {
  it('gives ALL to everyone and nothing to no one', () => {
    expect(reach([all], at('c1'))).toBe(0);
    expect(reach([], at('c1', 'sip'))).toBeNull();
  });

  it('cuts a category out of ALL: “all categories except Individual”', () => {
    const a = [all, cat('individual', true)];
    expect(reach(a, at('c1', 'sip'))).toBe(0);
    expect(reach(a, at('c2', 'individual'))).toBeNull();
  });

  it('lets the most specific level decide', () => {
    const a = [all, cat('individual', true), group('vip'), customer('bad', true)];
    expect(reach(a, at('y', 'individual', 'vip'))).toBe(2);
    expect(reach(a, at('bad', 'sip', 'vip'))).toBeNull();
    expect(reach(a, at('z', 'individual'))).toBeNull();
  });

  it('lets an exclusion win at the same level', () => {
    expect(reach([cat('sip'), group('g', true), group('g2')], at('c', 'sip', 'g'))).toBeNull();
  });

  it('keeps a private record to its customer', () => {
    const a: Assignment[] = [{ scope: { kind: 'private', id: 'acme' } }];
    expect(reach(a, at('acme', 'sip'))).toBe(3);
    expect(reach(a, at('other', 'sip'))).toBeNull();
  });
});

describe('checkAssignments', () => {
  it('accepts ALL with exclusions', () => {
    expect(checkAssignments([all, cat('a', true)])).toBeNull();
    expect(checkAssignments([{ scope: { kind: 'private', id: 'acme' } }])).toBeNull();
    expect(checkAssignments([])).toBeNull();
  });

  it('keeps a private record to exactly one assignment', () => {
    expect(checkAssignments([{ scope: { kind: 'private', id: 'a' } }, all])).toMatch(/private record belongs to one customer/);
  });

  it('refuses to exclude ALL', () => {
    expect(checkAssignments([{ scope: { kind: 'all' }, exclude: true }])).toMatch(/can be excluded/);
  });

  it('refuses a scope listed twice, even once as an exclusion', () => {
    expect(checkAssignments([cat('a'), cat('a', true)])).toMatch(/listed twice/);
    expect(checkAssignments([all, all])).toMatch(/listed twice/);
  });

  it('asks for the target of every scope', () => {
    expect(checkAssignments([{ scope: { kind: 'category', id: '' } }])).toMatch(/Choose which category/);
    expect(checkAssignments([{ scope: { kind: 'private', id: '' } }])).toMatch(/Choose the customer/);
  });
});

describe('describeAssignments', () => {
  const names: Record<string, string> = { ind: 'Individual', ent: 'Enterprise', vip: 'VIP', acme: 'Acme Ltd' };
  const nameOf = (s: { kind: string; id?: string }) => names[s.id ?? ''] ?? '?';

  it('says who gets the record in one sentence', () => {
    expect(describeAssignments([all], nameOf)).toBe('All customers');
    expect(describeAssignments([all, cat('ind', true)], nameOf)).toBe('All customers except category Individual');
    expect(describeAssignments([cat('ent'), group('vip')], nameOf)).toBe('Category Enterprise and group VIP');
    expect(describeAssignments([{ scope: { kind: 'private', id: 'acme' } }], nameOf)).toBe('Only customer Acme Ltd (private)');
    expect(describeAssignments([], nameOf)).toBe('Nobody yet');
    expect(describeAssignments([cat('ind', true)], nameOf)).toBe('Nobody yet (only exclusions)');
  });
});

describe('assignment sets', () => {
  it('compare regardless of order', () => {
    expect(sameAssignments([all, cat('a', true)], [cat('a', true), all])).toBe(true);
    expect(sameAssignments([all, cat('a')], [all, cat('a', true)])).toBe(false);
    expect(sameAssignments([], undefined)).toBe(true);
  });

  it('send exclude only where it is true', () => {
    expect(normalizeAssignments([all, cat('a', false), cat('b', true)])).toEqual([
      { scope: { kind: 'all' } },
      { scope: { kind: 'category', id: 'a' } },
      { scope: { kind: 'category', id: 'b' }, exclude: true },
    ]);
  });
});
