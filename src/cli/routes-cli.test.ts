import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signals, type FinancialFake, type Vendor } from '../../test/fakes/financial.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliProcess, cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { startProviders, type Providers } from '../../test/helpers/routing.js';
import { parseFusionRule, providerInputs, routeBody, type Route } from './commands/route-flags.js';
import { typedParams } from './commands/route-query.js';

/**
 * `switchyard routes …` and `switchyard capabilities …`: the flag and body helpers on their own, then the real CLI
 * against a test server on loopback whose connections reach the FMP, Alpha Vantage and Polygon fakes.
 */

describe('routes flags', () => {
  it('reads --fusion-rule as field=pick with a tolerance, or a recency field for most_recent', () => {
    let rules = parseFusionRule('price=consensus:0.005');
    rules = parseFusionRule('*=first_non_null', rules);
    rules = parseFusionRule('updated=most_recent:timestamp', rules);
    rules = parseFusionRule('price=median', rules);
    expect(rules).toEqual({
      price: { pick: 'median' },
      '*': { pick: 'first_non_null' },
      updated: { pick: 'most_recent', recency_field: 'timestamp' },
    });
    expect(() => parseFusionRule('price')).toThrow(InvalidArgumentError);
    expect(() => parseFusionRule('price=consensus:half')).toThrow('expected a tolerance such as 0.005');
  });

  it('builds the body from a file with the flags over it, weights applied to the providers named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-routes-'));
    try {
      const file = path.join(dir, 'route.yaml');
      fs.writeFileSync(
        file,
        [
          'capability: equity.quote',
          'strategy: fallback',
          'providers: [{ connection_id: conn_a, redistributable: false }, { connection_id: conn_b }]',
          'on_rate_limit: strict',
          'fusion: { fields: { price: { pick: median } } }',
        ].join('\n'),
      );
      const body = await routeBody({
        fromFile: file,
        strategy: 'loadbalance',
        weight: { conn_b: '3' },
        onRateLimit: 'queue',
        queueMaxWait: 900,
        fusionRule: { volume: { pick: 'max' } },
        timeout: 5,
      });
      expect(body).toEqual({
        capability: 'equity.quote',
        strategy: 'loadbalance',
        providers: [
          { connection_id: 'conn_a', redistributable: false },
          { connection_id: 'conn_b', weight: 3 },
        ],
        on_rate_limit: 'queue',
        queue: { max_wait_seconds: 900 },
        fusion: { fields: { price: { pick: 'median' }, volume: { pick: 'max' } } },
        timeout_ms: 5000,
      });
      await expect(routeBody({ fromFile: file, weight: { conn_c: '1' } })).rejects.toThrow(
        "--weight names conn_c, which is not one of the route's providers.",
      );
      await expect(routeBody({ provider: ['conn_a'], weight: { conn_a: '-1' } })).rejects.toThrow(
        'the weight must be a whole number',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on update keeps the stored settings a flag completes, and --clear-fusion drops the rules', async () => {
    const current = {
      queue: { max_wait_seconds: 600 },
      retry: { attempts: 2, honour_retry_after: true, max_wait_ms: 10_000, budget_percent: 20 },
      fusion: { fields: { price: { pick: 'median' as const } } },
      providers: [
        { connection_id: 'conn_a', weight: 1 },
        { connection_id: 'conn_b', weight: 1, redistributable: true },
      ],
    };
    expect(await routeBody({ retries: 0, fusionRule: { volume: { pick: 'max' } } }, current)).toEqual({
      retry: { attempts: 0, honour_retry_after: true, max_wait_ms: 10_000, budget_percent: 20 },
      fusion: { fields: { price: { pick: 'median' }, volume: { pick: 'max' } } },
    });
    expect(await routeBody({ clearFusion: true }, current)).toEqual({ fusion: null });
    // New order: the stored provider keeps its override, a new one comes bare.
    expect(await routeBody({ provider: ['conn_c', 'conn_b'] }, current)).toEqual({
      providers: [{ connection_id: 'conn_c' }, { connection_id: 'conn_b', weight: 1, redistributable: true }],
    });
  });

  it("sends back a stored provider's licence only where it overrides its connector's", () => {
    const route = {
      providers: [
        { connection_id: 'conn_a', connector: 'bloomberg', name: 'B', weight: 1, redistributable: false },
        { connection_id: 'conn_b', connector: 'polygon', name: 'P', weight: 2, redistributable: false },
        { connection_id: 'conn_c', connector: 'unknown', name: 'U', weight: 1, redistributable: true },
      ],
    } as Route;
    const licences = new Map([
      ['bloomberg', false],
      ['polygon', true],
    ]);
    expect(providerInputs(route, licences)).toEqual([
      { connection_id: 'conn_a', weight: 1 },
      { connection_id: 'conn_b', weight: 2, redistributable: false },
      { connection_id: 'conn_c', weight: 1, redistributable: true },
    ]);
  });

  it('types --param values by the capability query schema', () => {
    const schema = {
      type: 'object',
      properties: {
        symbol: { type: 'string' },
        limit: { type: 'integer' },
        adjusted: { type: ['boolean', 'null'] },
        symbols: { type: 'array' },
      },
    };
    expect(typedParams({ symbol: '7203', limit: '30', adjusted: 'false', symbols: 'AAPL, MSFT' }, schema)).toEqual({
      symbol: '7203',
      limit: 30,
      adjusted: false,
      symbols: ['AAPL', 'MSFT'],
    });
    // What the schema cannot take stays text, for the server to refuse with the field named.
    expect(typedParams({ limit: 'ten', other: '1' }, schema)).toEqual({ limit: 'ten', other: '1' });
  });
});

