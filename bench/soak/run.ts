/**
 * bench/soak — `switchyard serve` under inbound, outbound and proxy load at once, for minutes, at moderate fixed
 * rates (the machine is not saturated): does its memory stay bounded and flat, does anything fail, is any event lost?
 *
 *   npm run bench:soak -- [--minutes 10] [--inbound-rate 300] [--outbound-rate 200] [--proxy-rate 300]
 *                          [--connections 16] [--drain-seconds 120] [--settle-seconds 30]
 *
 * Switchyard runs as `switchyard serve` from the build (dist/), on the embedded database unless DATABASE_URL is set
 * (then in a scratch database on that server, dropped at the end), logging at `info`, on the last CPU; this process
 * (the load generator and the webhook receiver) and the upstream on the others. Set up through the API:
 * - inbound: a source verifying generic_hmac (as bench/inbound), sent signed ~1 KB JSON, each with its own delivery id;
 * - outbound: an endpoint at a receiver in this process (a bare Node http server answering 200, counting distinct
 *   webhook-ids), fed by events published through `POST /v1/events` as an editor API key;
 * - proxy: a generic_rest connection with an API key to a local upstream (as bench/proxy), called through
 *   `GET /v1/connections/{id}/proxy/...` as the same key.
 * Each load is an open loop at its rate (bench/lib/requests.ts: keep-alive undici pools, up to `--connections` each).
 * Latency counts from when a request was due. The loads start at full rate on a server that has just started, and
 * together they run near what it answers once warm: it falls behind in the first seconds and takes 10–20 s to work
 * the backlog off, and those requests are more than 1% of a few minutes' run. So the p99 is printed for the whole
 * run and for the requests due after `--settle-seconds` (the steady state).
 *
 * Every second, Switchyard's resident set (VmRSS of the serve process) is sampled, and for information the embedded
 * database server's (its processes summed); every 10 s a progress line goes to stderr. After the load: outbound
 * deliveries are waited for until every published event reached the receiver (at most `--drain-seconds`), inbound
 * events until the processor is idle; then the events the source stored are counted through the API.
 *
 * Goals (issue: soak test): over 10 minutes, RSS ≤ 300 MB and flat (a least-squares slope of at most 1 MB/min over
 * the second half of the run), no error (no non-2xx answer, failed request, failed delivery or duplicate), no event
 * lost (inbound stored = acknowledged; outbound delivered = published). MB here is 2^20 bytes.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomToken } from '../../src/core/ids.js';
import { benchApi, editorKey } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { createSignedSource, probeSignedSource, storedEvents, tallyAnswers } from '../lib/inbound.js';
import { fmt, median } from '../lib/load.js';
import { sampleOrder } from '../lib/payload.js';
import {
  embeddedDatabaseResidentBytes,
  freePort,
  pinCpus,
  residentBytes,
  startProcess,
  stopProcess,
  unpinEmbeddedDatabase,
} from '../lib/processes.js';
import { runOpenLoop, type GeneratedRequest } from '../lib/requests.js';
import { CUSTOMER_BODY, startUpstream, upstreamConnection } from '../lib/upstream.js';

type OpenLoopResult = Awaited<ReturnType<typeof runOpenLoop>>;
type Kind = 'inbound' | 'outbound' | 'proxy';
const kinds: Kind[] = ['inbound', 'outbound', 'proxy'];

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'inbound-rate': { type: 'string', default: '300' },
    'outbound-rate': { type: 'string', default: '200' },
    'proxy-rate': { type: 'string', default: '300' },
    connections: { type: 'string', default: '16' },
    'drain-seconds': { type: 'string', default: '120' },
    /** The p99 is also reported for the requests due after this many seconds of load (0: not). */
    'settle-seconds': { type: 'string', default: '30' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const minutes = Number(values.minutes);
const seconds = minutes * 60;
const rates: Record<Kind, number> = {
  inbound: Number(values['inbound-rate']),
  outbound: Number(values['outbound-rate']),
  proxy: Number(values['proxy-rate']),
};
const connections = Number(values.connections);
const drainSeconds = Number(values['drain-seconds']);
const settleSeconds = Number(values['settle-seconds']);
for (const [name, n] of Object.entries({ minutes, ...rates, connections, drainSeconds }))
  if (!(n > 0)) throw new Error(`--${name} must be a positive number`);
if (!(settleSeconds >= 0 && settleSeconds < seconds))
  throw new Error('--settle-seconds must be at least 0 and less than the run');
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:soak does it for you).');

