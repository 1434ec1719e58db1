/**
 * bench/inbound — verified inbound webhook ingest: HMAC-SHA256 signed POSTs of ~1 KB JSON, each with its own
 * delivery id, to a source's public `/hooks/{token}` URL, against a bare Node http server that reads the same body
 * and answers 202, under the same load generator in the same run.
 *
 *   npm run bench:inbound -- [--seconds 10] [--connections 32] [--rounds 3] [--rate-seconds 10] [--rate N]
 *                            [--profile-dir DIR]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless
 * DATABASE_URL is set (then in a scratch database on that PostgreSQL server, dropped at the end: run once each way to
 * report both; a throwaway local server is `initdb` into a temporary directory, `pg_ctl start` on a free port,
 * `createdb`), with logging at `info`. The
 * source verifies `generic_hmac` (sha256, hex, X-Signature) and deduplicates on X-Delivery-Id; every 202 means the
 * raw body was committed to the database before the answer. Switchyard and the bare server run on the last CPU;
 * the load generator (this process: keep-alive undici clients, bench/lib/requests.ts) on the others.
 *
 * Two durable references, in the same rounds (bench/inbound/bare-durable-server.ts), on the same kind of database:
 * one INSERT per request (the obvious way; no goal), and the best hand-written server doing Switchyard's durable work
 * (HMAC check, dedup on the delivery id, group commit: many requests per multi-row statement).
 *
 * Measurements:
 * - sustained ingest: a closed loop of `--connections` clients for `--seconds`, every target in turn, `--rounds`
 *   times; events/s, p50/p99, and the medians of the per-round ratios. Goals: ≥ 0.9× the group-commit durable
 *   server; ≥ 0.35× the bare server on the embedded database, ≥ 0.5× on PostgreSQL (the bare server stores nothing:
 *   the physical ceiling).
 * - latency at a fixed rate: an open loop at a quarter of the bare server's measured rate (or `--rate`) for
 *   `--rate-seconds`, latency from when each request was due. Goal: p99 ≤ 20 ms. Sending stops early once about a
 *   second of Switchyard's closed-loop throughput is unanswered (it cannot keep up; the queue would only grow), and
 *   the run says when.
 * - correctness: once the processor is idle, the events stored for the source (counted through the API:
 *   `POST /v1/inbound/replay` with `dry_run`) equal the 2xx answers Switchyard gave, none of them `duplicate`.
 *
 * Durations can also be set with BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_RATE_SECONDS and
 * BENCH_RATE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomToken } from '../../src/core/ids.js';
import { benchApi } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { createSignedSource, probeSignedSource, storedEvents, tallyAnswers } from '../lib/inbound.js';
import { fmt, median } from '../lib/load.js';
import { freePort, pinCpus, startProcess, stopProcess, unpinEmbeddedDatabase } from '../lib/processes.js';
import { runClosedLoop, runOpenLoop, type RequestsResult } from '../lib/requests.js';

type OpenLoopResult = Awaited<ReturnType<typeof runOpenLoop>>;

const env = process.env;
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: env.BENCH_SECONDS ?? '10' },
    connections: { type: 'string', default: env.BENCH_CONNECTIONS ?? '32' },
    rounds: { type: 'string', default: env.BENCH_ROUNDS ?? '3' },
    'rate-seconds': { type: 'string', default: env.BENCH_RATE_SECONDS ?? '10' },
    rate: { type: 'string', default: env.BENCH_RATE ?? '' },
    'log-level': { type: 'string', default: 'info' },
    /**
     * Write a CPU profile of Switchyard's process (node --cpu-prof) into this directory when it stops; it idles while
     * the other targets run.
     */
    'profile-dir': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const rateSeconds = Number(values['rate-seconds']);
const fixedRate = values.rate ? Number(values.rate) : undefined;
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:inbound does it for you).');

const pinning = pinCpus();
const [serverCommand = process.execPath, ...serverPrefixArgs] = [...pinning.serverPrefix, process.execPath];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
const db = await benchDatabase();
const database = db.kind;
const progress = (text: string) => process.stderr.write(`  ${text}\n`);

