import { SyncError, type FieldInfo, type WriteRequest } from '../engine/types.js';
import type { SqlColumn, SqlRelation } from '../sources/sql/relation.js';

/** The columns Switchyard keeps in a target table: when a row was last written, and when it was soft-deleted. */
export const syncedAt = '_switchyard_synced_at';
export const deletedAt = '_switchyard_deleted_at';

/**
 * An existing table of a SQL target (MySQL, SQLite) checked for a stream, one rule for every engine: it is a table,
 * it has every mapped field and Switchyard's columns (the deletion column when deletes are soft), and it is keyed on
 * the stream's key (an upsert needs that unique index). Answers the fields' columns, in the fields' order.
 */
export function checkTargetTable<C extends SqlColumn>(
  relation: SqlRelation<C>,
  fields: FieldInfo[],
  request: WriteRequest,
): { columns: C[]; hasDeletedAt: boolean } {
  const byName = new Map(relation.columns.map((c) => [c.name, c]));
  const required = [...fields.map((f) => f.name), syncedAt, ...(request.deletion.mode === 'soft' ? [deletedAt] : [])];
  const missing = required.filter((name) => !byName.has(name));
  if (missing.length > 0)
    throw new SyncError(
      'target_columns_missing',
      `The table ${relation.name} lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')}; add them or map the fields elsewhere.`,
    );
  if (relation.kind !== 'table') throw new SyncError('target_not_a_table', `${relation.name} is a view, not a table.`);
  const sameKey =
    relation.key.length === request.primaryKey.length && request.primaryKey.every((k) => relation.key.includes(k));
  if (!sameKey)
    throw new SyncError(
      'target_key_mismatch',
      `The table ${relation.name} is keyed on (${relation.key.join(', ') || 'nothing'}), the stream on (${request.primaryKey.join(', ')}): ` +
        'a primary key or unique index on the stream key is needed.',
    );
  return { columns: fields.map((f) => byName.get(f.name) as C), hasDeletedAt: byName.has(deletedAt) };
}
