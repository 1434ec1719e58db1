/**
 * bench/sync — syncs run by `switchyard serve` (from the build, dist/), measured against baselines in the same run:
 *
 *   npm run bench:sync -- [--rows 1000000] [--batch 10000] [--rest-records 50000] [--database embedded|postgres]
 *                          [--profile-dir DIR]
 *
 * Switchyard keeps its own state on the embedded database unless DATABASE_URL is set (then in a scratch database on
 * that PostgreSQL server, dropped at the end) or `--database postgres` is given (a scratch database on the run's
 * throwaway server): run once each way to report both. The data moved lives on a
 * throwaway PostgreSQL server started for the run (test/helpers/postgres-server.ts: fsync off, as in the suite), the
 * same server for the source table, the target schema and the COPY baseline. Nothing is pinned: a sync keeps the
 * source's backend, the target's backend, Switchyard and its database busy at once on a 2-CPU machine.
 *
 * Measured:
 * - PostgreSQL → PostgreSQL: a table of `--rows` rows × 8 columns into another schema, as an incremental sync's first
 *   (full) run; rows/s from the execution's own duration, beside `COPY … TO STDOUT` of the same table and the byte
 *   pump (COPY TO piped into COPY FROM of a keyed copy: the floor of any PostgreSQL-to-PostgreSQL move). Goals:
 *   ≥ 150,000 rows/s and ≥ 0.25× COPY.
 * - PostgreSQL → the record store: the same table, the same way.
 * - Incremental: 1% of the rows changed (after VACUUM ANALYZE, as autovacuum would have done between real runs); the
 *   next run of each sync as a share of its first run's time. Goal ≤ 2%.
 * - A REST stream: a local fake listing `--rest-records` records in pages of 100 (bench/sync/rest-fake.ts, its own
 *   process), read into the record store through the proxy; records/s beside a bare loop that pages the same fake
 *   with fetch and parses each page (measured before and after; the mean is the baseline).
 * - Peak RSS of the Switchyard process, sampled every 100 ms through every run. Goal ≤ 300 MB.
 * Every target is checked after its run (row counts, the changed rows), so a fast wrong run cannot pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { randomToken } from '../../src/core/ids.js';
import { startTestPostgres } from '../../test/helpers/postgres-server.js';
import { benchApi, runSyncToEnd, type BenchExecution } from '../lib/api.js';
import { createSourceTable, timeCopy, timePump } from './baselines.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt } from '../lib/load.js';
import { freePort, residentBytes, startProcess, stopProcess } from '../lib/processes.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.BENCH_ROWS ?? '1000000' },
    batch: { type: 'string', default: '10000' },
    'rest-records': { type: 'string', default: '50000' },
    'log-level': { type: 'string', default: 'warn' },
    /**
     * Where Switchyard keeps its own state: `embedded` (the default, or DATABASE_URL's server when set) or
     * `postgres`: a scratch database on the run's throwaway PostgreSQL server, beside the data.
     */
    database: { type: 'string', default: 'embedded' },
    /** Write a CPU profile of the Switchyard process into this directory (node --cpu-prof) when it stops. */
    'profile-dir': { type: 'string' },
  },
});
const rows = Number(values.rows);
const batchSize = Number(values.batch);
const restRecords = Number(values['rest-records']);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:sync does it for you).');
let peakRss = 0;
const progress = (text: string) =>
  process.stderr.write(`  ${text}${peakRss ? ` (peak RSS so far ${Math.round(peakRss / 2 ** 20)} MB)` : ''}\n`);

