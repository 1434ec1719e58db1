/**
 * What bench/sync/run.ts and bench/sync/postgres-pipeline.ts share: the source table of N rows × 8 columns, and the
 * two baselines a PostgreSQL-to-PostgreSQL sync is measured against in the same run.
 */
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** `table` (schema-qualified, its schema existing) filled with `rows` rows × 8 columns, indexed on its cursor. */
export async function createSourceTable(client: pg.Client, table: string, rows: number): Promise<void> {
  await client.query(`create table ${table} (id bigint primary key, name text not null, email text,
    amount numeric(12,2), qty integer, active boolean, created_at timestamptz not null, updated_at timestamptz not null)`);
  await client.query(`insert into ${table}
    select g, 'customer ' || g, 'user' || g || '@example.com', (g % 100000) / 100.0, g % 1000, g % 3 = 0,
      timestamptz '2024-01-01' + g * interval '1 second', timestamptz '2024-06-01' + g * interval '1 second'
    from generate_series(1, ${rows}) g`);
  await client.query(`create index on ${table} (updated_at, id)`);
  await client.query(`vacuum analyze ${table}`);
}

/** `COPY table TO STDOUT`, every line counted: rows/s. */
export async function timeCopy(client: pg.Client, table: string, rows: number): Promise<number> {
  const started = performance.now();
  const stream = client.query(copyTo(`copy ${table} to stdout`));
  let lines = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  if (lines !== rows) throw new Error(`COPY gave ${lines} rows`);
  return rows / ((performance.now() - started) / 1000);
}

/** COPY of the table streamed straight into COPY FROM of a keyed copy of it: the floor of any PG → PG move. */
export async function timePump(url: string, table: string, rows: number): Promise<number> {
  const reader = new pg.Client({ connectionString: url });
  const writer = new pg.Client({ connectionString: url });
  await Promise.all([reader.connect(), writer.connect()]);
  const pump = `${table}_pump_${randomBytes(3).toString('hex')}`;
  try {
    await writer.query(`create table ${pump} (like ${table} including all)`);
    const started = performance.now();
    await pipeline(reader.query(copyTo(`copy ${table} to stdout`)), writer.query(copyFrom(`copy ${pump} from stdin`)));
    const seconds = (performance.now() - started) / 1000;
    await writer.query(`drop table ${pump}`);
    return rows / seconds;
  } finally {
    await Promise.all([reader.end(), writer.end()]);
  }
}
