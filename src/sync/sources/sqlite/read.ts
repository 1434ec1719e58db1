import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import type { ReadRequest, SourceBatch, SyncRecord } from '../../engine/types.js';
import { cursorColumn, readByCursor } from '../sql/cursor.js';
import { readByKeyRanges } from '../sql/keyset.js';
import { keyColumns } from '../sql/relation.js';
import type { SqliteRelation } from './catalog.js';
import { rowDecoder, toParameter, type SqliteColumn } from './values.js';

/**
 * The SQLite reads, as pages for the shared readers (sql/keyset.ts, sql/cursor.ts), each page one statement with row
 * values (`(k1, k2) > (?, ?)`, which SQLite answers from the index). No read holds a transaction between pages: in a
 * file not in WAL mode a reader's lock keeps every writer out, and a sync waits on its target between pages. An
 * incremental read therefore sees rows committed while it runs, as it reaches them; the checkpoint rules (inclusive
 * bound, keys at the last value, lookback) hold all the same. A table without a key is read in one pass (a single
 * statement stepped batch by batch), which does hold its lock until the end.
 */

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function selectList(relation: SqliteRelation): string {
  return relation.columns.map((c) => quoteIdent(c.name)).join(', ');
}

function select(db: SqliteDatabase, relation: SqliteRelation, sql: string, params: unknown[]): SyncRecord[] {
  const rows = db.prepare(sql).all(...params) as Record<string, unknown>[];
  return rows.map(rowDecoder(relation.columns));
}

/** `(k1, k2) > (?, ?)` with the values as parameters of those columns. */
function after(columns: readonly SqliteColumn[], values: readonly unknown[]): { sql: string; params: unknown[] } {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  return {
    sql: `(${names}) > (${columns.map(() => '?').join(', ')})`,
    params: columns.map((c, i) => toParameter(c, values[i])),
  };
}

export function sampleRows(db: SqliteDatabase, relation: SqliteRelation, limit: number): SyncRecord[] {
  const sql = `select ${selectList(relation)} from ${quoteIdent(relation.name)} limit ?`;
  return select(db, relation, sql, [Math.max(0, Math.floor(limit))]);
}

export async function* readFull(
  db: SqliteDatabase,
  relation: SqliteRelation,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  if (relation.key.length === 0) {
    yield* readWithoutKey(db, relation, request);
    return;
  }
  const table = quoteIdent(relation.name);
  const keys = keyColumns(relation);
  const order = keys.map((c) => quoteIdent(c.name)).join(', ');
  yield* readByKeyRanges(relation, request, {
    page(afterKey, limit) {
      const bound = afterKey ? after(keys, afterKey) : undefined;
      const sql = `select ${selectList(relation)} from ${table} ${bound ? `where ${bound.sql} ` : ''}order by ${order} limit ?`;
      return Promise.resolve(select(db, relation, sql, [...(bound?.params ?? []), limit]));
    },
    maxCursor(name) {
      const column = relation.columns.find((c) => c.name === name) as SqliteColumn;
      const [row] = select(
        db,
        { ...relation, columns: [column] },
        `select max(${quoteIdent(name)}) as ${quoteIdent(name)} from ${table}`,
        [],
      );
      return Promise.resolve(row?.[name] ?? null);
    },
  });
}

export async function* readIncremental(
  db: SqliteDatabase,
  relation: SqliteRelation,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const cursor = cursorColumn(relation, request.stream.cursorField);
  const table = quoteIdent(relation.name);
  const ordered = [cursor, ...keyColumns(relation)];
  const order = ordered.map((c) => quoteIdent(c.name)).join(', ');
  const c = quoteIdent(cursor.name);
  const head = `select ${selectList(relation)} from ${table} where`;
  yield* readByCursor(relation, cursor, request, {
    first(from, limit) {
      // SQLite dates are text (or numbers): a lookback applies to text it can read as a time.
      const bound =
        from === null
          ? { sql: `${c} is not null`, params: [] }
          : from.lookbackSeconds > 0 && typeof from.value === 'string'
            ? {
                sql: `${c} >= coalesce(strftime(?, ?, ?), ?)`,
                params: [
                  lookbackFormat(from.value),
                  from.value,
                  `-${Math.floor(from.lookbackSeconds)} seconds`,
                  from.value,
                ],
              }
            : { sql: `${c} >= ?`, params: [toParameter(cursor, from.value)] };
      return Promise.resolve(
        select(db, relation, `${head} ${bound.sql} order by ${order} limit ?`, [...bound.params, limit]),
      );
    },
    after(value, key, limit) {
      const bound = after(ordered, [value, ...key]);
      return Promise.resolve(
        select(db, relation, `${head} ${bound.sql} order by ${order} limit ?`, [...bound.params, limit]),
      );
    },
  });
}

/** The strftime format that writes a time back in the shape the saved cursor has, so text compares as time does. */
function lookbackFormat(value: string): string {
  const separator = value.charAt(10) === 'T' ? 'T' : ' ';
  const fraction = /\.\d+/.test(value.slice(19)) ? '%f' : '%S';
  const zone = value.endsWith('Z') ? 'Z' : '';
  return value.length <= 10 ? '%Y-%m-%d' : `%Y-%m-%d${separator}%H:%M:${fraction}${zone}`;
}

/** One pass, one statement stepped a batch at a time: a keyless table has no position to resume from. */
async function* readWithoutKey(
  db: SqliteDatabase,
  relation: SqliteRelation,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const limit = Math.max(1, Math.floor(request.batchSize));
  request.log('info', `${relation.name} has no key: read in one pass, restarted if interrupted`);
  const decode = rowDecoder(relation.columns);
  const rows = db
    .prepare(`select ${selectList(relation)} from ${quoteIdent(relation.name)}`)
    .iterate() as IterableIterator<Record<string, unknown>>;
  try {
    let batch: SyncRecord[] = [];
    for (const row of rows) {
      batch.push(decode(row));
      if (batch.length === limit) {
        yield { records: batch };
        request.signal.throwIfAborted();
        batch = [];
      }
    }
    yield { records: batch, state: {} };
  } finally {
    rows.return?.();
  }
}
