import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { LAST_DAY } from '../fakes/financial-data.js';
import { createTestApp, type Json, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/fixtures.js';
import { startProviders, type Providers } from '../helpers/routing.js';

let t: TestApp;
let p: Providers;
beforeAll(async () => {
  t = await createTestApp();
  p = await startProviders(t);
});
afterAll(async () => {
  await p.close();
  await t.close();
});

const post = (url: string, body: unknown, token?: string) =>
  t.request({ method: 'POST', url, body, ...(token ? { token } : {}) });
const attemptsOf = (res: { data: Json }) =>
  (res.data.attempts as { connector: string; outcome: string }[]).map((a) => `${a.connector}:${a.outcome}`);

async function fresh(body: Record<string, unknown> = {}) {
  for (const fake of Object.values(p.fakes)) fake.reset();
  const ids = await p.connect();
  const route = await p.route({ retry: { attempts: 0 }, ...body }, ids);
  return { ids, name: route.name as string, route };
}

describe('the routes API', () => {
  it('serves a quote from the primary and says who answered and why', async () => {
    const { name } = await fresh();
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['switchyard-provider']).toBe('financial_modeling_prep');
    expect(res.headers['switchyard-route-reason']).toBe('primary');
    expect(res.data).toMatchObject({
      provider: { connector: 'financial_modeling_prep' },
      reason: 'primary',
      data: { symbol: 'AAPL', price: expect.any(Number) },
    });
  });

  it('needs the tenant feature the capability names, and says which', async () => {
    const other = await t.otherTenant();
    const caps = await t.request({ url: '/v1/capabilities', token: other.token });
    expect(caps.statusCode, caps.body).toBe(200);
    const quote = (caps.data.data as Json[]).find((c) => c.name === 'equity.quote') as Json;
    expect(quote).toMatchObject({ enabled: false, feature: 'financial_data' });
    expect((quote.providers as Json[]).map((x) => x.connector)).toEqual(
      expect.arrayContaining(['financial_modeling_prep', 'alpha_vantage', 'polygon', 'bloomberg']),
    );
    expect((quote.providers as Json[]).find((x) => x.connector === 'bloomberg')).toMatchObject({
      availability: 'coming_soon',
      redistributable: false,
    });
    const res = await post(
      '/v1/routes',
      {
        name: 'q',
        capability: 'equity.quote',
        strategy: 'single',
        on_rate_limit: 'strict',
        providers: [{ connection_id: 'x' }],
      },
      other.token,
    );
    expectProblem(res, 403, 'feature_not_enabled');
    expect(res.data.feature).toBe('financial_data');
  });

  it('checks a route against the capability and the tenant’s connections, writing nothing on refusal', async () => {
    const { ids } = await fresh();
    const generic = await post('/v1/connections', {
      connector: 'generic_rest',
      name: 'not a quote provider',
      auth_method: 'api_key',
      config: { base_url: 'https://api.example.test' },
      credentials: { api_key: 'k' },
      validate: false,
    });
    const other = await t.otherTenant();
    const routes = async () => (await t.db.query<{ n: number }>('select count(*)::int as n from routes')).rows[0]?.n;
    const before = await routes();
    const base = { name: 'checked', capability: 'equity.quote', strategy: 'fallback', on_rate_limit: 'strict' };
    const bad = await post('/v1/routes', {
      ...base,
      strategy: 'conditional',
      providers: [
        { connection_id: ids.fmp },
        { connection_id: ids.fmp },
        { connection_id: generic.data.id },
        { connection_id: 'conn_nope' },
      ],
      conditions: [{ when: { symbol: 'AAPL' }, use: [ids.polygon] }],
      fusion: { fields: { nope: { pick: 'max' } } },
    });
    expectProblem(bad, 400, 'validation_failed');
    const paths = (bad.data.errors as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providers.1.connection_id',
        'providers.2.connection_id',
        'providers.3.connection_id',
        'conditions.0.use',
        'fusion.fields.nope',
      ]),
    );
    expectProblem(
      await post('/v1/routes', { ...base, capability: 'weather.now', providers: [{ connection_id: ids.fmp }] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await post('/v1/routes', { ...base, name: 'requests', providers: [{ connection_id: ids.fmp }] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await post('/v1/routes', { ...base, strategy: 'conditional', providers: [{ connection_id: ids.fmp }] }),
      400,
      'validation_failed',
    );
    const foreign = await post('/v1/routes', { ...base, providers: [{ connection_id: ids.fmp }] }, other.token);
    expectProblem(foreign, 403, 'feature_not_enabled');
    expect(await routes()).toBe(before);
    const made = await post('/v1/routes', { ...base, providers: [{ connection_id: ids.fmp }] });
    expect(made.statusCode, made.body).toBe(201);
    expectProblem(
      await post('/v1/routes', { ...base, providers: [{ connection_id: ids.fmp }] }),
      409,
      'already_exists',
    );
  });

  it('checks the query against the capability’s query schema', async () => {
    const { name } = await fresh();
    const res = await p.query(name, { ticker: 'AAPL' });
    expectProblem(res, 400, 'validation_failed');
    expect((res.data.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['query.symbol']),
    );
  });

  it('changes only what a change names; new providers end a sticky failover', async () => {
    const { name, ids } = await fresh({
      retry: { attempts: 1, honour_retry_after: false },
      breaker: { cooldown_seconds: 60 },
    });
    p.fakes.fmp.failNext(2, 503);
    const served = await p.query(name);
    expect(served.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    expect((await t.request({ url: `/v1/routes/${name}` })).data.sticky).toMatchObject({ connection_id: ids.av });
    const patched = await t.request({ method: 'PATCH', url: `/v1/routes/${name}`, body: { on_rate_limit: 'queue' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.data).toMatchObject({
      on_rate_limit: 'queue',
      retry: { attempts: 1, honour_retry_after: false },
      breaker: { cooldown_seconds: 60 },
      sticky: { connection_id: ids.av },
    });
    const retry = await t.request({ method: 'PATCH', url: `/v1/routes/${name}`, body: { retry: { attempts: 3 } } });
    expect(retry.data.retry).toMatchObject({ attempts: 3, honour_retry_after: false });
    const reordered = await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { providers: [{ connection_id: ids.polygon }, { connection_id: ids.fmp }] },
    });
    expect(reordered.data).toMatchObject({
      sticky: null,
      providers: [{ connector: 'polygon' }, { connector: 'financial_modeling_prep' }],
    });
    const audit = await t.request({ url: '/v1/audit?action=route.update' });
    expect(JSON.stringify(audit.data)).toContain('on_rate_limit');
  });

  it('fuses three providers per field, with provenance, conflicts and a licence taint', async () => {
    const { name, ids } = await fresh({
      strategy: 'fusion',
      fusion: {
        fields: {
          price: { pick: 'consensus', tolerance: 0.0001 },
          volume: { pick: 'max' },
          name: { pick: 'priority', order: [] },
        },
      },
    });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: {
        providers: [
          { connection_id: ids.fmp },
          { connection_id: ids.av, redistributable: false },
          { connection_id: ids.polygon },
        ],
      },
    });
    const res = await p.query(name);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['switchyard-provider']).toBe('fusion');
    expect(res.data.provider).toBeNull();
    const fusion = res.data.fusion as {
      provenance: Json;
      conflicts: { field: string }[];
      redistributable: boolean;
      tainted_fields: string[];
    };
    expect(fusion.conflicts.map((c) => c.field)).toContain('price');
    expect(fusion.provenance.symbol).toMatchObject({ connector: 'financial_modeling_prep' });
    expect(fusion.redistributable).toBe(false);
    expect(fusion.tainted_fields).toContain('volume');
    expect(attemptsOf(res).sort()).toEqual(['alpha_vantage:ok', 'financial_modeling_prep:ok', 'polygon:ok']);
    // One provider down: the others are still fused, and the answer says so.
    p.fakes.polygon.down();
    const partial = await p.query(name);
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.data.reason as string).toMatch(/1 of 3 did not answer/);
    p.fakes.polygon.up();
  });

  it('routes by a condition on the query and balances by weight', async () => {
    const { ids, name } = await fresh();
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: { strategy: 'conditional', conditions: [{ when: { symbol: { $in: ['MSFT'] } }, use: [ids.polygon] }] },
    });
    expect((await p.query(name, { symbol: 'MSFT' })).data.provider).toMatchObject({ connector: 'polygon' });
    expect((await p.query(name, { symbol: 'AAPL' })).data.provider).toMatchObject({
      connector: 'financial_modeling_prep',
    });
    const explain = await post(`/v1/routes/${name}/explain`, { query: { symbol: 'MSFT' } });
    expect(explain.data).toMatchObject({ would_use: { connector: 'polygon' } });
    expect((explain.data.providers as Json[]).find((v) => v.connector === 'alpha_vantage')).toMatchObject({
      eligible: false,
      condition_matched: false,
    });
    await t.request({
      method: 'PATCH',
      url: `/v1/routes/${name}`,
      body: {
        strategy: 'loadbalance',
        conditions: [],
        providers: [
          { connection_id: ids.fmp, weight: 1 },
          { connection_id: ids.av, weight: 1 },
          { connection_id: ids.polygon, weight: 0 },
        ],
      },
    });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(((await p.query(name)).data.provider as Json).connector as string);
    expect([...seen].sort()).toEqual(['alpha_vantage', 'financial_modeling_prep']);
  });

  it('answers many records for a many-record capability', async () => {
    const { ids } = await fresh();
    const route = await p.route(
      { capability: 'equity.historical', providers: [{ connection_id: ids.polygon }, { connection_id: ids.fmp }] },
      ids,
    );
    const res = await p.query(route.name as string, { symbol: 'AAPL', start_date: '2026-11-20', end_date: LAST_DAY });
    expect(res.statusCode, res.body).toBe(200);
    const bars = res.data.data as { date: string; symbol: string }[];
    expect(bars.length).toBeGreaterThan(5);
    expect(bars.every((b) => b.symbol === 'AAPL' && b.date >= '2026-11-20' && b.date <= LAST_DAY)).toBe(true);
  });

  it('says no provider has data, and that none could answer, with every attempt', async () => {
    const { name } = await fresh();
    const unknown = await p.query(name, { symbol: 'ZZZZ' });
    expectProblem(unknown, 404, 'no_data');
    for (const fake of Object.values(p.fakes)) fake.down();
    const down = await p.query(name);
    expectProblem(down, 503, 'providers_unavailable');
    expect(attemptsOf(down)).toEqual(['financial_modeling_prep:failed', 'alpha_vantage:failed', 'polygon:failed']);
    for (const fake of Object.values(p.fakes)) fake.up();
  });

  it('opens a breaker after failures, shows it, and an operator resets it', async () => {
    const { name, ids } = await fresh({ breaker: { consecutive_failures: 2, cooldown_seconds: 300 } });
    // Two routes share the provider's state: a failure seen by one counts for the other.
    const single = await p.route(
      { strategy: 'single', retry: { attempts: 0 }, breaker: { consecutive_failures: 2, cooldown_seconds: 300 } },
      ids,
    );
    p.fakes.fmp.down();
    await p.query(single.name as string);
    await p.query(single.name as string);
    p.fakes.fmp.up();
    const calls = p.fakes.fmp.count('/stable/quote');
    const skipped = await p.query(name);
    expect(skipped.data.provider).toMatchObject({ connector: 'alpha_vantage' });
    expect(p.fakes.fmp.count('/stable/quote')).toBe(calls);
    const health = await t.request({ url: `/v1/routes/${name}/health` });
    const fmp = (health.data.providers as Json[]).find((v) => v.connector === 'financial_modeling_prep') as Json;
    expect(fmp).toMatchObject({
      eligible: false,
      breaker: { state: 'open' },
      last_failure: expect.stringMatching(/503/),
    });
    const reset = await post(`/v1/routes/${name}/providers/${ids.fmp}/reset`, {});
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.data).toMatchObject({ eligible: true, breaker: { state: 'closed' } });
    expect((await p.query(single.name as string)).data.provider).toMatchObject({
      connector: 'financial_modeling_prep',
    });
    const audit = await t.request({ url: '/v1/audit?action=route.provider_reset' });
    expect((audit.data.data as Json[]).length).toBeGreaterThan(0);
  });

  it('logs every call with its provider and outcome, and counts them per provider and hour', async () => {
    const { name } = await fresh();
    await p.query(name);
    p.fakes.fmp.failNext(1, 500);
    await p.query(name);
    await t.built.routing.calls.flush();
    const calls = await t.request({ url: `/v1/routes/${name}/calls` });
    expect((calls.data.data as Json[]).map((c) => c.outcome)).toEqual(['fallback', 'ok']);
    const fallbacks = await t.request({ url: `/v1/routes/${name}/calls?outcome=fallback` });
    expect(fallbacks.data.data as Json[]).toHaveLength(1);
    const stats = await t.request({ url: `/v1/routes/${name}/stats` });
    expect(stats.statusCode, stats.body).toBe(200);
    const fmp = (stats.data.providers as Json[]).find((s) => s.connector === 'financial_modeling_prep');
    expect(fmp).toMatchObject({ calls: 2, ok: 1, failed: 1 });
    const hour = (stats.data.buckets as Json[]).at(-1);
    expect(hour).toMatchObject({ ok: 1, fallback: 1 });
  });

  it('keeps routes to their tenant, refuses a disabled route, and deletes one', async () => {
    const { name } = await fresh();
    const other = await t.otherTenant();
    await t.db.query(`update tenants set features = '{financial_data}' where id = $1`, [other.tenantId]);
    await t.built.auth.invalidate(t.db);
    expectProblem(await t.request({ url: `/v1/routes/${name}`, token: other.token }), 404, 'not_found');
    expectProblem(await post(`/v1/routes/${name}/query`, { query: { symbol: 'AAPL' } }, other.token), 404, 'not_found');
    await t.request({ method: 'PATCH', url: `/v1/routes/${name}`, body: { enabled: false } });
    expectProblem(await p.query(name), 409, 'conflict');
    const dry = await p.query(name, { symbol: 'AAPL' }, { dry_run: true });
    expect(dry.data).toMatchObject({ would_use: { connector: 'financial_modeling_prep' }, reason: 'primary' });
    const gone = await t.request({ method: 'DELETE', url: `/v1/routes/${name}` });
    expect(gone.statusCode).toBe(204);
    expectProblem(await t.request({ url: `/v1/routes/${name}` }), 404, 'not_found');
  });
});

