import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import {
  SyncError,
  type DeletionPolicy,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type WriteOutcome,
  type WriteRequest,
} from '../../engine/types.js';
import { quoteIdent } from '../../sources/sqlite/read.js';
import { sqliteError } from '../../sources/sqlite/index.js';
import { toParameter } from '../../sources/sqlite/values.js';
import { journaledColumns, type RowImage, type TableJournal } from '../journal.js';
import { lastPerKey } from '../last-per-key.js';
import { readImages } from './journal.js';
import { columnDefinitions, deletedAt, syncedAt, tuplesIn, type TargetTable } from './table.js';

/**
 * Writing a stream's batches into a SQLite table: each batch one IMMEDIATE transaction of multi-row
 * `INSERT … ON CONFLICT (key) DO UPDATE … WHERE <a value differs>`, so a batch is all in or all out and a row sent
 * again unchanged is not touched. Counts: the batch's keys already in the table (counted first, in the same
 * transaction) against the rows the statement changed. A record SQLite refuses (NOT NULL, CHECK, UNIQUE, a STRICT
 * table's type) fails its batch, which is halved down to the records that fail, each rejected with SQLite's message.
 *
 * A run that keeps a journal (an import, not a full refresh) reads the rows of a batch's keys before and after its
 * upsert, inside the batch's IMMEDIATE transaction (no other writer of the file can come between), and keeps both
 * in the journal (targets/journal.ts) before the commit.
 *
 * A full refresh stages the records in a shadow table in the same file and applies it in finish(), in one
 * transaction: upsert into the target, then delete (soft or hard) what the shadow lacks, then drop the shadow. The
 * target is never empty or half-written to a reader. It is applied in place rather than swapped by renaming: SQLite's
 * ALTER TABLE … RENAME rewrites the views and triggers that name the table, so a swap would leave them on the old one.
 */

/** Bound parameters per statement, under SQLite's default limit of 32,766. */
const maxParameters = 30_000;

function isRecordError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG')
  );
}

export function shadowName(table: string, executionId: string): string {
  const digest = createHash('sha256').update(`${table}\u0000${executionId}`).digest('hex');
  return `_switchyard_shadow_${digest.slice(0, 24)}`;
}

