import {
  SyncError,
  type StreamWriter,
  type SyncRecord,
  type SyncTarget,
  type WriteOutcome,
  type WriteRequest,
} from '../../engine/types.js';
import { openSyncClient } from '../../sources/postgres/connect.js';
import { openTableWriter, type PostgresTargetOptions } from '../postgres/index.js';
import { toVectorRows, vectorId, type VectorShape } from './records.js';
import { ensureVectorIndex, prepareVectorTable, vectorFields, type VectorIndex } from './table.js';

export type PgvectorTargetOptions = PostgresTargetOptions &
  VectorShape & {
    /** An approximate-nearest-neighbour index on the embedding, built when a run finishes and it is missing. */
    index?: VectorIndex;
  };

/**
 * A PostgreSQL database with pgvector as a sync target (a vector store): each stream is a table of
 * `(id, embedding, metadata)` rows in one schema (table.ts), written by the PostgreSQL target's writer — batches
 * COPY'd into staging and upserted, full refreshes staged in a shadow and applied with the deletion policy — so the
 * only work here is turning records into rows (records.ts). A record whose embedding has the wrong length or is not
 * numbers is rejected with the reason before the batch is written; the database never sees it.
 *
 * @example
 * const target = createPgvectorTarget({ connectionString, allow, schema: 'public', dimensions: 1536,
 *   embeddingField: 'embedding', index: { method: 'hnsw', distance: 'cosine' } });
 * const writer = await target.open({ name: 'documents', primaryKey: ['id'], fields, fullRefresh: false, ... });
 * const { created, rejected } = await writer.write(records);
 * await writer.finish();
 */
export function createPgvectorTarget(options: PgvectorTargetOptions): SyncTarget {
  const schema = options.schema ?? 'public';
  return {
    async open(request: WriteRequest): Promise<StreamWriter> {
      request.signal.throwIfAborted();
      if (!options.idField && request.primaryKey.length === 0)
        throw new SyncError('target_key_missing', `The stream written to "${request.name}" has no primary key.`);
      const db = await openSyncClient(options, 'target');
      try {
        const table = await prepareVectorTable(db, schema, request, options.dimensions);
        const rowsRequest = { ...request, primaryKey: ['id'], fields: vectorFields };
        // Rows go in by INSERT from jsonb, not COPY: the only pgvector these tests can run is PGlite's build, served
        // over the wire protocol, which cannot take COPY … FROM STDIN (writer.ts, RowLoader). Against COPY on a
        // PostgreSQL server it is not measured yet (bench/ has no vector run).
        const inner = await openTableWriter(db, table, rowsRequest, 'insert');
        // After the rows are in (a full refresh applies its shadow in finish), on a connection of its own: the
        // writer's closes with its finish.
        const index = options.index;
        const buildIndex = async () => {
          if (!index) return;
          const client = await openSyncClient(options, 'target');
          try {
            if (await ensureVectorIndex(client, table, index))
              request.log('info', `built the ${index.method} index of ${schema}.${request.name}`);
          } finally {
            await client.end().catch(() => {});
          }
        };
        return vectorWriter(inner, options, request, buildIndex);
      } catch (error) {
        await db.end().catch(() => {});
        throw error;
      }
    },

    async close(): Promise<void> {
      // Every writer holds (and closes) its own connection.
    },
  };
}

function vectorWriter(
  inner: StreamWriter,
  shape: VectorShape,
  request: WriteRequest,
  afterFinish: () => Promise<void>,
): StreamWriter {
  return {
    async write(records) {
      const { rows, sources, rejected } = toVectorRows(records, shape, request.primaryKey);
      const outcome: WriteOutcome = rows.length
        ? await inner.write(rows)
        : { created: 0, updated: 0, unchanged: 0, rejected: [] };
      // The writer names the rows it refused; the run keeps the records they came from.
      const refused = outcome.rejected.map((r) => ({
        record: sources.get(r.record as never) ?? r.record,
        reason: r.reason,
      }));
      return { ...outcome, rejected: [...rejected, ...refused] };
    },

    async delete(keys) {
      const ids: SyncRecord[] = [];
      for (const key of keys) {
        const id = vectorId(key, shape, request.primaryKey);
        if (id instanceof Error) request.log('warn', `a deleted record was skipped: ${id.message}`);
        else ids.push({ id });
      }
      return inner.delete ? inner.delete(ids) : 0;
    },

    async finish() {
      const outcome = await inner.finish();
      try {
        await afterFinish();
      } catch (error) {
        throw error instanceof SyncError
          ? error
          : new SyncError('target_index_failed', `Building the vector index failed: ${(error as Error).message}`, true);
      }
      return outcome;
    },

    abort: (options) => inner.abort(options),
  };
}
