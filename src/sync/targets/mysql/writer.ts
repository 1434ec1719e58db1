import type mysql from 'mysql2/promise';
import {
  SyncError,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type WriteOutcome,
  type WriteRequest,
} from '../../engine/types.js';
import { isConnectionLost, quoteIdent, release, type MysqlError } from '../../sources/mysql/connect.js';
import type { MysqlColumn } from '../../sources/mysql/values.js';
import { journaledColumns, type RowImage, type TableJournal } from '../journal.js';
import { lastPerKey } from '../last-per-key.js';
import { imageSelect, readImages } from './journal.js';
import { chunks, targetSql, upsertCounts } from './sql.js';
import { deletedAt, type TargetTable } from './table.js';

/**
 * Writing a stream's batches into its MySQL table. A batch is one transaction of multi-row upserts (sql.ts), so it is
 * all in or all out: a connection that drops midway leaves nothing of it (the server rolls the transaction back) and
 * the batch fails with a retryable error. In a full refresh the batches go into the shadow table (full-refresh.ts)
 * and are counted against the target as it is. A record the server refuses (a value that does not fit its column, a
 * NOT NULL, CHECK or unique violation) fails its batch; the batch is then halved and each half retried, down to the
 * records that fail, which are returned as rejected with the server's message. Records sharing a key within a batch
 * are written once, the last one winning; the superseded ones count as unchanged.
 *
 * A run that keeps a journal (an import, not a full refresh) reads the rows of a batch's keys with a locking read
 * first (FOR UPDATE: the rows, and the gaps where a key is missing, stay locked until the commit, so no other writer
 * slips in between), then upserts, reads them again and keeps both in the journal (targets/journal.ts) before the
 * commit.
 */

/** Server errors caused by one record's values: SQLSTATE classes 22 and 23, and the strict-mode conversions. */
const recordErrnos = new Set([1265, 1364, 1366, 1367, 1411, 3819]);
function isRecordError(error: unknown): error is MysqlError {
  const { sqlState, errno } = error as MysqlError;
  return (
    (typeof sqlState === 'string' && (sqlState.startsWith('22') || sqlState.startsWith('23'))) ||
    (errno !== undefined && recordErrnos.has(errno))
  );
}

