/**
 * bench/routing — provider routing's cost and behaviour (issue 23, "Measurements"): local FMP-shaped quote servers
 * (bench/routing/upstream.ts, bare Node http) called directly, through the proxy and through routes, by the same
 * load generators, in the same run.
 *
 *   npm run bench:routing -- [--seconds 8] [--connections 32] [--rounds 3] [--latency-seconds 4]
 *                            [--fusion-delays 5,10,20] [--failover-rate 200] [--profile-dir DIR]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless DATABASE_URL is set
 * (then in a scratch database on that server, dropped at the end), logging at `info`. Everything is set up through
 * the public API: as the superuser, the tenant's financial_data feature, one custom connector per quote server (API
 * key in the query, its base URL on that server, an `equity.quote` capability section like FMP's), a connection to
 * each (validate: false) and three routes; the caller is an editor API key (query_routes, use_proxy).
 *
 * Four measurements, each against its baseline in the same run:
 * 1. added latency of a routed call (`POST /v1/routes/quotes/query`, primary answering) over a direct call to the
 *    same server, closed loop, one connection, microsecond timing: goal p50 ≤ 1 ms; the proxy path
 *    (`GET /v1/connections/{id}/proxy/quote`) for context;
 * 2. throughput at saturation (autocannon, `--connections`): routed vs proxied on the same server, median of the
 *    per-round ratios: goal ≥ 0.8×;
 * 3. failover: a steady stream on a fallback route while the primary's server starts answering 503: calls sent after
 *    the flip that the fallback did not serve (goal ≤ 1), the time to its first answer; then the primary recovers and
 *    the route must return to it (sticky failover, a probe after the breaker's 1 s cooldown) and stay;
 * 4. fusion of three providers whose servers answer after `--fusion-delays` ms vs a direct call to the slowest:
 *    goal p50 ≤ 1.1×.
 *
 * `--profile-dir DIR` measures nothing: it drives one target at saturation (`--profile-target`: routed, the default;
 * proxied; or fusion) for `--rounds` × `--seconds` and writes a CPU profile of the Switchyard process into DIR
 * (node --cpu-prof) when it stops, so that the profile holds that path alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomToken } from '../../src/core/ids.js';
import { benchApi, editorKey } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt, median, runLoad, type LoadResult } from '../lib/load.js';
import { freePort, pinWithUpstream, startProcess, stopProcess, unpinEmbeddedDatabase } from '../lib/processes.js';
import { runClosedLoop, type RequestsResult } from '../lib/requests.js';
import { failoverStream, judgeFailover } from './failover.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    'latency-seconds': { type: 'string', default: '4' },
    'fusion-delays': { type: 'string', default: '5,10,20' },
    'failover-rate': { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'info' },
    'profile-dir': { type: 'string' },
    'profile-target': { type: 'string', default: 'routed' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const warmupSeconds = Number(values.warmup);
const latencySeconds = Number(values['latency-seconds']);
const fusionDelays = values['fusion-delays'].split(',').map(Number);
const failoverRate = Number(values['failover-rate']);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:routing does it for you).');
const profileTarget = values['profile-target'];
if (!['routed', 'proxied', 'fusion'].includes(profileTarget))
  throw new Error('--profile-target is routed, proxied or fusion');
if (fusionDelays.length !== 3 || fusionDelays.some((d) => !(d >= 0)))
  throw new Error('--fusion-delays takes three delays in ms, e.g. 5,10,20');

const layout = pinWithUpstream();
function command(prefix: string[]): [string, ...string[]] {
  const [first = process.execPath, ...rest] = [...prefix, process.execPath];
  return [first, ...rest];
}

/**
 * The quote servers, one port each: `primary` serves the latency and throughput route (with `fallback` behind it,
 * never reached there); `flaky` is the failover route's primary (with the same `fallback`); `f1`..`f3` answer after
 * the fusion delays.
 */
