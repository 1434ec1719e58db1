import fs from 'node:fs';
import path from 'node:path';
import { applyInOne, loadMigrations, MIGRATIONS_TABLE } from './migrate.js';
import type { Db } from './port.js';

/** Rows read from the old database per statement. */
const CHUNK = 2000;

export class PgliteUpgradeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(
      `Carrying the embedded database of an earlier release (PGlite, in pgdata/) over failed: ${message}. ` +
        'Nothing was changed in pgdata/; the new database was left empty, and the next start tries again.',
      options,
    );
    this.name = 'PgliteUpgradeError';
  }
}

/**
 * Releases before this one kept the embedded database in PGlite, in `<data dir>/pgdata`. On the first start of this
 * release its rows are carried over into the embedded PostgreSQL server, in one transaction:
 * - the schema is made up to the migration the old database had reached (later ones run after, as on any start);
 * - every table is copied, with triggers and foreign-key checks off while it loads (the rows were consistent where
 *   they came from), and each table's row count is compared before the commit;
 * - `pgdata/` is then renamed `pgdata.carried-over-<time>`, kept for the operator to delete.
 * A start that died after the commit but before the rename finds the new database filled, and only renames.
 */
export async function upgradePgliteDataDir(dataDir: string, db: Db, say: (line: string) => void): Promise<void> {
  const old = path.join(dataDir, 'pgdata');
  if (!fs.existsSync(path.join(old, 'PG_VERSION'))) return;
  const filled = await db.query(
    `select 1 from pg_tables where schemaname = 'public' and tablename = 'switchyard_migrations'`,
  );
  if (filled.rowCount === 0) await carryOver(old, db, say);
  const kept = `${old}.carried-over-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(old, kept);
  say(`The PGlite database of the earlier release was carried over; it is kept in ${kept} (delete it when satisfied).`);
}

async function carryOver(old: string, db: Db, say: (line: string) => void): Promise<void> {
  say('Carrying the embedded database of an earlier release (PGlite) over to the embedded PostgreSQL server…');
  const { PGlite } = await import('@electric-sql/pglite');
  const source = await PGlite.create({ dataDir: old });
  try {
    const reached = await source.query<{ id: number }>('select max(id)::int as id from switchyard_migrations');
    const version = reached.rows[0]?.id ?? 0;
    const migrations = loadMigrations().filter((m) => m.id <= version);
    if (migrations.length !== version)
      throw new PgliteUpgradeError(`it is at migration ${version}, newer than this release knows`);
    const tables = (
      await source.query<{ name: string }>(
        `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
      )
    ).rows.map((r) => r.name);
    let total = 0;
    await db.transaction(async (tx) => {
      await tx.exec(MIGRATIONS_TABLE);
      if (migrations.length > 0) await applyInOne(tx, migrations);
      // Replica mode: no trigger fires (no NOTIFY, no append-only guard on the audit log) and no foreign key is
      // checked while the tables load in whatever order.
      await tx.exec(`set local session_replication_role = replica; delete from switchyard_migrations`);
      for (const table of tables) {
        const name = `"${table.replaceAll('"', '""')}"`;
        let copied = 0;
        for (;;) {
          const chunk = await source.query<{ rows: string | null }>(
            `select json_agg(t)::text as rows from (select * from ${name} order by ctid limit ${CHUNK} offset ${copied}) t`,
          );
          const rows = chunk.rows[0]?.rows;
          if (!rows) break;
          const inserted = await tx.query(
            `insert into ${name} select * from json_populate_recordset(null::${name}, $1)`,
            [rows],
          );
          copied += inserted.rowCount;
          if (inserted.rowCount < CHUNK) break;
        }
        const counted = await tx.query<{ n: number }>(`select count(*)::int as n from ${name}`);
        if (counted.rows[0]?.n !== copied)
          throw new PgliteUpgradeError(`${table}: ${copied} rows read, ${counted.rows[0]?.n} stored`);
        total += copied;
      }
    });
    say(`Carried over ${total} rows in ${tables.length} tables, at migration ${version}.`);
  } catch (error) {
    if (error instanceof PgliteUpgradeError) throw error;
    throw new PgliteUpgradeError((error as Error).message, { cause: error });
  } finally {
    await source.close();
  }
}
