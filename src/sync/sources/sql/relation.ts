import { SyncError, type FieldInfo, type StreamSpec } from '../../engine/types.js';

/**
 * What the SQL sources (MySQL, SQLite; PostgreSQL has its own catalogue in sources/postgres) know of a table: its
 * columns with their record types, its key (the primary key, else a unique index on NOT NULL columns), and how a
 * stream is described from it. One set of rules for every engine: the same key choice, the same cursor suggestion,
 * the same read types.
 */

export type SqlColumn = {
  name: string;
  /** The column's type as the database names it (`datetime(6)`, `varchar(255)`, `INTEGER`). */
  typeName: string;
  /** The record type: string, integer, number, boolean, timestamp, date, json. */
  fieldType: string;
  notNull: boolean;
};

export type SqlRelation<C extends SqlColumn = SqlColumn> = {
  /** The stream name: the table's name in the connection's database. */
  name: string;
  kind: 'table' | 'view';
  columns: C[];
  /** Columns of the primary key or of a unique index on NOT NULL columns; empty when the table has neither. */
  key: string[];
  keySource: 'primary_key' | 'unique_index' | 'none';
};

/** Names people give an "updated" column, in order of preference. */
export const cursorNames = [
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

/** The first column named like an "updated" column whose type a cursor can advance on (a timestamp or integer). */
export function suggestCursor(columns: readonly { name: string; fieldType: string }[]): string | undefined {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const name of cursorNames) {
    const column = byName.get(name);
    if (column && (column.fieldType === 'timestamp' || column.fieldType === 'integer')) return column.name;
  }
  return undefined;
}

/** Columns an incremental read can advance on: timestamps, dates and integers. */
export function isCursorType(column: { fieldType: string }): boolean {
  return column.fieldType === 'timestamp' || column.fieldType === 'date' || column.fieldType === 'integer';
}

export function toStreamSpec(relation: SqlRelation): StreamSpec {
  const fields: FieldInfo[] = relation.columns.map((c) => ({ name: c.name, type: c.fieldType, nullable: !c.notNull }));
  const cursorField = suggestCursor(relation.columns);
  const keyed = relation.key.length > 0;
  const description = keyed
    ? `${relation.kind}; key ${relation.key.join(', ')} (${relation.keySource.replace('_', ' ')})`
    : `${relation.kind} without a primary key or unique NOT NULL index: full reads only (in one pass, restarted ` +
      'when interrupted), every column taken as the key; incremental reads are refused';
  return {
    name: relation.name,
    primaryKey: keyed ? relation.key : relation.columns.map((c) => c.name),
    ...(cursorField ? { cursorField } : {}),
    supports: { full: true, incremental: keyed && relation.columns.some(isCursorType), delta: false },
    // A keyed full read notes the cursor's maximum before it starts and ends on it (keyset.ts).
    ...(keyed ? { fullReadEndsAtCursor: true } : {}),
    fields,
    description,
  };
}

/** The columns of a relation's key, in key order. */
export function keyColumns<C extends SqlColumn>(relation: SqlRelation<C>): C[] {
  return relation.key.map((name) => {
    const column = relation.columns.find((c) => c.name === name);
    if (!column) throw new SyncError('stream_changed', `The key column "${name}" is gone from ${relation.name}.`);
    return column;
  });
}