describe('two nodes on one database', () => {
  it('share each provider’s breaker and limit: what one node learns, the other skips at once', async () => {
    const { name } = await fresh({
      on_rate_limit: 'fallback',
      breaker: { consecutive_failures: 1, cooldown_seconds: 300 },
    });
    const b = await buildApp({ config: t.config, db: t.db, log: t.built.app.log as never, keyring: t.keyring });
    try {
      const onB = (path: string, body?: unknown) =>
        b.app.inject({
          method: body === undefined ? 'GET' : 'POST',
          url: path,
          headers: { authorization: `Bearer ${t.adminToken}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
      // Node B reads the route and its providers' health into its caches first.
      expect((await onB(`/v1/routes/${name}/query`, { query: { symbol: 'AAPL' } })).json()).toMatchObject({
        provider: { connector: 'financial_modeling_prep' },
      });
      // Node A sees FMP fail (its breaker opens) and Alpha Vantage's quota run out.
      p.fakes.fmp.down();
      p.fakes.av.quotaExhausted();
      const onA = await p.query(name);
      expect(attemptsOf(onA)).toEqual([
        'financial_modeling_prep:failed',
        'alpha_vantage:quota_exhausted',
        'polygon:ok',
      ]);
      p.fakes.fmp.up();
      const before = { fmp: p.fakes.fmp.count('/stable/quote'), av: p.fakes.av.count() };
      // Node B skips both without calling them: the state is the database's, and its caches were told.
      const res = await onB(`/v1/routes/${name}/query`, { query: { symbol: 'AAPL' } });
      expect(res.json()).toMatchObject({ provider: { connector: 'polygon' } });
      expect(p.fakes.fmp.count('/stable/quote')).toBe(before.fmp);
      expect(p.fakes.av.count()).toBe(before.av);
      const health = (await onB(`/v1/routes/${name}/health`)).json() as { providers: Json[] };
      expect(health.providers.map((v) => [v.connector, (v.breaker as Json).state, v.quota !== null])).toEqual([
        ['financial_modeling_prep', 'open', false],
        ['alpha_vantage', 'closed', true],
        ['polygon', 'closed', false],
      ]);
    } finally {
      await b.close();
    }
  });
});
