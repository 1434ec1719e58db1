/**
 * bench/files/import.ts — file imports run by `switchyard serve` (from the build, dist/), end to end, beside
 * PostgreSQL's own `COPY … FROM` of the same file into the same table, in one run:
 *
 *   npm run bench:import -- [--rows 1000000] [--batch 10000] [--policy reject_file|skip] [--database embedded|postgres]
 *                           [--profile-dir DIR]
 *
 * The CSV of bench/files (`--rows` rows × 10 columns of mixed types, bench/files/data.ts) is written to a temporary
 * directory, uploaded through the resumable upload (8 MB appends, as the CLI sends them), inspected (format
 * detected, schema proposed from 1,000 rows) and imported as `switchyard import` does it: a sync from the file with
 * the proposed schema, a unique key on `id`, and the `--policy` (reject_file by default: the whole file is checked
 * before anything is written, so it is read twice). Measured, each from the execution's own duration:
 * - CSV → the record store (under a PostgreSQL connection, in Switchyard's own database);
 * - CSV → a PostgreSQL table (a throwaway server started for the run, as the sync bench uses), keeping the undo
 *   journal as an import does by default, and again into another table with `undoable: false` (no journal);
 * - `COPY t FROM STDIN (FORMAT csv, HEADER)` of the same file into an identical typed, keyed table on that server
 *   (pg-copy-streams from this process): the baseline. Goal: ≥ 0.3× COPY end to end.
 * - Peak RSS of the Switchyard process through every run (sampled every 100 ms). Goal ≤ 300 MB.
 * Each target is checked after its run (row count, a column summed), so a fast wrong run cannot pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomToken } from '../../src/core/ids.js';
import { writeRecords } from '../../src/sync/files/write.js';
import { startTestPostgres } from '../../test/helpers/postgres-server.js';
import { benchApi, runSyncToEnd, type BenchExecution } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt } from '../lib/load.js';
import { freePort, residentBytes, startProcess, stopProcess } from '../lib/processes.js';
import { benchRecords, checksum } from './data.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.BENCH_ROWS ?? '1000000' },
    batch: { type: 'string', default: '10000' },
    policy: { type: 'string', default: 'reject_file' },
    database: { type: 'string', default: 'embedded' },
    'log-level': { type: 'string', default: 'warn' },
    /** Write a CPU profile of the Switchyard process into this directory (node --cpu-prof) when it stops. */
    'profile-dir': { type: 'string' },
  },
});
const rows = Number(values.rows);
const batchSize = Number(values.batch);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:import does it for you).');
let peakRss = 0;
const progress = (text: string) =>
  process.stderr.write(`  ${text}${peakRss ? ` (peak RSS so far ${Math.round(peakRss / 2 ** 20)} MB)` : ''}\n`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-import-'));
const csv = path.join(dir, 'sales.csv');
progress(`writing ${fmt(rows)} rows × 10 columns of CSV`);
await pipeline(writeRecords(benchRecords(rows, 10_000), 'csv'), fs.createWriteStream(csv));
const csvBytes = fs.statSync(csv).size;

const dataServer = await startTestPostgres();
const data = new pg.Client({ connectionString: dataServer.url });
await data.connect();
const dataDir = path.join(dir, 'switchyard');
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
process.once('exit', () => switchyard.kill());
const sampler = setInterval(() => {
  void residentBytes(switchyard.pid as number).then((bytes) => (peakRss = Math.max(peakRss, bytes ?? 0)));
}, 100);
const api = benchApi(syUrl, admin);

type Execution = BenchExecution;
const runSync = (syncId: string) => runSyncToEnd(api, syncId);

/** The resumable upload, in 8 MB appends: MB/s. */
async function upload(): Promise<{ fileId: string; seconds: number }> {
  const started = performance.now();
  const created = await api.call('POST', '/v1/files/uploads', { name: 'sales.csv', size: csvBytes });
  const chunk = 8 * 2 ** 20;
  const handle = await fs.promises.open(csv, 'r');
  let offset = 0;
  let fileId: string | undefined;
  try {
    while (offset < csvBytes) {
      const bytes = Buffer.alloc(Math.min(chunk, csvBytes - offset));
      await handle.read(bytes, 0, bytes.length, offset);
      const res = await fetch(`${syUrl}/v1/files/uploads/${created.id as string}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${admin}`,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
        },
        body: bytes,
      });
      const body = (await res.json()) as { offset: number; file: { id: string } | null };
      if (!res.ok) throw new Error(`append at ${offset}: ${res.status} ${JSON.stringify(body)}`);
      offset = body.offset;
      fileId = body.file?.id;
    }
  } finally {
    await handle.close();
  }
  if (!fileId) throw new Error('the upload made no file');
  return { fileId, seconds: (performance.now() - started) / 1000 };
}

const columns = `id bigint primary key, name text, email text, amount double precision, qty bigint, active boolean,
  day date, updated_at timestamptz, score double precision, note text`;

