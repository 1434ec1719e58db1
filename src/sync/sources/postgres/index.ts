import type pg from 'pg';
import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
} from '../../engine/types.js';
import { listRelations, resolveStream, toStreamSpec } from './catalog.js';
import { openSyncClient, qualifiedName, quoteIdent, type PostgresConnectionOptions } from './connect.js';
import { readFull } from './read-full.js';
import { readIncremental } from './read-incremental.js';
import { sourceTypes } from './values.js';

export type PostgresSourceOptions = PostgresConnectionOptions & {
  /** Only these schemas are discovered (default: every schema the role may read, system schemas excepted). */
  schemas?: readonly string[];
};

/**
 * A PostgreSQL database as a sync source. Streams are its tables and views, named `schema.table` (catalog.ts).
 * Discovery and samples share one connection, opened on first use; each read opens its own, so a read's snapshot
 * (incremental reads hold one) is never shared and streams can be read side by side.
 *
 * @example
 * const source = createPostgresSource({ connectionString, allow });
 * const [stream] = await source.discover();
 * for await (const batch of source.read({ stream, mode: 'full', state: null, batchSize: 10_000, ... })) { … }
 */
export function createPostgresSource(options: PostgresSourceOptions): SyncSource {
  let shared: Promise<pg.Client> | undefined;
  const client = () => {
    shared ??= openSyncClient(options, 'source');
    shared.catch(() => {
      shared = undefined;
    });
    return shared;
  };

  return {
    async discover(): Promise<StreamSpec[]> {
      const relations = await listRelations(await client());
      return relations.filter((r) => !options.schemas || options.schemas.includes(r.schema)).map(toStreamSpec);
    },

    async sample(stream: StreamSpec, limit: number, signal: AbortSignal): Promise<SyncRecord[]> {
      const db = await client();
      signal.throwIfAborted();
      const relation = await resolveStream(db, stream.name);
      const columns = relation.columns.map((c) => quoteIdent(c.name)).join(', ');
      const { rows } = await db.query<SyncRecord>({
        text: `select ${columns} from ${qualifiedName(relation.schema, relation.table)} limit $1`,
        values: [Math.max(0, Math.floor(limit))],
        types: sourceTypes,
      });
      return rows;
    },

    read(request: ReadRequest): AsyncIterable<SourceBatch> {
      return readStream(options, request);
    },

    async close(): Promise<void> {
      const open = shared;
      shared = undefined;
      if (open) await (await open.catch(() => undefined))?.end().catch(() => {});
    },
  };
}

async function* readStream(options: PostgresSourceOptions, request: ReadRequest): AsyncGenerator<SourceBatch> {
  request.signal.throwIfAborted();
  const client = await openSyncClient(options, 'source');
  try {
    const relation = await resolveStream(client, request.stream.name);
    if (request.mode === 'full') yield* readFull(client, relation, request);
    else if (request.mode === 'incremental') yield* readIncremental(client, relation, request);
    else
      throw new SyncError('mode_not_supported', 'A PostgreSQL table has no delta tokens: read it full or incremental.');
  } finally {
    await client.end().catch(() => {});
  }
}

export type { PostgresConnectionOptions } from './connect.js';
