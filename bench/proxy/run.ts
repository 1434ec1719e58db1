/**
 * bench/proxy — the API proxy's cost: a local upstream (bare Node http answering a fixed JSON body, the same server
 * bench/api uses as its baseline) called directly and through `GET /v1/connections/{id}/proxy/...`, by the same
 * load generator, in the same run.
 *
 *   npm run bench:proxy -- [--seconds 8] [--connections 32] [--rounds 3] [--latency-requests 3000]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless DATABASE_URL is
 * set (then in a scratch database on that server, dropped at the end), logging at `info` with the default access-log policy. The connection is a generic_rest connection with an
 * API key, created and tested through the API; the caller is an editor API key. Each proxied call is authenticated,
 * capability-checked, rate-limited, resolved (runtime cache), signed, sent over the SSRF-guarded keep-alive pool,
 * streamed back, counted and written to the request log.
 *
 * Two measurements:
 * - throughput at saturation (autocannon, `--connections`), as the median of per-round ratios proxied/direct;
 * - latency without queueing (a closed loop of `--latency-connections` clients, microsecond timing), so that the
 *   added latency is the proxy's own and not the queue in front of a saturated server.
 *
 * A bare Node proxy (bench/proxy/bare-proxy.ts: undici pool, streamed answer, nothing else) is measured the same way
 * on Switchyard's CPU: the price of one more HTTP hop in Node, the line to reach. Direct calls are the ceiling no
 * proxy reaches. Goals: p50 added ≤ 0.3 ms, throughput ≥ 0.8× the bare proxy.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomToken } from '../../src/core/ids.js';
import { benchApi, editorKey } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt, median, runLoad, type LoadResult } from '../lib/load.js';
import { freePort, startProcess, stopProcess, unpinEmbeddedDatabase } from '../lib/processes.js';
import { CUSTOMER_PATH, startUpstream, upstreamConnection } from '../lib/upstream.js';
import { measureLatency, type LatencyResult } from './latency.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    'latency-requests': { type: 'string', default: '3000' },
    'latency-connections': { type: 'string', default: '1' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const warmupSeconds = Number(values.warmup);
const latencyRequests = Number(values['latency-requests']);
const latencyConnections = Number(values['latency-connections']);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:proxy does it for you).');

/**
 * Switchyard gets a CPU of its own (the last), as in bench/api. The upstream stands in for a vendor on another
 * machine: with three or more CPUs it gets the next one; with two it shares the load generator's — in both
 * measurements alike, so the direct baseline pays for that sharing too.
 */
function pinLayout(): { switchyard: string[]; upstream: string[]; description: string } {
  const cpus = os.cpus().length;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { switchyard: [], upstream: [], description: 'unpinned' };
  }
  if (cpus < 2) return { switchyard: [], upstream: [], description: 'unpinned' };
  const last = cpus - 1;
  const generator = cpus >= 3 ? `0-${last - 2}` : '0';
  execFileSync('taskset', ['-a', '-cp', generator, String(process.pid)], { stdio: 'ignore' });
  const upstream = cpus >= 3 ? String(last - 1) : generator;
  return {
    switchyard: ['taskset', '-c', String(last)],
    upstream: ['taskset', '-c', upstream],
    description: `switchyard on CPU ${last}, upstream on CPU ${upstream}, load generator on CPU ${generator}`,
  };
}

const layout = pinLayout();
function command(prefix: string[]): [string, ...string[]] {
  const [first = process.execPath, ...rest] = [...prefix, process.execPath];
  return [first, ...rest];
}
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
const upPort = await freePort();
const upUrl = `http://127.0.0.1:${upPort}`;
// On PostgreSQL, a scratch database of its own: every run starts empty and can be repeated.
const db = await benchDatabase();
const database = db.kind;

