/**
 * bench/outbound — outbound webhook delivery, end to end: events published through `POST /v1/events`, fanned out,
 * claimed by the dispatcher, signed, POSTed to a local receiver, and logged (delivery `delivered`, attempt stored).
 *
 *   npm run bench:outbound -- [--events 3000] [--rounds 3] [--rate 500] [--rate-seconds 10]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless DATABASE_URL is set,
 * then in a scratch database on that server (dropped at the end), on a CPU of its own. The receiver (a bare Node http server answering 200) and the publishers run in this process
 * on the other CPU(s), so receive times and publish times come from one clock.
 *
 * Measurements, each in the same run:
 * - throughput: N events published as fast as 32 concurrent publishers go, timed from the first publish until the
 *   last delivery is logged; beside a bare loop of signed POSTs (bench/outbound/bare-sender.ts, same signing code,
 *   16 in flight like the endpoint cap) on Switchyard's CPU. Goal: ≥ 0.5× the bare loop.
 * - latency: events published at a fixed rate (open loop), publish-request start → receiver, p50 and p99. Goal: p50
 *   ≤ 20 ms at 500 events/s.
 * - isolation: the throughput run with a second endpoint subscribed, answering at once (the control: same fan-out,
 *   twice the deliveries) and then in 5 s. Goal: the first endpoint keeps ≥ 90% of its control throughput.
 *
 * Three durable senders, each on Switchyard's CPU with a database of the same kind (its own embedded server, or its
 * own tables in the scratch database), fed by the same 32 publishers and timed from the first publish to the last
 * arrival at the receiver:
 * - a bare durable sender (bench/outbound/bare-durable.ts), no goal: one INSERT per event, then claim, signed POST
 *   and UPDATE per delivery. It shows what durability alone costs on this machine, beside the bare loop that has none.
 * - a batched durable reference (bench/outbound/batched-durable.ts), the best hand-written durable sender: publishes
 *   group-committed (one multi-row INSERT per group), deliveries claimed in batches, 16 POSTs in flight, results
 *   marked in groups. Goal: switchyard ≥ 0.9× it.
 * - a graphile-worker sender (bench/outbound/graphile-sender.ts), the PostgreSQL job queue a Node team would pick:
 *   `addJob` per event, a runner with 16 jobs at once signs and POSTs, batching as its performance guide advises.
 *   Goal: switchyard ahead of it (> 1.0×).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { randomToken } from '../../src/core/ids.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt, median } from '../lib/load.js';
import { sampleOrder } from '../lib/payload.js';
import { freePort, startProcess, stopProcess, unpinEmbeddedDatabase } from '../lib/processes.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    'rate-seconds': { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const events = Number(values.events);
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const rateSeconds = Number(values['rate-seconds']);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:outbound does it for you).');

/** Switchyard (and the reference senders, each in its turn) on the last CPU; this process on the others. */
function pinLayout(): { server: string[]; description: string } {
  const cpus = os.cpus().length;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { server: [], description: 'unpinned' };
  }
  if (cpus < 2) return { server: [], description: 'unpinned' };
  const last = cpus - 1;
  execFileSync('taskset', ['-a', '-cp', `0-${last - 1}`, String(process.pid)], { stdio: 'ignore' });
  return {
    server: ['taskset', '-c', String(last)],
    description: `switchyard and the reference senders on CPU ${last}, receiver and publishers on CPU${last > 1 ? `s 0-${last - 1}` : ' 0'}`,
  };
}
const layout = pinLayout();
const [serverCommand = process.execPath, ...serverArgs] = [...layout.server, process.execPath];

// The receiver: reads the body, answers 200; remembers when each webhook-id first arrived, per path.
const arrivals = new Map<string, Map<string, number>>();
const slowMs = 5000;
// The second endpoint of the isolation runs answers at once (the control), then in 5 s.
let secondSlow = false;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['webhook-id'] ?? '');
    const url = req.url ?? '/';
    let seen = arrivals.get(url);
    if (!seen) arrivals.set(url, (seen = new Map()));
    if (!seen.has(id)) seen.set(id, performance.now());
    if (url === '/second' && secondSlow) setTimeout(() => res.writeHead(200).end('ok'), slowMs);
    else res.writeHead(200).end('ok');
  });
});
receiver.keepAliveTimeout = 72_000;
const receiverPort = await freePort();
await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
const receiverUrl = (p: string) => `http://127.0.0.1:${receiverPort}${p}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
// On PostgreSQL, a scratch database of its own: every run starts empty and can be repeated.
const db = await benchDatabase();
const database = db.kind;
const switchyard = await startProcess(
  serverCommand,
  [...serverArgs, entry, 'serve'],
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
const pool = new Pool(syUrl, { connections: 32 });

// The durable senders, on Switchyard's CPU, each with a database of its own kind (its own tables on PostgreSQL).
const durableDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-bare-'));
const durablePort = await freePort();
const durableUrl = `http://127.0.0.1:${durablePort}`;
const durablePool = new Pool(durableUrl, { connections: 32 });
const batchedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-batched-'));
const batchedPort = await freePort();
const batchedUrl = `http://127.0.0.1:${batchedPort}`;
const batchedPool = new Pool(batchedUrl, { connections: 32 });
const graphileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-graphile-'));
const graphilePort = await freePort();
const graphileUrl = `http://127.0.0.1:${graphilePort}`;
const graphilePool = new Pool(graphileUrl, { connections: 32 });

