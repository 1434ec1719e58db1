import type mysql from 'mysql2/promise';
import type { SyncRecord } from '../../engine/types.js';
import { quoteIdent } from '../../sources/mysql/connect.js';
import { literal } from '../../sources/mysql/read.js';
import { deletedAt, syncedAt, type TargetTable } from './table.js';

/**
 * The statements a MySQL target runs, built once per writer from the target table's columns. Every identifier is
 * quoted; values are literals escaped by mysql2 (never `?`, which mysql2 would also replace inside a quoted name).
 *
 * The upsert is a multi-row `INSERT … ON DUPLICATE KEY UPDATE`. MySQL and MariaDB count each row's effect in the
 * affected rows: 1 inserted, 2 changed, 0 set to the values it had (with CLIENT_FOUND_ROWS off, as mysql-target.ts
 * connects), and name the changed rows "Duplicates" in the statement's info. The synced-at column moves only when a
 * value changes (its assignment comes first, reading the row before the others are assigned), so a row sent again as
 * it is stays unchanged.
 */

export type TargetSql = {
  /** The upsert of these records into `into` (the target, or a full refresh's shadow). */
  upsert(into: string, records: readonly SyncRecord[]): string;
  /** `a.k1 = b.k1 and …`. */
  keyMatch(a: string, b: string): string;
  /** Every written column that is not in the key is equal in rows `a` and `b` (NULLs equal). */
  same(a: string, b: string): string;
  /** `a.k in (…)` (or `(a.k1, a.k2) in ((…), …)`) for the keys of these records. */
  keysIn(alias: string, records: readonly SyncRecord[]): string;
};

export function targetSql(table: TargetTable): TargetSql {
  const keySet = new Set(table.key);
  const names = table.columns.map((c) => quoteIdent(c.name));
  const nonKey = table.columns.filter((c) => !keySet.has(c.name)).map((c) => quoteIdent(c.name));
  const keyColumns = table.key.map((k) => table.columns.find((c) => c.name === k) as TargetTable['columns'][number]);
  const synced = quoteIdent(syncedAt);
  const deleted = quoteIdent(deletedAt);
  const unchanged = [
    ...nonKey.map((n) => `${n} <=> values(${n})`),
    ...(table.hasDeletedAt ? [`${deleted} is null`] : []),
  ];
  const updates = [
    `${synced} = if(${unchanged.join(' and ') || 'true'}, ${synced}, values(${synced}))`,
    ...(table.hasDeletedAt ? [`${deleted} = null`] : []),
    ...nonKey.map((n) => `${n} = values(${n})`),
  ];
  const head = `(${[...names, synced].join(', ')}) values `;
  const tail = ` on duplicate key update ${updates.join(', ')}`;
  const row = (record: SyncRecord) => `(${table.columns.map((c) => literal(c, record[c.name])).join(', ')}, now(6))`;
  return {
    upsert: (into, records) => `insert into ${into} ${head}${records.map(row).join(', ')}${tail}`,
    keyMatch: (a, b) => table.key.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' and '),
    same: (a, b) => (nonKey.length === 0 ? 'true' : nonKey.map((n) => `${a}.${n} <=> ${b}.${n}`).join(' and ')),
    keysIn: (alias, records) =>
      tuplesIn(
        alias,
        keyColumns,
        records.map((r) => keyColumns.map((c) => literal(c, r[c.name]))),
      ),
  };
}

/** `a.k in (…)` (or `(a.k1, a.k2) in ((…), …)`) for tuples of SQL literals, one per column. */
export function tuplesIn(alias: string, columns: readonly { name: string }[], tuples: readonly string[][]): string {
  const names = columns.map((c) => `${alias}.${quoteIdent(c.name)}`);
  const values = tuples.map((t) => (t.length === 1 ? (t[0] as string) : `(${t.join(', ')})`));
  return `${names.length === 1 ? names[0] : `(${names.join(', ')})`} in (${values.join(', ')})`;
}

/**
 * What one upsert did, from its affected rows (inserted + 2 × changed) and its info's "Duplicates" (the changed
 * rows; a single-row statement has no info, and its affected rows say it all).
 */
export function upsertCounts(result: mysql.ResultSetHeader, rows: number): { created: number; updated: number } {
  const duplicates = /Duplicates:\s*(\d+)/.exec(result.info ?? '')?.[1];
  const updated = duplicates !== undefined ? Number(duplicates) : rows === 1 && result.affectedRows === 2 ? 1 : 0;
  return { created: result.affectedRows - 2 * updated, updated };
}

/** Records in statements of at most `maxRows` and about `maxBytes` of values (the server's packet limit is 16 MB+). */
export function* chunks(records: readonly SyncRecord[], maxRows = 2000, maxBytes = 4 << 20): Generator<SyncRecord[]> {
  let chunk: SyncRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = estimate(record);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

function estimate(record: SyncRecord): number {
  let size = 16;
  for (const value of Object.values(record)) {
    if (typeof value === 'string') size += value.length * 2 + 4;
    else if (value !== null && typeof value === 'object') size += JSON.stringify(value)?.length ?? 4;
    else size += 24;
  }
  return size;
}
