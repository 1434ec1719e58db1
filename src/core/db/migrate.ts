import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrationsDir } from '../paths.js';
import { isUniqueViolation, type Db, type Queryable } from './port.js';

export type Migration = { id: number; name: string; sql: string };

/**
 * What a database records of a migration's text: the SHA-256 of its SQL with line endings made `\n`, so a checkout
 * that turned them into `\r\n` reads the same.
 */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** A migration applied to this database no longer has the text it was applied with. */
export class MigrationEditedError extends Error {
  constructor(readonly edited: { id: number; name: string }[]) {
    super(
      `${edited.map((m) => `Migration ${m.id} (${m.name})`).join(', ')} changed after ${edited.length === 1 ? 'it was' : 'they were'} applied to this ` +
        'database. A committed migration is never edited: put its file back as it was and write the change as a new migration.',
    );
    this.name = 'MigrationEditedError';
  }
}

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

/** The table of applied migrations (the checksum column came later: added where it is missing). */
export const MIGRATIONS_TABLE = `create table if not exists switchyard_migrations (
  id integer primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
alter table switchyard_migrations add column if not exists checksum text`;

/**
 * Apply pending migrations, each in its own transaction. Safe when several nodes start at once:
 * - a transaction-scoped advisory lock serialises migrators;
 * - the migration row is inserted *before* the migration runs (graphile/worker), so two migrators that somehow
 *   both pass the check collide on the primary key instead of applying a migration twice.
 * Returns the ids applied by this call.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<number[]> {
  const fresh = await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(MIGRATIONS_TABLE);
    // Databases migrated before checksums were recorded get them now, from the files they were applied from.
    const edited = await checkApplied(tx, migrations, { recordMissing: true });
    if (edited.length > 0) throw new MigrationEditedError(edited);
    return (await tx.query('select 1 from switchyard_migrations limit 1')).rowCount === 0;
  });
  if (fresh && migrations.length > 0 && (await applyAllAtOnce(db, migrations))) return migrations.map((m) => m.id);
  const applied: number[] = [];
  for (const migration of migrations) {
    try {
      const ran = await db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        const done = await tx.query('select 1 from switchyard_migrations where id = $1', [migration.id]);
        if (done.rowCount > 0) return false;
        await tx.query('insert into switchyard_migrations (id, name, checksum) values ($1, $2, $3)', [
          migration.id,
          migration.name,
          migrationChecksum(migration.sql),
        ]);
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

/**
 * A new database gets every migration in one transaction: a quarter of the time of one transaction each (the first
 * start, every test schema). False when another migrator got there first, or when a migration fails: the one-by-one
 * path then applies what it can and names the migration at fault.
 */
async function applyAllAtOnce(db: Db, migrations: Migration[]): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      if ((await tx.query('select 1 from switchyard_migrations limit 1')).rowCount > 0) return false;
      await applyInOne(tx, migrations);
      return true;
    });
  } catch {
    return false;
  }
}

/** Record and run `migrations` in the caller's transaction, as one batch (switchyard_migrations exists). */
export async function applyInOne(tx: Queryable, migrations: Migration[]): Promise<void> {
  await tx.query(
    `insert into switchyard_migrations (id, name, checksum)
     select * from unnest($1::int[], $2::text[], $3::text[])`,
    [migrations.map((m) => m.id), migrations.map((m) => m.name), migrations.map((m) => migrationChecksum(m.sql))],
  );
  await tx.exec(migrations.map((m) => m.sql).join('\n;\n'));
}

/** The applied migrations whose recorded checksum differs from their file's. */
async function checkApplied(
  q: Pick<Db, 'query'>,
  migrations: Migration[],
  options: { recordMissing: boolean },
): Promise<{ id: number; name: string }[]> {
  const recorded = await q.query<{ id: number; checksum: string | null }>(
    // to_jsonb: reads on a database whose table predates the column, too (migrationStatus before migrate).
    "select id, to_jsonb(m) ->> 'checksum' as checksum from switchyard_migrations m order by id",
  );
  const byId = new Map(migrations.map((m) => [m.id, m]));
  const edited: { id: number; name: string }[] = [];
  for (const row of recorded.rows) {
    const migration = byId.get(row.id);
    if (!migration) continue; // a newer release's migration: migrationStatus reports it as unknown
    const checksum = migrationChecksum(migration.sql);
    if (row.checksum === null) {
      if (options.recordMissing)
        await q.query('update switchyard_migrations set checksum = $2 where id = $1', [row.id, checksum]);
    } else if (row.checksum !== checksum) edited.push({ id: migration.id, name: migration.name });
  }
  return edited;
}

export type MigrationStatus = {
  latestKnown: number;
  latestApplied: number;
  pending: number[];
  unknown: number[];
  /** Applied migrations whose file changed since. */
  edited: number[];
};

/** What `/readyz` and `switchyard migrate --status` report. */
export async function migrationStatus(db: Db, migrations: Migration[] = loadMigrations()): Promise<MigrationStatus> {
  const exists = await db.query<{ present: boolean }>(
    "select to_regclass('switchyard_migrations') is not null as present",
  );
  const present = exists.rows[0]?.present ?? false;
  const appliedIds = present
    ? (await db.query<{ id: number }>('select id from switchyard_migrations order by id')).rows.map((r) => r.id)
    : [];
  const edited = present ? await checkApplied(db, migrations, { recordMissing: false }) : [];
  const known = new Set(migrations.map((m) => m.id));
  const appliedSet = new Set(appliedIds);
  return {
    latestKnown: migrations.at(-1)?.id ?? 0,
    latestApplied: appliedIds.at(-1) ?? 0,
    pending: migrations.filter((m) => !appliedSet.has(m.id)).map((m) => m.id),
    unknown: appliedIds.filter((id) => !known.has(id)),
    edited: edited.map((m) => m.id),
  };
}
