import { createHash } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { SyncError, type DeletionPolicy } from '../../engine/types.js';
import { quoteIdent } from '../../sources/mysql/connect.js';
import { targetSql } from './sql.js';
import { deletedAt, syncedAt, type TargetTable } from './table.js';

/**
 * A full refresh of a MySQL table stages every record in a shadow table (`CREATE TABLE … LIKE` the target: its
 * columns, indexes, defaults and checks) and swaps it in when the stream ends, with one `RENAME TABLE target TO old,
 * shadow TO target`, which the server applies atomically: a reader sees the old table or the new one, never an empty
 * or half-written one. The shadow is named from the execution id (a resumed run keeps filling it).
 *
 * Before the swap the shadow takes what the target holds and the run does not write: the columns the sync does not
 * map, the time unchanged rows were last synced, and (deletion soft or none) the rows the source no longer has,
 * marked deleted or kept. A table the swap would break is refused at open: triggers and foreign keys belong to a
 * table, not to its name, so they would stay with the old one.
 */

export function shadowName(table: string, executionId: string): string {
  const digest = createHash('sha256').update(`${table}\u0000${executionId}`).digest('hex');
  return `_switchyard_shadow_${digest.slice(0, 24)}`;
}

function retiredName(shadow: string): string {
  return shadow.replace('_switchyard_shadow_', '_switchyard_old_');
}

/** Refuse a full refresh of a table that has triggers or foreign keys (either way): the swap would drop them. */
export async function checkSwappable(db: mysql.Connection, table: string): Promise<void> {
  const [triggers] = await db.query<mysql.RowDataPacket[]>(
    'select count(*) as n from information_schema.triggers where event_object_schema = database() and event_object_table = ?',
    [table],
  );
  const [keys] = await db.query<mysql.RowDataPacket[]>(
    'select count(*) as n from information_schema.referential_constraints ' +
      'where constraint_schema = database() and (table_name = ? or referenced_table_name = ?)',
    [table, table],
  );
  if (Number(triggers[0]?.n) > 0 || Number(keys[0]?.n) > 0)
    throw new SyncError(
      'target_not_swappable',
      `The table ${table} has triggers or foreign keys, which a full refresh's table swap would drop: ` +
        'run the sync incrementally, or remove them.',
    );
}

export async function ensureShadow(db: mysql.Connection, table: TargetTable, shadow: string): Promise<void> {
  await db.query(`create table if not exists ${quoteIdent(shadow)} like ${quoteIdent(table.name)}`);
}

/**
 * Apply the shadow: measure the deletion first (more than `maxDeleteShare` of the target's live rows would go:
 * nothing is changed, the run stops with `delete_threshold_exceeded`, the shadow stays for a person to look at), then
 * carry over what the target holds and the run does not write, then swap and drop the old table.
 */
export async function applyShadow(
  db: mysql.Connection,
  table: TargetTable,
  shadow: string,
  deletion: DeletionPolicy,
): Promise<{ deleted: number }> {
  const sql = targetSql(table);
  const t = quoteIdent(table.name);
  const s = quoteIdent(shadow);
  const deleted = quoteIdent(deletedAt);
  const synced = quoteIdent(syncedAt);
  const absent = `not exists (select 1 from ${s} s where ${sql.keyMatch('s', 't')})`;
  let removed = 0;
  if (deletion.mode !== 'none') {
    const live = deletion.mode === 'soft' ? `where t.${deleted} is null` : '';
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `select count(*) as total, coalesce(sum(${absent}), 0) as missing from ${t} t ${live}`,
    );
    const total = Number(rows[0]?.total ?? 0);
    removed = Number(rows[0]?.missing ?? 0);
    if (total > 0 && removed / total > deletion.maxDeleteShare)
      throw new SyncError(
        'delete_threshold_exceeded',
        `The full refresh would delete ${removed} of ${total} rows of ${table.name} ` +
          `(${percent(removed / total)}, more than the ${percent(deletion.maxDeleteShare)} allowed); nothing was changed.`,
      );
  }
  const written = new Set(table.columns.map((c) => c.name));
  const extra = table.all.filter((c) => !written.has(c.name) && c.name !== syncedAt && c.name !== deletedAt);
  const revived = table.hasDeletedAt ? ` and t.${deleted} is null` : '';
  const carried = [
    `s.${synced} = if(${sql.same('s', 't')}${revived}, t.${synced}, s.${synced})`,
    ...extra.map((c) => `s.${quoteIdent(c.name)} = t.${quoteIdent(c.name)}`),
  ];
  await db.query(`update ${s} s join ${t} t on ${sql.keyMatch('s', 't')} set ${carried.join(', ')}`);
  if (deletion.mode !== 'hard') {
    const names = table.all.map((c) => quoteIdent(c.name));
    const values = table.all.map((c) =>
      c.name === deletedAt && deletion.mode === 'soft' ? `coalesce(t.${deleted}, now(6))` : `t.${quoteIdent(c.name)}`,
    );
    await db.query(`insert into ${s} (${names.join(', ')}) select ${values.join(', ')} from ${t} t where ${absent}`);
  }
  const old = quoteIdent(retiredName(shadow));
  await db.query(`drop table if exists ${old}`);
  await db.query(`rename table ${t} to ${old}, ${s} to ${t}`);
  await db.query(`drop table ${old}`);
  return { deleted: removed };
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
