import { openSqlite, type SqliteDatabase } from '../../../connections/sqlite-driver.js';
import { resolveSqlitePath } from '../../../connections/sqlite-path.js';
import { DatabaseTargetError } from '../../../core/net/database-target.js';
import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
} from '../../engine/types.js';
import { toStreamSpec } from '../sql/relation.js';
import { listRelations, resolveStream } from './catalog.js';
import { readFull, readIncremental, sampleRows } from './read.js';

export type SqliteConnectionOptions = {
  /** The file the connection names (its `path` field), resolved inside `root` (resolveSqlitePath). */
  path: string;
  /** The server's SQLite directory (config.sqliteDir); undefined: SQLite is off. */
  root: string | undefined;
  /** Where a file of the tenant's files store is, when `path` is `files:<id>` (read only). */
  storedFile?: ((fileId: string) => Promise<string | undefined>) | undefined;
};

/**
 * A SQLite database file as a sync source, opened read-only. Streams are its tables and views. Discovery and samples
 * share one handle, opened on first use; each read opens its own (a keyless table's read steps one statement across
 * batches, which would keep a shared handle busy).
 *
 * @example
 * const source = createSqliteSource({ path: 'crm.sqlite', root: config.sqliteDir });
 */
export function createSqliteSource(options: SqliteConnectionOptions): SyncSource {
  let shared: Promise<SqliteDatabase> | undefined;
  const handle = () => {
    shared ??= openSqliteFile(options, 'source', { readonly: true });
    shared.catch(() => {
      shared = undefined;
    });
    return shared;
  };

  async function* readStream(request: ReadRequest): AsyncGenerator<SourceBatch> {
    request.signal.throwIfAborted();
    const db = await openSqliteFile(options, 'source', { readonly: true });
    try {
      const relation = resolveStream(db, request.stream.name);
      if (request.mode === 'full') yield* readFull(db, relation, request);
      else if (request.mode === 'incremental') yield* readIncremental(db, relation, request);
      else
        throw new SyncError('mode_not_supported', 'A SQLite table has no delta tokens: read it full or incremental.');
    } catch (error) {
      throw sqliteError(error, 'source');
    } finally {
      db.close();
    }
  }

  return {
    async discover(): Promise<StreamSpec[]> {
      const db = await handle();
      try {
        return listRelations(db).map(toStreamSpec);
      } catch (error) {
        throw sqliteError(error, 'source');
      }
    },
    async sample(stream: StreamSpec, limit: number, signal: AbortSignal): Promise<SyncRecord[]> {
      const db = await handle();
      signal.throwIfAborted();
      try {
        return sampleRows(db, resolveStream(db, stream.name), limit);
      } catch (error) {
        throw sqliteError(error, 'source');
      }
    },
    read: readStream,
    async close(): Promise<void> {
      const open = shared;
      shared = undefined;
      if (open) (await open.catch(() => undefined))?.close();
    },
  };
}

/** The connection's file, resolved inside the SQLite directory and opened; failures as a run's reasons. */
export async function openSqliteFile(
  options: SqliteConnectionOptions,
  role: 'source' | 'target',
  mode: { readonly: boolean },
): Promise<SqliteDatabase> {
  try {
    const file = await resolveSqlitePath(options.path, {
      root: options.root,
      mustExist: mode.readonly,
      storedFile: options.storedFile,
    });
    return await openSqlite(file, mode);
  } catch (error) {
    if (error instanceof DatabaseTargetError) throw new SyncError('destination_blocked', error.message);
    throw new SyncError(
      `${role}_connection_refused`,
      `The ${role} SQLite database cannot be opened: ${(error as Error).message}`,
    );
  }
}

/** A SQLite failure as a run's reason: a locked file may pass, anything else needs a person. */
export function sqliteError(error: unknown, role: 'source' | 'target'): Error {
  if (error instanceof SyncError || (error as Error).name === 'AbortError') return error as Error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  return new SyncError(
    role === 'source' ? 'source_read_failed' : 'target_write_failed',
    `The ${role} SQLite database failed the ${role === 'source' ? 'read' : 'write'}: ${message}`,
    busy,
  );
}
