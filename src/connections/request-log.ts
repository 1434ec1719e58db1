import type { Logger } from 'pino';
import type { Db, Queryable } from '../core/db/port.js';
import { createBufferedLog } from '../core/buffered-log.js';
import { newId } from '../core/ids.js';

export type RequestLogEntry = {
  tenantId: string;
  connectionId: string;
  /**
   * proxy: a caller's proxied call; test: a connection test; sync: a call a sync made (read or push); route: a call a
   * provider route made.
   */
  kind: 'proxy' | 'test' | 'sync' | 'route';
  method: string;
  /** Path and query as sent, with secret-looking query values already removed. */
  path: string;
  status: number | null;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  error: string | null;
  requestId: string | null;
};

/**
 * The per-connection request log (method, path, status, latency, bytes, retries — never headers or bodies), written
 * off the request path in batches (core/buffered-log.ts): a proxied call must not wait for its own log row.
 */
export function createRequestLog(deps: { db: Db; log: Logger }) {
  return createBufferedLog<RequestLogEntry>(deps, (entries) => insertRequestLog(deps.db, entries), {
    what: 'the connection request log',
  });
}

export type RequestLog = ReturnType<typeof createRequestLog>;

const COLUMNS = [
  'id',
  'tenant_id',
  'connection_id',
  'kind',
  'method',
  'path',
  'status',
  'latency_ms',
  'bytes_in',
  'bytes_out',
  'retries',
  'error',
  'request_id',
] as const;

/**
 * The whole batch in one statement: one insert with an array parameter per column, parsed and planned once.
 */
export async function insertRequestLog(q: Queryable, entries: RequestLogEntry[]): Promise<void> {
  const rows = entries.map((e) => [
    newId('req'),
    e.tenantId,
    e.connectionId,
    e.kind,
    e.method,
    e.path.slice(0, 2000),
    e.status,
    e.latencyMs.toFixed(2),
    e.bytesIn,
    e.bytesOut,
    e.retries,
    e.error?.slice(0, 500) ?? null,
    e.requestId,
  ]);
  const columns = COLUMNS.map((_, i) => rows.map((row) => row[i]));
  await q.query(
    `insert into connection_requests (${COLUMNS.join(', ')})
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
       $8::numeric[], $9::bigint[], $10::bigint[], $11::int[], $12::text[], $13::text[])`,
    columns,
  );
}

export type RequestLogRow = {
  id: string;
  kind: string;
  method: string;
  path: string;
  status: number | null;
  latency_ms: string;
  bytes_in: number;
  bytes_out: number;
  retries: number;
  error: string | null;
  request_id: string | null;
  created_at: Date;
};

export async function listRequestLog(
  q: Queryable,
  tenantId: string,
  connectionId: string,
  f: { limit: number; beforeId?: string },
): Promise<RequestLogRow[]> {
  const { rows } = await q.query<RequestLogRow>(
    `select id, kind, method, path, status, latency_ms, bytes_in, bytes_out, retries, error, request_id, created_at
     from connection_requests where tenant_id = $1 and connection_id = $2 and ($3::text is null or id < $3)
     order by id desc limit $4`,
    [tenantId, connectionId, f.beforeId ?? null, f.limit + 1],
  );
  return rows;
}

/** Retention: drop log rows older than the cutoff (maintenance). */
export async function purgeRequestLog(q: Queryable, before: Date): Promise<number> {
  const { rowCount } = await q.query('delete from connection_requests where created_at < $1', [before]);
  return rowCount;
}