async function api(method: string, url: string, payload?: unknown, token = admin) {
  const res = await pool.request({
    path: url,
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  const text = await res.body.text();
  const data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${text}`);
  return data;
}

// A publisher key whose rate limit is counted but never reached.
const { token } = (await api('POST', '/v1/api-keys', {
  name: 'bench',
  role: 'editor',
  rate_limit_per_minute: 100_000_000,
})) as { token: string };
await api('POST', '/v1/event-types', { name: 'order.placed' });
const fast = (await api('POST', '/v1/webhooks/endpoints', { url: receiverUrl('/fast') })) as {
  id: string;
  signing_secret: { secret: string };
};
const durable = await startProcess(
  serverCommand,
  [...serverArgs, '--import', 'tsx', path.join(root, 'bench/outbound/bare-durable.ts')],
  {
    PORT: String(durablePort),
    DATA_DIR: durableDir,
    ...db.env,
    RECEIVER: receiverUrl('/durable'),
    SECRET: fast.signing_secret.secret,
  },
  async () => (await fetch(durableUrl)).status === 404,
);
unpinEmbeddedDatabase(durableDir);
const batched = await startProcess(
  serverCommand,
  [...serverArgs, '--import', 'tsx', path.join(root, 'bench/outbound/batched-durable.ts')],
  {
    PORT: String(batchedPort),
    DATA_DIR: batchedDir,
    ...db.env,
    RECEIVER: receiverUrl('/batched'),
    SECRET: fast.signing_secret.secret,
  },
  async () => (await fetch(batchedUrl)).status === 404,
);
unpinEmbeddedDatabase(batchedDir);
const graphile = await startProcess(
  serverCommand,
  [...serverArgs, '--import', 'tsx', path.join(root, 'bench/outbound/graphile-sender.ts')],
  {
    PORT: String(graphilePort),
    DATA_DIR: graphileDir,
    ...db.env,
    RECEIVER: receiverUrl('/graphile'),
    SECRET: fast.signing_secret.secret,
  },
  async () => (await fetch(graphileUrl)).status === 404,
);
unpinEmbeddedDatabase(graphileDir);
// About 1 KB of data, as in the inbound benchmark.
const sample = sampleOrder(400);

let sequence = 0;
/** Publish one event; returns its id and when the request started. */
async function publishOne(): Promise<{ id: string; startedAt: number }> {
  const startedAt = performance.now();
  const event = await api('POST', '/v1/events', { type: 'order.placed', data: { ...sample, n: sequence++ } }, token);
  return { id: event.id as string, startedAt };
}

/** Wait until `ids` all arrived at `path` and no delivery of `endpointId` is left pending or in flight. */
async function settled(pathName: string, ids: string[], endpointId: string): Promise<number> {
  for (;;) {
    const seen = arrivals.get(pathName) ?? new Map<string, number>();
    if (ids.every((id) => seen.has(id))) {
      const open = (await api(
        'GET',
        `/v1/webhooks/deliveries?endpoint_id=${endpointId}&status=pending,dispatched&limit=1`,
      )) as { data: unknown[] };
      if (open.data.length === 0) return performance.now();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** N events published by 32 concurrent publishers; their ids. */
async function publishAll(publish: () => Promise<string>): Promise<string[]> {
  const ids: string[] = [];
  let left = events;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (left-- > 0) ids.push(await publish());
    }),
  );
  return ids;
}

/** N events by 32 publishers; deliveries per second to `/fast`, first publish to last logged delivery. */
async function throughputRound(): Promise<number> {
  const started = performance.now();
  const ids = await publishAll(async () => (await publishOne()).id);
  const publishedAt = performance.now();
  const done = await settled('/fast', ids, fast.id);
  if (process.env.BENCH_DEBUG)
    progress(`published in ${fmt(publishedAt - started)} ms, settled ${fmt(done - publishedAt)} ms later`);
  return events / ((done - started) / 1000);
}

/** The same through another sender (its `POST /events`): first publish to the last arrival at `pathName`. */
async function senderRound(sender: Pool, pathName: string, name: string): Promise<number> {
  const started = performance.now();
  const ids = await publishAll(async () => {
    const res = await sender.request({
      path: '/events',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.placed', data: { ...sample, n: sequence++ } }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw new Error(`${name}: ${res.statusCode} ${text}`);
    return (JSON.parse(text) as { id: string }).id;
  });
  for (;;) {
    const seen = arrivals.get(pathName) ?? new Map<string, number>();
    if (ids.every((id) => seen.has(id))) return events / ((performance.now() - started) / 1000);
    await new Promise((r) => setTimeout(r, 5));
  }
}
/** Through the bare durable sender, to `/durable`. */
const durableRound = () => senderRound(durablePool, '/durable', 'bare durable sender');
/** Through the batched durable reference, to `/batched`. */
const batchedRound = () => senderRound(batchedPool, '/batched', 'batched durable reference');
/** Through the graphile-worker sender, to `/graphile`. */
const graphileRound = () => senderRound(graphilePool, '/graphile', 'graphile-worker sender');

async function bareRound(): Promise<number> {
  // Asynchronous: the receiver lives in this process and must keep answering.
  const { stdout: out } = await promisify(execFile)(
    serverCommand,
    [...serverArgs, '--import', 'tsx', path.join(root, 'bench/outbound/bare-sender.ts')],
    {
      env: {
        ...process.env,
        RECEIVER: receiverUrl('/bare'),
        COUNT: String(events),
        CONCURRENCY: '16',
        SECRET: fast.signing_secret.secret,
        BENCH_DATA: JSON.stringify({ ...sample, n: 0 }),
      },
      encoding: 'utf8',
    },
  );
  const result = JSON.parse(out.trim().split('\n').at(-1) as string) as { perSecond: number; failures: number };
  if (result.failures > 0) throw new Error(`bare sender: ${result.failures} failures`);
  return result.perSecond;
}

/** Publish at `rate` events/s for `rateSeconds` (open loop); publish start → arrival, in ms. */
async function latencyRun(): Promise<number[]> {
  const sent: Promise<{ id: string; startedAt: number }>[] = [];
  const start = performance.now();
  const total = rate * rateSeconds;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (sent.length < due) sent.push(publishOne());
      if (sent.length >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const published = await Promise.all(sent);
  await settled(
    '/fast',
    published.map((p) => p.id),
    fast.id,
  );
  const seen = arrivals.get('/fast') as Map<string, number>;
  // The first second warms up connections and caches.
  return published.slice(rate).map((p) => (seen.get(p.id) as number) - p.startedAt);
}

const results = {
  switchyard: [] as number[],
  bare: [] as number[],
  durable: [] as number[],
  batched: [] as number[],
  graphile: [] as number[],
  control: [] as number[],
  isolated: [] as number[],
  latency: [] as number[],
};
const progress = (text: string) => process.stderr.write(`  ${text}\n`);
try {
  progress('warm-up round');
  await throughputRound();
  await durableRound();
  await batchedRound();
  await graphileRound();
  for (let round = 0; round < rounds; round++) {
    results.switchyard.push(await throughputRound());
    progress(`round ${round + 1}/${rounds}: switchyard ${fmt(results.switchyard.at(-1) as number)} deliveries/s`);
    results.bare.push(await bareRound());
    progress(`round ${round + 1}/${rounds}: bare loop ${fmt(results.bare.at(-1) as number)} POSTs/s`);
    results.durable.push(await durableRound());
    progress(`round ${round + 1}/${rounds}: bare durable ${fmt(results.durable.at(-1) as number)} deliveries/s`);
    results.batched.push(await batchedRound());
    progress(`round ${round + 1}/${rounds}: batched durable ${fmt(results.batched.at(-1) as number)} deliveries/s`);
    results.graphile.push(await graphileRound());
    progress(`round ${round + 1}/${rounds}: graphile-worker ${fmt(results.graphile.at(-1) as number)} deliveries/s`);
  }
  progress(`latency: ${rate} events/s for ${rateSeconds} s`);
  results.latency = await latencyRun();
  // Isolation: the same fan-out (two endpoints per event) with the second endpoint fast, then slow; only its
  // answering time differs between the two.
  await api('POST', '/v1/webhooks/endpoints', { url: receiverUrl('/second') });
  for (let round = 0; round < rounds; round++) {
    results.control.push(await throughputRound());
    progress(`isolation control round ${round + 1}/${rounds}: ${fmt(results.control.at(-1) as number)} deliveries/s`);
  }
  secondSlow = true;
  for (let round = 0; round < rounds; round++) {
    results.isolated.push(await throughputRound());
    progress(`isolation round ${round + 1}/${rounds}: ${fmt(results.isolated.at(-1) as number)} deliveries/s`);
  }
} finally {
  await pool.close();
  await durablePool.close();
  await batchedPool.close();
  await graphilePool.close();
  await stopProcess(switchyard);
  await stopProcess(durable);
  await stopProcess(batched);
  await stopProcess(graphile);
  receiver.closeAllConnections();
  receiver.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(durableDir, { recursive: true, force: true });
  fs.rmSync(batchedDir, { recursive: true, force: true });
  fs.rmSync(graphileDir, { recursive: true, force: true });
  await db.drop();
}

const percentile = (list: number[], p: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] as number;
const ratios = results.switchyard.map((r, i) => r / (results.bare[i] as number));
const ratio = median(ratios);
const p50 = percentile(results.latency, 50);
const p99 = percentile(results.latency, 99);
const isolation = median(results.isolated) / median(results.control);
const vsBatched = median(results.switchyard.map((r, i) => r / (results.batched[i] as number)));
const vsGraphile = median(results.switchyard.map((r, i) => r / (results.graphile[i] as number)));
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

console.log(
  `\nbench/outbound — database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${layout.description}), Node ${process.version}`,
);
console.log(`throughput: ${fmt(events)} events of ~1 KB per round, ${rounds} rounds (medians)`);
console.log(`${'sender'.padEnd(52)}${'deliveries/s'.padStart(14)}`);
console.log(`${'bare loop of signed POSTs (16 in flight)'.padEnd(52)}${fmt(median(results.bare)).padStart(14)}`);
console.log(
  `${`bare durable sender (INSERT, claim, POST, UPDATE)`.padEnd(52)}${fmt(median(results.durable)).padStart(14)}`,
);
console.log(
  `${'batched durable reference (group commit, batches)'.padEnd(52)}${fmt(median(results.batched)).padStart(14)}`,
);
console.log(
  `${'graphile-worker sender (addJob, 16 jobs at once)'.padEnd(52)}${fmt(median(results.graphile)).padStart(14)}`,
);
console.log(`${'switchyard: publish → deliver → log'.padEnd(52)}${fmt(median(results.switchyard)).padStart(14)}`);
console.log(
  `${'switchyard, a second endpoint answering at once'.padEnd(52)}${fmt(median(results.control)).padStart(14)}`,
);
console.log(
  `${'switchyard, a second endpoint answering in 5 s'.padEnd(52)}${fmt(median(results.isolated)).padStart(14)}`,
);
console.log(`per-round ratios: ${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')}`);
console.log(
  `ratio switchyard vs bare loop (median of rounds): ${ratio.toFixed(2)}x (goal >= 0.5x) ${verdict(ratio >= 0.5)}`,
);
const durableRatios = results.durable.map((r, i) => r / (results.bare[i] as number));
const vsDurable = results.switchyard.map((r, i) => r / (results.durable[i] as number));
console.log(
  `for reference: the bare durable sender reaches ${median(durableRatios).toFixed(2)}x the bare loop; switchyard reaches ${median(vsDurable).toFixed(2)}x the bare durable sender (no goal)`,
);
console.log(
  `ratio switchyard vs batched durable reference (median of rounds): ${vsBatched.toFixed(2)}x (goal >= 0.9x) ${verdict(vsBatched >= 0.9)}`,
);
console.log(
  `ratio switchyard vs graphile-worker (median of rounds): ${vsGraphile.toFixed(2)}x (goal > 1.0x, ahead) ${verdict(vsGraphile > 1)}`,
);
console.log(
  `latency at ${rate} events/s for ${rateSeconds} s (publish request start → receiver): p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms (goal p50 <= 20 ms) ${verdict(p50 <= 20)}`,
);
console.log(
  `isolation: the fast endpoint keeps ${(isolation * 100).toFixed(0)}% of its throughput when the second endpoint takes 5 s (goal >= 90%) ${verdict(isolation >= 0.9)}`,
);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `outbound-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify({ database, layout: layout.description, events, rounds, rate, rateSeconds, switchyard: results.switchyard, bare: results.bare, durable: results.durable, batched: results.batched, graphile: results.graphile, control: results.control, isolated: results.isolated, ratios, ratio, vsBatched, vsGraphile, p50, p99, isolation }, null, 2)}\n`,
);
