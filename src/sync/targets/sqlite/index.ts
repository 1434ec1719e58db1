import {
  SyncError,
  type FieldInfo,
  type StreamWriter,
  type SyncTarget,
  type WriteRequest,
} from '../../engine/types.js';
import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import { openSqliteFile, sqliteError, type SqliteConnectionOptions } from '../../sources/sqlite/index.js';
import type { TableJournal } from '../journal.js';
import { undoTable } from './journal.js';
import { deletedAt, findTable, prepareTable, syncedAt } from './table.js';
import { ensureShadow, openWriter, shadowName } from './writer.js';

/**
 * A SQLite database file as a sync target: each stream is a table named after the (mapped) stream name. The file is
 * created when it does not exist yet (inside the server's SQLite directory, like any file a connection names).
 * `describe` shares one handle; each writer opens its own, closed by its finish or abort.
 *
 * @example
 * const target = createSqliteTarget({ path: 'exports/crm.sqlite', root: config.sqliteDir });
 * const writer = await target.open({ name: 'contacts', primaryKey: ['id'], fields, fullRefresh: false, ... });
 */
export type SqliteTargetOptions = SqliteConnectionOptions & {
  /** Where an import keeps what it changed (WriteRequest.journal); without it, runs are not undoable. */
  journal?: TableJournal;
};

export function createSqliteTarget(options: SqliteTargetOptions): SyncTarget {
  let shared: Promise<SqliteDatabase> | undefined;
  const handle = () => {
    shared ??= openSqliteFile(options, 'target', { readonly: false });
    shared.catch(() => {
      shared = undefined;
    });
    return shared;
  };

  return {
    async describe(name: string): Promise<FieldInfo[]> {
      const db = await handle();
      try {
        return (findTable(db, name)?.columns ?? [])
          .filter((c) => c.name !== syncedAt && c.name !== deletedAt)
          .map((c) => ({ name: c.name, type: c.fieldType, nullable: !c.notNull }));
      } catch (error) {
        throw sqliteError(error, 'target');
      }
    },

    async open(request: WriteRequest): Promise<StreamWriter> {
      request.signal.throwIfAborted();
      const db = await openSqliteFile(options, 'target', { readonly: false });
      try {
        const table = prepareTable(db, request);
        const shadow = request.fullRefresh ? shadowName(table.name, request.executionId) : undefined;
        if (shadow) ensureShadow(db, table, shadow);
        return openWriter(db, table, request, shadow, options.journal);
      } catch (error) {
        db.close();
        throw sqliteError(error, 'target');
      }
    },

    async undo(request) {
      if (!options.journal) throw new SyncError('undo_unsupported', 'This target keeps no journal to undo from.');
      const db = await openSqliteFile(options, 'target', { readonly: false });
      try {
        return await undoTable(db, options.journal, request);
      } catch (error) {
        throw sqliteError(error, 'target');
      } finally {
        db.close();
      }
    },

    async close(): Promise<void> {
      const open = shared;
      shared = undefined;
      if (open) (await open.catch(() => undefined))?.close();
    },
  };
}