const servers = ['primary', 'fallback', 'flaky', 'f1', 'f2', 'f3'] as const;
type Server = (typeof servers)[number];
const delays: Record<Server, number> = {
  primary: 0,
  fallback: 0,
  flaky: 0,
  f1: fusionDelays[0] as number,
  f2: fusionDelays[1] as number,
  f3: fusionDelays[2] as number,
};
const ports = {} as Record<Server, number>;
for (const s of servers) ports[s] = await freePort();
const upUrl = (s: Server) => `http://127.0.0.1:${ports[s]}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
const db = await benchDatabase();
const database = db.kind;
const VENDOR_KEY = 'bench-vendor-key';

const [upCommand, ...upArgs] = command(layout.upstream);
const upstream = await startProcess(
  upCommand,
  [...upArgs, '--import', 'tsx', path.join(root, 'bench/routing/upstream.ts')],
  { PORTS: servers.map((s) => ports[s]).join(','), DELAYS: servers.map((s) => delays[s]).join(',') },
  async () => (await fetch(`${upUrl('f3')}/quote?symbol=AAPL`)).ok,
);
const [syCommand, ...syArgs] = command(layout.switchyard);
const profile = values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : [];
const switchyard = await startProcess(
  syCommand,
  [...syArgs, ...profile, entry, 'serve'],
  {
    PORT: String(syPort),
    ...db.env,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
);
unpinEmbeddedDatabase(dataDir);

const api = benchApi(syUrl, admin);

/** An FMP-shaped custom connector whose base URL is one quote server (API key in the query, as FMP's). */
function quoteConnector(server: Server): Record<string, unknown> {
  return {
    schema_version: 1,
    slug: `bench_quotes_${server}`,
    name: `Bench quotes (${server})`,
    description: 'A local quote server answering as Financial Modeling Prep’s /stable/quote does (bench/routing).',
    category: 'Financial Data',
    logo: { initials: 'BQ', color: '#1E3A8A' },
    features: ['proxy'],
    auth: [
      {
        type: 'api_key',
        label: 'API key',
        in: 'query',
        name: 'apikey',
        value: '{{credentials.api_key}}',
        fields: [{ key: 'api_key', label: 'API key', type: 'password', secret: true }],
      },
    ],
    base_url: upUrl(server),
    test: {
      kind: 'http',
      request: { method: 'GET', path: '/quote', query: { symbol: 'AAPL' } },
      success: { status: [200] },
    },
    capabilities: {
      'equity.quote': {
        request: { path: '/quote', query: { symbol: '{{query.symbol}}' } },
        records: { path: '$' },
        fields: [
          { to: 'symbol', from: 'symbol' },
          { to: 'name', from: 'name' },
          { to: 'exchange', from: 'exchange' },
          { to: 'price', from: 'price', cast: 'number' },
          { to: 'open', from: 'open', cast: 'number' },
          { to: 'high', from: 'dayHigh', cast: 'number' },
          { to: 'low', from: 'dayLow', cast: 'number' },
          { to: 'previous_close', from: 'previousClose', cast: 'number' },
          { to: 'change', from: 'change', cast: 'number' },
          { to: 'change_percent', from: 'changePercentage', cast: 'number' },
          { to: 'volume', from: 'volume', cast: 'number' },
          { to: 'market_cap', from: 'marketCap', cast: 'number' },
          { to: 'as_of', from: 'timestamp', cast: 'timestamp' },
        ],
        answers: [{ json: { path: "$['Error Message']" }, outcome: 'status' }],
      },
    },
  };
}

const ids = {} as Record<Server, string>;
const COOLDOWN_SECONDS = 1;
const QUERY = JSON.stringify({ query: { symbol: 'AAPL' } });
const directUrl = (s: Server) => `${upUrl(s)}/quote?symbol=AAPL&apikey=${VENDOR_KEY}`;
const proxiedPath = (connectionId: string) => `/v1/connections/${connectionId}/proxy/quote?symbol=AAPL`;
const routedPath = (name: string) => `/v1/routes/${name}/query`;

/**
 * The set-up, through the API as the superuser: the feature, the connectors, a connection to each (into `ids`), the
 * routes and an editor key (query_routes, use_proxy; a limit the rate limiter counts against but never reaches);
 * then each path must answer what it should. Answers the key.
 */
async function setUp(): Promise<string> {
  const me = (await api.call('GET', '/v1/me')) as { tenant: { id: string } };
  await api.call('PATCH', `/v1/tenants/${me.tenant.id}`, { features: ['financial_data'] });
  for (const s of servers) {
    const connector = (await api.call('POST', '/v1/connectors', quoteConnector(s))) as { slug: string };
    const connection = await api.call('POST', '/v1/connections', {
      connector: connector.slug,
      name: `bench ${s}`,
      credentials: { api_key: VENDOR_KEY },
      validate: false,
    });
    ids[s] = connection.id as string;
  }
  const route = (name: string, body: Record<string, unknown>) =>
    api.call('POST', '/v1/routes', { name, capability: 'equity.quote', on_rate_limit: 'fallback', ...body });
  await route('quotes', {
    strategy: 'fallback',
    providers: [{ connection_id: ids.primary }, { connection_id: ids.fallback }],
  });
  await route('failover', {
    strategy: 'fallback',
    providers: [{ connection_id: ids.flaky }, { connection_id: ids.fallback }],
    breaker: { cooldown_seconds: COOLDOWN_SECONDS },
  });
  await route('fusion', {
    strategy: 'fusion',
    providers: [{ connection_id: ids.f1 }, { connection_id: ids.f2 }, { connection_id: ids.f3 }],
    fusion: { fields: { price: { pick: 'median' }, '*': { pick: 'priority' } } },
  });
  const key = await editorKey(api);

  type Answer = {
    provider: { connection_id: string } | null;
    data: { price?: number };
    attempts: { outcome: string }[];
  };
  for (const [name, expected] of [
    ['quotes', ids.primary],
    ['fusion', null],
  ] as const) {
    const res = await api.request('POST', routedPath(name), { query: { symbol: 'AAPL' } }, key);
    const answer = res.data as Answer;
    if (
      res.status !== 200 ||
      (answer.provider?.connection_id ?? null) !== expected ||
      typeof answer.data.price !== 'number'
    )
      throw new Error(`route ${name} answered ${res.status} ${JSON.stringify(res.data)}`);
    if (name === 'fusion' && answer.attempts.filter((a) => a.outcome === 'ok').length !== 3)
      throw new Error(`the fusion route did not hear from all three providers: ${JSON.stringify(answer.attempts)}`);
  }
  const proxied = await api.request('GET', proxiedPath(ids.primary), undefined, key);
  if (proxied.status !== 200) throw new Error(`the proxied call answered ${proxied.status}`);
  return key;
}

async function stopAll(): Promise<void> {
  await stopProcess(switchyard);
  await stopProcess(upstream);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await db.drop();
}

let token: string;
try {
  token = await setUp();
} catch (error) {
  await stopAll();
  throw error;
}
const auth = { authorization: `Bearer ${token}` };
const postHeaders = { ...auth, 'content-type': 'application/json' };

/** A closed loop of one connection, after a one-second warm-up: per-request latency with microsecond timing. */
async function latency(target: { origin: string; path: string; post?: boolean }): Promise<RequestsResult> {
  const request = target.post
    ? { method: 'POST' as const, path: target.path, headers: postHeaders, body: QUERY }
    : { path: target.path, headers: target.origin === syUrl ? auth : {} };
  const loop = (s: number) => runClosedLoop({ origin: target.origin, next: () => request, connections: 1, seconds: s });
  await loop(1);
  return loop(latencySeconds);
}
const split = (url: string) => {
  const u = new URL(url);
  return { origin: u.origin, path: `${u.pathname}${u.search}` };
};

const results = {
  throughput: { direct: [] as LoadResult[], proxied: [] as LoadResult[], routed: [] as LoadResult[] },
  latency: { direct: [] as RequestsResult[], proxied: [] as RequestsResult[], routed: [] as RequestsResult[] },
  fusion: { slowest: [] as RequestsResult[], fused: [] as RequestsResult[] },
  failover: undefined as ReturnType<typeof judgeFailover> | undefined,
};
const control = async (s: Server, change: Record<string, unknown>) => {
  const res = await fetch(`${upUrl(s)}/control`, { method: 'POST', body: JSON.stringify(change) });
  if (!res.ok) throw new Error(`control of ${s} answered ${res.status}`);
  await res.text();
};
const load = { connections, seconds, warmupSeconds };
const targets = {
  routed: { url: `${syUrl}${routedPath('quotes')}`, method: 'POST' as const, body: QUERY, headers: postHeaders },
  proxied: { url: `${syUrl}${proxiedPath(ids.primary)}`, headers: auth },
  fusion: { url: `${syUrl}${routedPath('fusion')}`, method: 'POST' as const, body: QUERY, headers: postHeaders },
};

/** The four measurements, in the order the report gives them (failover last: it leaves a breaker's history). */
async function measure() {
  // Alternate the targets so drift on a shared machine hits them alike.
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`  throughput round ${round + 1} of ${rounds}\n`);
    results.throughput.direct.push(await runLoad({ url: directUrl('primary'), ...load }));
    results.throughput.proxied.push(await runLoad({ ...targets.proxied, ...load }));
    results.throughput.routed.push(await runLoad({ ...targets.routed, ...load }));
  }
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`  latency round ${round + 1} of ${rounds}\n`);
    results.latency.direct.push(await latency(split(directUrl('primary'))));
    results.latency.proxied.push(await latency({ origin: syUrl, path: proxiedPath(ids.primary) }));
    results.latency.routed.push(await latency({ origin: syUrl, path: routedPath('quotes'), post: true }));
  }
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`  fusion round ${round + 1} of ${rounds}\n`);
    results.fusion.slowest.push(await latency(split(directUrl('f3'))));
    results.fusion.fused.push(await latency({ origin: syUrl, path: routedPath('fusion'), post: true }));
  }
  process.stderr.write('  failover\n');
  const run = await failoverStream({
    origin: syUrl,
    path: routedPath('failover'),
    headers: postHeaders,
    body: QUERY,
    rate: failoverRate,
    connections: 16,
    seconds: 10,
    flipAt: 2,
    recoverAt: 5,
    flip: () => control('flaky', { failing: true }),
    recover: () => control('flaky', { failing: false }),
  });
  results.failover = judgeFailover(run, ids.flaky, ids.fallback);
}

const profiling = values['profile-dir'] !== undefined;
try {
  if (profiling) {
    const target = targets[profileTarget as keyof typeof targets];
    for (let round = 0; round < rounds; round++) {
      process.stderr.write(`  ${profileTarget} at saturation, round ${round + 1} of ${rounds} (profiled)\n`);
      const result = await runLoad({ ...target, ...load });
      process.stderr.write(`    ${fmt(result.requestsPerSecond)} requests/s under the profiler\n`);
    }
  } else await measure();
} finally {
  await stopAll();
}

if (profiling)
  console.log(`\nbench/routing: a CPU profile of ${profileTarget} calls at saturation is in ${values['profile-dir']}`);
else report();

function report() {
  const ms = (n: number) => fmt(n, 3);
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const t = results.throughput;
  const tp = (list: LoadResult[]) => ({
    rps: median(list.map((r) => r.requestsPerSecond)),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    bad: list.reduce((s, r) => s + r.errors + r.non2xx, 0),
  });
  const lat = (list: RequestsResult[]) => ({
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    bad: list.reduce((s, r) => s + r.total - r.ok, 0),
  });
  const td = tp(t.direct);
  const tpx = tp(t.proxied);
  const tr = tp(t.routed);
  const ratios = t.routed.map((r, i) => r.requestsPerSecond / (t.proxied[i] as LoadResult).requestsPerSecond);
  const vsProxy = median(ratios);
  const ld = lat(results.latency.direct);
  const lp = lat(results.latency.proxied);
  const lr = lat(results.latency.routed);
  const addedP50 = lr.p50 - ld.p50;
  const addedP99 = lr.p99 - ld.p99;
  const overProxyP50 = lr.p50 - lp.p50;
  const fs3 = lat(results.fusion.slowest);
  const ff = lat(results.fusion.fused);
  const fusionRatios = results.fusion.fused.map((r, i) => r.p50 / (results.fusion.slowest[i] as RequestsResult).p50);
  const fusionRatio = median(fusionRatios);
  const f = results.failover as ReturnType<typeof judgeFailover>;
  const failoverMet = f.during.calls > 0 && f.during.notByFallback <= 1;
  const returned = f.after.backAfterMs !== null && f.after.offPrimaryAfterBack === 0;
  const bad = td.bad + tpx.bad + tr.bad + ld.bad + lp.bad + lr.bad + fs3.bad + ff.bad;

  console.log(
    `\nbench/routing — database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${layout.description}), Node ${process.version}`,
  );
  console.log(
    `throughput: ${connections} connections, ${seconds} s per run after ${warmupSeconds} s warm-up, ${rounds} rounds (medians)`,
  );
  console.log(
    `${'target'.padEnd(34)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}`,
  );
  const row = (name: string, s: ReturnType<typeof tp>) =>
    `${name.padEnd(34)}${fmt(s.rps).padStart(10)}${fmt(s.p50, 1).padStart(10)}${fmt(s.p99, 1).padStart(10)}${String(s.bad).padStart(8)}`;
  console.log(row('direct (bare node http)', td));
  console.log(row('proxy (GET .../proxy/quote)', tpx));
  console.log(row('routed (POST /v1/routes/.../query)', tr));
  console.log(`per-round throughput ratios routed/proxied: ${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')}`);
  console.log(
    `throughput routed vs proxied (median of rounds): ${vsProxy.toFixed(2)}x (goal >= 0.8x) ${verdict(vsProxy >= 0.8)}; routed vs direct ${(tr.rps / td.rps).toFixed(2)}x`,
  );
  console.log(`latency: 1 connection, ${latencySeconds} s per run after 1 s warm-up, ${rounds} rounds (medians)`);
  console.log(`${'target'.padEnd(34)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`);
  const latRow = (name: string, s: ReturnType<typeof lat>) =>
    `${name.padEnd(34)}${ms(s.p50).padStart(10)}${ms(s.p99).padStart(10)}`;
  console.log(latRow('direct (bare node http)', ld));
  console.log(latRow('proxy (GET .../proxy/quote)', lp));
  console.log(latRow('routed (POST /v1/routes/.../query)', lr));
  console.log(
    `added latency routed over direct: p50 ${ms(addedP50)} ms (goal <= 1 ms) ${verdict(addedP50 <= 1)}, p99 ${ms(addedP99)} ms`,
  );
  console.log(
    `added latency routed over the proxy: p50 ${ms(overProxyP50)} ms, p99 ${ms(lr.p99 - lp.p99)} ms (context; no goal)`,
  );
  console.log(
    `failover: ${failoverRate} calls/s on a fallback route; the primary's server answers 503 from 2 s to 5 s (breaker cooldown ${COOLDOWN_SECONDS} s)`,
  );
  console.log(`  before the flip: ${f.before.primary} of ${f.before.calls} calls served by the primary`);
  console.log(
    `  after the flip: ${f.during.notByFallback} of ${f.during.calls} calls not served by the fallback (goal <= 1) ${verdict(failoverMet)}; first served by it ${f.during.firstByFallbackMs === null ? 'never' : `${ms(f.during.firstByFallbackMs)} ms`} after the flip; call latency p50 ${ms(f.during.p50)} ms, max ${ms(f.during.max)} ms`,
  );
  console.log(
    `  after the recovery: back on the primary ${f.after.backAfterMs === null ? 'never' : `${ms(f.after.backAfterMs)} ms after it`}, ${f.after.offPrimaryAfterBack} later calls elsewhere, ${f.after.failed} of ${f.after.calls} failed (goal: back, and staying) ${verdict(returned)}`,
  );
  console.log(`fusion: three providers answering after ${fusionDelays.join(', ')} ms, 1 connection (medians)`);
  console.log(latRow(`direct, the slowest (${fusionDelays[2]} ms)`, fs3));
  console.log(latRow('fused route (three providers)', ff));
  console.log(
    `fusion vs the slowest single call: p50 ${fusionRatio.toFixed(3)}x (per round ${fusionRatios.map((r) => r.toFixed(3)).join(' ')}) (goal <= 1.1x) ${verdict(fusionRatio <= 1.1)}`,
  );

  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'bench/results', `routing-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify({ database, layout: layout.description, connections, seconds, rounds, latencySeconds, fusionDelays, results, ratios, vsProxy, addedP50, addedP99, overProxyP50, fusionRatios, fusionRatio }, null, 2)}\n`,
  );
  if (bad > 0 || f.after.failed > 0) process.exitCode = 1;
}
