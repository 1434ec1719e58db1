import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import { rateLimitSchema } from '../../catalog/manifest/manifest.js';
import { BudgetExhaustedError, createRateBudget } from './rate-budget.js';

let t: TestApp | undefined;
let vendor: Awaited<ReturnType<typeof startFakeVendor>> | undefined;
afterEach(async () => {
  await t?.close();
  await vendor?.close();
  t = undefined;
  vendor = undefined;
});

async function setup() {
  const app = (t = await createTestApp());
  const fake = (vendor = await startFakeVendor());
  const created = await app.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      auth_method: 'bearer',
      config: { base_url: fake.url },
      credentials: { token: 'vendor-token' },
      validate: false,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  return { app, fake, proxy: `/v1/connections/${created.data.id as string}/proxy/limited` };
}

describe('proxy: client-side rate budget (generic_rest: x-ratelimit-remaining / x-ratelimit-reset in epoch seconds)', () => {
  it('waits for the vendor’s reset before the next call when the budget is spent and the reset is near', async () => {
    const { app, fake, proxy } = await setup();
    const resetSeconds = Math.ceil(Date.now() / 1000) + 1;
    const arrivals: number[] = [];
    fake.on('/limited', () => {
      arrivals.push(Date.now());
      return {
        json: { ok: true },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '10', 'x-ratelimit-reset': String(resetSeconds) },
      };
    });
    expect((await app.request({ url: proxy })).statusCode).toBe(200);
    const started = Date.now();
    expect(resetSeconds * 1000 - started).toBeGreaterThan(800);
    const second = await app.request({ url: proxy });
    expect(second.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(resetSeconds * 1000 - started - 20);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]).toBeGreaterThanOrEqual(resetSeconds * 1000 - 20);
  });

  it('refuses with 429 rate_budget_exhausted and Retry-After when the reset is further than it may wait', async () => {
    const { app, fake, proxy } = await setup();
    const reset = Math.ceil(Date.now() / 1000) + 3600;
    fake.on('/limited', {
      json: { ok: true },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    expect((await app.request({ url: proxy })).statusCode).toBe(200);
    const refused = await app.request({ url: proxy });
    expect(refused.statusCode).toBe(429);
    expect(refused.data.code).toBe('rate_budget_exhausted');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    expect(fake.requests).toHaveLength(1);
  });

  it('counts calls in flight, so concurrent callers do not all spend the last request', async () => {
    let now = 1_000_000;
    const budget = createRateBudget({ now: () => now });
    const hints = rateLimitSchema.parse({
      remaining: 'x-remaining',
      reset: { header: 'x-reset', format: 'epoch_ms' },
    });
    await budget.acquire('conn', 0);
    budget.release('conn', hints, { status: 200, headers: { 'x-remaining': '1', 'x-reset': String(now + 60_000) } });
    await budget.acquire('conn', 0);
    // One request left and one in flight: the next caller would overspend.
    await expect(budget.acquire('conn', 10_000)).rejects.toBeInstanceOf(BudgetExhaustedError);
    budget.release('conn', hints, { status: 200, headers: { 'x-remaining': '0', 'x-reset': String(now + 60_000) } });
    await expect(budget.acquire('conn', 0)).rejects.toMatchObject({ retryAfterMs: 60_000 });
    now += 60_000;
    await expect(budget.acquire('conn', 0)).resolves.toBeUndefined();
  });

  it('treats a rate-limit status with Retry-After as a spent budget until then', async () => {
    let now = 5_000;
    const budget = createRateBudget({ now: () => now });
    const hints = rateLimitSchema.parse({ remaining: 'x-remaining' });
    await budget.acquire('conn', 0);
    budget.release('conn', hints, { status: 429, headers: { 'retry-after': '2' } });
    expect(budget.waitFor('conn')).toBe(2000);
    now += 2000;
    expect(budget.waitFor('conn')).toBe(0);
  });
});
