import { parse, protocol, type PGlite } from '@electric-sql/pglite';

/**
 * Prepared statements for PGlite. PGlite's `query()` sends every statement as an unnamed one: parsed, analysed and
 * planned anew each time. On the hot paths (publishing an event, claiming and recording deliveries) that was most of
 * the statement's cost: the publish statement took 2.2 ms alone and 0.7 ms prepared. So a statement text met a
 * second time is prepared under a name, once per PGlite instance, and run from then on by Bind/Execute only.
 *
 * - Plans stay correct across schema changes and `search_path` switches: PostgreSQL revalidates a prepared
 *   statement (re-analysing it) when a table it uses changes or the search path differs from the one it was made
 *   under, as it does for any cached plan.
 * - The locks are PGlite's own: outside a transaction the statement waits for any open transaction, then for the
 *   connection, as `query()` does; a transaction's statements only wait for the connection.
 * - Texts seen once are only counted, and at most MAX_PREPARED statements are kept (the least recently used is
 *   closed), so statements built per call (filters, batch sizes) cannot grow the session without bound.
 */
const PREPARE_AT = 2;
const MAX_PREPARED = 200;
const MAX_COUNTED = 4000;

type Prepared = { name: string; paramTypes: number[] };
type Statements = { prepared: Map<string, Prepared>; seen: Map<string, number>; next: number };

const statements = new WeakMap<PGlite, Statements>();

export type PreparedResult<R> = { rows: R[]; affectedRows?: number };

/** The statement's result, or undefined when it is not (yet) worth preparing: the caller runs it as usual. */
export async function queryPrepared<R>(
  pg: PGlite,
  text: string,
  values: readonly unknown[],
  inTransaction: boolean,
): Promise<PreparedResult<R> | undefined> {
  let cache = statements.get(pg);
  if (!cache) statements.set(pg, (cache = { prepared: new Map(), seen: new Map(), next: 0 }));
  if (!cache.prepared.has(text)) {
    const seen = (cache.seen.get(text) ?? 0) + 1;
    if (seen < PREPARE_AT) {
      if (cache.seen.size >= MAX_COUNTED) cache.seen.clear();
      cache.seen.set(text, seen);
      return undefined;
    }
  }
  const run = () => pg._runExclusiveQuery(() => execute<R>(pg, cache, text, values));
  const result = await (inTransaction ? run() : pg._runExclusiveTransaction(run));
  if (!inTransaction) await pg.syncToFs();
  return result;
}

const { serialize } = protocol;

async function execute<R>(
  pg: PGlite,
  cache: Statements,
  text: string,
  values: readonly unknown[],
): Promise<PreparedResult<R>> {
  if (pg.closed) throw new Error('PGlite is closed');
  let statement = cache.prepared.get(text);
  if (statement) {
    // Most recently used last.
    cache.prepared.delete(text);
    cache.prepared.set(text, statement);
  } else {
    statement = await prepare(pg, cache, text);
  }
  const params = values.map((value, i) => {
    if (value === null || value === undefined) return null;
    const serializer = pg.serializers[statement.paramTypes[i] as number];
    return serializer ? serializer(value) : String(value);
  });
  const messages = [];
  try {
    messages.push(...(await send(pg, serialize.bind({ statement: statement.name, values: params }))));
    messages.push(...(await send(pg, serialize.describe({ type: 'P' }))));
    messages.push(...(await send(pg, serialize.execute({}))));
  } finally {
    // After an error the server skips everything up to the Sync, which ends the statement either way.
    messages.push(...(await send(pg, serialize.sync())));
  }
  return parse.parseResults(messages, pg.parsers)[0] as unknown as PreparedResult<R>;
}

/** Parse and describe the text under a new name (closing the least recently used statement when full). */
async function prepare(pg: PGlite, cache: Statements, text: string): Promise<Prepared> {
  if (cache.prepared.size >= MAX_PREPARED) {
    const [oldest, old] = cache.prepared.entries().next().value as [string, Prepared];
    cache.prepared.delete(oldest);
    try {
      await send(pg, serialize.close({ type: 'S', name: old.name }));
    } finally {
      await send(pg, serialize.sync());
    }
  }
  const name = `sy_${cache.next++}`;
  let described;
  try {
    await send(pg, serialize.parse({ name, text }));
    described = await send(pg, serialize.describe({ type: 'S', name }));
  } finally {
    await send(pg, serialize.sync());
  }
  const statement = { name, paramTypes: parse.parseDescribeStatementResults(described) };
  cache.prepared.set(text, statement);
  cache.seen.delete(text);
  return statement;
}

function send(pg: PGlite, message: Uint8Array) {
  return pg.execProtocolStream(message, { syncToFs: false });
}