const MB = 2 ** 20;
const RSS_LIMIT_MB = 300;
const SLOPE_LIMIT = 1;
const progress = (text: string) => process.stderr.write(`  ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// Switchyard on the last CPU; this process, and so the upstream it starts, on the others.
const pinning = pinCpus();
const [serverCommand = process.execPath, ...serverPrefixArgs] = [...pinning.serverPrefix, process.execPath];

// The receiver: reads the body, answers 200; remembers every distinct webhook-id (Standard Webhooks: the event id).
const arrived = new Set<string>();
let receiverRequests = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    receiverRequests++;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') arrived.add(id);
    res.writeHead(200).end('ok');
  });
});
receiver.keepAliveTimeout = 72_000;
const receiverPort = await freePort();
await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));

const upPort = await freePort();
const upUrl = `http://127.0.0.1:${upPort}`;
const upstream = await startUpstream([], upPort);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syPort = await freePort();
const syUrl = `http://127.0.0.1:${syPort}`;
// On PostgreSQL, a scratch database of its own: every run starts empty and can be repeated.
const db = await benchDatabase();
const database = db.kind;
const switchyard = await startProcess(
  serverCommand,
  [...serverPrefixArgs, entry, 'serve'],
  {
    PORT: String(syPort),
    ...db.env,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
).catch(async (error: unknown) => {
  await stopProcess(upstream);
  receiver.close();
  await db.drop();
  throw error;
});
unpinEmbeddedDatabase(dataDir);
// Should the set-up below throw, the servers must not outlive this process.
process.once('exit', () => {
  switchyard.kill();
  upstream.kill();
});
const pid = switchyard.pid as number;

const api = benchApi(syUrl, admin);
// An editor key (it may publish events and use the proxy) with a rate limit counted but never reached.
const token = await editorKey(api);
const source = await createSignedSource(api);
await probeSignedSource(syUrl, source);
const tally = tallyAnswers(1);
await api.call('POST', '/v1/event-types', { name: 'order.placed' });
const endpoint = (await api.call('POST', '/v1/webhooks/endpoints', {
  url: `http://127.0.0.1:${receiverPort}/soak`,
})) as { id: string };
const proxiedPath = await upstreamConnection(api, upUrl, token);

// Ids of the events Switchyard acknowledged (2xx to the publish): each must reach the receiver.
const published = new Set<string>();
const data = sampleOrder(400);
let sequence = 0;
const requests: Record<Kind, () => GeneratedRequest> = {
  inbound: source.next,
  outbound: () => ({
    method: 'POST',
    path: '/v1/events',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'order.placed', data: { ...data, n: sequence++ } }),
  }),
  proxy: () => ({ method: 'GET', path: proxiedPath, headers: { authorization: `Bearer ${token}` } }),
};

// Sanity: one published event reaches the receiver before the load starts.
const probe = await api.call('POST', '/v1/events', { type: 'order.placed', data: { ...data, n: sequence++ } }, token);
published.add(probe.id as string);
const probeDeadline = Date.now() + 30_000;
while (!arrived.has(probe.id as string)) {
  if (Date.now() > probeDeadline) throw new Error('a published event did not reach the receiver within 30 s');
  await sleep(50);
}

// Live counts for the progress lines: 2xx answers, and everything else (non-2xx, failed, a wrong proxied body).
const live = Object.fromEntries(kinds.map((k) => [k, { ok: 0, bad: 0 }])) as Record<Kind, { ok: number; bad: number }>;
const firstProblem: Partial<Record<Kind, string>> = {};
const problem = (kind: Kind, what: string) => {
  live[kind].bad++;
  firstProblem[kind] ??= what;
};
const handlers: Record<Kind, (status: number, text: string) => void> = {
  inbound: (status, text) => tally.onResponse(status, text),
  outbound: (status, text) => {
    if (status >= 200 && status < 300) published.add((JSON.parse(text) as { id: string }).id);
  },
  proxy: (status, text) => {
    if (status >= 200 && status < 300 && text !== CUSTOMER_BODY) problem('proxy', `a 2xx with another body: ${text}`);
  },
};

