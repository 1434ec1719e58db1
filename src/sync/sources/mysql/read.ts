import mysql from 'mysql2/promise';
import type { ReadRequest, SourceBatch, SyncRecord } from '../../engine/types.js';
import { cursorColumn, readByCursor } from '../sql/cursor.js';
import { readByKeyRanges } from '../sql/keyset.js';
import { keyColumns } from '../sql/relation.js';
import type { MysqlRelation } from './catalog.js';
import { quoteIdent } from './connect.js';
import { rowDecoder, toParameter, type MysqlColumn } from './values.js';

/**
 * The MySQL reads, as pages for the shared readers (sql/keyset.ts, sql/cursor.ts):
 * - full: key ranges, each page its own statement (`where key after … order by key limit n`);
 * - incremental: pages in (cursor, key) order, all inside one consistent-snapshot, read-only transaction, so the read
 *   sees the table as it was when it began (the PostgreSQL source holds one snapshot the same way);
 * - a table without a key: one pass inside one snapshot, in pages ordered by every column (nothing to resume from).
 * Key bounds are written as `k1 > a or (k1 = a and k2 > b)`, a form every MySQL and MariaDB version reads as index
 * ranges. Values are written into the statement as literals escaped by mysql2 (`literal`), never with `?`
 * placeholders: mysql2 would also replace a `?` inside a quoted column name.
 */

type Row = mysql.RowDataPacket;

export function selectList(relation: MysqlRelation): string {
  return relation.columns.map((c) => quoteIdent(c.name)).join(', ');
}

/** A value as an SQL literal of this column's type (mysql2's escaping; the session never sets NO_BACKSLASH_ESCAPES). */
export function literal(column: MysqlColumn, value: unknown): string {
  return mysql.escape(toParameter(column, value) as Parameters<typeof mysql.escape>[0]);
}

/** `(k1 > a) or (k1 = a and k2 > b) …`: the rows after `values` in the order of `columns`. */
function after(columns: readonly MysqlColumn[], values: readonly unknown[]): string {
  const literals = columns.map((c, i) => literal(c, values[i]));
  return columns
    .map((column, i) => {
      const equal = columns.slice(0, i).map((c, j) => `${quoteIdent(c.name)} = ${literals[j] as string}`);
      return `(${[...equal, `${quoteIdent(column.name)} > ${literals[i] as string}`].join(' and ')})`;
    })
    .join(' or ');
}

async function select(db: mysql.Connection, relation: MysqlRelation, sql: string): Promise<SyncRecord[]> {
  const [rows] = await db.query<Row[]>(sql);
  const decode = rowDecoder(relation.columns);
  return rows.map(decode);
}

export async function sampleRows(db: mysql.Connection, relation: MysqlRelation, limit: number): Promise<SyncRecord[]> {
  const table = quoteIdent(relation.name);
  return select(db, relation, `select ${selectList(relation)} from ${table} limit ${Math.max(0, Math.floor(limit))}`);
}

export async function* readFull(
  db: mysql.Connection,
  relation: MysqlRelation,
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
      const where = afterKey ? `where ${after(keys, afterKey)} ` : '';
      return select(
        db,
        relation,
        `select ${selectList(relation)} from ${table} ${where}order by ${order} limit ${limit}`,
      );
    },
    async maxCursor(name) {
      const column = relation.columns.find((c) => c.name === name) as MysqlColumn;
      const [rows] = await db.query<Row[]>(`select max(${quoteIdent(name)}) as ${quoteIdent(name)} from ${table}`);
      return rowDecoder([column])(rows[0] ?? {})[name] ?? null;
    },
  });
}

export async function* readIncremental(
  db: mysql.Connection,
  relation: MysqlRelation,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const cursor = cursorColumn(relation, request.stream.cursorField);
  const table = quoteIdent(relation.name);
  const ordered = [cursor, ...keyColumns(relation)];
  const order = ordered.map((c) => quoteIdent(c.name)).join(', ');
  const c = quoteIdent(cursor.name);
  const columns = selectList(relation);
  await db.query('set transaction isolation level repeatable read');
  await db.query('start transaction with consistent snapshot, read only');
  try {
    yield* readByCursor(relation, cursor, request, {
      first(from, limit) {
        const bound =
          from === null
            ? `${c} is not null`
            : from.lookbackSeconds > 0
              ? `${c} >= date_sub(${literal(cursor, from.value)}, interval ${Math.floor(from.lookbackSeconds)} second)`
              : `${c} >= ${literal(cursor, from.value)}`;
        return select(db, relation, `select ${columns} from ${table} where ${bound} order by ${order} limit ${limit}`);
      },
      after(value, key, limit) {
        const bound = after(ordered, [value, ...key]);
        return select(db, relation, `select ${columns} from ${table} where ${bound} order by ${order} limit ${limit}`);
      },
    });
  } finally {
    await db.query('rollback').catch(() => {});
  }
}

/** One pass in one snapshot, pages ordered by every column: a keyless table has no position to resume from. */
async function* readWithoutKey(
  db: mysql.Connection,
  relation: MysqlRelation,
  request: ReadRequest,
): AsyncGenerator<SourceBatch> {
  const limit = Math.max(1, Math.floor(request.batchSize));
  const order = relation.columns.map((c) => quoteIdent(c.name)).join(', ');
  const sql = (offset: number) =>
    `select ${selectList(relation)} from ${quoteIdent(relation.name)} order by ${order} limit ${limit} offset ${offset}`;
  request.log('info', `${relation.name} has no key: read in one pass, restarted if interrupted`);
  await db.query('set transaction isolation level repeatable read');
  await db.query('start transaction with consistent snapshot, read only');
  try {
    for (let offset = 0; ; offset += limit) {
      const rows = await select(db, relation, sql(offset));
      request.signal.throwIfAborted();
      if (rows.length < limit) {
        yield { records: rows, state: {} };
        return;
      }
      yield { records: rows };
    }
  } finally {
    await db.query('rollback').catch(() => {});
  }
}
