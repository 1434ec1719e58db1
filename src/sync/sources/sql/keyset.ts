import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamState,
  type SyncRecord,
} from '../../engine/types.js';
import type { SqlRelation } from './relation.js';

/**
 * A full read by key ranges, for any SQL source whose table has a key: `where key > after order by key limit n`, one
 * short statement per batch (no snapshot held for hours, every batch an index range scan), each batch's checkpoint
 * its last key (`after_key`), so a killed read resumes after the last committed batch. The next batch is requested
 * before the current one is handed over, so the database reads batch N+1 while the target writes batch N.
 *
 * When the stream has a cursor column, the read notes its maximum before the first batch (`cursor_at_start`) and ends
 * on `{ cursor: that }`: an incremental read after it starts there and sees every row changed since (rows changed
 * during the full read are read twice, never lost). The same contract as the PostgreSQL source (read-full.ts there).
 */

export type KeysetPages = {
  /** Up to `limit` rows whose key is after `afterKey` (record values; from the start when undefined), in key order. */
  page(afterKey: unknown[] | undefined, limit: number): Promise<SyncRecord[]>;
  /** The cursor column's maximum now, as a record value (null when no row has one). */
  maxCursor(column: string): Promise<unknown>;
};

export async function* readByKeyRanges(
  relation: SqlRelation,
  request: ReadRequest,
  pages: KeysetPages,
): AsyncGenerator<SourceBatch> {
  const limit = Math.max(1, Math.floor(request.batchSize));
  const saved = request.state ?? {};
  let afterKey = savedAfterKey(saved, relation.key.length);
  const cursorField = request.stream.cursorField;
  const hasCursor = cursorField !== undefined && relation.columns.some((c) => c.name === cursorField);
  const cursorAtStart =
    afterKey && 'cursor_at_start' in saved
      ? saved.cursor_at_start
      : hasCursor
        ? await pages.maxCursor(cursorField)
        : undefined;
  const stateFor = (key: unknown[]): StreamState => ({
    after_key: key,
    ...(cursorAtStart !== undefined ? { cursor_at_start: cursorAtStart } : {}),
  });
  const fetch = (key: unknown[] | undefined) => {
    const pending = pages.page(key, limit);
    // Marked handled: when the consumer stops early, a prefetched batch's failure must not be an unhandled rejection.
    pending.catch(() => {});
    return pending;
  };
  let pending = fetch(afterKey);
  for (;;) {
    const rows = await pending;
    request.signal.throwIfAborted();
    if (rows.length < limit) {
      const done: StreamState =
        cursorAtStart !== undefined && cursorAtStart !== null ? { cursor: cursorAtStart, keys_at_cursor: [] } : {};
      yield { records: rows, state: done };
      return;
    }
    const last = rows[rows.length - 1] as SyncRecord;
    afterKey = relation.key.map((k) => last[k]);
    pending = fetch(afterKey);
    yield { records: rows, state: stateFor(afterKey) };
  }
}

function savedAfterKey(state: StreamState, length: number): unknown[] | undefined {
  const key = state.after_key;
  if (key === undefined || key === null) return undefined;
  if (!Array.isArray(key) || key.length !== length)
    throw new SyncError('invalid_state', `after_key must be an array of ${length} key value(s).`);
  return key;
}