export function openWriter(
  db: mysql.PoolConnection,
  table: TargetTable,
  request: WriteRequest,
  fullRefresh: { shadow: string; apply(): Promise<{ deleted: number }> } | undefined,
  journal?: TableJournal,
): StreamWriter {
  const sql = targetSql(table);
  const target = quoteIdent(table.name);
  const into = fullRefresh ? quoteIdent(fullRefresh.shadow) : target;
  const journaled = journal && request.journal === true && !fullRefresh ? journal : undefined;
  const imaged = journaledColumns(table).map((name) => table.all.find((c) => c.name === name) as MysqlColumn);
  // The whole run in one transaction (WriteRequest.atomic; a full refresh has its shadow): each batch a savepoint.
  const atomic = request.atomic === true && !fullRefresh;
  let started = false; // the run's transaction, begun by its first batch
  let broken = false;

  async function transaction<T>(work: () => Promise<T>): Promise<T> {
    if (atomic && !started) {
      await db.query('start transaction');
      started = true;
    }
    await db.query(atomic ? 'savepoint batch' : 'start transaction');
    try {
      const result = await work();
      await db.query(atomic ? 'release savepoint batch' : 'commit');
      return result;
    } catch (error) {
      if (isConnectionLost(error)) broken = true;
      else await db.query(atomic ? 'rollback to savepoint batch' : 'rollback').catch(() => (broken = true));
      throw error;
    }
  }

  /** The rows of these records' keys, as journal images; locked when `lock`. */
  async function images(records: SyncRecord[], lock: boolean): Promise<RowImage[]> {
    const found: RowImage[] = [];
    for (const chunk of chunks(records)) {
      const where = sql.keysIn('x', chunk);
      const select = `select ${imageSelect('x', imaged)} from ${target} x where ${where}${lock ? ' for update' : ''}`;
      found.push(...(await readImages(db, imaged, select)));
    }
    return found;
  }

  async function applyBatch(records: SyncRecord[]): Promise<{ created: number; updated: number }> {
    return transaction(async () => {
      const before = journaled ? await images(records, true) : [];
      let created = 0;
      let updated = 0;
      for (const chunk of chunks(records)) {
        const [result] = await db.query<mysql.ResultSetHeader>(sql.upsert(into, chunk));
        const counts = upsertCounts(result, chunk.length);
        created += counts.created;
        updated += counts.updated;
      }
      if (journaled)
        await journaled.keep(request.executionId, request.name, table.key, before, await images(records, false));
      return fullRefresh ? countAgainstTarget(records) : { created, updated };
    });
  }

  /** A full refresh's batch, now in the shadow, against the target: new keys, changed or revived rows. */
  async function countAgainstTarget(records: SyncRecord[]): Promise<{ created: number; updated: number }> {
    const firstKey = `t.${quoteIdent(table.key[0] as string)}`;
    const revived = table.hasDeletedAt ? ` or t.${quoteIdent(deletedAt)} is not null` : '';
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `select coalesce(sum(${firstKey} is null), 0) as created, ` +
        `coalesce(sum(${firstKey} is not null and (not (${sql.same('s', 't')})${revived})), 0) as updated ` +
        `from ${into} s left join ${target} t on ${sql.keyMatch('s', 't')} where ${sql.keysIn('s', records)}`,
    );
    return { created: Number(rows[0]?.created ?? 0), updated: Number(rows[0]?.updated ?? 0) };
  }

  async function writeIsolating(records: SyncRecord[]): Promise<WriteOutcome> {
    try {
      const { created, updated } = await applyBatch(records);
      return { created, updated, unchanged: records.length - created - updated, rejected: [] };
    } catch (error) {
      if (!isRecordError(error)) throw writeError(error);
      if (records.length === 1)
        return { created: 0, updated: 0, unchanged: 0, rejected: [rejection(records[0] as SyncRecord, error)] };
      request.signal.throwIfAborted();
      const middle = Math.ceil(records.length / 2);
      const left = await writeIsolating(records.slice(0, middle));
      const right = await writeIsolating(records.slice(middle));
      return {
        created: left.created + right.created,
        updated: left.updated + right.updated,
        unchanged: left.unchanged + right.unchanged,
        rejected: [...left.rejected, ...right.rejected],
      };
    }
  }

  let closed = false;
  const end = () => {
    if (closed) return;
    closed = true;
    release(db, broken);
  };

  return {
    atomic,

    async write(records) {
      if (records.length === 0) return { created: 0, updated: 0, unchanged: 0, rejected: [] };
      const unique = lastPerKey(records, table.key);
      const outcome = await writeIsolating(unique);
      outcome.unchanged += records.length - unique.length;
      return outcome;
    },

    async delete(keys) {
      if (keys.length === 0 || (!fullRefresh && request.deletion.mode === 'none')) return 0;
      const where = sql.keysIn('x', keys);
      try {
        if (fullRefresh) {
          // Not in the shadow, so the swap deletes it as the policy says (and counts it there).
          await db.query(`delete x from ${into} x where ${where}`);
          return 0;
        }
        const statement =
          request.deletion.mode === 'soft'
            ? `update ${target} x set x.${quoteIdent(deletedAt)} = now(6) where x.${quoteIdent(deletedAt)} is null and ${where}`
            : `delete x from ${target} x where ${where}`;
        const [result] = await db.query<mysql.ResultSetHeader>(statement);
        return result.affectedRows;
      } catch (error) {
        if (isConnectionLost(error)) broken = true;
        throw writeError(error);
      }
    },

    async finish() {
      try {
        const result = fullRefresh ? await fullRefresh.apply() : { deleted: 0 };
        if (started) await db.query('commit');
        end();
        return result;
      } catch (error) {
        // Left open for the runner's abort, which ends it (dropping the shadow when the run is over).
        if (isConnectionLost(error)) broken = true;
        throw writeError(error);
      }
    },

    async abort(options) {
      // A full refresh's shadow stays for a resumed run (same execution id), unless the run ended for good.
      if (options?.final && fullRefresh && !closed && !broken)
        await db.query(`drop table if exists ${quoteIdent(fullRefresh.shadow)}`).catch(() => {});
      if (atomic && !closed) {
        // Nothing of the run is kept (a lost connection rolled it back already), so neither is its journal.
        if (started && !broken) await db.query('rollback').catch(() => (broken = true));
        await journaled?.forget(request.executionId, request.name).catch(() => {});
      }
      end();
    },
  };
}

function rejection(record: SyncRecord, error: MysqlError): Rejected {
  return { record, reason: error.message.replace(/ at row \d+$/, '') };
}

export function writeError(error: unknown): Error {
  if (error instanceof SyncError || (error as Error).name === 'AbortError') return error as Error;
  const { errno, message } = error as MysqlError;
  if (isConnectionLost(error))
    return new SyncError('target_write_failed', `The target database connection was lost: ${message}`, true);
  // Lock wait timeout, deadlock, too many connections: worth another attempt; anything else needs a person.
  const retryable = errno === 1205 || errno === 1213 || errno === 1040;
  return new SyncError('target_write_failed', `The target database failed the write: ${message}`, retryable);
}
