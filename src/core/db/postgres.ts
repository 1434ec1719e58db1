import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { Db, QueryResult, Queryable } from './port.js';

/**
 * PostgreSQL server adapter over `pg.Pool`. Traps, each handled here:
 * - int8 (`count(*)`, bigserial) arrives as a string from `pg`; we parse it to a number. Our
 *   int8 values (counts, sequence ids) stay far below 2^53.
 * - Idle pooled clients can emit 'error' (server restart); unhandled, that kills the process.
 * - LISTEN needs one dedicated connection that outlives pool checkouts; it reconnects with backoff and
 *   re-subscribes. Workers must also poll: a notification sent while reconnecting is lost.
 * - A JS array passed as a parameter becomes a PostgreSQL array, so jsonb parameters are always JSON strings.
 */
export type PostgresOptions = {
  /** A connection URL (DATABASE_URL), or `connection` for the embedded server's socket. */
  url?: string;
  connection?: { host: string; port: number; user: string; password: string; database: string };
  /** `embedded`: the server this process runs (open.ts), so this process is the only one on the database. */
  kind?: Db['kind'];
  poolSize?: number;
  /** A schema to create and put first on the search path (test isolation). */
  schema?: string;
  /** Prefix for notification channels so several test schemas in one database do not hear each other. */
  namespace?: string;
  onError?: (error: Error) => void;
};

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const onError = options.onError ?? (() => {});
  const namespace = options.namespace ?? 'switchyard';
  // The namespace is also a session setting, so triggers can notify on this database's channels (see 0006).
  const settings = [`-c switchyard.namespace=${namespace}`];
  if (options.schema) settings.push(`-c search_path="${options.schema}",public`);
  const clientConfig: pg.ClientConfig = {
    ...(options.url !== undefined ? { connectionString: options.url } : options.connection),
    types,
    options: settings.join(' '),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  pool.on('error', onError);
  // Fail fast with the server's own message when the URL is wrong. The schema is made on the pool's first connection
  // (its search path names it before it exists, and takes it up once it does), not on one of its own.
  await pool.query(options.schema ? `create schema if not exists "${options.schema}"` : 'select 1');

  const channelName = (channel: string) => `${namespace}_${channel}`;
  const listener = createListener(clientConfig, onError);

  return {
    kind: options.kind ?? 'postgres',
    query: (text, values) => runQuery(pool, text, values),
    exec: async (text) => {
      await pool.query(text);
    },
    copyFrom: async (text, chunks) => {
      const client = await pool.connect();
      try {
        return await copyInto(client, text, chunks);
      } finally {
        client.release();
      }
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const handle = clientHandle(client);
        const result = await fn(handle);
        await client.query('commit');
        // This node's own listeners hear the transaction's notifications now, not after the round trip through
        // the server: a request that changed something sees its effect on this node's caches at once.
        for (const [channel, payload] of pendingLocal.get(handle) ?? []) listener.deliver(channel, payload);
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (channel, onPayload) => listener.subscribe(channelName(channel), onPayload),
    notify: async (q, channel, payload) => {
      await q.query('select pg_notify($1, $2)', [channelName(channel), payload]);
      // Outside a transaction the statement committed: deliver here at once (the server's copy follows).
      const pending = pendingLocal.get(q);
      if (pending) pending.push([channelName(channel), payload]);
      else listener.deliver(channelName(channel), payload);
    },
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/** Notifications sent inside each open transaction, for this node's listeners once it commits. */
const pendingLocal = new WeakMap<Queryable, [string, string][]>();

function clientHandle(client: pg.PoolClient): Queryable {
  const handle: Queryable = {
    query: (text, values) => runQuery(client, text, values),
    exec: async (text) => {
      await client.query(text);
    },
    copyFrom: (text, chunks) => copyInto(client, text, chunks),
  };
  pendingLocal.set(handle, []);
  return handle;
}

async function copyInto(
  client: pg.PoolClient,
  text: string,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<number> {
  const copy = client.query(copyFromStdin(text));
  await pipeline(Readable.from(chunks, { objectMode: false }), copy);
  return copy.rowCount ?? 0;
}

/** Statement texts met once (candidates) and those met again (named, so each connection prepares them once). */
const seen = new Set<string>();
const named = new Map<string, string>();
const NAMED_LIMIT = 2000;

/**
 * A parameterised statement met a second time runs as a named prepared statement: each connection parses and plans
 * it once instead of at every call (the hot paths' claims, writes and lookups). Its name is a hash of its text, so
 * every connection and process agrees on it. Texts are bounded: past the limit, statements run unnamed.
 */
function statementName(text: string): string | undefined {
  const name = named.get(text);
  if (name !== undefined) return name;
  if (named.size >= NAMED_LIMIT) return undefined;
  if (!seen.has(text)) {
    if (seen.size < NAMED_LIMIT) seen.add(text);
    return undefined;
  }
  seen.delete(text);
  const made = `sy_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
  named.set(text, made);
  return made;
}

async function runQuery<R>(
  target: pg.Pool | pg.PoolClient,
  text: string,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  const name = values && values.length > 0 ? statementName(text) : undefined;
  const result = await target.query(
    name === undefined
      ? { text, values: values as unknown[] | undefined }
      : { name, text, values: values as unknown[] },
  );
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
}

type Handler = (payload: string) => void;

function createListener(config: pg.ClientConfig, onError: (error: Error) => void) {
  const handlers = new Map<string, Set<Handler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retryDelay = 100;
  // The listening client takes one query at a time (pg warns on a query sent while one runs, and pg 9 refuses it):
  // LISTEN and UNLISTEN from workers starting or stopping together wait their turn.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = (c: pg.Client, sql: string): Promise<unknown> => {
    const next = turn.then(() => c.query(sql));
    turn = next.catch(() => {});
    return next;
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client(config);
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    c.on('error', (error) => {
      onError(error);
      if (client === c) client = undefined;
      c.end().catch(() => {});
      if (!closed && handlers.size > 0) scheduleReconnect();
    });
    await c.connect();
    for (const channel of handlers.keys()) await c.query(`listen "${channel}"`);
    retryDelay = 100;
    client = c;
    return c;
  };

  const ensure = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= connect().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const scheduleReconnect = () => {
    const delay = retryDelay;
    retryDelay = Math.min(retryDelay * 2, 10_000);
    setTimeout(() => {
      if (closed || client) return;
      ensure().catch((error: Error) => {
        onError(error);
        scheduleReconnect();
      });
    }, delay).unref();
  };

  return {
    /** Hand a notification this node sent to its own handlers. */
    deliver(channel: string, payload: string): void {
      for (const h of handlers.get(channel) ?? []) h(payload);
    },
    async subscribe(channel: string, handler: Handler) {
      let set = handlers.get(channel);
      const isNew = !set;
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      const c = await ensure();
      if (isNew) await serial(c, `listen "${channel}"`);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          if (client) await serial(client, `unlisten "${channel}"`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
