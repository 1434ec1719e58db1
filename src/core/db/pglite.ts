import { PGlite, type Transaction } from '@electric-sql/pglite';
import { queryPrepared } from './pglite-prepared.js';
import type { CopyValue, Db, QueryResult, Queryable } from './port.js';

/**
 * PGlite adapter. Traps, each handled here:
 * - PGlite is one connection behind a mutex. Inside `transaction()` only the `tx` handle may be used; a query on
 *   the outer handle would wait for the transaction and deadlock. Everything else is serialised for us.
 * - `query()` runs exactly one statement (extended protocol); parameterless multi-statement text goes to `exec()`.
 *   A statement text met again runs as a named prepared statement (pglite-prepared.ts).
 * - LISTEN/NOTIFY works in-process only, which is all a single-process embedded database needs.
 * - Row locks do not block (`FOR UPDATE SKIP LOCKED` sees no other session); concurrency is tested on PostgreSQL.
 * - Two processes must never open one data directory: the caller takes `data-dir-lock` before opening.
 */
export type PgliteOptions = {
  /** A directory for durable storage; omit for an in-memory database. */
  dataDir?: string;
  /** An existing instance to wrap (tests share one per file, with a schema per test). */
  instance?: PGlite;
  /** A schema to create and put first on the search path (test isolation). */
  schema?: string;
  /** Prefix for notification channels so tests sharing an instance do not hear each other. */
  namespace?: string;
};

export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  const owned = options.instance === undefined;
  const pg = options.instance ?? (await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {}));
  if (options.schema) {
    await pg.exec(`create schema if not exists "${options.schema}"; set search_path to "${options.schema}", public;`);
  }
  const namespace = options.namespace ?? 'switchyard';
  // The namespace is also a session setting, so triggers can notify on this database's channels (see 0006).
  await pg.query(`select set_config('switchyard.namespace', $1, false)`, [namespace]);
  const channelName = (channel: string) => `${namespace}_${channel}`;

  return {
    kind: 'pglite',
    query: (text, values) => runQuery(pg, pg, text, values),
    exec: async (text) => {
      await pg.exec(text);
    },
    copyRows: (table, columns, rows) => copyRows(pg, table, columns, rows),
    transaction: (fn) =>
      pg.transaction(async (tx) => {
        const handle: Queryable = {
          query: (text, values) => runQuery(pg, tx, text, values),
          exec: async (text) => {
            await tx.exec(text);
          },
          copyRows: (table, columns, rows) => copyRows(tx, table, columns, rows),
        };
        return fn(handle);
      }),
    listen: async (channel, onPayload) => {
      const unsubscribe = await pg.listen(channelName(channel), onPayload);
      return async () => {
        if (!pg.closed) await unsubscribe();
      };
    },
    notify: async (q, channel, payload) => {
      await q.query('select pg_notify($1, $2)', [channelName(channel), payload]);
    },
    close: async () => {
      if (owned && !pg.closed) await pg.close();
    },
  };
}

async function runQuery<R>(
  pg: PGlite,
  target: PGlite | Transaction,
  text: string,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  const inTransaction = target !== pg;
  // A closed transaction handle goes to PGlite, which refuses it.
  const prepared =
    inTransaction && (target as Transaction).closed
      ? undefined
      : await queryPrepared<R>(pg, text, values ?? [], inTransaction);
  const result = prepared ?? (await target.query<R>(text, values as unknown[] | undefined));
  // PGlite reports 0 affected rows for SELECT; `pg` reports the row count. Match `pg`.
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** `COPY … FROM '/dev/blob'`: PGlite reads the rows from a Blob handed over with the query. */
async function copyRows(
  target: PGlite | Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`copyRows: "${name}" is not a plain identifier`);
  }
  await target.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], {
    blob: new Blob([copyText(rows)]),
  });
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Rows in COPY's text format: tab-separated, one line each, `\N` for null, and backslash, tab, newline and carriage
 * return escaped so that any text round-trips.
 */
export function copyText(rows: readonly (readonly CopyValue[])[]): string {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (i > 0) line += '\t';
      if (value === null || value === undefined) line += '\\N';
      else if (typeof value === 'number') line += String(value);
      else line += value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string);
    }
    text += `${line}\n`;
  }
  return text;
}
