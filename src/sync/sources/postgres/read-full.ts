import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  SyncError,
  type CopyRows,
  type ReadRequest,
  type SourceBatch,
  type StreamState,
  type SyncRecord,
} from '../../engine/types.js';
import type { RelationInfo } from './catalog.js';
import { qualifiedName, quoteIdent, quoteLiteral } from './connect.js';
import { copyTextDecoder, sourceTypes } from './values.js';

/**
 * A full read by key ranges: `copy (select … where (key) > (after) order by key limit n) to stdout`, one short
 * statement per batch (no snapshot held for hours, every batch an index range scan; COPY's text decoded here costs a
 * third of pg's row protocol), each batch's checkpoint its last key (`after_key`), so
 * a killed read resumes after the last committed batch. The next batch is requested before the current one is
 * handed over, so the database reads batch N+1 while the target writes batch N; checkpoints stay in batch order.
 * Each batch also carries its COPY text (`copy`), and its records are decoded only when read: a PostgreSQL target
 * of an unmapped stream writes the text as it is.
 *
 * When the stream has a cursor column, the read notes its maximum before the first batch (`cursor_at_start`) and
 * ends on `{ cursor: that }`: an incremental read after it starts there and sees every row changed since (rows
 * changed during the full read are read twice, never lost).
 *
 * A relation without a key is read in one pass inside one snapshot, with no checkpoint until its end.
 */
export async function* readFull(
  client: pg.Client,
  relation: RelationInfo,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  if (relation.key.length === 0) {
    yield* readWithoutKey(client, relation, request);
    return;
  }
  const table = qualifiedName(relation.schema, relation.table);
  const columns = relation.columns.map((c) => quoteIdent(c.name)).join(', ');
  const keyColumns = relation.key.map((name) => {
    const column = relation.columns.find((c) => c.name === name);
    if (!column) throw new SyncError('stream_changed', `The key column "${name}" is gone from ${table}.`);
    return column;
  });
  const keyList = keyColumns.map((c) => quoteIdent(c.name)).join(', ');
  const limit = Math.max(1, Math.floor(request.batchSize));
  // COPY takes no parameters: the key values are literals, quoted, cast to the key columns' types.
  const where = (key: unknown[] | undefined) =>
    key ? `where (${keyList}) > (${keyColumns.map((c, i) => `${literal(key[i])}::${c.typeName}`).join(', ')}) ` : '';
  const copyFor = (key: unknown[] | undefined) =>
    `copy (select ${columns} from ${table} ${where(key)}order by ${keyList} limit ${limit}) to stdout`;
  const decode = copyTextDecoder(relation.columns);

  const saved = request.state ?? {};
  let afterKey = savedAfterKey(saved, relation.key.length);
  const cursorAtStart =
    afterKey && 'cursor_at_start' in saved
      ? saved.cursor_at_start
      : await maxCursor(client, relation, request.stream.cursorField);
  const stateFor = (key: unknown[]): StreamState => ({
    after_key: key,
    ...(cursorAtStart !== undefined ? { cursor_at_start: cursorAtStart } : {}),
  });

  const fetch = (key: unknown[] | undefined): Promise<string> => {
    const pending = readCopy(client.query(copyTo(copyFor(key))));
    // Marked handled: when the consumer stops early, a prefetched batch's failure must not be an unhandled rejection.
    pending.catch(() => {});
    return pending;
  };
  const copyColumns = relation.columns.map(({ name, typeName, typeOid }) => ({ name, typeName, typeOid }));
  let pending = fetch(afterKey);
  for (;;) {
    const text = await pending;
    request.signal.throwIfAborted();
    const rows = countLines(text);
    if (rows < limit) {
      const done: StreamState =
        cursorAtStart !== undefined && cursorAtStart !== null ? { cursor: cursorAtStart, keys_at_cursor: [] } : {};
      yield copyBatch(text, rows, copyColumns, decode, done);
      return;
    }
    // Only the last line is decoded here, for its key: the records are decoded if and when a target reads them.
    const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    const last = decode(lastLine)[0] as SyncRecord;
    afterKey = relation.key.map((k) => last[k]);
    pending = fetch(afterKey);
    yield copyBatch(text, rows, copyColumns, decode, stateFor(afterKey));
  }
}

function countLines(text: string): number {
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  return rows;
}

/** A batch carrying its COPY text, its records decoded from it on first read (once; never spread it). */
function copyBatch(
  text: string,
  rows: number,
  columns: CopyRows['columns'],
  decode: (text: string) => SyncRecord[],
  state: StreamState,
): SourceBatch {
  let records: SyncRecord[] | undefined;
  return {
    get records() {
      records ??= decode(text);
      return records;
    },
    copy: { columns, text, rows },
    state,
  };
}

function savedAfterKey(state: StreamState, length: number): unknown[] | undefined {
  const key = state.after_key;
  if (key === undefined || key === null) return undefined;
  if (!Array.isArray(key) || key.length !== length)
    throw new SyncError('invalid_state', `after_key must be an array of ${length} key value(s).`);
  return key;
}

/** A batch's COPY output, whole (a batch is a few MB at most): decoded in one pass, no row split across chunks. */
async function readCopy(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function literal(value: unknown): string {
  const text = keyParameter(value);
  return text === null ? 'null' : quoteLiteral(text);
}

/** A key value as a text parameter: the form PostgreSQL reads back into the column's type. */
export function keyParameter(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

async function maxCursor(client: pg.Client, relation: RelationInfo, cursorField: string | undefined) {
  if (!cursorField || !relation.columns.some((c) => c.name === cursorField)) return undefined;
  const { rows } = await client.query<{ max: unknown }>({
    text: `select max(${quoteIdent(cursorField)}) as max from ${qualifiedName(relation.schema, relation.table)}`,
    types: sourceTypes,
  });
  return rows[0]?.max ?? null;
}

/** One pass in one snapshot through a server-side cursor: a keyless relation has no position to resume from. */
async function* readWithoutKey(
  client: pg.Client,
  relation: RelationInfo,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const columns = relation.columns.map((c) => quoteIdent(c.name)).join(', ');
  const limit = Math.max(1, Math.floor(request.batchSize));
  request.log('info', `${relation.schema}.${relation.table} has no key: read in one pass, restarted if interrupted`);
  await client.query('begin isolation level repeatable read read only');
  try {
    await client.query(
      `declare switchyard_read no scroll cursor for select ${columns} from ${qualifiedName(relation.schema, relation.table)}`,
    );
    for (;;) {
      const { rows } = await client.query<SyncRecord>({
        text: `fetch ${limit} from switchyard_read`,
        types: sourceTypes,
      });
      request.signal.throwIfAborted();
      if (rows.length < limit) {
        yield { records: rows, state: {} };
        return;
      }
      yield { records: rows };
    }
  } finally {
    await client.query('rollback').catch(() => {});
  }
}
