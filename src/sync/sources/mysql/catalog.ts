import type mysql from 'mysql2/promise';
import { SyncError } from '../../engine/types.js';
import type { SqlRelation } from '../sql/relation.js';
import { describeColumn, type MysqlColumn } from './values.js';

/**
 * The tables and views of the connection's database, from information_schema: columns with their types, the key
 * (the primary key, else the smallest unique index on NOT NULL columns without a prefix length) and, for MariaDB,
 * which LONGTEXT columns hold JSON (its JSON type is LONGTEXT with a `json_valid(col)` check). Stream names are the
 * table names: a connection reads one database, the one it names.
 */

export type MysqlRelation = SqlRelation<MysqlColumn>;

type TableRow = { name: string; type: string };
type ColumnRow = { table: string; name: string; dataType: string; columnType: string; nullable: string };
type IndexRow = { table: string; index: string; position: number; column: string; nullable: string; prefix: unknown };
type CheckRow = { table: string; clause: string };

const tablesSql =
  'select table_name as name, table_type as type from information_schema.tables ' +
  'where table_schema = database() and (? is null or table_name = ?) order by table_name';
const columnsSql =
  'select table_name as `table`, column_name as name, data_type as dataType, column_type as columnType, ' +
  'is_nullable as nullable from information_schema.columns ' +
  'where table_schema = database() and (? is null or table_name = ?) order by table_name, ordinal_position';
const indexesSql =
  'select table_name as `table`, index_name as `index`, seq_in_index as position, column_name as `column`, ' +
  'nullable, sub_part as prefix from information_schema.statistics ' +
  'where table_schema = database() and non_unique = 0 and (? is null or table_name = ?) ' +
  'order by table_name, index_name, seq_in_index';
const checksSql =
  'select table_name as `table`, check_clause as clause from information_schema.check_constraints ' +
  'where constraint_schema = database() and (? is null or table_name = ?)';

export async function listRelations(db: mysql.Connection, table?: string): Promise<MysqlRelation[]> {
  const filter = [table ?? null, table ?? null];
  const [tables] = await db.query<(TableRow & mysql.RowDataPacket)[]>(tablesSql, filter);
  if (tables.length === 0) return [];
  const [columns] = await db.query<(ColumnRow & mysql.RowDataPacket)[]>(columnsSql, filter);
  const [indexes] = await db.query<(IndexRow & mysql.RowDataPacket)[]>(indexesSql, filter);
  const json = await jsonColumns(db, filter);
  return tables.map((t) => {
    const own = columns.filter((c) => c.table === t.name);
    const described = own.map((c) =>
      describeColumn({
        name: c.name,
        dataType: c.dataType,
        columnType: c.columnType,
        notNull: c.nullable !== 'YES',
        json: json.has(`${t.name}\u0000${c.name}`),
      }),
    );
    const key = chooseKey(indexes.filter((i) => i.table === t.name));
    return {
      name: t.name,
      kind: t.type === 'VIEW' ? 'view' : 'table',
      columns: described,
      key: key?.columns ?? [],
      keySource: key ? (key.primary ? 'primary_key' : 'unique_index') : 'none',
    };
  });
}

/** The table a stream name names, or a SyncError naming it. */
export async function resolveStream(db: mysql.Connection, name: string): Promise<MysqlRelation> {
  const [relation] = await listRelations(db, name);
  if (relation && relation.name === name) return relation;
  throw new SyncError('stream_not_found', `No table or view "${name}" that this connection may read.`);
}

/** The primary key, else the unique index with the fewest columns, all NOT NULL and without a prefix length. */
function chooseKey(rows: IndexRow[]): { primary: boolean; columns: string[] } | undefined {
  const byIndex = new Map<string, IndexRow[]>();
  for (const row of rows) byIndex.set(row.index, [...(byIndex.get(row.index) ?? []), row]);
  const primary = byIndex.get('PRIMARY');
  if (primary) return { primary: true, columns: ordered(primary) };
  const usable = [...byIndex.entries()]
    .filter(([, cols]) => cols.every((c) => c.nullable !== 'YES' && (c.prefix === null || c.prefix === undefined)))
    .sort(([a, x], [b, y]) => x.length - y.length || a.localeCompare(b));
  const [first] = usable;
  return first ? { primary: false, columns: ordered(first[1]) } : undefined;
}

function ordered(rows: IndexRow[]): string[] {
  return [...rows].sort((a, b) => Number(a.position) - Number(b.position)).map((r) => r.column);
}

/** MariaDB's JSON columns: a column check `json_valid(`col`)`. MySQL has a JSON type, and older servers no such view. */
async function jsonColumns(db: mysql.Connection, filter: unknown[]): Promise<Set<string>> {
  try {
    const [checks] = await db.query<(CheckRow & mysql.RowDataPacket)[]>(checksSql, filter);
    const out = new Set<string>();
    for (const check of checks) {
      const column = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(check.clause.trim())?.[1];
      if (column) out.add(`${check.table}\u0000${column.replaceAll('``', '`')}`);
    }
    return out;
  } catch {
    return new Set();
  }
}