const switchyard = await startProcess(
  serverCommand,
  [
    ...serverPrefixArgs,
    ...(values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : []),
    entry,
    'serve',
  ],
  {
    PORT: String(syPort),
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    ...db.env,
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
).catch(async (error: unknown) => {
  await db.drop();
  throw error;
});
const barePort = await freePort();
const bareUrl = `http://127.0.0.1:${barePort}`;
const bare = await startProcess(
  serverCommand,
  [...serverPrefixArgs, '--import', 'tsx', path.join(root, 'bench/inbound/bare-server.ts')],
  { PORT: String(barePort) },
  async () => (await fetch(bareUrl)).ok,
);
unpinEmbeddedDatabase(dataDir);

const durableDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-bare-'));
const durablePort = await freePort();
const durableUrl = `http://127.0.0.1:${durablePort}`;
const durable = await startProcess(
  serverCommand,
  [...serverPrefixArgs, '--import', 'tsx', path.join(root, 'bench/inbound/bare-durable-server.ts')],
  { PORT: String(durablePort), DATA_DIR: durableDir, MODE: 'single', ...db.env },
  async () => (await fetch(durableUrl)).status === 202,
);
unpinEmbeddedDatabase(durableDir);

const secret = randomToken('whsec_bench_');
const groupedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-group-'));
const groupedPort = await freePort();
const groupedUrl = `http://127.0.0.1:${groupedPort}`;
const grouped = await startProcess(
  serverCommand,
  [...serverPrefixArgs, '--import', 'tsx', path.join(root, 'bench/inbound/bare-durable-server.ts')],
  { PORT: String(groupedPort), DATA_DIR: groupedDir, MODE: 'group', SECRET: secret, ...db.env },
  async () => (await fetch(groupedUrl)).status === 202,
);
unpinEmbeddedDatabase(groupedDir);

// Should the set-up below throw, the servers must not outlive this process.
process.once('exit', () => {
  switchyard.kill();
  bare.kill();
  durable.kill();
  grouped.kill();
});

const api = benchApi(syUrl, admin);
const source = await createSignedSource(api, secret);
const signed = source.next;
// Sanity: a signed request is stored, a wrongly signed one is refused (so the benchmark measures verification).
await probeSignedSource(syUrl, source);
const tally = tallyAnswers(1);
const onSwitchyardResponse = tally.onResponse;

const results = {
  bare: [] as RequestsResult[],
  durable: [] as RequestsResult[],
  grouped: [] as RequestsResult[],
  switchyard: [] as RequestsResult[],
  rate: 0,
  latency: undefined as OpenLoopResult | undefined,
};
let stored = -1;
let backlogCap = 0;
try {
  // Alternate the targets so drift on a shared machine hits both alike.
  for (let round = 0; round < rounds; round++) {
    results.bare.push(await runClosedLoop({ origin: bareUrl, next: signed, connections, seconds }));
    progress(
      `round ${round + 1}/${rounds}: bare ${fmt((results.bare.at(-1) as RequestsResult).requestsPerSecond)} req/s`,
    );
    results.durable.push(await runClosedLoop({ origin: durableUrl, next: signed, connections, seconds }));
    progress(
      `round ${round + 1}/${rounds}: bare durable ${fmt((results.durable.at(-1) as RequestsResult).requestsPerSecond)} req/s`,
    );
    results.grouped.push(await runClosedLoop({ origin: groupedUrl, next: signed, connections, seconds }));
    progress(
      `round ${round + 1}/${rounds}: group-commit durable ${fmt((results.grouped.at(-1) as RequestsResult).requestsPerSecond)} req/s`,
    );
    results.switchyard.push(
      await runClosedLoop({ origin: syUrl, next: signed, connections, seconds, onResponse: onSwitchyardResponse }),
    );
    progress(
      `round ${round + 1}/${rounds}: switchyard ${fmt((results.switchyard.at(-1) as RequestsResult).requestsPerSecond)} events/s`,
    );
  }
  const bareMax = median(results.bare.map((r) => r.requestsPerSecond));
  results.rate = fixedRate ?? Math.round(bareMax / 4);
  // Stop sending once about a second of Switchyard's measured closed-loop throughput is unanswered: it is not
  // keeping up, the queue would only grow, and draining it would only make the run longer.
  backlogCap = Math.max(2 * connections, Math.round(median(results.switchyard.map((r) => r.requestsPerSecond))));
  progress(`open loop: ${fmt(results.rate)} events/s for ${rateSeconds} s`);
  results.latency = await runOpenLoop({
    origin: syUrl,
    next: signed,
    rate: results.rate,
    seconds: rateSeconds,
    connections: Math.max(connections, 64),
    maxOutstanding: backlogCap,
    onResponse: onSwitchyardResponse,
  });

  // Correctness: let the processor finish (no event left `received`), then count what the source stored.
  const counted = await storedEvents(api, source);
  stored = counted.stored;
  if (counted.duplicateOrFailed) throw new Error('some events were stored as duplicate or failed');
} finally {
  await stopProcess(bare);
  await stopProcess(durable);
  await stopProcess(grouped);
  await stopProcess(switchyard);
  fs.rmSync(durableDir, { recursive: true, force: true });
  fs.rmSync(groupedDir, { recursive: true, force: true });
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const summary = (list: RequestsResult[]) => ({
  rps: median(list.map((r) => r.requestsPerSecond)),
  p50: median(list.map((r) => r.p50)),
  p99: median(list.map((r) => r.p99)),
  bad: list.reduce((n, r) => n + r.total - r.ok, 0),
});
const b = summary(results.bare);
const d = summary(results.durable);
const g = summary(results.grouped);
const s = summary(results.switchyard);
const latency = results.latency as OpenLoopResult;
const ratios = results.switchyard.map(
  (r, i) => r.requestsPerSecond / (results.bare[i] as RequestsResult).requestsPerSecond,
);
const ratio = median(ratios);
const versus = (references: RequestsResult[]) =>
  median(results.switchyard.map((r, i) => r.requestsPerSecond / (references[i] as RequestsResult).requestsPerSecond));
const durableRatio = versus(results.durable);
const groupedRatio = versus(results.grouped);
// A third of a core goes to the database on the embedded default's machine as on a server's: the goal against the
// bare server (which stores nothing) is lower there.
const bareGoal = database === 'embedded' ? 0.35 : 0.5;
const failed = [...results.bare, ...results.durable, ...results.grouped, ...results.switchyard, latency].reduce(
  (n, r) => n + r.total - r.ok,
  0,
);
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const row = (name: string, x: ReturnType<typeof summary>) =>
  `${name.padEnd(48)}${fmt(x.rps).padStart(10)}${fmt(x.p50, 1).padStart(10)}${fmt(x.p99, 1).padStart(10)}${String(x.bad).padStart(8)}`;

console.log(
  `\nbench/inbound — database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${pinning.description}), Node ${process.version}`,
);
console.log(
  `throughput: ${connections} connections, ${seconds} s per run, ${rounds} rounds (medians); ~${fmt(Buffer.byteLength(signed().body as string))} B signed JSON, a new delivery id each`,
);
console.log(
  `${'target'.padEnd(48)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}`,
);
console.log(row('bare node http (reads the body, answers 202)', b));
console.log(row(`bare durable (one INSERT per request, ${database})`, d));
console.log(row(`group-commit durable (verify, dedup, batches)`, g));
console.log(row('switchyard POST /hooks/{token} (verify + store)', s));
console.log(`per-round ratios: ${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')}`);
console.log(
  `ratio switchyard vs bare (median of rounds): ${ratio.toFixed(2)}x (goal >= ${bareGoal}x on ${database}, durability on) ${verdict(ratio >= bareGoal)}`,
);
console.log(
  `ratio switchyard vs the group-commit durable server (median of rounds): ${groupedRatio.toFixed(2)}x (goal >= 0.9x) ${verdict(groupedRatio >= 0.9)}`,
);
console.log(
  `for reference, switchyard vs the one-INSERT-per-request durable server (median of rounds): ${durableRatio.toFixed(2)}x (no goal)`,
);
console.log(
  `latency at ${fmt(results.rate)} events/s (${fixedRate ? 'set by --rate' : 'a quarter of the bare server'}) for ${rateSeconds} s, open loop: ` +
    `p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms, max ${fmt(latency.max, 1)} ms ` +
    `(goal p99 <= 20 ms) ${verdict(latency.p99 <= 20 && latency.stoppedAfterSeconds === null)}`,
);
if (latency.stoppedAfterSeconds !== null) {
  console.log(
    `  fell behind: sending stopped after ${fmt(latency.stoppedAfterSeconds * 1000)} ms with ${fmt(backlogCap)} requests unanswered ` +
      `(${fmt(latency.sent)} of ${fmt(latency.planned)} sent; answered at ${fmt(latency.requestsPerSecond)}/s)`,
  );
}
console.log(
  `correctness: ${fmt(stored)} events stored for the source (API count), ${fmt(tally.acknowledged)} 2xx answers from switchyard ` +
    `(${fmt(tally.fresh)} new, not duplicates), ${failed} non-2xx or failed requests: ${stored === tally.acknowledged && tally.fresh === tally.acknowledged ? 'OK' : 'MISMATCH'}`,
);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `inbound-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify({ database, layout: pinning.description, connections, seconds, rounds, rateSeconds, results, ratios, ratio, durableRatio, groupedRatio, bareGoal, stored, acknowledged: tally.acknowledged, receivedAnswers: tally.fresh }, null, 2)}\n`,
);
if (failed > 0 || stored !== tally.acknowledged || tally.fresh !== tally.acknowledged) process.exitCode = 1;