/** COPY FROM STDIN of the CSV into a fresh typed, keyed table: rows/s. */
async function timeCopyFrom(table: string): Promise<number> {
  await data.query(`create table ${table} (${columns})`);
  const started = performance.now();
  await pipeline(fs.createReadStream(csv), data.query(copyFrom(`copy ${table} from stdin (format csv, header)`)));
  const seconds = (performance.now() - started) / 1000;
  await check(table);
  return rows / seconds;
}

async function check(table: string): Promise<void> {
  const { rows: r } = await data.query<{ n: string; qty: string }>(
    `select count(*) as n, sum(qty) as qty from ${table}`,
  );
  if (Number(r[0]?.n) !== rows || Number(r[0]?.qty) !== checksum(rows))
    throw new Error(`${table} holds ${r[0]?.n} rows (qty ${r[0]?.qty})`);
}

const results: Record<string, unknown> = { rows, batchSize, policy: values.policy, database: db.kind, csvBytes };
try {
  await data.query('create schema bench_copy; create schema bench_import; create schema bench_bulk');
  const copyBefore = await timeCopyFrom('bench_copy.sales_a');
  progress(`COPY FROM ${fmt(copyBefore)} rows/s`);

  const connection = await api.call('POST', '/v1/connections', {
    connector: 'postgresql',
    name: 'Bench warehouse',
    auth_method: 'connection_string',
    credentials: { connection_string: dataServer.url },
  });
  const sent = await upload();
  progress(`uploaded ${fmt(csvBytes / 2 ** 20)} MB in ${sent.seconds.toFixed(2)} s`);
  const inspected = (await api.call('POST', '/v1/imports/inspect', { file_id: sent.fileId, preview: 0 })) as {
    format: unknown;
    schema: { fields: { name: string; type: string; nullable: boolean }[] };
  };
  const newImport = async (name: string, target: Record<string, unknown>, undoable = true) =>
    (
      await api.call('POST', '/v1/syncs', {
        name,
        type: 'full',
        batch_size: batchSize,
        deletion: { mode: 'none', max_delete_share: 0.5 },
        source: {
          kind: 'file',
          file_id: sent.fileId,
          format: inspected.format,
          schema: inspected.schema.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })),
          unique: [['id']],
          on_error: values.policy,
          undoable,
          streams: [{ name: 'sales', primary_key: ['id'] }],
        },
        target,
      })
    ).id as string;

  progress('CSV → record store');
  const toStore = await runSync(
    await newImport('to the record store', { kind: 'record_store', connection_id: connection.id }),
  );
  if (toStore.records.created !== rows) throw new Error(`the record store took ${toStore.records.created} records`);
  progress('CSV → PostgreSQL table');
  const toPostgres = await runSync(
    await newImport('to postgres', { kind: 'postgres', connection_id: connection.id, schema: 'bench_import' }),
  );
  await check('bench_import.sales');
  progress('CSV → PostgreSQL table, without an undo journal');
  const toPostgresBulk = await runSync(
    await newImport(
      'bulk to postgres',
      { kind: 'postgres', connection_id: connection.id, schema: 'bench_bulk' },
      false,
    ),
  );
  await check('bench_bulk.sales');
  const copyAfter = await timeCopyFrom('bench_copy.sales_b');
  const copyRate = (copyBefore + copyAfter) / 2;
  clearInterval(sampler);

  const rate = (e: Execution) => rows / (e.duration_ms / 1000);
  Object.assign(results, { copyBefore, copyAfter, upload: sent.seconds, toStore, toPostgres, toPostgresBulk, peakRss });
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const line = (name: string, value: string, note: string) =>
    console.log(`${name.padEnd(44)}${value.padStart(16)}  ${note}`);
  console.log(
    `\nbench/files/import — Switchyard's database ${describeDatabase(db.kind)}; tables on a throwaway PostgreSQL ` +
      `server; ${os.cpus().length} CPUs; Node ${process.version}; ${fmt(rows)} rows × 10 columns ` +
      `(${fmt(csvBytes / 2 ** 20)} MB of CSV), batches of ${fmt(batchSize)}, policy ${values.policy}`,
  );
  line(
    'COPY … FROM STDIN (csv) (baseline)',
    `${fmt(copyRate)} rows/s`,
    `mean of ${fmt(copyBefore)} and ${fmt(copyAfter)}`,
  );
  line('resumable upload (8 MB appends)', `${fmt(csvBytes / 2 ** 20 / sent.seconds)} MB/s`, '');
  for (const [name, e] of [
    ['import CSV → record store', toStore],
    ['import CSV → PostgreSQL table', toPostgres],
    ['import CSV → table, undoable: false', toPostgresBulk],
  ] as const) {
    const r = rate(e);
    line(
      name,
      `${fmt(r)} rows/s`,
      `${(e.duration_ms / 1000).toFixed(2)} s, ${(r / copyRate).toFixed(2)}× COPY (goal ≥ 0.3× COPY) ${verdict(r / copyRate >= 0.3)}`,
    );
  }
  line(
    'peak RSS of the Switchyard process',
    `${fmt(peakRss / 2 ** 20)} MB`,
    `(goal ≤ 300 MB) ${verdict(peakRss <= 300 * 2 ** 20)}`,
  );
} finally {
  clearInterval(sampler);
  await stopProcess(switchyard);
  await db.drop();
  await data.end();
  dataServer.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);
