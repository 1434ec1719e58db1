import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import { SyncError } from '../../engine/types.js';
import type { SqlRelation } from '../sql/relation.js';
import { describeColumn, type SqliteColumn } from './values.js';

/**
 * The tables and views of a SQLite file, from sqlite_schema and the table-valued pragmas: columns with their declared
 * types, the key (the primary key, else the unique index with the fewest columns, all NOT NULL, not partial). An
 * INTEGER PRIMARY KEY is the rowid under a name, and a key like any other. SQLite's own tables are left out.
 */

export type SqliteRelation = SqlRelation<SqliteColumn>;

type Row = Record<string, unknown>;

export function listRelations(db: SqliteDatabase, table?: string): SqliteRelation[] {
  const tables = db
    .prepare(
      "select name, type from sqlite_schema where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\' " +
        'and (? is null or name = ?) order by name',
    )
    .all(table ?? null, table ?? null) as { name: string; type: string }[];
  return tables.map((t) => {
    const info = db
      .prepare('select name, type, "notnull" as not_null, pk from pragma_table_info(?) order by cid')
      .all(t.name) as Row[];
    const columns = info.map((c) =>
      describeColumn({ name: String(c.name), declared: String(c.type ?? ''), notNull: Number(c.not_null) === 1 }),
    );
    const primary = info
      .filter((c) => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((c) => String(c.name));
    const unique = primary.length > 0 ? [] : uniqueKey(db, t.name, columns);
    const key = primary.length > 0 ? primary : unique;
    return {
      name: t.name,
      kind: t.type === 'view' ? 'view' : 'table',
      columns,
      key,
      keySource: primary.length > 0 ? 'primary_key' : unique.length > 0 ? 'unique_index' : 'none',
    };
  });
}

function uniqueKey(db: SqliteDatabase, table: string, columns: SqliteColumn[]): string[] {
  const notNull = new Set(columns.filter((c) => c.notNull).map((c) => c.name));
  const indexes = db
    .prepare('select name from pragma_index_list(?) where "unique" = 1 and partial = 0 order by name')
    .all(table) as { name: string }[];
  let best: string[] = [];
  for (const index of indexes) {
    const names = (
      db.prepare('select name from pragma_index_info(?) order by seqno').all(index.name) as { name: string | null }[]
    ).map((c) => c.name);
    if (names.some((n) => n === null || !notNull.has(n))) continue; // an expression, or a column that may be NULL
    if (best.length === 0 || names.length < best.length) best = names as string[];
  }
  return best;
}

export function resolveStream(db: SqliteDatabase, name: string): SqliteRelation {
  const [relation] = listRelations(db, name);
  if (relation && relation.name === name) return relation;
  throw new SyncError('stream_not_found', `No table or view "${name}" in this SQLite database.`);
}
