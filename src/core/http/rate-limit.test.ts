import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

describe('rate limits', () => {
  it('limits an API key to its own rate_limit_per_minute with 429 rate_limited and Retry-After', async () => {
    t = await createTestApp();
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'slow', role: 'viewer', rate_limit_per_minute: 3 },
    });
    expect(created.data.api_key).toMatchObject({ rate_limit_per_minute: 3 });
    const token = created.data.token as string;
    for (let i = 0; i < 3; i++) expect((await t.request({ url: '/v1/me', token })).statusCode).toBe(200);
    const limited = await t.request({ url: '/v1/me', token });
    expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.data.limit).toBe(3);
    // Every route counts against the same budget, and other callers are not affected.
    expectProblem(await t.request({ url: '/v1/secrets', token }), 429, 'rate_limited');
    const { token: other } = await t.keyWithRole('viewer');
    expect((await t.request({ url: '/v1/me', token: other })).statusCode).toBe(200);
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);
  });

  it('limits unauthenticated callers per address with the default limit; probes are exempt', async () => {
    t = await createTestApp({ config: { rateLimitPerMinute: 2 } });
    const signIn = () =>
      t.request({ method: 'POST', url: '/v1/sessions', token: null, body: { email: 'a@b.test', password: 'x' } });
    expect((await signIn()).statusCode).toBe(401);
    expect((await signIn()).statusCode).toBe(401);
    expectProblem(await signIn(), 429, 'rate_limited');
    for (let i = 0; i < 5; i++) expect((await t.request({ url: '/healthz', token: null })).statusCode).toBe(200);
  });
});
