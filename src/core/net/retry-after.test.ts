import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RETRY_AFTER_MAX_MS } from './retry-after.js';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('parseRetryAfter', () => {
  it('parses seconds, IMF-fixdate, RFC 850 and asctime dates; a past date is 0', () => {
    expect(parseRetryAfter(' 30 ', { now: NOW })).toBe(30 * S);
    expect(parseRetryAfter('2', { now: NOW })).toBe(2 * S);
    expect(parseRetryAfter('0', { now: NOW })).toBe(0);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:05:00 GMT', { now: NOW })).toBe(5 * M);
    expect(parseRetryAfter('Tuesday, 24-Nov-26 10:01:00 GMT', { now: NOW })).toBe(M);
    expect(parseRetryAfter('Tue Nov 24 10:00:30 2026', { now: NOW })).toBe(30 * S);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:00 GMT', { now: NOW })).toBe(0);
  });

  it('counts a date from the clock it is given', () => {
    const date = 'Thu, 01 Jan 2026 00:00:05 GMT';
    expect(parseRetryAfter(date, { now: Date.parse('2026-01-01T00:00:00Z') })).toBe(5 * S);
    expect(parseRetryAfter(date, { now: Date.parse('2026-01-01T00:00:04Z') })).toBe(S);
  });

  it('returns undefined for absent or unparseable values: fractions, signs and bare dates are neither form', () => {
    expect(parseRetryAfter(undefined, { now: NOW })).toBeUndefined();
    for (const garbage of ['soon', '-5', '+5', '1.5', '', '2026-11-24', 'Tue, not a date', 'Tue, 2026', 'Someday']) {
      expect(parseRetryAfter(garbage, { now: NOW }), garbage).toBeUndefined();
    }
  });

  it('is bounded: a day by default, or the caller’s cap; a number too long for a double is still the cap', () => {
    expect(parseRetryAfter('86400', { now: NOW, maxMs: H })).toBe(H);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:00 GMT', { now: NOW, maxMs: 10 * M })).toBe(10 * M);
    expect(parseRetryAfter('99999999999', { now: NOW })).toBe(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter('9'.repeat(400), { now: NOW })).toBe(RETRY_AFTER_MAX_MS);
    expect(RETRY_AFTER_MAX_MS).toBe(24 * H);
  });
});
