import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { signals } from '../fakes/financial.js';
import type { FakeRequest } from '../fakes/server.js';
import { createTestApp, type Json, type TestApp } from '../helpers/app.js';
import { startProviders, type Providers } from '../helpers/routing.js';

/**
 * The failover acceptance suite: failoverbench's scenarios that apply to any HTTP provider (a 429 with Retry-After
 * honoured and bounded, a persistent 429 without one bounded in attempts, a silent provider cut off, a flapping
 * primary served from the fallback and returned to, a truncated answer never passed on as success), plus the limits
 * the financial vendors signal their own way (Alpha Vantage's HTTP 200 with a Note, FMP's 429 with no headers, a
 * daily quota), the durable queue waking at the reset, and a restart with requests queued. Every scenario runs the
 * real server with its routing queue worker against the vendors' fakes; the scorecard is printed at the end.
 */
let t: TestApp;
let p: Providers;
const card: { id: string; scenario: string; bar: string; result: 'pass' | 'FAIL'; seen: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  p = await startProviders(t);
  await t.built.routing.queue.start();
});
afterAll(async () => {
  await t.built.routing.queue.stop(0);
  await p.close();
  await t.close();
  const width = Math.max(...card.map((c) => c.scenario.length));
  console.log(
    `\nrouting failover scorecard: ${card.filter((c) => c.result === 'pass').length}/${card.length} pass\n` +
      card.map((c) => `${c.id.padEnd(4)} ${c.result.padEnd(5)} ${c.scenario.padEnd(width)}  ${c.seen}`).join('\n'),
  );
});

function scenario(id: string, name: string, bar: string, run: () => Promise<string>, timeout = 30_000) {
  it(
    `${id} ${name} (${bar})`,
    async () => {
      try {
        card.push({ id, scenario: name, bar, result: 'pass', seen: await run() });
      } catch (error) {
        card.push({ id, scenario: name, bar, result: 'FAIL', seen: (error as Error).message.split('\n')[0] ?? '' });
        throw error;
      }
    },
    timeout,
  );
}

const quotes = (req: FakeRequest) => req.path.endsWith('/quote');
const fmpQuotes = () => p.fakes.fmp.requests.filter(quotes);
const avCalls = () => p.fakes.av.requests.filter((r) => r.query.get('function') === 'GLOBAL_QUOTE').length;
const polygonCalls = () => p.fakes.polygon.requests.filter((r) => r.path.endsWith('/prev')).length;
const outcomes = (res: { data: Json }) => (res.data.attempts as { outcome: string }[]).map((a) => a.outcome);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fresh(body: Record<string, unknown> = {}) {
  for (const fake of Object.values(p.fakes)) fake.reset();
  const ids = await p.connect();
  const route = await p.route({ retry: { attempts: 0 }, ...body }, ids);
  return { ids, name: route.name as string };
}

