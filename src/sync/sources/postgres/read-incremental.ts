import type pg from 'pg';
import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamState,
  type SyncRecord,
} from '../../engine/types.js';
import { isCursorType, type RelationInfo } from './catalog.js';
import { qualifiedName, quoteIdent } from './connect.js';
import { keyParameter } from './read-full.js';
import { sourceTypes } from './values.js';

/**
 * An incremental read on a cursor column, correct at the boundary (the Airbyte bugs listed in the sync research):
 * - inclusive lower bound: `cursor >= saved − lookback`, so rows sharing the saved value are not skipped; the keys
 *   already read at exactly the saved value (`keys_at_cursor`) are dropped, everything else re-read is harmless
 *   (the target's upsert leaves it unchanged);
 * - one snapshot for the whole read (REPEATABLE READ, a server-side cursor ordered by cursor then key): the upper
 *   bound is whatever that snapshot holds, not a MAX taken at another moment. Rows committed during the read are
 *   invisible to it and its checkpoint is the snapshot's maximum, so the next read (inclusive, with its lookback)
 *   sees them: at the maximum they are new keys at the saved value, below it the lookback reaches them;
 * - never a checkpoint inside a group of equal cursor values: a batch's checkpoint is `{ cursor: its last value,
 *   keys_at_cursor: [] }` ("everything below this value is read"), which holds whatever the group's size; only the
 *   read's end, where the snapshot's last group is complete, lists its keys (up to `maxKeysAtCursor`).
 * Rows whose cursor is NULL are never read incrementally (a full read takes them).
 */

const maxKeysAtCursor = 10_000;
const noValue = Symbol('no value read');

export async function* readIncremental(
  client: pg.Client,
  relation: RelationInfo,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const table = qualifiedName(relation.schema, relation.table);
  const cursorName = request.stream.cursorField;
  const cursor = relation.columns.find((c) => c.name === cursorName);
  if (!cursorName || !cursor)
    throw new SyncError(
      'invalid_cursor',
      `${table} has no cursor column "${cursorName ?? ''}" for an incremental read.`,
    );
  if (!isCursorType(cursor))
    throw new SyncError(
      'invalid_cursor',
      `The cursor column "${cursor.name}" (${cursor.typeName}) is not a timestamp, date or integer.`,
    );
  if (relation.key.length === 0)
    throw new SyncError(
      'incremental_needs_key',
      `${table} has no primary key or unique NOT NULL index: an incremental read could not tell a row read twice from a new one. Use a full read.`,
    );

  const saved = request.state ?? {};
  const savedCursor = saved.cursor ?? null;
  const savedKeys = new Set(Array.isArray(saved.keys_at_cursor) ? saved.keys_at_cursor.map(keyId) : []);
  const lookback = Math.max(0, request.lookbackSeconds);
  const timeLike = cursor.fieldType === 'timestamp' || cursor.fieldType === 'date';
  const c = quoteIdent(cursor.name);
  const bound =
    savedCursor === null
      ? `${c} is not null`
      : lookback > 0 && timeLike
        ? `${c} >= $1::${cursor.typeName} - $2 * interval '1 second'`
        : `${c} >= $1::${cursor.typeName}`;
  const values =
    savedCursor === null
      ? []
      : lookback > 0 && timeLike
        ? [keyParameter(savedCursor), lookback]
        : [keyParameter(savedCursor)];
  if (lookback > 0 && !timeLike) request.log('debug', `lookback ignored: "${cursor.name}" is not a time`);

  const columns = relation.columns.map((col) => quoteIdent(col.name)).join(', ');
  const order = [c, ...relation.key.map(quoteIdent)].join(', ');
  const limit = Math.max(1, Math.floor(request.batchSize));
  await client.query('begin isolation level repeatable read read only');
  try {
    await client.query({
      text: `declare switchyard_read no scroll cursor for select ${columns} from ${table} where ${bound} order by ${order}`,
      values,
    });
    const fetch = () => {
      const pending = client
        .query<SyncRecord>({ text: `fetch ${limit} from switchyard_read`, types: sourceTypes })
        .then((r) => r.rows);
      pending.catch(() => {});
      return pending;
    };
    // The last cursor value read and every key read at it (those dropped as already seen included).
    let groupValue: unknown = noValue;
    let groupKeys: unknown[][] = [];
    let pending = fetch();
    for (;;) {
      const rows = await pending;
      request.signal.throwIfAborted();
      const done = rows.length < limit;
      if (!done) pending = fetch();
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
      const last = rows[rows.length - 1] as SyncRecord;
      yield { records, state: { cursor: last[cursor.name], keys_at_cursor: [] } };
    }
  } finally {
    await client.query('rollback').catch(() => {});
  }
}

function keyId(key: unknown): string {
  return JSON.stringify(key);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && keyParameter(a) === keyParameter(b));
}
