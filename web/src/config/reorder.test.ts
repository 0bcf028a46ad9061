import { describe, expect, it } from 'vitest';
import { movePriority } from './reorder';

describe('movePriority', () => {
  const list = [
    { id: 'pcmu', priority: 10 },
    { id: 'pcma', priority: 20 },
    { id: 'g729', priority: 30 },
  ];

  it('swaps two priorities when the order is clean', () => {
    expect(movePriority(list, 2, -1)).toEqual([
      { id: 'g729', priority: 20 },
      { id: 'pcma', priority: 30 },
    ]);
    expect(movePriority(list, 0, 1)).toEqual([
      { id: 'pcmu', priority: 20 },
      { id: 'pcma', priority: 10 },
    ]);
  });

  it('does nothing past either end', () => {
    expect(movePriority(list, 0, -1)).toEqual([]);
    expect(movePriority(list, 2, 1)).toEqual([]);
  });

  it('renumbers when priorities tie', () => {
    const tied = [
      { id: 'a', priority: 100 },
      { id: 'b', priority: 100 },
      { id: 'c', priority: 100 },
    ];
    expect(movePriority(tied, 2, -1)).toEqual([
      { id: 'a', priority: 10 },
      { id: 'c', priority: 20 },
      { id: 'b', priority: 30 },
    ]);
  });

  it('keeps within the highest priority allowed', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, priority: 5 }));
    const changes = movePriority(many, 1, -1);
    expect(Math.max(...changes.map((c) => c.priority))).toBe(120);
  });
});