type Sample = { t: number; rss: number; database: number | null };
const samples: Sample[] = [];
let missedSamples = 0;
const idleRss = await residentBytes(pid);
const idleDatabase = await embeddedDatabaseResidentBytes(dataDir);
progress(
  `${minutes} min: inbound ${fmt(rates.inbound)}/s, outbound ${fmt(rates.outbound)} events/s, proxy ${fmt(rates.proxy)} req/s; ` +
    `RSS before the load ${idleRss === undefined ? '?' : fmt(idleRss / MB, 1)} MB`,
);

const loadStarted = performance.now();
let loading = true;
/** Every second until the load ends: the resident sets; every 10 s, a progress line. */
async function sampleEverySecond(): Promise<void> {
  let previous = { t: 0, counts: structuredClone(live), arrived: arrived.size };
  for (let tick = 1; loading; tick++) {
    await sleep(loadStarted + tick * 1000 - performance.now());
    if (!loading) break;
    const [rss, databaseRss] = await Promise.all([residentBytes(pid), embeddedDatabaseResidentBytes(dataDir)]);
    const t = (performance.now() - loadStarted) / 1000;
    if (rss === undefined) missedSamples++;
    else samples.push({ t, rss, database: databaseRss ?? null });
    if (tick % 10 !== 0) continue;
    const span = t - previous.t;
    const per = (kind: Kind) => fmt((live[kind].ok - previous.counts[kind].ok) / span);
    progress(
      `${fmt(t)} s: RSS ${rss === undefined ? 'gone' : `${fmt(rss / MB, 1)} MB`}` +
        `${databaseRss === undefined ? '' : ` (database ${fmt(databaseRss / MB)} MB)`}; ` +
        `inbound ${per('inbound')}/s, outbound ${per('outbound')}/s published, ` +
        `${fmt((arrived.size - previous.arrived) / span)}/s delivered, proxy ${per('proxy')}/s; ` +
        `errors ${kinds.map((k) => `${k} ${live[k].bad}`).join(', ')}`,
    );
    previous = { t, counts: structuredClone(live), arrived: arrived.size };
  }
}

const results = {} as Record<Kind, OpenLoopResult>;
let loadSeconds = 0;
const drain = { seconds: 0, drained: false, failedDeliveries: false };
let inbound = { stored: -1, duplicateOrFailed: false, problem: '' };
try {
  const sampler = sampleEverySecond();
  const loads = kinds.map(async (kind) => {
    results[kind] = await runOpenLoop({
      origin: syUrl,
      next: requests[kind],
      rate: rates[kind],
      seconds,
      connections,
      // More than 10 s of requests unanswered: Switchyard has stalled; sending stops (and counts as an error).
      maxOutstanding: Math.max(4 * connections, 10 * rates[kind]),
      ...(settleSeconds > 0 ? { settleSeconds } : {}),
      onResponse: (status, text) => {
        if (status >= 200 && status < 300) live[kind].ok++;
        else problem(kind, `answered ${status}: ${text.slice(0, 200)}`);
        handlers[kind](status, text);
      },
      onError: (error) => problem(kind, `failed: ${(error as Error).message}`),
    });
  });
  await Promise.all(loads);
  loadSeconds = (performance.now() - loadStarted) / 1000;
  loading = false;
  await sampler;

  // Outbound: every acknowledged event at the receiver, and nothing left pending or in flight for the endpoint.
  progress(`load done after ${fmt(loadSeconds, 1)} s; waiting for deliveries (at most ${drainSeconds} s)`);
  const drainStarted = performance.now();
  let missing = [...published];
  for (;;) {
    missing = missing.filter((id) => !arrived.has(id));
    if (missing.length === 0) {
      const open = (await api.call(
        'GET',
        `/v1/webhooks/deliveries?endpoint_id=${endpoint.id}&status=pending,dispatched&limit=1`,
      )) as { data: unknown[] };
      if (open.data.length === 0) {
        drain.drained = true;
        break;
      }
    }
    if (performance.now() - drainStarted > drainSeconds * 1000) break;
    await sleep(100);
  }
  drain.seconds = (performance.now() - drainStarted) / 1000;
  const failed = (await api.call(
    'GET',
    `/v1/webhooks/deliveries?endpoint_id=${endpoint.id}&status=failed&limit=1`,
  )) as {
    data: unknown[];
  };
  drain.failedDeliveries = failed.data.length > 0;

  // Inbound: once the processor is idle, the events stored for the source.
  try {
    const counted = await storedEvents(api, source, drainSeconds * 1000);
    inbound = { ...counted, problem: '' };
  } catch (error) {
    inbound.problem = (error as Error).message;
  }
} finally {
  loading = false;
  await stopProcess(switchyard);
  await stopProcess(upstream);
  receiver.closeAllConnections();
  receiver.close();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const mb = (bytes: number) => bytes / MB;
const rssMb = samples.map((s) => mb(s.rss));
const rss = { min: Math.min(...rssMb), median: median(rssMb), max: Math.max(...rssMb) };
/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}
const secondHalf = samples.filter((s) => s.t >= loadSeconds / 2);
const rssSlope = slope(secondHalf.map((s) => ({ x: s.t / 60, y: mb(s.rss) })));
const databaseMb = samples.flatMap((s) => (s.database === null ? [] : [mb(s.database)]));
const databaseSlope = slope(
  secondHalf.flatMap((s) => (s.database === null ? [] : [{ x: s.t / 60, y: mb(s.database) }])),
);
const delivered = [...published].filter((id) => arrived.has(id)).length;

