import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import { SyncError, type FieldInfo, type WriteRequest } from '../../engine/types.js';
import { checkTargetTable, deletedAt, syncedAt } from '../sql-table.js';
import { listRelations, type SqliteRelation } from '../../sources/sqlite/catalog.js';
import { quoteIdent } from '../../sources/sqlite/read.js';
import type { SqliteColumn } from '../../sources/sqlite/values.js';

/**
 * The target table of a stream in a SQLite file: created when it does not exist (columns from the write request's
 * fields, its primary key, and the two columns Switchyard keeps, times as ISO 8601 text in UTC), otherwise checked as
 * the other targets do (targets/postgres/table.ts): every field, key and Switchyard column must be there, and the
 * table's key must be the stream's (ON CONFLICT needs that unique index).
 */

export { deletedAt, syncedAt } from '../sql-table.js';

export type TargetTable = { name: string; columns: SqliteColumn[]; key: string[]; hasDeletedAt: boolean };

/** Declared types of new tables; the discovery of the same file reads them back as the same record types. */
const sqliteTypes: Record<string, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'BOOLEAN',
  timestamp: 'DATETIME',
  date: 'DATE',
  json: 'JSON',
  object: 'JSON',
  array: 'JSON',
};

export function findTable(db: SqliteDatabase, name: string): SqliteRelation | undefined {
  const [relation] = listRelations(db, name);
  return relation?.name === name ? relation : undefined;
}

export function prepareTable(db: SqliteDatabase, request: WriteRequest): TargetTable {
  if (request.primaryKey.length === 0)
    throw new SyncError('target_key_missing', `The stream written to "${request.name}" has no primary key.`);
  let relation = findTable(db, request.name);
  const fields = writtenFields(request, relation);
  if (!relation) {
    createTable(db, request.name, fields, request.primaryKey);
    request.log('info', `created table ${request.name}`);
    relation = findTable(db, request.name);
    if (!relation) throw new SyncError('target_table_missing', `The table ${request.name} was not created.`);
  }
  return { name: relation.name, ...checkTargetTable(relation, fields, request), key: request.primaryKey };
}

function writtenFields(request: WriteRequest, relation: SqliteRelation | undefined): FieldInfo[] {
  let fields = request.fields.filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i);
  if (fields.length === 0 && relation)
    fields = relation.columns
      .filter((c) => c.name !== syncedAt && c.name !== deletedAt)
      .map((c) => ({ name: c.name, type: c.fieldType }));
  if (fields.length === 0)
    throw new SyncError('target_fields_unknown', `No fields are known for "${request.name}": map some fields first.`);
  const missingKey = request.primaryKey.filter((k) => !fields.some((f) => f.name === k));
  return [...missingKey.map((name) => ({ name, type: 'string' })), ...fields];
}

/** `a.k in (?, …)` (or `(a.k1, a.k2) in (values (?, ?), …)`) for tuples of key values, with its parameters. */
export function tuplesIn(
  alias: string,
  columns: readonly { name: string }[],
  tuples: readonly unknown[][],
): { sql: string; params: unknown[] } {
  const params = tuples.flat();
  const sql =
    columns.length === 1
      ? `${alias}.${quoteIdent((columns[0] as { name: string }).name)} in (${tuples.map(() => '?').join(', ')})`
      : `(${columns.map((c) => `${alias}.${quoteIdent(c.name)}`).join(', ')}) in (values ${tuples
          .map(() => `(${columns.map(() => '?').join(', ')})`)
          .join(', ')})`;
  return { sql, params };
}

/** A table's columns with their declared types, for the target and a full refresh's shadow. */
export function columnDefinitions(fields: readonly { name: string; type: string }[], key: string[]): string[] {
  const columns = fields.map((f) => `${quoteIdent(f.name)} ${f.type}${key.includes(f.name) ? ' NOT NULL' : ''}`);
  columns.push(`${quoteIdent(syncedAt)} DATETIME NOT NULL`, `${quoteIdent(deletedAt)} DATETIME`);
  columns.push(`PRIMARY KEY (${key.map(quoteIdent).join(', ')})`);
  return columns;
}

function createTable(db: SqliteDatabase, table: string, fields: FieldInfo[], key: string[]): void {
  const typed = fields.map((f) => ({ name: f.name, type: sqliteTypes[f.type] ?? 'TEXT' }));
  db.exec(`create table if not exists ${quoteIdent(table)} (${columnDefinitions(typed, key).join(', ')})`);
}
