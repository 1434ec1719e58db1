import type mysql from 'mysql2/promise';
import { SyncError, type FieldInfo, type WriteRequest } from '../../engine/types.js';
import { checkTargetTable, deletedAt, syncedAt } from '../sql-table.js';
import { listRelations, type MysqlRelation } from '../../sources/mysql/catalog.js';
import { quoteIdent } from '../../sources/mysql/connect.js';
import type { MysqlColumn } from '../../sources/mysql/values.js';

/**
 * The target table of a stream in the connection's database: created when it does not exist (columns from the write
 * request's fields, its primary key, and the two columns Switchyard keeps), otherwise checked: every field and key
 * column, and the Switchyard columns, must be there, and the table's key must be the stream's (ON DUPLICATE KEY
 * UPDATE needs that unique index). The same rules as the PostgreSQL target (targets/postgres/table.ts).
 */

export { deletedAt, syncedAt } from '../sql-table.js';

export type TargetTable = {
  name: string;
  /** The columns written: the request's fields (key columns included), as the table has them. */
  columns: MysqlColumn[];
  /** Every column of the table (a full refresh's swap carries the ones the sync does not write). */
  all: MysqlColumn[];
  key: string[];
  hasDeletedAt: boolean;
};

/**
 * Column types for new tables. Strings are LONGTEXT, except in the key (an index needs a bounded VARCHAR); numbers
 * DECIMAL(65,30), exact for what a JSON number or a DECIMAL source carries; times DATETIME(6) in UTC (TIMESTAMP would
 * end in 2038). Tables are utf8mb4 with the binary collation: keys differing only in case stay apart.
 */
const mysqlTypes: Record<string, string> = {
  string: 'longtext',
  integer: 'bigint',
  number: 'decimal(65,30)',
  boolean: 'boolean',
  timestamp: 'datetime(6)',
  date: 'date',
  json: 'json',
  object: 'json',
  array: 'json',
};

export async function findTable(db: mysql.Connection, name: string): Promise<MysqlRelation | undefined> {
  const [relation] = await listRelations(db, name);
  return relation?.name === name ? relation : undefined;
}

export async function prepareTable(db: mysql.Connection, request: WriteRequest): Promise<TargetTable> {
  if (request.primaryKey.length === 0)
    throw new SyncError('target_key_missing', `The stream written to "${request.name}" has no primary key.`);
  let relation = await findTable(db, request.name);
  const fields = writtenFields(request, relation);
  if (!relation) {
    await createTable(db, request.name, fields, request.primaryKey);
    request.log('info', `created table ${request.name}`);
    relation = await findTable(db, request.name);
    if (!relation) throw new SyncError('target_table_missing', `The table ${request.name} was not created.`);
  }
  return {
    name: relation.name,
    ...checkTargetTable(relation, fields, request),
    all: relation.columns,
    key: request.primaryKey,
  };
}

/** The request's fields, key columns first when missing; with no fields given, the existing table's own columns. */
function writtenFields(request: WriteRequest, relation: MysqlRelation | undefined): FieldInfo[] {
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

async function createTable(db: mysql.Connection, table: string, fields: FieldInfo[], key: string[]): Promise<void> {
  // InnoDB indexes take up to 3072 bytes: four bytes a character, shared by the key's string columns.
  const keyStrings = fields.filter((f) => key.includes(f.name) && (mysqlTypes[f.type] ?? 'longtext') === 'longtext');
  const keyLength = Math.min(255, Math.floor(768 / Math.max(1, keyStrings.length)));
  const columns = fields.map((f) => {
    const inKey = key.includes(f.name);
    let type = mysqlTypes[f.type] ?? 'longtext';
    if (inKey && (type === 'longtext' || type === 'json')) type = `varchar(${keyLength})`;
    return `${quoteIdent(f.name)} ${type}${inKey ? ' not null' : ''}`;
  });
  columns.push(
    `${quoteIdent(syncedAt)} datetime(6) not null default current_timestamp(6)`,
    `${quoteIdent(deletedAt)} datetime(6) null`,
    `primary key (${key.map(quoteIdent).join(', ')})`,
  );
  await db.query(
    `create table if not exists ${quoteIdent(table)} (${columns.join(', ')}) ` +
      'engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin',
  );
}