const dataServer = await startTestPostgres();
const data = new pg.Client({ connectionString: dataServer.url });
await data.connect();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syUrl = `http://127.0.0.1:${await freePort()}`;
const db = await benchDatabase(values.database === 'postgres' ? dataServer.url : process.env.DATABASE_URL);
const switchyard = await startProcess(
  process.execPath,
  [...(values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : []), entry, 'serve'],
  {
    PORT: new URL(syUrl).port,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    ...db.env,
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
);
const fakeUrl = `http://127.0.0.1:${await freePort()}`;
const fake = await startProcess(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench/sync/rest-fake.ts')],
  { PORT: new URL(fakeUrl).port, RECORDS: String(restRecords) },
  async () => (await fetch(`${fakeUrl}/me`)).ok,
);
process.once('exit', () => {
  switchyard.kill();
  fake.kill();
});

const sampler = setInterval(() => {
  void residentBytes(switchyard.pid as number).then((bytes) => (peakRss = Math.max(peakRss, bytes ?? 0)));
}, 100);

const api = benchApi(syUrl, admin);
type Execution = BenchExecution;
const runSync = (syncId: string) => runSyncToEnd(api, syncId);

async function count(sql: string): Promise<number> {
  return Number((await data.query<{ n: string }>(sql)).rows[0]?.n);
}

const results: Record<string, unknown> = { rows, batchSize, restRecords, database: db.kind };
try {
  progress(`loading ${fmt(rows)} rows into the source table`);
  await data.query(`create schema bench_src; create schema bench_dst`);
  await createSourceTable(data, 'bench_src.items', rows);

  const copyRate = await timeCopy(data, 'bench_src.items', rows);
  const pumpRate = await timePump(dataServer.url, 'bench_src.items', rows);
  progress(`COPY ${fmt(copyRate)} rows/s, byte pump ${fmt(pumpRate)} rows/s`);

  const connection = await api.call('POST', '/v1/connections', {
    connector: 'postgresql',
    name: 'Bench warehouse',
    auth_method: 'connection_string',
    credentials: { connection_string: dataServer.url },
  });
  const newSync = async (name: string, target: Record<string, unknown>) =>
    (
      await api.call('POST', '/v1/syncs', {
        name,
        type: 'incremental',
        batch_size: batchSize,
        source: {
          kind: 'connection',
          connection_id: connection.id,
          streams: [{ name: 'bench_src.items', target: 'items', cursor_field: 'updated_at' }],
        },
        target,
      })
    ).id as string;
  const toPostgres = await newSync('to postgres', {
    kind: 'postgres',
    connection_id: connection.id,
    schema: 'bench_dst',
  });
  const toStore = await newSync('to the record store', { kind: 'record_store' });

  progress('PostgreSQL → PostgreSQL, first run');
  const pgFull = await runSync(toPostgres);
  if ((await count('select count(*) as n from bench_dst.items')) !== rows) throw new Error('the target is short');
  progress(`  ${fmt(rows / (pgFull.duration_ms / 1000))} rows/s`);
  progress('PostgreSQL → record store, first run');
  const storeFull = await runSync(toStore);
  if (storeFull.records.created !== rows) throw new Error(`the record store took ${storeFull.records.created} rows`);
  progress(`  ${fmt(rows / (storeFull.duration_ms / 1000))} rows/s`);

  const changed = Math.floor(rows / 100);
  await data.query(`update bench_src.items set qty = qty + 1, updated_at = clock_timestamp() where id % 100 = 0`);
  await data.query(`vacuum analyze bench_src.items, bench_dst.items`);
  progress('1% changed: incremental runs');
  const pgIncremental = await runSync(toPostgres);
  if (pgIncremental.records.updated !== changed) throw new Error(`${pgIncremental.records.updated} rows updated`);
  const storeIncremental = await runSync(toStore);
  if (storeIncremental.records.updated !== changed) throw new Error(`${storeIncremental.records.updated} updated`);

  progress(`REST: ${fmt(restRecords)} records in pages of 100`);
  const bareBefore = await bareLoop();
  await api.call('POST', '/v1/connectors', restManifest());
  const restConnection = await api.call('POST', '/v1/connections', {
    connector: 'bench_rest',
    name: 'Bench REST',
    auth_method: 'bearer',
    credentials: { token: 'bench' },
    config: { base_url: fakeUrl },
  });
  const restSync = (
    await api.call('POST', '/v1/syncs', {
      name: 'rest',
      type: 'full',
      batch_size: 1000,
      source: { kind: 'connection', connection_id: restConnection.id, streams: [{ name: 'items' }] },
      target: { kind: 'record_store' },
    })
  ).id as string;
  const rest = await runSync(restSync);
  if (rest.records.created !== restRecords) throw new Error(`the REST sync stored ${rest.records.created} records`);
  const bareAfter = await bareLoop();
  const bareRate = (bareBefore + bareAfter) / 2;

  clearInterval(sampler);
  const rate = (e: Execution) => rows / (e.duration_ms / 1000);
  const restRate = restRecords / (rest.duration_ms / 1000);
  const share = (incremental: Execution, full: Execution) => incremental.duration_ms / full.duration_ms;
  Object.assign(results, {
    copyRate,
    pumpRate,
    pgFull,
    storeFull,
    pgIncremental,
    storeIncremental,
    rest,
    bareRate,
    peakRss,
  });
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const line = (name: string, value: string, note: string) =>
    console.log(`${name.padEnd(44)}${value.padStart(14)}  ${note}`);
  console.log(
    `\nbench/sync — Switchyard's database ${describeDatabase(db.kind)}; data on a throwaway PostgreSQL server; ` +
      `${os.cpus().length} CPUs, unpinned; Node ${process.version}; ${fmt(rows)} rows × 8 columns, batches of ${fmt(batchSize)}`,
  );
  line('COPY … TO STDOUT (baseline)', `${fmt(copyRate)} rows/s`, '');
  line(
    'COPY TO piped into COPY FROM (byte pump)',
    `${fmt(pumpRate)} rows/s`,
    `${(pumpRate / copyRate).toFixed(2)}× COPY`,
  );
  for (const [name, e] of [
    ['sync PostgreSQL → PostgreSQL (first run)', pgFull],
    ['sync PostgreSQL → record store (first run)', storeFull],
  ] as const) {
    const r = rate(e);
    line(
      name,
      `${fmt(r)} rows/s`,
      `${(e.duration_ms / 1000).toFixed(2)} s, ${(r / copyRate).toFixed(2)}× COPY, ${(r / pumpRate).toFixed(2)}× the pump ` +
        `(goal ≥ 150,000 rows/s and ≥ 0.25× COPY) ${verdict(r >= 150_000 && r / copyRate >= 0.25)}`,
    );
  }
  for (const [name, incremental, full] of [
    ['incremental after 1% changed → PostgreSQL', pgIncremental, pgFull],
    ['incremental after 1% changed → record store', storeIncremental, storeFull],
  ] as const) {
    const s = share(incremental, full);
    line(
      name,
      `${(incremental.duration_ms / 1000).toFixed(3)} s`,
      `${fmt(incremental.records.processed)} read, ${fmt(incremental.records.updated)} updated; ` +
        `${(s * 100).toFixed(2)}% of the first run (goal ≤ 2%) ${verdict(s <= 0.02)}`,
    );
  }
  line('REST bare loop (fetch + JSON.parse, pages of 100)', `${fmt(bareRate)} rec/s`, '');
  line(
    'sync REST stream → record store',
    `${fmt(restRate)} rec/s`,
    `${(rest.duration_ms / 1000).toFixed(2)} s, ${(restRate / bareRate).toFixed(2)}× the bare loop`,
  );
  line(
    'peak RSS of the Switchyard process',
    `${fmt(peakRss / 2 ** 20)} MB`,
    `(goal ≤ 300 MB) ${verdict(peakRss <= 300 * 2 ** 20)}`,
  );
} finally {
  clearInterval(sampler);
  await stopProcess(switchyard);
  await stopProcess(fake);
  await db.drop(); // on the data server when --database postgres: before it stops
  await data.end();
  dataServer.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `sync-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);

/** Page through the fake as a hand-written client would: one request at a time, each page parsed. */
async function bareLoop(): Promise<number> {
  const started = performance.now();
  let after: string | null = '0';
  let seen = 0;
  while (after !== null) {
    const res = await fetch(`${fakeUrl}/items?limit=100&after=${after}`);
    const page = (await res.json()) as { results: unknown[]; next: string | null };
    seen += page.results.length;
    after = page.next;
  }
  if (seen !== restRecords) throw new Error(`the bare loop saw ${seen} records`);
  return seen / ((performance.now() - started) / 1000);
}

function restManifest() {
  return {
    schema_version: 1,
    slug: 'bench_rest',
    name: 'Bench REST',
    description: 'The listing bench/sync pages through.',
    category: 'Generic',
    logo: { initials: 'BR', color: '#334455' },
    config: [{ key: 'base_url', label: 'Base URL', type: 'url' }],
    auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', secret: true }] }],
    base_url: '{{config.base_url}}',
    test: { kind: 'http', request: { method: 'GET', path: '/me' } },
    streams: [
      {
        name: 'items',
        path: '/items',
        primary_key: 'id',
        pagination: {
          style: 'cursor',
          cursor_param: 'after',
          cursor_path: '$.next',
          limit_param: 'limit',
          max_limit: 100,
          results_path: '$.results',
        },
      },
    ],
  };
}