// Per kind: non-2xx answers, failed requests, and (proxy) 2xx answers with another body than the upstream's.
const errors = Object.fromEntries(kinds.map((k) => [k, live[k].bad])) as Record<Kind, number>;
const stalled = kinds.filter((k) => results[k].stoppedAfterSeconds !== null);
const errorCount = kinds.reduce((n, k) => n + errors[k], 0) + stalled.length + missedSamples;
const noError =
  errorCount === 0 &&
  !drain.failedDeliveries &&
  !inbound.duplicateOrFailed &&
  !inbound.problem &&
  tally.fresh === tally.acknowledged;
const noLoss = inbound.stored === tally.acknowledged && drain.drained && delivered === published.size;
const met = {
  rss: samples.length > 0 && rss.max <= RSS_LIMIT_MB,
  flat: rssSlope <= SLOPE_LIMIT,
  noError,
  noLoss,
};
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const signedMb = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n >= 0 ? '+' : ''}${fmt(n, 2)}`);

console.log(
  `\nbench/soak — database ${describeDatabase(database)}, ${os.cpus().length} CPUs (${pinning.description}; ` +
    `the upstream and the webhook receiver with the load generator), Node ${process.version}`,
);
console.log(
  `${fmt(minutes, minutes % 1 ? 1 : 0)} min of inbound, outbound and proxy load at once, open loops of up to ${connections} ` +
    `keep-alive connections each; load ran ${fmt(loadSeconds, 1)} s`,
);
console.log(
  `${'load'.padEnd(44)}${'rate/s'.padStart(8)}${'sent'.padStart(10)}${'2xx/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
    `${settleSeconds > 0 ? `p99 after ${settleSeconds} s`.padStart(17) : ''}${'errors'.padStart(8)}`,
);
const labels: Record<Kind, string> = {
  inbound: 'inbound: signed ~1 KB JSON to /hooks/{token}',
  outbound: 'outbound: POST /v1/events (~1 KB data)',
  proxy: 'proxy: GET /v1/connections/{id}/proxy/...',
};
for (const k of kinds) {
  const r = results[k];
  console.log(
    `${labels[k].padEnd(44)}${fmt(rates[k]).padStart(8)}${fmt(r.sent).padStart(10)}${fmt(r.ok / loadSeconds).padStart(9)}` +
      `${fmt(r.p50, 1).padStart(9)}${fmt(r.p99, 1).padStart(9)}${r.settled ? fmt(r.settled.p99, 1).padStart(17) : ''}` +
      `${String(errors[k]).padStart(8)}`,
  );
}
if (settleSeconds > 0)
  console.log(
    `p99 after ${settleSeconds} s: the requests due once the load had run ${settleSeconds} s. The load starts at full rate on a ` +
      'server that has just started: its first seconds are answered from a backlog, which the whole-run p99 is made of.',
  );