const runCli = cliRunner(() => ({ url, token: t.adminToken }));
const startCli = cliProcess(() => ({ url, token: t.adminToken }));

let t: TestApp;
let url: string;
let providers: Providers;
const fakes = {} as Record<Vendor, FinancialFake>;
const conn = {} as Record<Vendor, string>;

async function setFeatures(features: string[]): Promise<void> {
  const res = await t.request({ method: 'PATCH', url: `/v1/tenants/${t.tenantId}`, body: { features } });
  expect(res.statusCode, res.body).toBe(200);
}

describe('switchyard routes against a server', () => {
  beforeAll(async () => {
    t = await createTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    providers = await startProviders(t);
    const slugs = { fmp: 'financial_modeling_prep', av: 'alpha_vantage', polygon: 'polygon' } as const;
    for (const [short, vendor] of Object.entries(slugs) as ['fmp' | 'av' | 'polygon', Vendor][]) {
      fakes[vendor] = providers.fakes[short];
      conn[vendor] = providers.ids[short];
    }
  });

  afterAll(async () => {
    await t?.close();
    await providers?.close();
  });

  it('says a capability needs its feature, then lists it with its providers once the tenant has it', async () => {
    await setFeatures([]);
    const before = ok(await runCli(['capabilities', 'list']));
    expect(before.stdout.split('\n')[0]).toMatch(/^NAME +TITLE +ANSWERS +KEY +ENABLED +PROVIDERS$/);
    expect(tableRow(before.stdout, 'equity.quote')).toMatch(/one record +symbol +no \(needs financial_data\)/);
    const refused = await runCli([
      'routes',
      'create',
      'quotes',
      '--capability',
      'equity.quote',
      '--strategy',
      'single',
      '--provider',
      conn.polygon,
      '--on-rate-limit',
      'strict',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error feature_not_enabled: /);

    await setFeatures(['financial_data']);
    const after = ok(await runCli(['capabilities', 'list']));
    expect(tableRow(after.stdout, 'equity.historical')).toMatch(/a list +symbol, date +yes +.*alpha_vantage/);
    expect(tableRow(after.stdout, 'equity.quote')).toContain('bloomberg (coming soon)');
    const shown = ok(await runCli(['capabilities', 'show', 'equity.historical']));
    expect(shown.stdout).toContain('Answers:      a list of records, one per symbol + date');
    expect(shown.stdout).toMatch(/Query fields:\n +FIELD +TYPE +REQUIRED +DESCRIPTION\n +symbol +string +yes/);
  });

  it('creates a fallback route from flags, lists and shows it', async () => {
    const created = ok(
      await runCli([
        'routes',
        'create',
        'quotes',
        '--capability',
        'equity.quote',
        '--strategy',
        'fallback',
        '--provider',
        conn.financial_modeling_prep,
        '--provider',
        conn.alpha_vantage,
        '--on-rate-limit',
        'queue',
        '--queue-max-wait',
        '2m',
        '--retries',
        '0',
      ]),
    );
    expect(created.stdout).toBe(
      'Created route quotes: equity.quote from financial_modeling_prep → alpha_vantage, fallback, on rate limit queue (wait at most 2m).\n' +
        'Call it: switchyard routes query quotes --param <field>=<value>\n',
    );
    // A sticky failover probes its primary after the breaker's cooldown (15 s by default): the tests below that
    // expect the route to stay on its fallback must not depend on how fast this machine runs them.
    const patched = await t.request({
      method: 'PATCH',
      url: '/v1/routes/quotes',
      body: { breaker: { cooldown_seconds: 3600 } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const listed = ok(await runCli(['routes', 'list']));
    expect(tableRow(listed.stdout, 'quotes')).toMatch(
      /^quotes +equity\.quote +fallback +financial_modeling_prep → alpha_vantage +queue +enabled /,
    );
    const shown = ok(await runCli(['routes', 'show', 'quotes']));
    expect(shown.stdout).toContain('Route quotes: equity.quote, fallback (enabled)');
    expect(shown.stdout).toContain('On rate limit:  queue (wait at most 2m)');
    expect(shown.stdout).toMatch(
      new RegExp(`\\n +1 +${conn.financial_modeling_prep} +fmp \\S+ +financial_modeling_prep +1 +redistributable\\n`),
    );
    const again = await runCli([
      'routes',
      'create',
      'quotes',
      '--capability',
      'equity.quote',
      '--strategy',
      'single',
      '--provider',
      conn.polygon,
      '--on-rate-limit',
      'strict',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error \w+: /);
  });

  it('queries: the data, who answered and why, the attempts; a failing primary is answered by the fallback', async () => {
    const first = ok(await runCli(['routes', 'query', 'quotes', '--param', 'symbol=AAPL']));
    expect(first.stdout).toMatch(/^FIELD +VALUE\nsymbol +AAPL\n/);
    expect(first.stdout).toMatch(/\nprice +\d+(\.\d+)?\n/);
    expect(first.stdout).toContain(`Answered by financial_modeling_prep (${conn.financial_modeling_prep}): `);
    expect(first.stdout).toMatch(
      /Attempts:\n +CONNECTION +CONNECTOR +OUTCOME +STATUS +LATENCY +REASON\n +\S+ +financial_modeling_prep +ok +- +\d+ ms +answered/,
    );

    fakes.financial_modeling_prep.failNext(1, 500);
    const fallback = ok(await runCli(['routes', 'query', 'quotes', '--param', 'symbol=AAPL', '--json']));
    const answer = JSON.parse(fallback.stdout) as {
      provider: { connector: string };
      attempts: { connector: string; outcome: string; status?: number }[];
    };
    expect(answer.provider.connector).toBe('alpha_vantage');
    expect(answer.attempts).toMatchObject([
      { connector: 'financial_modeling_prep', outcome: 'failed', status: 500 },
      { connector: 'alpha_vantage', outcome: 'ok' },
    ]);
  });

  it('refuses a query that does not fit the capability, and a route that does not exist, with the code', async () => {
    const bad = await runCli(['routes', 'query', 'quotes', '--param', 'symbol=not a symbol']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error validation_failed: .*\n {2}query\.symbol: /);
    const missing = await runCli(['routes', 'query', 'nope', '--query', '{"symbol":"AAPL"}']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error not_found: /);
    const missingJson = await runCli(['routes', 'show', 'nope', '--json']);
    expect(JSON.parse(missingJson.stdout || missingJson.stderr)).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('fails with providers_unavailable and every attempt when all providers fail', async () => {
    fakes.financial_modeling_prep.down();
    fakes.alpha_vantage.down();
    try {
      const failed = await runCli(['routes', 'query', 'quotes', '--param', 'symbol=MSFT']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(/^error providers_unavailable: /);
      expect(failed.stderr).toMatch(/attempts:\n +CONNECTION +CONNECTOR +OUTCOME/);
      // The route stays on its fallback (sticky failover) until a probe finds the primary well.
      expect(failed.stderr).toMatch(/financial_modeling_prep +skipped +- +\d+ ms +sticky failover: /);
      expect(failed.stderr).toMatch(/\nretry after: \d+ s\n/);
      expect(failed.stderr).toMatch(/alpha_vantage +failed +503/);
    } finally {
      fakes.financial_modeling_prep.up();
      fakes.alpha_vantage.up();
    }
  });

  it('explains which provider would answer and why, also as a dry run', async () => {
    const explained = ok(await runCli(['routes', 'explain', 'quotes', '--param', 'symbol=AAPL']));
    expect(explained.stdout).toMatch(/^Would use (financial_modeling_prep|alpha_vantage) \(\S+\): /);
    expect(explained.stdout).toMatch(
      /\nCONNECTION +CONNECTOR +NAME +ELIGIBLE +BREAKER +QUOTA +RATE LIMITED UNTIL +STICKY +CONDITION +WHY\n/,
    );
    expect(tableRow(explained.stdout, conn.alpha_vantage)).toMatch(/alpha_vantage +av \S+ +yes +closed +ok /);
    const dry = ok(await runCli(['routes', 'query', 'quotes', '--param', 'symbol=AAPL', '--dry-run']));
    expect(dry.stdout.split('\n')[0]).toBe(explained.stdout.split('\n')[0]);
  });

  it('fuses three providers: each field with where it came from, conflicts and the licence', async () => {
    ok(
      await runCli([
        'routes',
        'create',
        'fused-quotes',
        '--capability',
        'equity.quote',
        '--strategy',
        'fusion',
        '--provider',
        `${conn.financial_modeling_prep},${conn.alpha_vantage},${conn.polygon}`,
        '--on-rate-limit',
        'fallback',
        '--fusion-rule',
        'price=consensus:0.01',
        '--fusion-rule',
        'volume=max',
      ]),
    );
    const shown = ok(await runCli(['routes', 'show', 'fused-quotes']));
    expect(shown.stdout).toMatch(
      /Fusion rules .*\n +FIELD +PICK +TOLERANCE +ORDER +RECENCY FIELD\n +price +consensus +1% +- +-\n +volume +max +- +- +-\n/,
    );
    const fused = ok(await runCli(['routes', 'query', 'fused-quotes', '--param', 'symbol=AAPL']));
    expect(fused.stdout).toMatch(/^FIELD +VALUE +FROM\nsymbol +AAPL +\S+\n/);
    expect(fused.stdout).toMatch(/\nprice +[\d.]+ +financial_modeling_prep \+ alpha_vantage \+ polygon\n/);
    expect(fused.stdout).toMatch(/\nopen +[\d.]+ +financial_modeling_prep\n/);
    // The fakes' prices sit a few hundredths of a percent apart (within 1%); their day's change, 2% apart, does not.
    expect(fused.stdout).toMatch(
      /\nConflicts \(values that disagreed beyond the tolerance\):\n {2}change: financial_modeling_prep [\d.]+, alpha_vantage [\d.]+/,
    );
    expect(fused.stdout).toContain('\nFused: ');
    expect(fused.stdout).toContain('\nLicence: redistributable.\n');
    const data = json<{ provider: null; fusion: { provenance: Record<string, unknown>; redistributable: boolean } }>(
      await runCli(['routes', 'query', 'fused-quotes', '--param', 'symbol=AAPL', '--json']),
    );
    expect(data.provider).toBeNull();
    expect(data.fusion.provenance.price).toEqual({
      connection_ids: [conn.financial_modeling_prep, conn.alpha_vantage, conn.polygon],
    });
  });

  it('fuses historical bars from the providers into one table by date', async () => {
    ok(
      await runCli([
        'routes',
        'create',
        'bars',
        '--capability',
        'equity.historical',
        '--strategy',
        'fusion',
        '--provider',
        `${conn.alpha_vantage},${conn.polygon}`,
        '--on-rate-limit',
        'strict',
        '--fusion-rule',
        'close=median',
      ]),
    );
    const res = ok(
      await runCli([
        'routes',
        'query',
        'bars',
        '--param',
        'symbol=AAPL',
        '--param',
        'start_date=2026-12-01',
        '--param',
        'end_date=2026-12-04',
      ]),
    );
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/^SYMBOL +DATE +/);
    expect(lines.slice(1, 5).map((l) => l.split(/ +/)[1])).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    expect(res.stdout).toMatch(/Fields from:\n +FIELD +FROM\n/);
  });

  it('updates a route: weights, more fusion rules, disabled', async () => {
    const updated = ok(
      await runCli([
        'routes',
        'update',
        'fused-quotes',
        '--fusion-rule',
        'high=max',
        '--weight',
        `${conn.polygon}=3`,
        '--disable',
      ]),
    );
    expect(updated.stdout).toBe('Updated route fused-quotes: enabled, fusion, providers.\n');
    const route = json<Route>(await runCli(['routes', 'show', 'fused-quotes', '--json']));
    expect(route.enabled).toBe(false);
    expect(Object.keys(route.fusion?.fields ?? {}).sort()).toEqual(['high', 'price', 'volume']);
    expect(route.providers.map((p) => p.weight)).toEqual([1, 1, 3]);
    const nothing = await runCli(['routes', 'update', 'fused-quotes']);
    expect(nothing.stderr).toBe('error: Nothing to change: give at least one option (see --help).\n');
  });

  it('shows calls, follows new ones, stats with a chart, health, and resets a provider', async () => {
    const calls = ok(await runCli(['routes', 'calls', 'quotes']));
    expect(calls.stdout.split('\n')[0]).toMatch(/^AT +OUTCOME +CONNECTOR +CONNECTION +LATENCY +ATTEMPTS +REASON$/);
    expect(calls.stdout).toMatch(/\n\S+ \S+Z +fallback +alpha_vantage /);
    expect(calls.stdout).toMatch(/\n\S+ \S+Z +failed +/);

    // Followed: the calls so far oldest first, then the one made while following.
    // Cells, not padding: a followed table keeps wider columns.
    const lines = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/ {2,}/).join(' | '));
    const before = lines(calls.stdout).length;
    const follow = startCli(['routes', 'calls', 'quotes', '--follow', '--interval', '200']);
    const first = await follow.waitForStdout(new RegExp(`^([^\\n]*\\n){${before}}`));
    expect(lines(first).slice(1)).toEqual(lines(calls.stdout).slice(1).reverse());
    ok(await runCli(['routes', 'query', 'quotes', '--param', 'symbol=MSFT']));
    const followed = await follow.waitForStdout(new RegExp(`^([^\\n]*\\n){${before + 1}}`));
    expect(lines(followed).at(-1)).toMatch(
      /^\S+ \S+Z \| fallback \| alpha_vantage \| .* \| fallback: financial_modeling_prep skipped\b/,
    );
    const ended = await follow.interrupt();
    expect(ended.code === 0 || ended.code === 130).toBe(true);

    const stats = ok(await runCli(['routes', 'stats', 'quotes']));
    expect(stats.stdout.split('\n')[0]).toMatch(/^CONNECTION +CONNECTOR +CALLS +OK +FAILED +RATE LIMITED +P50 +P95$/);
    expect(tableRow(stats.stdout, conn.financial_modeling_prep)).toMatch(
      /financial_modeling_prep +\d+ +\d+ +[1-9]\d* /,
    );
    expect(stats.stdout).toMatch(
      /Calls per hour, .*:\n {2}ok +[▁▂▃▄▅▆▇█ ]{24} +\(max 1\)\n {2}fallback +[▁▂▃▄▅▆▇█ ]{24} +\(max \d\)\n {2}failed +/,
    );

    const health = ok(await runCli(['routes', 'health', 'quotes']));
    expect(health.stdout).toMatch(/^Route quotes: \d+ call\(s\) in the last hour, 0 queued\.\n/);
    expect(health.stdout).toContain('LAST FAILURE');
    expect(health.stdout).toContain('\nCalls per hour, ');

    const reset = ok(await runCli(['routes', 'reset', 'quotes', conn.alpha_vantage]));
    expect(reset.stdout).toBe(
      `Reset alpha_vantage (${conn.alpha_vantage}) on route quotes: breaker closed, eligible.\n`,
    );
    const notProvider = await runCli(['routes', 'reset', 'quotes', conn.polygon]);
    expect(notProvider.stderr).toMatch(/^error not_found: /);
  });

  it('deletes only with --yes when there is no terminal', async () => {
    const refused = await runCli(['routes', 'delete', 'bars']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: Refusing to delete route bars without --yes: there is no terminal to ask for confirmation.\n',
    );
    expect(ok(await runCli(['routes', 'delete', 'bars', '--yes'])).stdout).toBe('Deleted route bars.\n');
    expect(tableRow(ok(await runCli(['routes', 'list'])).stdout, 'bars')).toBe('');
  });

  it('answers a call that must wait for a window with a request id (--async), and shows the request', async () => {
    ok(
      await runCli([
        'routes',
        'create',
        'queued',
        '--capability',
        'equity.quote',
        '--strategy',
        'single',
        '--provider',
        conn.polygon,
        '--on-rate-limit',
        'queue',
        '--retries',
        '0',
      ]),
    );
    // Polygon's per-minute signal: 429 with its JSON error and no Retry-After, so the window ends at the minute.
    fakes.polygon.inject({
      reply: { status: 429, json: { status: 'ERROR', request_id: 'r1', error: signals.polygonMinute } },
    });
    const queued = ok(await runCli(['routes', 'query', 'queued', '--param', 'symbol=AAPL', '--async']));
    const id = /^Queued as request (\S+): served at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ at the earliest\.\n/.exec(
      queued.stdout,
    )?.[1];
    expect(id, queued.stdout).toBeDefined();
    expect(queued.stdout).toContain(`See: switchyard routes request ${id}\n`);
    const request = ok(await runCli(['routes', 'request', id as string]));
    expect(request.stdout).toMatch(new RegExp(`^Request: +${id}\nRoute: +queued\nState: +(queued|running)\n`));
  });
});