const upstream = await startUpstream(layout.upstream, upPort);
const [syCommand, ...syArgs] = command(layout.switchyard);
const switchyard = await startProcess(
  syCommand,
  [...syArgs, entry, 'serve'],
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

// The reference floor runs where Switchyard runs, on the same CPU, only while it is measured (stopped between).
const barePort = await freePort();
const bareUrl = `http://127.0.0.1:${barePort}`;

const api = benchApi(syUrl, admin);
// An editor key (it holds use_proxy) with a limit the rate limiter counts against but never reaches.
const token = await editorKey(api);
const proxiedPath = await upstreamConnection(api, upUrl, token);
const headers = { authorization: `Bearer ${token}` };
const direct = `${upUrl}${CUSTOMER_PATH}`;
const proxied = `${syUrl}${proxiedPath}`;

const results = {
  throughput: { direct: [] as LoadResult[], proxied: [] as LoadResult[], bare: [] as LoadResult[] },
  latency: { direct: [] as LatencyResult[], proxied: [] as LatencyResult[], bare: [] as LatencyResult[] },
};
const bareTarget = `${bareUrl}${CUSTOMER_PATH}`;
async function withBareProxy<T>(run: () => Promise<T>): Promise<T> {
  const bare = await startProcess(
    syCommand,
    [...syArgs, '--import', 'tsx', path.join(root, 'bench/proxy/bare-proxy.ts')],
    { PORT: String(barePort), UPSTREAM: upUrl },
    async () => (await fetch(bareTarget)).ok,
  );
  try {
    return await run();
  } finally {
    await stopProcess(bare);
  }
}
try {
  // Alternate the targets so drift on a shared machine hits both alike.
  for (let round = 0; round < rounds; round++) {
    results.throughput.direct.push(await runLoad({ url: direct, connections, seconds, warmupSeconds }));
    results.throughput.proxied.push(await runLoad({ url: proxied, headers, connections, seconds, warmupSeconds }));
    results.throughput.bare.push(
      await withBareProxy(() => runLoad({ url: bareTarget, connections, seconds, warmupSeconds })),
    );
  }
  const latency = { connections: latencyConnections, requests: latencyRequests, warmup: 500 };
  for (let round = 0; round < rounds; round++) {
    results.latency.direct.push(await measureLatency({ url: direct, ...latency }));
    results.latency.proxied.push(await measureLatency({ url: proxied, headers, ...latency }));
    results.latency.bare.push(await withBareProxy(() => measureLatency({ url: bareTarget, ...latency })));
  }
} finally {
  await stopProcess(switchyard);
  await stopProcess(upstream);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await db.drop();
}

const t = results.throughput;
const l = results.latency;
const ratios = t.proxied.map((r, i) => r.requestsPerSecond / (t.direct[i] as LoadResult).requestsPerSecond);
const ratio = median(ratios);
const lat = (list: LatencyResult[]) => ({ p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)) });
const ld = lat(l.direct);
const lp = lat(l.proxied);
const addedP50 = lp.p50 - ld.p50;
const addedP99 = lp.p99 - ld.p99;
const tp = (list: LoadResult[]) => ({
  rps: median(list.map((r) => r.requestsPerSecond)),
  p50: median(list.map((r) => r.p50)),
  p99: median(list.map((r) => r.p99)),
  bad: list.reduce((s, r) => s + r.errors + r.non2xx, 0),
});
const td = tp(t.direct);
const tpx = tp(t.proxied);
const tb = tp(t.bare);
const lb = lat(l.bare);
const bareRatio = median(t.bare.map((r, i) => r.requestsPerSecond / (t.direct[i] as LoadResult).requestsPerSecond));
const vsBare = median(t.proxied.map((r, i) => r.requestsPerSecond / (t.bare[i] as LoadResult).requestsPerSecond));
const bad = td.bad + tpx.bad + tb.bad + [...l.direct, ...l.proxied, ...l.bare].reduce((s, r) => s + r.errors, 0);
const ms = (n: number) => fmt(n, 3);
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

console.log(
  `\nbench/proxy — database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${layout.description}), Node ${process.version}`,
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
console.log(row('through switchyard proxy', tpx));
console.log(row('through a bare node proxy (floor)', tb));
console.log(
  `latency: ${latencyConnections} connection(s), ${latencyRequests} requests per run, ${rounds} rounds (medians)`,
);
console.log(`${'target'.padEnd(34)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`);
console.log(`${'direct (bare node http)'.padEnd(34)}${ms(ld.p50).padStart(10)}${ms(ld.p99).padStart(10)}`);
console.log(`${'through switchyard proxy'.padEnd(34)}${ms(lp.p50).padStart(10)}${ms(lp.p99).padStart(10)}`);
console.log(`${'through a bare node proxy (floor)'.padEnd(34)}${ms(lb.p50).padStart(10)}${ms(lb.p99).padStart(10)}`);
console.log(
  `added latency: p50 ${ms(addedP50)} ms (goal <= 0.3 ms) ${verdict(addedP50 <= 0.3)}, p99 ${ms(addedP99)} ms`,
);
console.log(`per-round throughput ratios: ${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')}`);
console.log(`throughput proxied vs direct (median of rounds): ${ratio.toFixed(2)}x (the ceiling; no goal)`);
console.log(
  `throughput vs a bare node proxy (median of rounds): switchyard reaches ${vsBare.toFixed(2)}x the bare proxy (goal >= 0.8x) ${verdict(vsBare >= 0.8)}; the bare proxy reaches ${bareRatio.toFixed(2)}x direct`,
);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `proxy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify({ database, layout: layout.description, connections, seconds, rounds, results, ratios, ratio, bareRatio, vsBare, addedP50, addedP99 }, null, 2)}\n`,
);
if (bad > 0) process.exitCode = 1;
