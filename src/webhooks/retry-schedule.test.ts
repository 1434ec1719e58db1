import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAYS_MS, classifyResponse, nextAttemptAt } from './retry-schedule.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;

function delay(attempt: number, random: number, options = {}): number | undefined {
  const at = nextAttemptAt(attempt, NOW, { random: () => random, ...options });
  return at === undefined ? undefined : at.getTime() - NOW.getTime();
}

describe('nextAttemptAt', () => {
  it('follows immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h without jitter at r = 0.5', () => {
    const expected = [0, 5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H];
    expect(DEFAULT_RETRY_DELAYS_MS).toEqual(expected);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => delay(n, 0.5))).toEqual(expected);
  });

  it('jitters by at most ±20%, reaching both bounds', () => {
    expect(delay(2, 0)).toBe(4 * S);
    expect(delay(2, 0.999_999_999)).toBe(6 * S);
    expect(delay(7, 0)).toBe(8 * H);
    expect(delay(7, 0.75)).toBe(11 * H);
    expect(delay(1, 0)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const d = delay(5, Math.random());
      expect(d).toBeGreaterThanOrEqual(1.6 * H);
      expect(d).toBeLessThanOrEqual(2.4 * H);
    }
  });

  it('is exhausted after the last attempt of the schedule', () => {
    expect(delay(8, 0.5)).toBe(10 * H);
    expect(nextAttemptAt(9, NOW)).toBeUndefined();
    expect(nextAttemptAt(100, NOW)).toBeUndefined();
    expect(() => nextAttemptAt(0, NOW)).toThrow(RangeError);
  });

  it('takes a configured schedule and jitter', () => {
    const options = { delaysMs: [0, 1000, 2000], jitter: 0 };
    expect([1, 2, 3].map((n) => delay(n, 0.9, options))).toEqual([0, 1000, 2000]);
    expect(nextAttemptAt(4, NOW, options)).toBeUndefined();
    expect(delay(2, 0, { jitter: 0.5 })).toBe(2.5 * S);
  });

  it('waits at least minDelayMs (Retry-After or a penalty), even for an immediate attempt', () => {
    expect(delay(2, 0.5, { minDelayMs: 60 * S })).toBe(60 * S);
    expect(delay(1, 0.5, { minDelayMs: 30 * S })).toBe(30 * S);
    expect(delay(4, 0.5, { minDelayMs: 60 * S })).toBe(30 * M);
  });
});

describe('classifyResponse', () => {
  it('treats every 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299])
      expect(classifyResponse({ status }, NOW)).toEqual({ kind: 'delivered' });
  });

  it('treats 3xx as a failure, never following the redirect', () => {
    const headers = { location: 'https://elsewhere.example/hook' };
    expect(classifyResponse({ status: 301, headers }, NOW)).toEqual({
      kind: 'retry',
      reason: 'redirect',
      minDelayMs: 0,
    });
    expect(classifyResponse({ status: 307 }, NOW)).toEqual({ kind: 'retry', reason: 'redirect', minDelayMs: 0 });
  });

  it('disables the endpoint on 410 Gone', () => {
    expect(classifyResponse({ status: 410 }, NOW)).toEqual({ kind: 'disable_endpoint', reason: 'gone' });
  });

  it('throttles on 429, 502 and 504 with the penalty when there is no Retry-After', () => {
    expect(classifyResponse({ status: 429 }, NOW)).toEqual({
      kind: 'throttle',
      reason: 'rate_limited',
      minDelayMs: 30 * S,
    });
    expect(classifyResponse({ status: 502 }, NOW, { throttlePenaltyMs: 5 * S })).toEqual({
      kind: 'throttle',
      reason: 'bad_gateway',
      minDelayMs: 5 * S,
    });
    expect(classifyResponse({ status: 504 }, NOW)).toMatchObject({ kind: 'throttle', reason: 'gateway_timeout' });
  });

  it('throttles on timeouts: AbortSignal.timeout, undici codes, wrapped in a cause', () => {
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const headersTimeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    const wrapped = new TypeError('fetch failed', { cause: headersTimeout });
    for (const error of [abort, headersTimeout, wrapped]) {
      expect(classifyResponse({ error }, NOW)).toEqual({ kind: 'throttle', reason: 'timeout', minDelayMs: 30 * S });
    }
  });

  it('retries other network errors and other statuses', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyResponse({ error: reset }, NOW)).toEqual({ kind: 'retry', reason: 'network_error', minDelayMs: 0 });
    expect(classifyResponse({ error: 'weird' }, NOW)).toEqual({
      kind: 'retry',
      reason: 'network_error',
      minDelayMs: 0,
    });
    for (const status of [100, 400, 401, 404, 409, 500, 503]) {
      expect(classifyResponse({ status }, NOW)).toEqual({ kind: 'retry', reason: 'http_error', minDelayMs: 0 });
    }
  });

  it('honours Retry-After in seconds and as an HTTP-date, whatever the header case', () => {
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '120' } }, NOW)).toMatchObject({
      minDelayMs: 120 * S,
    });
    expect(classifyResponse({ status: 503, headers: { 'Retry-After': '7' } }, NOW)).toEqual({
      kind: 'retry',
      reason: 'http_error',
      minDelayMs: 7 * S,
    });
    const date = new Date(NOW.getTime() + 90 * S).toUTCString();
    expect(classifyResponse({ status: 429, headers: { 'retry-after': [date] } }, NOW)).toMatchObject({
      minDelayMs: 90 * S,
    });
  });

  it('clamps a too-large Retry-After and falls back to the penalty on garbage', () => {
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '86400' } }, NOW)).toMatchObject({
      minDelayMs: H,
    });
    expect(
      classifyResponse({ status: 429, headers: { 'retry-after': '86400' } }, NOW, { maxRetryAfterMs: 10 * M }),
    ).toMatchObject({ minDelayMs: 10 * M });
    for (const garbage of ['soon', '-5', '1.5', '', 'Tue, 2026', 'Someday, never']) {
      expect(classifyResponse({ status: 429, headers: { 'retry-after': garbage } }, NOW)).toMatchObject({
        minDelayMs: 30 * S,
      });
    }
  });
});