for (const k of kinds) {
  const r = results[k];
  if (firstProblem[k]) console.log(`  ${k}: first problem: ${firstProblem[k]}`);
  if (Object.keys(r.statuses).length > 0)
    console.log(`  ${k}: non-2xx answers by status ${JSON.stringify(r.statuses)}`);
  if (r.stoppedAfterSeconds !== null)
    console.log(
      `  ${k}: fell behind, sending stopped after ${fmt(r.stoppedAfterSeconds, 1)} s (${fmt(r.sent)} of ${fmt(r.planned)} sent)`,
    );
}
console.log(
  `RSS of switchyard serve (VmRSS every second, ${samples.length} samples${missedSamples ? `, ${missedSamples} missed: the process was gone` : ''}): ` +
    `before the load ${idleRss === undefined ? '?' : fmt(mb(idleRss), 1)} MB, ` +
    `min ${fmt(rss.min, 1)} MB, median ${fmt(rss.median, 1)} MB, max ${fmt(rss.max, 1)} MB; ` +
    `slope over the second half ${signedMb(rssSlope)} MB/min`,
);
if (databaseMb.length > 0)
  console.log(
    `for information, the embedded database server (its processes' VmRSS summed, shared memory counted in each): ` +
      `before the load ${idleDatabase === undefined ? '?' : fmt(mb(idleDatabase))} MB, min ${fmt(Math.min(...databaseMb))} MB, ` +
      `median ${fmt(median(databaseMb))} MB, max ${fmt(Math.max(...databaseMb))} MB; slope over the second half ${signedMb(databaseSlope)} MB/min`,
  );
console.log(
  `inbound: ${fmt(inbound.stored)} events stored for the source (API count), ${fmt(tally.acknowledged)} 2xx answers ` +
    `(${fmt(tally.fresh)} new, not duplicates)${inbound.duplicateOrFailed ? '; some stored as duplicate or failed' : ''}` +
    `${inbound.problem ? `; ${inbound.problem}` : ''}`,
);
console.log(
  `outbound: ${fmt(published.size)} events published (2xx), ${fmt(delivered)} of them delivered (distinct webhook-ids at the receiver; ` +
    `${fmt(receiverRequests)} requests, ${fmt(receiverRequests - arrived.size)} of them repeats), ${drain.drained ? `drained ${fmt(drain.seconds, 1)} s after the load` : `not drained after ${fmt(drain.seconds, 1)} s`}` +
    `${drain.failedDeliveries ? '; some deliveries failed' : ''}`,
);
console.log(`RSS <= ${RSS_LIMIT_MB} MB: ${verdict(met.rss)}`);
console.log(`flat (slope of the second half <= ${SLOPE_LIMIT} MB/min): ${verdict(met.flat)}`);
console.log(`no error: ${verdict(met.noError)}`);
console.log(`no event lost (inbound stored = acknowledged; outbound delivered = published): ${verdict(met.noLoss)}`);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify(
    {
      database,
      layout: pinning.description,
      minutes,
      rates,
      connections,
      loadSeconds,
      results,
      errors: { ...errors, stalled, missedSamples },
      inbound: { acknowledged: tally.acknowledged, fresh: tally.fresh, ...inbound },
      outbound: { published: published.size, delivered, receiverRequests, ...drain },
      rss: {
        unit: 'MB (2^20 bytes)',
        idle: idleRss === undefined ? null : mb(idleRss),
        ...rss,
        slopeSecondHalf: rssSlope,
        idleDatabase: idleDatabase === undefined ? null : mb(idleDatabase),
        databaseSlopeSecondHalf: databaseSlope,
        series: samples.map((s) => ({
          t: Number(s.t.toFixed(3)),
          rss: Number(mb(s.rss).toFixed(2)),
          database: s.database === null ? null : Number(mb(s.database).toFixed(2)),
        })),
      },
      met,
    },
    null,
    2,
  )}\n`,
);
if (!met.noError || !met.noLoss) process.exitCode = 1;
