import type pg from 'pg';
import {
  SyncError,
  type FieldInfo,
  type StreamWriter,
  type SyncTarget,
  type WriteRequest,
} from '../../engine/types.js';
import { openSyncClient, qualifiedName, type PostgresConnectionOptions } from '../../sources/postgres/connect.js';
import type { TableJournal } from '../journal.js';
import { applyShadow, ensureShadow } from './full-refresh.js';
import { undoTable } from './journal.js';
import { deletedAt, findTable, prepareTable, syncedAt, type TargetTable } from './table.js';
import { openWriter, shadowName, writeError, type RowLoader } from './writer.js';

export type PostgresTargetOptions = PostgresConnectionOptions & {
  /** The schema the stream tables live in (default `public`); a stream named `orders` is the table schema.orders. */
  schema?: string;
  /** Where an import keeps what it changed (WriteRequest.journal); without it, runs are not undoable. */
  journal?: TableJournal;
};

/**
 * A PostgreSQL database as a sync target: each stream is a table named after the (mapped) stream name, in one schema.
 * `describe` shares one connection, opened on first use; each `open` gets a connection of its own (its staging table
 * is a temporary table of that session), closed by the writer's finish or abort.
 *
 * @example
 * const target = createPostgresTarget({ connectionString, allow, schema: 'crm' });
 * const writer = await target.open({ name: 'contacts', primaryKey: ['id'], fields, fullRefresh: false, ... });
 * const { created, updated, unchanged, rejected } = await writer.write(records);
 * await writer.finish();
 */
export function createPostgresTarget(options: PostgresTargetOptions): SyncTarget {
  const schema = options.schema ?? 'public';
  let shared: Promise<pg.Client> | undefined;
  const client = () => {
    shared ??= openSyncClient(options, 'target');
    shared.catch(() => {
      shared = undefined;
    });
    return shared;
  };

  return {
    async describe(name: string): Promise<FieldInfo[]> {
      const relation = await findTable(await client(), schema, name);
      return (relation?.columns ?? [])
        .filter((c) => c.name !== syncedAt && c.name !== deletedAt)
        .map((c) => ({ name: c.name, type: c.fieldType, nullable: !c.notNull }));
    },

    async open(request: WriteRequest): Promise<StreamWriter> {
      request.signal.throwIfAborted();
      const db = await openSyncClient(options, 'target');
      try {
        return await openTableWriter(db, await prepareTable(db, schema, request), request, undefined, options.journal);
      } catch (error) {
        await db.end().catch(() => {});
        throw error;
      }
    },

    async undo(request) {
      if (!options.journal) throw new SyncError('undo_unsupported', 'This target keeps no journal to undo from.');
      const db = await openSyncClient(options, 'target');
      try {
        return await undoTable(db, schema, options.journal, request);
      } catch (error) {
        throw writeError(error);
      } finally {
        await db.end().catch(() => {});
      }
    },

    async close(): Promise<void> {
      const open = shared;
      shared = undefined;
      if (open) await (await open.catch(() => undefined))?.end().catch(() => {});
    },
  };
}

/**
 * A writer for a prepared table on a connection of its own (closed by the writer's finish or abort): batches upserted
 * as they come, or, in a full refresh, staged in the execution's shadow and applied by finish (full-refresh.ts). The
 * pgvector target writes its tables through this too.
 */
export async function openTableWriter(
  db: pg.Client,
  table: TargetTable,
  request: WriteRequest,
  loader?: RowLoader,
  journal?: TableJournal,
): Promise<StreamWriter> {
  const shadow = qualifiedName(table.schema, shadowName(table, request.executionId));
  if (request.fullRefresh) await ensureShadow(db, table, shadow, request.executionId);
  return openWriter(db, table, request, () => applyShadow(db, table, shadow, request.deletion), loader, journal);
}
