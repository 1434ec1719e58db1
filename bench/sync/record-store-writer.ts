/**
 * bench/sync/record-store-writer — the record store target's writer alone (src/sync/records/target.ts): rows of 8
 * columns written in batches through `write()`, as the runner calls it, timed from the first batch to the last
 * commit (canonical JSON, hashing and the upsert statement all included).
 *
 *   npx tsx bench/sync/record-store-writer.ts [--rows 200000] [--batch 5000]
 *
 * On the embedded database (a PostgreSQL server this script starts in a temporary directory) unless DATABASE_URL is
 * set, then in a scratch database on that server, dropped at the end. Three passes over the same model:
 * - insert: every record new (created);
 * - unchanged: the same records again (a second full run with nothing changed: only last seen moves);
 * - 1% changed: the same records with one in a hundred changed (updated), the rest unchanged.
 * Beside them, in the same run, a bare `COPY … FROM STDIN` of the same rows into a table of 8 typed columns: the
 * fastest way in, which the writer (JSON, hashing, an upsert with change detection) is measured against.
 * Also printed: the share of the insert pass spent in this process on canonical JSON and hashing (the same work
 * timed alone).
 * Goal (issue 19): ≥ 150,000 rows/s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { migrate } from '../../src/core/db/migrate.js';
import { startEmbeddedPostgres } from '../../src/core/db/embedded-postgres.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';
import type { SyncRecord } from '../../src/sync/engine/types.js';
import { contentHash, createCanonicalizer } from '../../src/sync/records/canonical.js';
import { createRecordStoreTarget } from '../../src/sync/records/target.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '5000' },
  },
});
const rowCount = Number(values.rows);
const batchSize = Number(values.batch);

function makeRows(changedEvery = 0): SyncRecord[] {
  const base = Date.UTC(2024, 0, 1);
  return Array.from({ length: rowCount }, (_, i) => ({
    id: i + 1,
    name: `Customer ${i + 1}`,
    email: `customer${i + 1}@example.test`,
    amount: Math.round(i * 137.5) / 100,
    active: i % 3 !== 0,
    country: ['NO', 'DE', 'FR', 'US', 'JP'][i % 5],
    created_at: new Date(base + i * 60_000).toISOString(),
    note: changedEvery && i % changedEvery === 0 ? `changed ${i}` : `note ${i % 97}`,
  }));
}

async function pass(db: Db, connectionId: string, executionId: string, rows: SyncRecord[], model = 'customers') {
  const target = createRecordStoreTarget({ db, tenantId: 'ten_bench', connectionId });
  const writer = await target.open({
    name: model,
    primaryKey: ['id'],
    fields: [],
    fullRefresh: false,
    executionId,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: () => {},
  });
  const totals = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const started = performance.now();
  for (let at = 0; at < rows.length; at += batchSize) {
    const t0 = performance.now();
    const outcome = await writer.write(rows.slice(at, at + batchSize));
    if (process.env.BENCH_TRACE) console.log(`    batch ${at / batchSize}: ${(performance.now() - t0).toFixed(0)} ms`);
    totals.created += outcome.created;
    totals.updated += outcome.updated;
    totals.unchanged += outcome.unchanged;
    totals.rejected += outcome.rejected.length;
  }
  await writer.finish();
  return { seconds: (performance.now() - started) / 1000, totals };
}

/** The same rows by COPY into a plain typed table: the baseline. */
async function copyBaseline(connectionString: pg.ClientConfig, rows: SyncRecord[]): Promise<number> {
  const client = new pg.Client(connectionString);
  await client.connect();
  try {
    await client.query(`create temporary table copy_baseline (id bigint primary key, name text, email text,
      amount numeric, active boolean, country text, created_at timestamptz, note text)`);
    const started = performance.now();
    const lines = function* () {
      for (let at = 0; at < rows.length; at += 1000)
        yield rows
          .slice(at, at + 1000)
          .map(
            (r) =>
              `${r.id}\t${r.name}\t${r.email}\t${r.amount}\t${r.active}\t${r.country}\t${r.created_at}\t${r.note}\n`,
          )
          .join('');
    };
    await pipeline(Readable.from(lines()), client.query(copyStreams.from('copy copy_baseline from stdin')));
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

const fmtRate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;

/** The database: a scratch one on DATABASE_URL's server, or an embedded server of our own in a temporary directory. */
async function openBenchDatabase(): Promise<{ db: Db; client: pg.ClientConfig; kind: string; close(): Promise<void> }> {
  const scratch = await benchDatabase();
  const url = scratch.env.DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) {
    const db = await openPostgres({ url, poolSize: 2 });
    return {
      db,
      client: { connectionString: url },
      kind: scratch.kind,
      close: async () => (await db.close(), await scratch.drop()),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-records-'));
  const server = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres') });
  const db = await openPostgres({ connection: server.connection, kind: 'embedded', poolSize: 2 });
  return {
    db,
    client: server.connection,
    kind: 'embedded',
    async close() {
      await db.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const database = await openBenchDatabase();
  const { db } = database;
  try {
    await migrate(db);
    await db.query(`insert into tenants (id, name, slug) values ('ten_bench', 'Bench', 'bench')`);
    await db.query(`insert into connectors (slug, manifest, source, availability, management, manifest_hash)
      values ('bench_vendor', '{}', 'custom', 'active', 'shared', 'x')`);
    await db.query(`insert into connections (id, tenant_id, connector_slug, name, auth_method, credential_source, state)
      values ('conn_bench', 'ten_bench', 'bench_vendor', 'bench', 'api_key', 'tenant', 'active')`);
    console.log(
      `record store writer: ${rowCount.toLocaleString('en-US')} rows x 8 columns, batches of ${batchSize}, ` +
        `database ${database.kind === 'embedded' ? describeDatabase('embedded') : 'postgres'}, node ${process.version}, ` +
        `${os.availableParallelism()} CPUs`,
    );
    const rows = makeRows();
    // A first pass into another model, untimed: a fresh server creates its WAL segments on first use, which on a
    // busy disk took tens of seconds for the first batches, and would be charged to whichever pass came first.
    await pass(db, 'conn_bench', 'ex_warm', rows, 'warm_up');
    await db.query(`delete from sync_records where model_id = (select id from sync_models where model = 'warm_up')`);
    const runs: [string, SyncRecord[]][] = [
      ['insert', rows],
      ['unchanged', rows],
      ['1% changed', makeRows(100)],
    ];
    let insertSeconds = 0;
    for (const [i, [label, input]] of runs.entries()) {
      const { seconds, totals } = await pass(db, 'conn_bench', `ex_${i}`, input);
      if (i === 0) insertSeconds = seconds;
      console.log(
        `  ${label.padEnd(11)} ${fmtRate(rowCount, seconds).padStart(16)}  (${seconds.toFixed(2)} s; ` +
          `created ${totals.created}, updated ${totals.updated}, unchanged ${totals.unchanged}, rejected ${totals.rejected})`,
      );
    }
    const canonical = createCanonicalizer();
    const jsStarted = performance.now();
    for (const row of rows) contentHash(canonical(row).text);
    const jsSeconds = (performance.now() - jsStarted) / 1000;
    console.log(
      `  of the insert pass, canonical JSON and SHA-256 in this process: ${jsSeconds.toFixed(2)} s ` +
        `(${Math.round((jsSeconds / insertSeconds) * 100)}%)`,
    );
    const copySeconds = await copyBaseline(database.client, rows);
    console.log(
      `  COPY        ${fmtRate(rowCount, copySeconds).padStart(16)}  (${copySeconds.toFixed(2)} s; typed table, no JSON)` +
        `  writer insert / COPY = ${(copySeconds / insertSeconds).toFixed(2)}x`,
    );
  } finally {
    await database.close();
  }
}

await main();
