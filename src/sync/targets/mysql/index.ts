import type mysql from 'mysql2/promise';
import {
  SyncError,
  type FieldInfo,
  type StreamWriter,
  type SyncTarget,
  type WriteRequest,
} from '../../engine/types.js';
import {
  acquire,
  closePool,
  isConnectionLost,
  openMysqlPool,
  release,
  type MysqlConnectionOptions,
} from '../../sources/mysql/connect.js';
import type { TableJournal } from '../journal.js';
import { applyShadow, checkSwappable, ensureShadow, shadowName } from './full-refresh.js';
import { undoTable } from './journal.js';
import { deletedAt, findTable, prepareTable, syncedAt } from './table.js';
import { openWriter, writeError } from './writer.js';

/**
 * A MySQL or MariaDB database as a sync target: each stream is a table of the connection's database, named after the
 * (mapped) stream name. Connections come from one pool (the connection's pool min/max); each writer holds one until
 * its finish or abort.
 *
 * @example
 * const target = createMysqlTarget({ settings, allow });
 * const writer = await target.open({ name: 'contacts', primaryKey: ['id'], fields, fullRefresh: false, ... });
 * const { created, updated, unchanged, rejected } = await writer.write(records);
 * await writer.finish();
 */
export type MysqlTargetOptions = MysqlConnectionOptions & {
  /** Where an import keeps what it changed (WriteRequest.journal); without it, runs are not undoable. */
  journal?: TableJournal;
};

export function createMysqlTarget(options: MysqlTargetOptions): SyncTarget {
  let pool: Promise<mysql.Pool> | undefined;
  const getPool = () => {
    pool ??= openMysqlPool(options, 'target');
    pool.catch(() => {
      pool = undefined;
    });
    return pool;
  };

  return {
    async describe(name: string): Promise<FieldInfo[]> {
      const db = await acquire(await getPool(), 'target');
      let broken = false;
      try {
        const relation = await findTable(db, name);
        return (relation?.columns ?? [])
          .filter((c) => c.name !== syncedAt && c.name !== deletedAt)
          .map((c) => ({ name: c.name, type: c.fieldType, nullable: !c.notNull }));
      } catch (error) {
        broken = isConnectionLost(error);
        throw writeError(error);
      } finally {
        release(db, broken);
      }
    },

    async open(request: WriteRequest): Promise<StreamWriter> {
      request.signal.throwIfAborted();
      const db = await acquire(await getPool(), 'target');
      try {
        const table = await prepareTable(db, request);
        if (!request.fullRefresh) return openWriter(db, table, request, undefined, options.journal);
        await checkSwappable(db, table.name);
        const shadow = shadowName(table.name, request.executionId);
        await ensureShadow(db, table, shadow);
        return openWriter(db, table, request, {
          shadow,
          apply: () => applyShadow(db, table, shadow, request.deletion),
        });
      } catch (error) {
        release(db, isConnectionLost(error));
        throw writeError(error);
      }
    },

    async undo(request) {
      if (!options.journal) throw new SyncError('undo_unsupported', 'This target keeps no journal to undo from.');
      const db = await acquire(await getPool(), 'target');
      let broken = false;
      try {
        return await undoTable(db, options.journal, request);
      } catch (error) {
        broken = isConnectionLost(error);
        throw writeError(error);
      } finally {
        release(db, broken);
      }
    },

    async close(): Promise<void> {
      const open = pool;
      pool = undefined;
      if (open) await closePool(await open.catch(() => undefined));
    },
  };
}
