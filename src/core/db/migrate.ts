import fs from 'node:fs';
import path from 'node:path';
import { migrationsDir } from '../paths.js';
import { isUniqueViolation, type Db } from './port.js';

export type Migration = { id: number; name: string; sql: string };

/** Load `migrations/NNNN_name.sql`, numbered from 1 without gaps. Append-only: never edit a committed file. */
export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`);
      return { id: Number(match[1]), name: match[2] as string, sql: fs.readFileSync(path.join(dir, file), 'utf8') };
    });
  migrations.forEach((m, i) => {
    if (m.id !== i + 1)
      throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.id} at position ${i + 1}`);
  });
  return migrations;
}

// One key for every Switchyard migrator on a database (the first 8 bytes of sha256("switchyard:migrate")).
const MIGRATION_LOCK_KEY = '7250913374630251913';

/**
 * Apply pending migrations, each in its own transaction. Safe when several nodes start at once:
 * - a transaction-scoped advisory lock serialises migrators on a PostgreSQL server (on PGlite there is only one
 *   session, so it is free);
 * - the migration row is inserted *before* the migration runs (graphile/worker), so two migrators that somehow
 *   both pass the check collide on the primary key instead of applying a migration twice.
 * Returns the ids applied by this call.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`create table if not exists switchyard_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    try {
      const ran = await db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        const done = await tx.query('select 1 from switchyard_migrations where id = $1', [migration.id]);
        if (done.rowCount > 0) return false;
        await tx.query('insert into switchyard_migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
        await tx.exec(migration.sql);
        return true;
      });
      if (ran) applied.push(migration.id);
    } catch (error) {
      // Another node applied it between our check and our insert: its transaction won, ours rolled back.
      if (isUniqueViolation(error)) continue;
      throw new Error(`Migration ${migration.id} (${migration.name}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return applied;
}

export type MigrationStatus = { latestKnown: number; latestApplied: number; pending: number[]; unknown: number[] };

/** What `/readyz` and `switchyard migrate --status` report. */
export async function migrationStatus(db: Db, migrations: Migration[] = loadMigrations()): Promise<MigrationStatus> {
  const exists = await db.query<{ present: boolean }>(
    "select to_regclass('switchyard_migrations') is not null as present",
  );
  const appliedIds = exists.rows[0]?.present
    ? (await db.query<{ id: number }>('select id from switchyard_migrations order by id')).rows.map((r) => r.id)
    : [];
  const known = new Set(migrations.map((m) => m.id));
  const appliedSet = new Set(appliedIds);
  return {
    latestKnown: migrations.at(-1)?.id ?? 0,
    latestApplied: appliedIds.at(-1) ?? 0,
    pending: migrations.filter((m) => !appliedSet.has(m.id)).map((m) => m.id),
    unknown: appliedIds.filter((id) => !known.has(id)),
  };
}
