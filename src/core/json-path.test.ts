import { describe, expect, it } from 'vitest';
import { readJsonPath } from './json-path.js';

describe('readJsonPath', () => {
  const value = JSON.parse(
    '{"a":{"b":1},"items":[{"id":"x"},{"id":"y"}],"odd key":true,"__proto__":{"p":1},"nothing":null}',
  ) as unknown;

  it('reads members, indexes and quoted keys, and $ itself', () => {
    expect(readJsonPath(value, '$')).toBe(value);
    expect(readJsonPath(value, '$.a.b')).toBe(1);
    expect(readJsonPath(value, '$.items[1].id')).toBe('y');
    expect(readJsonPath(value, "$['odd key']")).toBe(true);
    expect(readJsonPath(value, '$["a"].b')).toBe(1);
    expect(readJsonPath(value, '$.items.length')).toBe(2);
  });

  it('answers undefined for what is not there, including what an object or array inherits', () => {
    expect(readJsonPath(value, '$.a.c')).toBeUndefined();
    expect(readJsonPath(value, '$.nothing.b')).toBeUndefined();
    expect(readJsonPath(value, '$.items[5].id')).toBeUndefined();
    expect(readJsonPath(value, '$.a.constructor')).toBeUndefined();
    expect(readJsonPath(value, '$.a.toString')).toBeUndefined();
    expect(readJsonPath(value, '$.items.map')).toBeUndefined();
    // A key JSON.parse made an own member is read as one.
    expect(readJsonPath(value, '$.__proto__.p')).toBe(1);
  });

  it('refuses a path it cannot read', () => {
    expect(() => readJsonPath(value, 'a.b')).toThrow(/must start with \$/);
    expect(() => readJsonPath(value, '$.items[*]')).toThrow(/Unsupported JSON path/);
  });
});
