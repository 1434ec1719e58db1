import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/core/db/open.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';

export type BenchDatabase = {
  /** Which database the run measures: the embedded default, or the PostgreSQL server DATABASE_URL names. */
  kind: 'embedded' | 'postgres';
  /** Environment for the Switchyard process (overrides DATABASE_URL with the scratch database). */
  env: Record<string, string>;
  /** Drop the scratch database, once the processes using it have ended. */
  drop(): Promise<void>;
};

/**
 * The database a benchmark run uses: the embedded database in the run's data directory unless DATABASE_URL is set; then a fresh
 * scratch database on that server, dropped at the end, so every run starts from empty tables (as on the embedded database) and a
 * run never meets data sealed under another run's master key. When the role may not create databases, the
 * DATABASE_URL database itself is used (a second run then needs the first run's SWITCHYARD_MASTER_KEY).
 */
export async function benchDatabase(serverUrl = process.env.DATABASE_URL): Promise<BenchDatabase> {
  if (!serverUrl) return { kind: 'embedded', env: {}, drop: async () => {} };
  const name = `switchyard_bench_${randomBytes(5).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await run(`create database ${name}`);
  } catch (error) {
    process.stderr.write(`  could not create a scratch database (${(error as Error).message}); using DATABASE_URL\n`);
    return { kind: 'postgres', env: {}, drop: async () => {} };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    drop: () => run(`drop database if exists ${name} with (force)`),
  };
}

/** How a bench names its database in its first line (the embedded server is unpinned: unpinEmbeddedDatabase). */
export function describeDatabase(kind: BenchDatabase['kind']): string {
  return kind === 'embedded' ? 'embedded (its server on every CPU, as a PostgreSQL server is)' : kind;
}

/**
 * The database of a reference server (a bench's hand-written durable baseline), of the same kind as Switchyard's: the
 * PostgreSQL database in DATABASE_URL, or an embedded server of its own in DATA_DIR.
 */
export async function referenceDatabase(namespace: string, poolSize: number): Promise<Db> {
  return process.env.DATABASE_URL
    ? openPostgres({ url: process.env.DATABASE_URL, poolSize, namespace })
    : openDatabase({ dataDir: process.env.DATA_DIR as string, databaseUrl: undefined, dbPoolSize: poolSize });
}
