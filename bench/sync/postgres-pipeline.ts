/**
 * bench/sync/postgres-pipeline — a PostgreSQL table of N rows × 8 columns copied into another PostgreSQL table by the
 * sync source and target (src/sync/sources/postgres, src/sync/targets/postgres), beside a plain `COPY … TO STDOUT` of
 * the same table in the same run.
 *
 *   npx tsx bench/sync/postgres-pipeline.ts -- [--rows 1000000] [--batch 10000] [--full-refresh]
 *
 * The server: DATABASE_URL when set (a scratch schema, dropped at the end), otherwise a throwaway server started the
 * way the tests start theirs (test/helpers/postgres-server.ts: fsync off, as in the test suite). The pipeline runs as
 * the runner will: read a batch → write it (committed) → save the batch's checkpoint (one UPDATE of a state row), in
 * order; the source asks for batch N+1 before batch N is handed over, so reading and writing overlap.
 *
 * Printed: COPY rows/s; the pipeline's rows/s and its ratio to COPY (goals ≥ 150,000 rows/s and ≥ 0.25×); an
 * incremental run after 1% of the rows changed, as a share of the full run's time (goal ≤ 2%); peak RSS of this
 * process (goal ≤ 300 MB). The database server shares the machine's CPUs with this process.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseCidr } from '../../src/core/net/cidr.js';
import type { ReadMode, StreamState, SyncSource, SyncTarget } from '../../src/sync/engine/types.js';
import { createPostgresSource } from '../../src/sync/sources/postgres/index.js';
import { createPostgresTarget } from '../../src/sync/targets/postgres/index.js';
import { startTestPostgres } from '../../test/helpers/postgres-server.js';
import { createSourceTable, timeCopy, timePump } from './baselines.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    'full-refresh': { type: 'boolean', default: false },
  },
});
const rowCount = Number(values.rows);
const batchSize = Number(values.batch);
const fullRefresh = values['full-refresh'];
const allow = [parseCidr('127.0.0.0/8')];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const server = process.env.DATABASE_URL ? undefined : await startTestPostgres();
  const url = process.env.DATABASE_URL ?? (server as { url: string }).url;
  const schema = `bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    console.log(
      `PostgreSQL → PostgreSQL sync, ${fmt(rowCount)} rows × 8 columns, batches of ${fmt(batchSize)}, ` +
        `${fullRefresh ? 'full refresh (shadow + swap)' : 'upsert'}; ${os.availableParallelism()} CPUs shared with the database server` +
        `${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (throwaway server)'}`,
    );
    await admin.query(`create schema ${schema}`);
    await createSourceTable(admin, `${schema}.src`, rowCount);
    const copyRate = await timeCopy(admin, `${schema}.src`, rowCount);
    console.log(`COPY ${schema}.src TO STDOUT:    ${fmt(copyRate)} rows/s`);
    const pumpRate = await timePump(url, `${schema}.src`, rowCount);
    console.log(
      `COPY TO piped into COPY FROM:  ${fmt(pumpRate)} rows/s  (the byte pump: a keyed copy of the table, no parsing; ` +
        `${(pumpRate / copyRate).toFixed(2)}× COPY)`,
    );

    const source = createPostgresSource({ connectionString: url, allow });
    const target = createPostgresTarget({ connectionString: url, allow, schema });
    await admin.query(`create table ${schema}.checkpoint (stream text primary key, state jsonb)`);
    await admin.query(`insert into ${schema}.checkpoint values ('src', null)`);
    try {
      const full = await runSync(admin, source, target, schema, 'full', null);
      console.log(
        `sync full read → upsert:      ${fmt(full.rows / full.seconds)} rows/s  ` +
          `(${full.seconds.toFixed(2)} s, ${fmt(full.batches)} batches, ${(full.rows / full.seconds / copyRate).toFixed(2)}× COPY, ` +
          `${(full.rows / full.seconds / pumpRate).toFixed(2)}× the byte pump)`,
      );
      console.log(`  waiting on: ${full.parts}`);
      const check = await admin.query(`select count(*)::int as n from ${schema}.dst`);
      if (check.rows[0].n !== rowCount) throw new Error(`target holds ${check.rows[0].n} rows, expected ${rowCount}`);

      await admin.query(`update ${schema}.src set qty = qty + 1, updated_at = clock_timestamp() where id % 100 = 0`);
      // Between real runs autovacuum has long since processed the fresh load; here it would be running (on the same
      // CPUs) during the incremental run, so it is done first: the incremental run is measured in that steady state.
      await admin.query(`vacuum analyze ${schema}.src, ${schema}.dst`);
      const incremental = await runSync(admin, source, target, schema, 'incremental', full.state);
      console.log(
        `sync incremental (1% changed): ${fmt(incremental.rows)} rows in ${incremental.seconds.toFixed(3)} s ` +
          `= ${((incremental.seconds / full.seconds) * 100).toFixed(2)}% of the full run (${incremental.updated} updated)`,
      );
      console.log(`  waiting on: open ${incremental.open.toFixed(2)} s, ${incremental.parts}`);
    } finally {
      await source.close();
      await target.close();
    }
    console.log(`peak RSS of this process:     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end();
    server?.stop();
  }
}

async function runSync(
  admin: pg.Client,
  source: SyncSource,
  target: SyncTarget,
  schema: string,
  mode: ReadMode,
  state: StreamState | null,
) {
  const signal = new AbortController().signal;
  const log = () => {};
  const [stream] = (await source.discover()).filter((s) => s.name === `${schema}.src`);
  if (!stream) throw new Error('source table not discovered');
  const started = performance.now();
  const writer = await target.open({
    name: 'dst',
    primaryKey: stream.primaryKey,
    fields: stream.fields,
    fullRefresh: fullRefresh && mode === 'full',
    executionId: `bench-${mode}`,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal,
    log,
  });
  const open = (performance.now() - started) / 1000;
  let rows = 0;
  let batches = 0;
  let updated = 0;
  let saved = state;
  const spent = { read: 0, write: 0, checkpoint: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof spent) => {
    const now = performance.now();
    spent[phase] += now - mark;
    mark = now;
  };
  for await (const batch of source.read({ stream, mode, state, lookbackSeconds: 0, batchSize, signal, log })) {
    lap('read');
    // As the runner does for an unmapped stream: the COPY text as it is when the target takes it.
    const outcome = (batch.copy && (await writer.writeCopy?.(batch.copy))) || (await writer.write(batch.records));
    lap('write');
    if (outcome.rejected.length > 0) throw new Error(`rejected: ${outcome.rejected[0]?.reason}`);
    updated += outcome.updated;
    rows += batch.copy?.rows ?? batch.records.length;
    batches++;
    if (batch.state) {
      saved = batch.state;
      await admin.query(`update ${schema}.checkpoint set state = $1 where stream = 'src'`, [JSON.stringify(saved)]);
    }
    lap('checkpoint');
  }
  await writer.finish();
  const seconds = (performance.now() - started) / 1000;
  const parts = Object.entries(spent).map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`);
  return { rows, batches, updated, state: saved, seconds, open, parts: parts.join(', ') };
}

await main();
