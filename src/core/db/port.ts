import type { Channel } from './channels.js';

/**
 * The one narrow database port every capability writes against (after pg-boss's `IDatabase`). Persistence
 * functions take a `Queryable` as their first argument so the caller decides whether they run on their own or
 * inside a transaction. One adapter implements it, over `pg`: for the embedded server (open.ts) and for a
 * PostgreSQL server named by DATABASE_URL.
 */
export type Row = Record<string, unknown>;

export type QueryResult<R> = { rows: R[]; rowCount: number };

export interface Queryable {
  /** One statement with `$1…$n` parameters. */
  query<R = Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
  /**
   * `COPY … FROM STDIN` fed with these chunks (COPY text format): bulk writes, several times faster than the same
   * rows through INSERT. Answers the rows copied.
   */
  copyFrom(text: string, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<number>;
}

export interface Db extends Queryable {
  /**
   * `embedded`: the PostgreSQL server this process runs in its data directory, so no other process uses the
   * database (at start, every lease still held was this process's, before it stopped). `postgres`: a server other
   * nodes may share.
   */
  readonly kind: 'embedded' | 'postgres';
  /** Run `fn` in a transaction and commit, or roll back if it throws. Inside `fn` use only `tx`. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribe to a notification channel; returns an unsubscribe function. Channel names are namespaced. */
  listen(channel: Channel, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Send a notification on a (namespaced) channel, delivered once the surrounding transaction commits: to this
   * node's listeners at the commit itself, to every node's (this one again) through the server. Listeners must be
   * idempotent.
   */
  notify(q: Queryable, channel: Channel, payload: string): Promise<void>;
  close(): Promise<void>;
}

/** SQLSTATE codes we branch on. */
export const SqlState = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  /** Text the database encoding cannot hold; in practice a NUL character (U+0000), which PostgreSQL text refuses. */
  characterNotInRepertoire: '22021',
} as const;

export function sqlState(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== SqlState.uniqueViolation) return false;
  if (constraint === undefined) return true;
  const c = (error as { constraint?: string }).constraint;
  return c === undefined || c === constraint;
}
