import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor, type RecordedRequest } from '../../../test/helpers/fake-vendor.js';

let t: TestApp | undefined;
let vendor: Awaited<ReturnType<typeof startFakeVendor>> | undefined;
afterEach(async () => {
  await t?.close();
  await vendor?.close();
  t = undefined;
  vendor = undefined;
});

async function setup(baseUrl?: (vendorUrl: string) => string) {
  const app = (t = await createTestApp());
  const fake = (vendor = await startFakeVendor());
  const created = await app.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      auth_method: 'bearer',
      config: { base_url: baseUrl ? baseUrl(fake.url) : fake.url },
      credentials: { token: 'vendor-token' },
      validate: false,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const proxy = (path: string) => `/v1/connections/${created.data.id as string}/proxy${path}`;
  return { app, fake, proxy };
}

/** Answers with each reply in turn (the last one repeats), noting when each request arrived. */
function sequence(...replies: { status: number; headers?: Record<string, string> }[]) {
  const arrivals: number[] = [];
  const handler = (req: RecordedRequest) => {
    arrivals.push(Date.now());
    const reply = replies[Math.min(arrivals.length - 1, replies.length - 1)] as (typeof replies)[number];
    return { ...reply, json: { attempt: arrivals.length, body: req.body.toString() } };
  };
  return { handler, arrivals };
}

describe('proxy: retries', () => {
  it('retries an idempotent call on 503 and returns the 200 that follows, saying so in x-switchyard-retries', async () => {
    const { app, fake, proxy } = await setup();
    fake.on('/flaky', sequence({ status: 503 }, { status: 200 }).handler);
    const res = await app.request({ url: proxy('/flaky') });
    expect(res.statusCode).toBe(200);
    expect(res.data.attempt).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    const log = await app.request({ url: proxy('/flaky').replace(/\/proxy\/flaky$/, '/requests') });
    expect((log.data.data as { retries: number }[])[0]?.retries).toBe(1);
  });

  it('does not retry a POST on 503 unless the caller asks with Switchyard-Retries (then the same body is resent)', async () => {
    const { app, fake, proxy } = await setup();
    fake.on('/orders', sequence({ status: 503 }, { status: 201 }).handler);
    const once = await app.request({ method: 'POST', url: proxy('/orders'), body: { n: 1 } });
    expect(once.statusCode).toBe(503);
    expect(once.headers['x-switchyard-retries']).toBe('0');
    expect(fake.requests).toHaveLength(1);

    fake.on('/orders', sequence({ status: 503 }, { status: 201 }).handler);
    const asked = await app.request({
      method: 'POST',
      url: proxy('/orders'),
      body: { n: 2 },
      headers: { 'switchyard-retries': '1' },
    });
    expect(asked.statusCode).toBe(201);
    expect(asked.headers['x-switchyard-retries']).toBe('1');
    expect(fake.requests.slice(1).map((r) => r.body.toString())).toEqual(['{"n":2}', '{"n":2}']);
  });

  it('honours Retry-After when it is short, and returns the vendor’s answer as it is when it is too long', async () => {
    const { app, fake, proxy } = await setup();
    const short = sequence({ status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
    fake.on('/short', short.handler);
    const res = await app.request({ url: proxy('/short') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect((short.arrivals[1] as number) - (short.arrivals[0] as number)).toBeGreaterThanOrEqual(950);

    fake.on('/long', sequence({ status: 503, headers: { 'retry-after': '3600' } }, { status: 200 }).handler);
    const long = await app.request({ url: proxy('/long') });
    expect(long.statusCode).toBe(503);
    expect(long.headers['retry-after']).toBe('3600');
    expect(long.headers['x-switchyard-retries']).toBe('0');
  });

  it('follows Switchyard-Retries: 0 and Switchyard-Retry-On, and refuses malformed call options', async () => {
    const { app, fake, proxy } = await setup();
    fake.on('/down', { status: 503, json: { down: true } });
    const none = await app.request({ url: proxy('/down'), headers: { 'switchyard-retries': '0' } });
    expect(none.statusCode).toBe(503);
    const other = await app.request({ url: proxy('/down'), headers: { 'switchyard-retry-on': '500' } });
    expect(other.headers['x-switchyard-retries']).toBe('0');
    expect(fake.requests).toHaveLength(2);
    const malformed: Record<string, string>[] = [
      { 'switchyard-retries': '9' },
      { 'switchyard-retry-on': '200' },
      { 'switchyard-timeout': '0' },
    ];
    for (const headers of malformed) {
      const bad = await app.request({ url: proxy('/down'), headers });
      expect(bad.statusCode, JSON.stringify(headers)).toBe(400);
      expect(bad.data.code).toBe('validation_failed');
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('retries even a POST when the connection was refused (nothing was sent), then answers 502', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const { app, proxy } = await setup(() => `http://127.0.0.1:${closed}`);
    const res = await app.request({ method: 'POST', url: proxy('/x'), body: { a: 1 } });
    expect(res.statusCode).toBe(502);
    expect(res.data.code).toBe('upstream_unreachable');
    expect(res.data.detail).toContain('refused the connection');
    expect(res.headers['x-switchyard-retries']).toBe('2');
  });

  it('answers 504 upstream_timeout when the vendor is slower than Switchyard-Timeout, without retrying', async () => {
    const { app, fake, proxy } = await setup();
    // undici checks its headers timeout on a tick of about half a second, so 0.2 s fires after 0.5–1 s (later on a
    // loaded machine): the vendor answers well after that.
    fake.on('/slow', { json: { late: true }, delayMs: 5000 });
    const res = await app.request({ url: proxy('/slow'), headers: { 'switchyard-timeout': '0.2' } });
    expect(res.statusCode).toBe(504);
    expect(res.data.code).toBe('upstream_timeout');
    expect(res.headers['x-switchyard-retries']).toBe('0');
    expect(fake.requests).toHaveLength(1);
  });
});