describe('failover acceptance', () => {
  scenario('S01', '429 with Retry-After is honoured', 'first retry >= 1.8 s later, <= 2 attempts', async () => {
    const { name } = await fresh({ retry: { attempts: 2, max_wait_ms: 5000 } });
    p.fakes.fmp.inject({
      match: quotes,
      reply: { status: 429, headers: { 'retry-after': '2' }, json: { 'Error Message': signals.fmpLimit } },
    });
    const before = fmpQuotes().length;
    const started = Date.now();
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.provider).toMatchObject({ connector: 'financial_modeling_prep' });
    expect(outcomes(res)).toEqual(['rate_limited', 'ok']);
    const sent = fmpQuotes().slice(before);
    expect(sent).toHaveLength(2);
    const gap = Date.now() - started;
    expect(gap).toBeGreaterThanOrEqual(1800);
    return `2 attempts on the primary, answered after waiting out Retry-After: 2 (${gap} ms)`;
  });

  scenario('S02', 'persistent 429 without Retry-After is bounded', '<= 4 attempts in 3 s, <= 6 in total', async () => {
    const { name, ids } = await fresh({ strategy: 'single', on_rate_limit: 'fallback' });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { providers: [{ connection_id: ids.polygon }] },
    });
    for (let i = 0; i < 10; i++)
      p.fakes.polygon.inject({
        reply: { status: 429, json: { status: 'ERROR', request_id: `r${i}`, error: signals.polygonMinute } },
      });
    const before = polygonCalls();
    const statuses: number[] = [];
    const started = Date.now();
    while (Date.now() - started < 3000) {
      statuses.push((await p.query(name)).statusCode);
      await sleep(100);
    }
    const sent = polygonCalls() - before;
    expect(new Set(statuses)).toEqual(new Set([429]));
    expect(sent).toBeLessThanOrEqual(4);
    expect(sent).toBeGreaterThanOrEqual(1);
    const last = await p.query(name);
    expect(last.data).toMatchObject({ code: 'provider_rate_limited' });
    expect(last.headers['retry-after']).toBeDefined();
    return `${statuses.length} calls in 3 s reached the vendor ${sent} time(s); the rest answered 429 with Retry-After`;
  });

  scenario('S03', 'a silent provider is cut off', 'served by the fallback within the timeout', async () => {
    const { name } = await fresh({ timeout_ms: 500 });
    p.fakes.fmp.stall();
    try {
      const res = await p.query(name);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.data.provider).toMatchObject({ connector: 'alpha_vantage' });
      expect(outcomes(res)).toEqual(['timeout', 'ok']);
      return `FMP stalled: cut off after 500 ms, answered by Alpha Vantage`;
    } finally {
      p.fakes.fmp.up();
    }
  });

  scenario('S04', 'a flapping primary', 'served from the fallback, back on the primary after a probe', async () => {
    const { name } = await fresh({ breaker: { cooldown_seconds: 1 } });
    p.fakes.fmp.down();
    const first = await p.query(name);
    expect(first.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    const calls = fmpQuotes().length;
    const second = await p.query(name);
    expect(second.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    expect(fmpQuotes().length).toBe(calls);
    expect(second.data.reason as string).toMatch(/sticky/);
    const sticky = await t.request({ url: `/v1/routes/${name}` });
    expect(sticky.data.sticky).toMatchObject({ connection_id: expect.any(String) });
    p.fakes.fmp.up();
    await sleep(1100);
    const back = await p.query(name);
    expect(back.data.provider).toMatchObject({ connector: 'financial_modeling_prep' });
    expect(back.data.reason as string).toMatch(/probe/);
    const after = await p.query(name);
    expect(after.data).toMatchObject({ provider: { connector: 'financial_modeling_prep' }, reason: 'primary' });
    expect((await t.request({ url: `/v1/routes/${name}` })).data.sticky).toBeNull();
    return 'one call on the failing primary, then the fallback directly; back on the primary at the first probe';
  });

  scenario('S05', 'a truncated answer is not success', 'the cut answer fails over, never returned', async () => {
    const { name } = await fresh();
    p.fakes.fmp.truncate(1, 'json');
    const cut = await p.query(name);
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    expect((cut.data.attempts as { reason: string }[])[0]?.reason).toMatch(/malformed/);
    // The failover made the route stick to its fallback: the next cut needs a route of its own.
    const again = await fresh();
    p.fakes.fmp.truncate(1, 'connection');
    const closed = await p.query(again.name);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    expect(outcomes(closed)[0]).toBe('failed');
    return 'half a JSON body and a connection closed mid-body both counted as failures and fell over';
  });

  scenario('S06', 'Alpha Vantage: HTTP 200 with a Note', 'read as a rate limit, fallback serves', async () => {
    const { name, ids } = await fresh({ on_rate_limit: 'fallback' });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { providers: [{ connection_id: ids.av }, { connection_id: ids.fmp }] },
    });
    p.fakes.av.inject({ reply: { status: 200, json: { Note: signals.avMinute } } });
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.provider).toMatchObject({ connector: 'financial_modeling_prep' });
    expect(outcomes(res)).toEqual(['rate_limited', 'ok']);
    const explain = await t.request({ method: 'POST', url: `/v1/routes/${name}/explain`, body: { query: {} } });
    const av = (explain.data.providers as Json[]).find((v) => v.connector === 'alpha_vantage');
    expect(av).toMatchObject({ eligible: false, rate_limited_until: expect.any(String) });
    const calls = avCalls();
    await p.query(name);
    expect(avCalls()).toBe(calls);
    return 'the 200 + Note was a limit: FMP answered, and Alpha Vantage is skipped until its window resets';
  });

  scenario('S07', 'FMP: 429 without headers under Strict', 'fails at once with the vendor’s reason', async () => {
    const { name } = await fresh({ on_rate_limit: 'strict' });
    p.fakes.fmp.inject({ match: quotes, reply: { status: 429, json: { 'Error Message': signals.fmpLimit } } });
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(429);
    expect(res.data).toMatchObject({ code: 'provider_rate_limited' });
    expect(res.data.detail as string).toMatch(/Limit Reach/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(avCalls() + polygonCalls()).toBeGreaterThanOrEqual(0);
    expect(outcomes(res)).toEqual(['rate_limited']);
    return `429 provider_rate_limited "${(res.data.detail as string).slice(0, 40)}…", Retry-After ${String(res.headers['retry-after'])} s`;
  });

  scenario('S08', 'a daily quota exhausted', 'skipped until its reset, not retried', async () => {
    const { name, ids } = await fresh({ on_rate_limit: 'fallback' });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { providers: [{ connection_id: ids.av }, { connection_id: ids.fmp }] },
    });
    p.fakes.av.quotaExhausted();
    const first = await p.query(name);
    expect(first.data.provider).toMatchObject({ connector: 'financial_modeling_prep' });
    expect(outcomes(first)).toEqual(['quota_exhausted', 'ok']);
    const calls = avCalls();
    for (let i = 0; i < 3; i++) await p.query(name);
    expect(avCalls()).toBe(calls);
    const health = await t.request({ url: `/v1/routes/${name}/health` });
    const av = (health.data.providers as Json[]).find((v) => v.connector === 'alpha_vantage') as Json;
    const until = Date.parse((av.quota as { exhausted_until: string }).exhausted_until);
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(until).toBe(midnight.getTime());
    return `quota exhausted until ${new Date(until).toISOString()}: 3 later calls never reached Alpha Vantage`;
  });

  scenario('S09', 'the queue wakes at the reset', 'held, then served once the window resets', async () => {
    const { name, ids } = await fresh({
      strategy: 'single',
      on_rate_limit: 'queue',
      retry: { attempts: 0, honour_retry_after: false },
    });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { providers: [{ connection_id: ids.polygon }] },
    });
    p.fakes.polygon.inject({
      reply: {
        status: 429,
        headers: { 'retry-after': '2' },
        json: { status: 'ERROR', request_id: 'q1', error: signals.polygonMinute },
      },
    });
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.provider).toMatchObject({ connector: 'polygon' });
    expect(res.data.queued_ms as number).toBeGreaterThanOrEqual(1500);
    await t.built.routing.calls.flush();
    const calls = await t.request({ url: `/v1/routes/${name}/calls` });
    const kinds = (calls.data.data as { outcome: string }[]).map((c) => c.outcome);
    expect(kinds).toEqual(expect.arrayContaining(['queued', 'ok']));
    return `held ${res.data.queued_ms as number} ms in the queue, served by Polygon after its reset`;
  });

  scenario(
    'S10',
    'a restart with requests queued',
    'served after the restart, in order',
    async () => {
      const { name, ids } = await fresh({
        strategy: 'single',
        on_rate_limit: 'queue',
        retry: { attempts: 0, honour_retry_after: false },
      });
      await t.request({
        method: 'PATCH',
        url: `/v1/routes/${name}`,
        body: { providers: [{ connection_id: ids.polygon }] },
      });
      p.fakes.polygon.inject({
        reply: {
          status: 429,
          headers: { 'retry-after': '2' },
          json: { status: 'ERROR', request_id: 'q2', error: signals.polygonMinute },
        },
      });
      // This node goes away with three requests queued (its queue worker stops; nothing in memory survives).
      await t.built.routing.queue.stop(0);
      const queued: string[] = [];
      for (const symbol of ['AAPL', 'MSFT', 'IBM']) {
        const res = await p.query(name, { symbol }, { async: true });
        expect(res.statusCode, res.body).toBe(202);
        expect(res.headers.location).toBe(`/v1/routes/requests/${res.data.request_id as string}`);
        queued.push(res.data.request_id as string);
      }
      await sleep(2100);
      const still = await t.request({ url: `/v1/routes/requests/${queued[0]}` });
      expect(still.data.state).toBe('queued');
      // A new node on the same database (a fresh app: new caches, new worker) serves them.
      const restarted = await buildApp({
        config: t.config,
        db: t.db,
        log: t.built.app.log as never,
        keyring: t.keyring,
        validateResponses: true,
      });
      const before = p.fakes.polygon.requests.length;
      await restarted.routing.queue.start();
      try {
        const ended: Json[] = [];
        for (const id of queued) {
          for (let i = 0; i < 100; i++) {
            const got = await t.request({ url: `/v1/routes/requests/${id}` });
            if (got.data.state !== 'queued' && got.data.state !== 'running') {
              ended.push(got.data);
              break;
            }
            await sleep(100);
          }
        }
        expect(ended.map((e) => e.state)).toEqual(['served', 'served', 'served']);
        expect(ended.map((e) => (e.result as { data: { symbol: string } }).data.symbol)).toEqual([
          'AAPL',
          'MSFT',
          'IBM',
        ]);
        const order = p.fakes.polygon.requests.slice(before).map((r) => r.path.split('/')[4]);
        expect(order).toEqual(['AAPL', 'MSFT', 'IBM']);
      } finally {
        await restarted.routing.queue.stop(0);
        await restarted.close();
        await t.built.routing.queue.start();
      }
      return 'three requests queued before the node stopped were served by the next one, in the order they came';
    },
    60_000,
  );
});