export function openWriter(
  db: SqliteDatabase,
  table: TargetTable,
  request: WriteRequest,
  shadow: string | undefined,
  journal?: TableJournal,
): StreamWriter {
  const t = quoteIdent(table.name);
  const journaled = journal && request.journal === true && !shadow ? journal : undefined;
  // The whole run in one IMMEDIATE transaction (WriteRequest.atomic; a full refresh has its shadow): each batch a
  // savepoint in it. The file's write lock is held until the run ends.
  const atomic = request.atomic === true && !shadow;
  if (atomic) db.exec('begin immediate');
  const imaged = journaledColumns(table);
  const into = shadow ? quoteIdent(shadow) : t;
  const keySet = new Set(table.key);
  const names = table.columns.map((c) => quoteIdent(c.name));
  const nonKey = table.columns.filter((c) => !keySet.has(c.name)).map((c) => quoteIdent(c.name));
  const keyColumns = table.key.map((k) => table.columns.find((c) => c.name === k) as TargetTable['columns'][number]);
  const keyList = keyColumns.map((c) => quoteIdent(c.name)).join(', ');
  const synced = quoteIdent(syncedAt);
  const deleted = quoteIdent(deletedAt);
  const rowsPerStatement = Math.max(1, Math.floor(maxParameters / (names.length + 1)));
  const differs = (a: string, b: string) =>
    nonKey.length === 0
      ? 'false'
      : `(${nonKey.map((n) => `${a}.${n}`).join(', ')}) is not (${nonKey.map((n) => `${b}.${n}`).join(', ')})`;
  const revived = (a: string) => (table.hasDeletedAt ? ` or ${a}.${deleted} is not null` : '');
  const updates = [
    ...nonKey.map((n) => `${n} = excluded.${n}`),
    `${synced} = excluded.${synced}`,
    ...(table.hasDeletedAt ? [`${deleted} = null`] : []),
  ].join(', ');
  const onConflict = (target: string) =>
    `on conflict (${keyList}) do update set ${updates} where ${differs(target, 'excluded')}${revived(target)}`;
  const keyMatch = (a: string, b: string) =>
    keyColumns.map((c) => `${a}.${quoteIdent(c.name)} = ${b}.${quoteIdent(c.name)}`).join(' and ');
  const keysIn = (alias: string, records: readonly SyncRecord[]) =>
    tuplesIn(
      alias,
      keyColumns,
      records.map((r) => keyColumns.map((c) => toParameter(c, r[c.name]))),
    );
  const count = (sql: string, params: unknown[]) =>
    Number(
      (db
        .prepare(sql)
        .pluck()
        .get(...params) as bigint | null) ?? 0,
    );

  function upsertChunk(records: SyncRecord[], now: string): { created: number; updated: number } {
    const keys = keysIn('x', records);
    const existing = shadow ? 0 : count(`select count(*) from ${t} x where ${keys.sql}`, keys.params);
    const placeholders = `(${[...names, synced].map(() => '?').join(', ')})`;
    const params = records.flatMap((r) => [...table.columns.map((c) => toParameter(c, r[c.name])), now]);
    const { changes } = db
      .prepare(
        `insert into ${into} (${[...names, synced].join(', ')}) values ${records.map(() => placeholders).join(', ')} ${onConflict(into)}`,
      )
      .run(...params);
    if (!shadow) return { created: records.length - existing, updated: changes - (records.length - existing) };
    // A full refresh's batch, now in the shadow, counted against the target: new keys, changed or revived rows.
    const against = keysIn('s', records);
    const row = db
      .prepare(
        `select coalesce(sum(t.${quoteIdent(table.key[0] as string)} is null), 0) as created, ` +
          `coalesce(sum(t.${quoteIdent(table.key[0] as string)} is not null and (${differs('s', 't')}${revived('t')})), 0) as updated ` +
          `from ${into} s left join ${t} t on ${keyMatch('s', 't')} where ${against.sql}`,
      )
      .get(...against.params) as { created: bigint; updated: bigint };
    return { created: Number(row.created), updated: Number(row.updated) };
  }

  /** The rows of these records' keys, as journal images. */
  function images(records: SyncRecord[]): RowImage[] {
    const found: RowImage[] = [];
    for (let from = 0; from < records.length; from += rowsPerStatement)
      found.push(...readImages(db, table.name, imaged, keysIn('x', records.slice(from, from + rowsPerStatement))));
    return found;
  }

  /**
   * One IMMEDIATE transaction (the file's write lock, taken at its start), or a savepoint in the run's one
   * (WriteRequest.atomic): a journaled batch awaits the journal.
   */
  async function applyBatch(records: SyncRecord[]): Promise<{ created: number; updated: number }> {
    db.exec(atomic ? 'savepoint batch' : 'begin immediate');
    try {
      const before = journaled ? images(records) : [];
      const now = new Date().toISOString();
      let created = 0;
      let updated = 0;
      for (let from = 0; from < records.length; from += rowsPerStatement) {
        const counts = upsertChunk(records.slice(from, from + rowsPerStatement), now);
        created += counts.created;
        updated += counts.updated;
      }
      if (journaled) await journaled.keep(request.executionId, request.name, table.key, before, images(records));
      db.exec(atomic ? 'release batch' : 'commit');
      return { created, updated };
    } catch (error) {
      if (atomic && db.inTransaction) db.exec('rollback to batch; release batch');
      else if (db.inTransaction) db.exec('rollback');
      throw error;
    }
  }

  async function writeIsolating(records: SyncRecord[]): Promise<WriteOutcome> {
    try {
      const { created, updated } = await applyBatch(records);
      return { created, updated, unchanged: records.length - created - updated, rejected: [] };
    } catch (error) {
      if (!isRecordError(error)) throw sqliteError(error, 'target');
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

  const applyShadow = db.transaction((deletion: DeletionPolicy) => {
    const s = into;
    const absent = `not exists (select 1 from ${s} s where ${keyMatch('s', 't')})`;
    let removed = 0;
    if (deletion.mode !== 'none') {
      const live = deletion.mode === 'soft' ? `where t.${deleted} is null` : '';
      const row = db
        .prepare(`select count(*) as total, coalesce(sum(${absent}), 0) as missing from ${t} t ${live}`)
        .get() as { total: bigint; missing: bigint };
      const total = Number(row.total);
      removed = Number(row.missing);
      if (total > 0 && removed / total > deletion.maxDeleteShare)
        throw new SyncError(
          'delete_threshold_exceeded',
          `The full refresh would delete ${removed} of ${total} rows of ${table.name} ` +
            `(${percent(removed / total)}, more than the ${percent(deletion.maxDeleteShare)} allowed); nothing was changed.`,
        );
    }
    const columns = [...names, synced].join(', ');
    db.prepare(`insert into ${t} (${columns}) select ${columns} from ${s} where true ${onConflict(t)}`).run();
    if (deletion.mode === 'soft')
      db.prepare(`update ${t} as t set ${deleted} = ? where t.${deleted} is null and ${absent}`).run(
        new Date().toISOString(),
      );
    else if (deletion.mode === 'hard') db.prepare(`delete from ${t} as t where ${absent}`).run();
    db.exec(`drop table ${s}`);
    return { deleted: removed };
  });

  let closed = false;
  const end = () => {
    if (closed) return;
    closed = true;
    db.close();
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
      if (keys.length === 0 || (!shadow && request.deletion.mode === 'none')) return 0;
      try {
        let total = 0;
        for (let from = 0; from < keys.length; from += rowsPerStatement) {
          const where = keysIn('x', keys.slice(from, from + rowsPerStatement));
          if (shadow) {
            // Not in the shadow, so finish() deletes it as the policy says (and counts it there).
            db.prepare(`delete from ${into} as x where ${where.sql}`).run(...where.params);
            continue;
          }
          const statement =
            request.deletion.mode === 'soft'
              ? db.prepare(`update ${t} as x set ${deleted} = ? where x.${deleted} is null and ${where.sql}`)
              : db.prepare(`delete from ${t} as x where ${where.sql}`);
          const params = request.deletion.mode === 'soft' ? [new Date().toISOString(), ...where.params] : where.params;
          total += statement.run(...params).changes;
        }
        return total;
      } catch (error) {
        throw sqliteError(error, 'target');
      }
    },

    async finish() {
      try {
        const result = shadow ? applyShadow.immediate(request.deletion) : { deleted: 0 };
        if (atomic) db.exec('commit');
        end();
        return result;
      } catch (error) {
        // Left open for the runner's abort, which ends it (dropping the shadow when the run is over).
        throw sqliteError(error, 'target');
      }
    },

    async abort(options) {
      // A full refresh's shadow stays for a resumed run (same execution id), unless the run ended for good.
      if (options?.final && shadow && !closed) {
        try {
          if (db.inTransaction) db.exec('rollback');
          db.exec(`drop table if exists ${quoteIdent(shadow)}`);
        } catch {
          // The handle is unusable; the shadow stays, as after a crash.
        }
      }
      if (atomic && !closed) {
        // Nothing of the run is kept (closing the handle rolls it back too), so neither is its journal.
        try {
          if (db.inTransaction) db.exec('rollback');
        } catch {
          // The handle is unusable; closing it below ends the transaction.
        }
        await journaled?.forget(request.executionId, request.name).catch(() => {});
      }
      end();
    },
  };
}

/** Create a full refresh's shadow when this execution has none yet: the written columns, as the target types them. */
export function ensureShadow(db: SqliteDatabase, table: TargetTable, shadow: string): void {
  const columns = table.columns.map((c) => ({ name: c.name, type: c.typeName }));
  db.exec(`create table if not exists ${quoteIdent(shadow)} (${columnDefinitions(columns, table.key).join(', ')})`);
}

function rejection(record: SyncRecord, error: unknown): Rejected {
  return { record, reason: (error as Error).message };
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
