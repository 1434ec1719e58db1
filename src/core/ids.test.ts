import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('sorts in the order ids were minted, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newId('evt'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts a given time first, so back-dated ids sort by that time', () => {
    const early = newId('aud', Date.parse('2020-01-01T00:00:00Z'));
    const late = newId('aud', Date.parse('2021-01-01T00:00:00Z'));
    expect(early < late).toBe(true);
    expect(late < newId('aud')).toBe(true);
  });
});
