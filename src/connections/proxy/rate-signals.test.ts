import { describe, expect, it } from 'vitest';
import { signals } from '../../../test/fakes/financial.js';
import { shippedManifest } from '../../../test/conformance/harness.js';
import { rateLimitSchema } from '../../catalog/manifest/manifest.js';
import { createRateBudget } from './rate-budget.js';
import { classifyRateLimit, windowEnd } from './rate-signals.js';

const NOW = Date.parse('2026-12-06T15:00:20Z');
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const hints = (slug: string) => shippedManifest(slug).rate_limit!;

describe('classifyRateLimit: each vendor’s documented signal, from its shipped manifest', () => {
  it('FMP: 429 "Limit Reach" without headers, and the same body on HTTP 200', () => {
    const body = json({ 'Error Message': signals.fmpLimit });
    for (const status of [429, 200]) {
      expect(classifyRateLimit(hints('financial_modeling_prep'), { status, headers: {}, body }, NOW)).toEqual({
        meaning: 'retry_after_reset',
        scope: 'minute',
        resetAt: NOW + 60_000,
        reason: signals.fmpLimit,
      });
    }
    // A 200 with data, or an invalid key, is no limit.
    expect(
      classifyRateLimit(hints('financial_modeling_prep'), { status: 200, headers: {}, body: json([]) }, NOW),
    ).toBeUndefined();
    const invalid = json({ 'Error Message': 'Invalid API KEY.' });
    expect(
      classifyRateLimit(hints('financial_modeling_prep'), { status: 401, headers: {}, body: invalid }, NOW),
    ).toBeUndefined();
  });

  it('Alpha Vantage: HTTP 200 Note (per minute), Information (daily quota, to UTC midnight), premium = no limit', () => {
    const av = hints('alpha_vantage');
    expect(
      classifyRateLimit(av, { status: 200, headers: {}, body: json({ Note: signals.avMinute }) }, NOW),
    ).toMatchObject({
      meaning: 'retry_after_reset',
      scope: 'minute',
      resetAt: NOW + 60_000,
    });
    expect(
      classifyRateLimit(av, { status: 200, headers: {}, body: json({ Information: signals.avDay }) }, NOW),
    ).toEqual({
      meaning: 'quota_exhausted',
      scope: 'day',
      resetAt: Date.parse('2026-12-07T00:00:00Z'),
      reason: signals.avDay,
    });
    expect(
      classifyRateLimit(av, { status: 200, headers: {}, body: json({ Information: signals.avPremium }) }, NOW),
    ).toBeUndefined();
    const burst =
      'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly (1 request per second). You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day) and instantly unlock all premium endpoints';
    expect(classifyRateLimit(av, { status: 200, headers: {}, body: json({ Information: burst }) }, NOW)).toMatchObject({
      meaning: 'retry_after_reset',
      scope: 'second',
      resetAt: NOW + 1000,
    });
    // Without the body (the streamed proxy) a 200 says nothing.
    expect(classifyRateLimit(av, { status: 200, headers: {} }, NOW)).toBeUndefined();
  });

  it('Polygon: 429 JSON error, its words as the reason; a Retry-After, were one sent, wins over the window', () => {
    const body = json({ status: 'ERROR', request_id: 'r1', error: signals.polygonMinute });
    expect(classifyRateLimit(hints('polygon'), { status: 429, headers: {}, body }, NOW)).toMatchObject({
      meaning: 'retry_after_reset',
      resetAt: NOW + 60_000,
      reason: signals.polygonMinute,
    });
    expect(
      classifyRateLimit(hints('polygon'), { status: 429, headers: { 'retry-after': '7' }, body }, NOW),
    ).toMatchObject({
      resetAt: NOW + 7000,
    });
  });

  it('a manifest without signals: a listed error status is a short-window limit, reset by its headers', () => {
    const generic = rateLimitSchema.parse({ reset: { header: 'x-reset', format: 'epoch_seconds' } });
    const reset = Math.floor(NOW / 1000) + 30;
    expect(
      classifyRateLimit(
        generic,
        { status: 429, headers: { 'x-reset': String(reset) }, body: json({ message: 'slow down' }) },
        NOW,
      ),
    ).toEqual({
      meaning: 'retry_after_reset',
      resetAt: reset * 1000,
      reason: 'slow down',
    });
    expect(classifyRateLimit(generic, { status: 500, headers: {} }, NOW)).toBeUndefined();
  });
});

describe('windowEnd: a day or month ends at midnight in the vendor’s time zone, daylight saving included', () => {
  const ny = 'America/New_York';
  it.each([
    // EST (UTC-5) until 2026-03-08 02:00, then EDT (UTC-4); back to EST on 2026-11-01 02:00.
    ['2026-03-08T03:30:00Z', '2026-03-08T05:00:00Z'], // 22:30 EST on the 7th: midnight before the change
    ['2026-03-08T12:00:00Z', '2026-03-09T04:00:00Z'], // the 23-hour day
    ['2026-10-31T12:00:00Z', '2026-11-01T04:00:00Z'],
    ['2026-11-01T12:00:00Z', '2026-11-02T05:00:00Z'], // the 25-hour day
    ['2026-12-06T04:59:59Z', '2026-12-06T05:00:00Z'], // a second before midnight
  ])('day in New York from %s: %s', (now, end) => {
    expect(new Date(windowEnd('day', ny, Date.parse(now))).toISOString()).toBe(new Date(end).toISOString());
  });

  it('month, UTC and short windows', () => {
    expect(new Date(windowEnd('month', ny, Date.parse('2026-03-15T12:00:00Z'))).toISOString()).toBe(
      '2026-04-01T04:00:00.000Z',
    );
    expect(new Date(windowEnd('day', 'UTC', NOW)).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(windowEnd('minute', 'UTC', NOW)).toBe(NOW + 60_000);
    expect(windowEnd('hour', 'Asia/Kathmandu', NOW)).toBe(NOW + 3_600_000);
  });
});

describe('the proxy’s rate budget learns from signals', () => {
  it('a body signal (AV daily Information on 200) spends the budget until the quota resets; the status alone does not', async () => {
    let now = NOW;
    const budget = createRateBudget({ now: () => now });
    const av = hints('alpha_vantage');
    await budget.acquire('av', 0);
    budget.release('av', av, { status: 200, headers: {} });
    expect(budget.waitFor('av')).toBe(0);
    budget.learn('av', av, { status: 200, headers: {}, body: json({ Information: signals.avDay }) });
    const midnight = Date.parse('2026-12-07T00:00:00Z');
    expect(budget.waitFor('av')).toBe(midnight - NOW);
    await expect(budget.acquire('av', 10_000)).rejects.toMatchObject({ retryAfterMs: midnight - NOW });
    now = midnight;
    expect(budget.waitFor('av')).toBe(0);
  });

  it('a status signal (FMP 429 without headers) spends it for the signal’s window, at release', async () => {
    const budget = createRateBudget({ now: () => NOW });
    await budget.acquire('fmp', 0);
    budget.release('fmp', hints('financial_modeling_prep'), { status: 429, headers: {} });
    expect(budget.waitFor('fmp')).toBe(60_000);
    // A plan refusal is no limit: nothing is spent.
    budget.learn('av', hints('alpha_vantage'), {
      status: 200,
      headers: {},
      body: json({ Information: signals.avPremium }),
    });
    expect(budget.waitFor('av')).toBe(0);
  });
});
