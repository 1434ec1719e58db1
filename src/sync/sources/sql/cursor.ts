import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamState,
  type SyncRecord,
} from '../../engine/types.js';
import { isCursorType, type SqlColumn, type SqlRelation } from './relation.js';

/**
 * An incremental read on a cursor column for the SQL sources, correct at the boundary with the PostgreSQL source's
 * contract (its read-incremental.ts says why each rule is there):
 * - inclusive lower bound, `cursor >= saved − lookback`; keys already read at exactly the saved value
 *   (`keys_at_cursor`) are dropped, anything else read again is harmless (the target's upsert leaves it unchanged);
 * - pages in (cursor, key) order, each after the last (cursor, key) read: a group of equal cursor values may span
 *   pages and is neither skipped nor doubled;
 * - never a checkpoint inside a group: a batch's checkpoint is `{ cursor: its last value, keys_at_cursor: [] }`
 *   ("everything below this value is read"); only the read's end lists the keys of its last group (up to 10,000).
 * Rows whose cursor is NULL are never read incrementally (a full read takes them). Whether the pages share one
 * snapshot is the engine's to say (MySQL: one consistent-snapshot transaction; SQLite: see its source).
 */

export type CursorPages = {
  /**
   * The first page: rows whose cursor is not null and, when `from` is given, at or above its value less
   * `lookbackSeconds` (0 for a cursor that is not a time), in (cursor, key) order.
   */
  first(from: { value: unknown; lookbackSeconds: number } | null, limit: number): Promise<SyncRecord[]>;
  /** The rows after (cursor, key) = (value, key), in the same order. */
  after(value: unknown, key: unknown[], limit: number): Promise<SyncRecord[]>;
};

const maxKeysAtCursor = 10_000;
const noValue = Symbol('no value read');

/** The cursor column an incremental read advances on, checked: it exists, it can advance, and the table has a key. */
export function cursorColumn<C extends SqlColumn>(relation: SqlRelation<C>, name: string | undefined): C {
  const column = relation.columns.find((c) => c.name === name);
  if (!name || !column)
    throw new SyncError(
      'invalid_cursor',
      `${relation.name} has no cursor column "${name ?? ''}" for an incremental read.`,
    );
  if (!isCursorType(column))
    throw new SyncError(
      'invalid_cursor',
      `The cursor column "${column.name}" (${column.typeName}) is not a timestamp, date or integer.`,
    );
  if (relation.key.length === 0)
    throw new SyncError(
      'incremental_needs_key',
      `${relation.name} has no primary key or unique NOT NULL index: an incremental read could not tell a row read twice from a new one. Use a full read.`,
    );
  return column;
}

export async function* readByCursor(
  relation: SqlRelation,
  cursor: SqlColumn,
  request: ReadRequest,
  pages: CursorPages,
): AsyncGenerator<SourceBatch> {
  const saved = request.state ?? {};
  const savedCursor = saved.cursor ?? null;
  const savedKeys = new Set(Array.isArray(saved.keys_at_cursor) ? saved.keys_at_cursor.map(keyId) : []);
  const timeLike = cursor.fieldType === 'timestamp' || cursor.fieldType === 'date';
  const lookback = timeLike ? Math.max(0, request.lookbackSeconds) : 0;
  if (request.lookbackSeconds > 0 && !timeLike)
    request.log('debug', `lookback ignored: "${cursor.name}" is not a time`);
  const limit = Math.max(1, Math.floor(request.batchSize));
  const handled = (pending: Promise<SyncRecord[]>) => {
    pending.catch(() => {});
    return pending;
  };

  // The last cursor value read and every key read at it (those dropped as already seen included).
  let groupValue: unknown = noValue;
  let groupKeys: unknown[][] = [];
  let pending = handled(
    pages.first(savedCursor === null ? null : { value: savedCursor, lookbackSeconds: lookback }, limit),
  );
  for (;;) {
    const rows = await pending;
    request.signal.throwIfAborted();
    const done = rows.length < limit;
    const last = rows[rows.length - 1];
    if (!done && last)
      pending = handled(
        pages.after(
          last[cursor.name],
          relation.key.map((k) => last[k]),
          limit,
        ),
      );
    const records: SyncRecord[] = [];
    for (const row of rows) {
      const value = row[cursor.name];
      const key = relation.key.map((k) => row[k]);
      if (!sameValue(value, groupValue)) {
        groupValue = value;
        groupKeys = [];
      }
      groupKeys.push(key);
      const seen = savedCursor !== null && sameValue(value, savedCursor) && savedKeys.has(keyId(key));
      if (!seen) records.push(row);
    }
    if (done) {
      const state: StreamState =
        groupValue === noValue
          ? { ...saved }
          : { cursor: groupValue, keys_at_cursor: groupKeys.length <= maxKeysAtCursor ? groupKeys : [] };
      yield { records, state };
      return;
    }
    yield { records, state: { cursor: (last as SyncRecord)[cursor.name], keys_at_cursor: [] } };
  }
}

export function keyId(key: unknown): string {
  return JSON.stringify(key);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && a !== noValue && b !== noValue && text(a) === text(b));
}

function text(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
