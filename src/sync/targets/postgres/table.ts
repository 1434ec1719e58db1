import { deletedAt, syncedAt } from '../sql-table.js';
import type pg from 'pg';
import { SyncError, type FieldInfo, type WriteRequest } from '../../engine/types.js';
import { listRelations, type RelationInfo } from '../../sources/postgres/catalog.js';
import { qualifiedName, quoteIdent } from '../../sources/postgres/connect.js';
import type { ColumnKind } from './copy-text.js';

/**
 * The target table of a stream: created when it does not exist (columns from the write request's fields, its primary
 * key, and the two columns Switchyard keeps), otherwise checked: every field and key column, and the Switchyard
 * columns, must be there, and the table's key must be the stream's (ON CONFLICT needs that unique index).
 */

export { deletedAt, syncedAt } from '../sql-table.js';

export type TargetColumn = { name: string; typeName: string; kind: ColumnKind };

export type TargetTable = {
  schema: string;
  table: string;
  /** The columns written: the request's fields (key columns included), in the table's types. */
  columns: TargetColumn[];
  key: string[];
  hasDeletedAt: boolean;
};

const pgTypes: Record<string, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  date: 'date',
  json: 'jsonb',
  object: 'jsonb',
  array: 'jsonb',
};

export async function findTable(client: pg.Client, schema: string, table: string): Promise<RelationInfo | undefined> {
  const [relation] = await listRelations(client, { schema, table });
  return relation;
}

export async function prepareTable(client: pg.Client, schema: string, request: WriteRequest): Promise<TargetTable> {
  if (request.primaryKey.length === 0)
    throw new SyncError('target_key_missing', `The stream written to "${request.name}" has no primary key.`);
  let relation = await findTable(client, schema, request.name);
  const fields = writtenFields(request, relation);
  if (!relation) {
    await createTable(client, schema, request.name, fields, request.primaryKey);
    request.log('info', `created table ${schema}.${request.name}`);
    relation = await findTable(client, schema, request.name);
    if (!relation) throw new SyncError('target_table_missing', `The table ${schema}.${request.name} was not created.`);
  }
  return checkTable(relation, fields, request);
}

/** The request's fields, key columns first when missing; with no fields given, the existing table's own columns. */
function writtenFields(request: WriteRequest, relation: RelationInfo | undefined): FieldInfo[] {
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

async function createTable(
  client: pg.Client,
  schema: string,
  table: string,
  fields: FieldInfo[],
  key: string[],
): Promise<void> {
  const columns = fields.map((f) => `${quoteIdent(f.name)} ${pgTypes[f.type] ?? 'text'}`);
  columns.push(`${quoteIdent(syncedAt)} timestamptz not null default now()`, `${quoteIdent(deletedAt)} timestamptz`);
  columns.push(`primary key (${key.map(quoteIdent).join(', ')})`);
  await client.query(`create table if not exists ${qualifiedName(schema, table)} (${columns.join(', ')})`);
}

function checkTable(relation: RelationInfo, fields: FieldInfo[], request: WriteRequest): TargetTable {
  const byName = new Map(relation.columns.map((c) => [c.name, c]));
  const required = [...fields.map((f) => f.name), syncedAt, ...(request.deletion.mode === 'soft' ? [deletedAt] : [])];
  const missing = required.filter((name) => !byName.has(name));
  const name = `${relation.schema}.${relation.table}`;
  if (missing.length > 0)
    throw new SyncError(
      'target_columns_missing',
      `The table ${name} lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')}; add them or map the fields elsewhere.`,
    );
  if (relation.kind !== 'table')
    throw new SyncError('target_not_a_table', `${name} is a ${relation.kind}, not a table.`);
  const sameKey =
    relation.key.length === request.primaryKey.length && request.primaryKey.every((k) => relation.key.includes(k));
  if (!sameKey)
    throw new SyncError(
      'target_key_mismatch',
      `The table ${name} is keyed on (${relation.key.join(', ') || 'nothing'}), the stream on (${request.primaryKey.join(', ')}): ` +
        'a primary key or unique index on the stream key is needed.',
    );
  return {
    schema: relation.schema,
    table: relation.table,
    columns: fields.map((f) => {
      const column = byName.get(f.name) as RelationInfo['columns'][number];
      const kind: ColumnKind = column.fieldType === 'json' ? 'json' : column.fieldType === 'array' ? 'array' : 'plain';
      return { name: f.name, typeName: column.typeName, kind };
    }),
    key: request.primaryKey,
    hasDeletedAt: byName.has(deletedAt),
  };
}
