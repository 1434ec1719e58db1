/**
 * bench/api — authenticated GET throughput and latency of Switchyard against a bare Node http server answering
 * the same JSON, measured in the same run by the same load generator (autocannon), on this machine.
 *
 *   npm run bench:api -- [--seconds 10] [--connections 32] [--rounds 2]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless DATABASE_URL is
 * set (then in a scratch database on that server, dropped at the end), with logging at `info` (one access-log line per request) and a real, non-superuser API key — every request
 * is authenticated, capability-checked, rate-limited, validated, serialised, logged and counted in metrics.
 * Goal (issue #2): throughput ≥ 0.5× the bare server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomToken } from '../../src/core/ids.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt, runLoad, type LoadResult } from '../lib/load.js';
import { freePort, pinCpus, startProcess, stopProcess, unpinEmbeddedDatabase } from '../lib/processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const warmupSeconds = Number(values.warmup);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:api does it for you).');

const pinning = pinCpus();
const [serverCommand, ...serverPrefixArgs] = [...pinning.serverPrefix, process.execPath];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
// On PostgreSQL, a scratch database of its own: every run starts empty and can be repeated.
const db = await benchDatabase();
const database = db.kind;

const switchyard = await startProcess(
  serverCommand as string,
  [...serverPrefixArgs, entry, 'serve'],
  {
    PORT: String(syPort),
    ...db.env,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
);
unpinEmbeddedDatabase(dataDir);

// A viewer key with a limit high enough that the rate limiter counts every request but never refuses one.
const created = await fetch(`${syUrl}/v1/api-keys`, {
  method: 'POST',
  headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench', role: 'viewer', rate_limit_per_minute: 100_000_000 }),
});
if (created.status !== 201) throw new Error(`Could not create the bench API key: ${await created.text()}`);
const { token } = (await created.json()) as { token: string };
const headers = { authorization: `Bearer ${token}` };
const body = await (await fetch(`${syUrl}/v1/me`, { headers })).text();

const barePort = await freePort();
const bareUrl = `http://127.0.0.1:${barePort}`;
const bare = await startProcess(
  serverCommand as string,
  [...serverPrefixArgs, '--import', 'tsx', path.join(root, 'bench/api/bare-server.ts')],
  { PORT: String(barePort), BENCH_BODY: body },
  async () => (await fetch(bareUrl)).ok,
);

const load = (url: string, h?: Record<string, string>) =>
  runLoad({ url, headers: h, connections, seconds, warmupSeconds });
const results: { bare: LoadResult[]; me: LoadResult[]; list: LoadResult[] } = { bare: [], me: [], list: [] };
try {
  // Alternate the targets so drift on a shared machine hits both alike.
  for (let round = 0; round < rounds; round++) {
    results.bare.push(await load(`${bareUrl}/v1/me`));
    results.me.push(await load(`${syUrl}/v1/me`, headers));
  }
  results.list.push(await load(`${syUrl}/v1/secrets?limit=20`, headers));
} finally {
  await stopProcess(bare);
  await stopProcess(switchyard);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await db.drop();
}

const mean = (list: LoadResult[], pick: (r: LoadResult) => number) =>
  list.reduce((s, r) => s + pick(r), 0) / list.length;
const summary = (list: LoadResult[]) => ({
  rps: mean(list, (r) => r.requestsPerSecond),
  p50: mean(list, (r) => r.p50),
  p99: mean(list, (r) => r.p99),
  bad: list.reduce((s, r) => s + r.errors + r.non2xx, 0),
});
const b = summary(results.bare);
const m = summary(results.me);
const l = summary(results.list);
// Each round measures both servers back to back; the median of the per-round ratios resists a noisy neighbour
// on a shared machine better than a ratio of means.
const roundRatios = results.me.map((r, i) => r.requestsPerSecond / (results.bare[i] as LoadResult).requestsPerSecond);
const ratio = [...roundRatios].sort((x, y) => x - y)[Math.floor(roundRatios.length / 2)] as number;
const row = (name: string, s: ReturnType<typeof summary>) =>
  `${name.padEnd(44)}${fmt(s.rps).padStart(10)}${fmt(s.p50, 1).padStart(10)}${fmt(s.p99, 1).padStart(10)}${String(s.bad).padStart(8)}`;

console.log(
  `\nbench/api — ${connections} connections, ${seconds} s per run after ${warmupSeconds} s warm-up, ${rounds} rounds, ` +
    `database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${pinning.description}), Node ${process.version}`,
);
console.log(
  `${'target'.padEnd(44)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}`,
);
console.log(row('bare node http (same JSON)', b));
console.log(row('switchyard GET /v1/me (authenticated)', m));
console.log(row('switchyard GET /v1/secrets (database read)', l));
console.log(`per-round ratios: ${roundRatios.map((r) => `${r.toFixed(2)}x`).join(' ')}`);
console.log(
  `ratio /v1/me vs bare (median of rounds): ${ratio.toFixed(2)}x (goal >= 0.5x) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`,
);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify({ database, connections, seconds, rounds, results, roundRatios, ratio }, null, 2)}\n`,
);
if (b.bad + m.bad + l.bad > 0) process.exitCode = 1;
