import type pg from 'pg';
import { SyncError, type FieldInfo, type StreamSpec } from '../../engine/types.js';

/**
 * What the source knows of the tables and views it may read, from pg_catalog in one query: columns with their types,
 * the key (the primary key, else the smallest unique index on NOT NULL columns), and a suggested cursor column.
 *
 * Stream names are `schema.table` for every schema, `public` included: one rule, no ambiguity when two schemas hold
 * a table of the same name. A name without a dot is read as a table in `public` (a convenience for hand-written
 * configurations).
 */

export type ColumnInfo = { name: string; typeName: string; typeOid: number; notNull: boolean; fieldType: string };

export type RelationInfo = {
  schema: string;
  table: string;
  kind: 'table' | 'view' | 'materialized_view' | 'foreign_table';
  columns: ColumnInfo[];
  /** Columns of the primary key or of a unique index on NOT NULL columns; empty when the relation has neither. */
  key: string[];
  keySource: 'primary_key' | 'unique_index' | 'none';
};

const relationQuery = `
select n.nspname as schema, c.relname as table, c.relkind as kind,
  (select coalesce(json_agg(json_build_object(
      'name', a.attname, 'typeName', format_type(a.atttypid, a.atttypmod), 'typeOid', a.atttypid::int,
      'notNull', a.attnotnull, 'category', t.typcategory, 'base', bt.typname) order by a.attnum), '[]')
    from pg_attribute a
    join pg_type t on t.oid = a.atttypid
    left join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select json_build_object('primary', i.indisprimary, 'columns',
      (select json_agg(a.attname order by k.ord) from unnest(i.indkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum))
    from pg_index i
    where i.indrelid = c.oid and i.indisunique and i.indisvalid and i.indpred is null and i.indexprs is null
      and (i.indisprimary or not exists (
        select 1 from unnest(i.indkey) k(attnum) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where not a.attnotnull))
    order by i.indisprimary desc, i.indnatts, i.indexrelid limit 1) as key
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  and has_table_privilege(c.oid, 'select')
  and ($1::text is null or n.nspname = $1)
  and ($2::text is null or c.relname = $2)
order by n.nspname, c.relname`;

type Row = {
  schema: string;
  table: string;
  kind: string;
  columns: { name: string; typeName: string; typeOid: number; notNull: boolean; category: string; base: string }[];
  key: { primary: boolean; columns: string[] } | null;
};

const kinds: Record<string, RelationInfo['kind']> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
};

export async function listRelations(
  client: pg.Client,
  filter: { schema?: string; table?: string } = {},
): Promise<RelationInfo[]> {
  const { rows } = await client.query<Row>(relationQuery, [filter.schema ?? null, filter.table ?? null]);
  return rows.map((row) => ({
    schema: row.schema,
    table: row.table,
    kind: kinds[row.kind] ?? 'table',
    columns: row.columns.map((c) => ({
      name: c.name,
      typeName: c.typeName,
      typeOid: c.typeOid,
      notNull: c.notNull,
      fieldType: fieldType(c.base, c.category),
    })),
    key: row.key?.columns ?? [],
    keySource: row.key ? (row.key.primary ? 'primary_key' : 'unique_index') : 'none',
  }));
}

/** The relation a stream name names (see the module comment), or a SyncError naming it. */
export async function resolveStream(client: pg.Client, name: string): Promise<RelationInfo> {
  const dot = name.indexOf('.');
  const [relation] =
    dot < 0
      ? await listRelations(client, { schema: 'public', table: name })
      : await listRelations(client, { schema: name.slice(0, dot), table: name.slice(dot + 1) });
  if (relation) return relation;
  // A schema whose own name holds a dot: rare, but its tables must still be readable.
  const dotted = dot < 0 ? undefined : (await listRelations(client)).find((r) => streamName(r) === name);
  if (dotted) return dotted;
  throw new SyncError('stream_not_found', `No table or view "${name}" that this connection may read.`);
}

export function streamName(relation: { schema: string; table: string }): string {
  return `${relation.schema}.${relation.table}`;
}

/** The record type of a column, from its base type's name and category (domains read as their base type). */
function fieldType(base: string, category: string): string {
  if (['int2', 'int4', 'int8', 'oid'].includes(base)) return 'integer';
  if (['float4', 'float8', 'numeric'].includes(base)) return 'number';
  if (base === 'bool') return 'boolean';
  if (base === 'timestamptz' || base === 'timestamp') return 'timestamp';
  if (base === 'date') return 'date';
  if (base === 'json' || base === 'jsonb') return 'json';
  if (category === 'A') return 'array';
  // Text, enums, uuid, network addresses, bytea (as hex text), geometry, ranges: their text form.
  return 'string';
}

/** Names people give an "updated" column, in order of preference. */
const cursorNames = [
  'updated_at',
  'modified_at',
  'last_modified_at',
  'last_updated_at',
  'updatedat',
  'modifiedat',
  'last_modified',
  'last_updated',
  'date_modified',
  'modified',
  'updated',
  'changed_at',
  'updated_on',
  'modified_on',
];

function suggestCursor(columns: ColumnInfo[]): string | undefined {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const name of cursorNames) {
    const column = byName.get(name);
    if (column && (column.fieldType === 'timestamp' || column.fieldType === 'integer')) return column.name;
  }
  return undefined;
}

/** Columns an incremental read can advance on: timestamps, dates and integers. */
export function isCursorType(column: ColumnInfo): boolean {
  return column.fieldType === 'timestamp' || column.fieldType === 'date' || column.fieldType === 'integer';
}

export function toStreamSpec(relation: RelationInfo): StreamSpec {
  const fields: FieldInfo[] = relation.columns.map((c) => ({ name: c.name, type: c.fieldType, nullable: !c.notNull }));
  const cursorField = suggestCursor(relation.columns);
  const keyed = relation.key.length > 0;
  const kind = relation.kind.replace('_', ' ');
  const description = keyed
    ? `${kind}; key ${relation.key.join(', ')} (${relation.keySource.replace('_', ' ')})`
    : `${kind} without a primary key or unique NOT NULL index: full reads only (in one pass, restarted when ` +
      'interrupted), every column taken as the key; incremental reads are refused';
  return {
    name: streamName(relation),
    primaryKey: keyed ? relation.key : relation.columns.map((c) => c.name),
    ...(cursorField ? { cursorField } : {}),
    supports: { full: true, incremental: keyed && relation.columns.some(isCursorType), delta: false },
    // read-full.ts notes the cursor's maximum before a keyed read and ends on it.
    ...(keyed ? { fullReadEndsAtCursor: true } : {}),
    fields,
    description,
  };
}
