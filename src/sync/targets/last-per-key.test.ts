import { describe, expect, it } from 'vitest';
import { lastPerKey } from './last-per-key.js';

describe('lastPerKey', () => {
  it('keeps the last record of each key, in the batch’s order', () => {
    const records = [
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
      { id: 1, v: 'c' },
      { id: 3, v: 'd' },
      { id: 2, v: 'e' },
    ];
    expect(lastPerKey(records, ['id']).map((r) => r.v)).toEqual(['c', 'd', 'e']);
  });

  it('answers the batch itself when every key is distinct', () => {
    const records = [{ id: 'x' }, { id: 'y' }];
    expect(lastPerKey(records, ['id'])).toBe(records);
  });

  it('tells a number from its digits as a string, one null from another, and dates by their instant', () => {
    const day = '2026-12-06T00:00:00.000Z';
    const records = [
      { id: 1, v: 'number' },
      { id: '1', v: 'string' },
      { id: null, v: 'null' },
      { v: 'missing' },
      { id: new Date(day), v: 'date' },
      { id: new Date(day), v: 'same date' },
      { id: day, v: 'the date’s text' },
      { id: ['a', 1], v: 'array' },
      { id: '["a",1]', v: 'the array’s JSON' },
    ];
    expect(lastPerKey(records, ['id']).map((r) => r.v)).toEqual([
      'number',
      'string',
      'missing',
      'same date',
      'the date’s text',
      'array',
      'the array’s JSON',
    ]);
  });

  it('keys several columns together', () => {
    const records = [
      { a: 1, b: 'x', v: 1 },
      { a: 1, b: 'y', v: 2 },
      { a: 1, b: 'x', v: 3 },
    ];
    expect(lastPerKey(records, ['a', 'b']).map((r) => r.v)).toEqual([2, 3]);
  });
});
