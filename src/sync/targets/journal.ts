import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../core/db/port.js';
import { SyncError, type UndoCounts } from '../engine/types.js';
import { deletedAt, syncedAt } from './sql-table.js';

/**
 * The journal that makes an import into a database table undoable (PostgreSQL, MySQL/MariaDB and SQLite targets),
 * kept in Switchyard's own database (migration 0022) so a target's schema gains nothing.
 *
 * Writing: a batch's transaction on the target reads the rows of its keys (locked, or in the same snapshot, as
 * each engine allows) and upserts; per row it wrote, the journal keeps the row before (none: created) and a digest
 * of the row as written, one journal row per batch (`sync_table_undo_batches`), before the target commits. So a
 * batch committed on the target always has its entries; entries whose batch then failed to commit describe a write
 * that never happened, and the undo sees that (the row is still as it was). Per key the first prior state of a run
 * wins (a resumed or retried batch finds the run's own earlier write), while the written state is the latest: the
 * undo resolves that once (`sync_table_undo`, a row per key) and reads it page by page.
 *
 * Undoing: in one transaction of the target, each key's row is read (locked) and compared with what the run wrote:
 * - still that: the run created it → deleted (removed); it changed it → written back as it was (restored);
 * - as it was before the run (never committed, or put back since): nothing to do, not counted;
 * - anything else (changed or deleted since, by another run or by anyone): left as it is (kept).
 * Tables have no column naming the run that wrote a row, so the whole row is compared (by its digest): every column
 * the run writes and Switchyard's own (`_switchyard_synced_at`, `_switchyard_deleted_at`), which a later sync moves.
 */

/**
 * A row as its database spells it: column → the value's text (null for NULL), in a form the engine reads back into
 * the same value (PostgreSQL's text output, MySQL's text or hex, SQLite's value tagged with its storage class).
 */
export type RowImage = Record<string, string | null>;

export type JournalEntry = {
  /** The key columns' values, in key order. */
  key: RowImage;
  /** The row before the run first wrote it; null: there was none (the run created it). */
  prior: RowImage | null;
  /** The digest of the row as the run last wrote it (digestOf, or the engine's own: see TableUndo.rows). */
  written: string;
  /** The columns the digest covers, in its order. */
  columns: string[];
};

/**
 * What one batch left, as the journal keeps it: per key written, its key (JSON text), the row before (a JSON image,
 * null when the batch created it) and the digest of the row as written, over `columns`. One journal row per batch,
 * so keeping it costs one small statement however many rows the batch wrote. A batch that created every row it
 * wrote, all as one version (PostgreSQL's straight-in copy), says so with `writtenBy` and leaves `priors` and
 * `written` empty.
 */
export type JournalBatch = {
  columns: string[];
  keys: string[];
  priors: (string | null)[];
  written: string[];
  writtenBy?: string;
};

export interface TableJournal {
  /**
   * Keep what a batch found (`before`: the rows of its keys that existed) and left (`after`), in the batch's
   * transaction on the target, before it commits. Rows the batch left as they were are not kept.
   */
  keep(executionId: string, table: string, key: string[], before: RowImage[], after: RowImage[]): Promise<void>;
  /** Keep a batch an engine summarised itself (PostgreSQL: keys, prior images and digests straight from its upsert). */
  keepBatch(executionId: string, table: string, batch: JournalBatch): Promise<void>;
  /** Forget what a run kept for a table (its writes were rolled back). */
  forget(executionId: string, table: string): Promise<void>;
  /** A run's entries for a table, each key once (its first prior state, its last written one), a page at a time. */
  entries(executionId: string, table: string): AsyncIterable<JournalEntry[]>;
}

const PAGE = 1000;

/** The columns a table's journal keeps of a row: those the run writes and Switchyard's own. */
export function journaledColumns(table: { columns: readonly { name: string }[]; hasDeletedAt: boolean }): string[] {
  return [...table.columns.map((c) => c.name), syncedAt, ...(table.hasDeletedAt ? [deletedAt] : [])];
}

/** A row image from a row read as an array of texts, column by column. */
export function imageOf(columns: readonly string[], values: readonly unknown[]): RowImage {
  const image: RowImage = {};
  columns.forEach((name, i) => {
    const value = values[i];
    image[name] = value === null || value === undefined ? null : String(value);
  });
  return image;
}

/** The start of a one-column key's text (`{"id":`), built once for many keys (oneColumnKey). */
export const keyPrefix = (column: string): string => `{${JSON.stringify(column)}:`;

/** keyOf's text for a one-column key, from the column's keyPrefix and the value's text. */
export const oneColumnKey = (prefix: string, text: string | null): string => `${prefix}${JSON.stringify(text)}}`;

/** The text of a row's key: its key columns' values, a JSON object in key order (the journal's key). */
export function keyOf(image: RowImage, key: readonly string[]): string {
  // One column (most keys): the same text as the general form, without building an object for it.
  if (key.length === 1) return oneColumnKey(keyPrefix(key[0] as string), image[key[0] as string] ?? null);
  return JSON.stringify(Object.fromEntries(key.map((k) => [k, image[k] ?? null])));
}

/** A row image's digest over `columns` (MySQL, SQLite: computed here when a batch is kept and when it is undone). */
export function digestOf(image: RowImage, columns: readonly string[]): string {
  return createHash('md5')
    .update(JSON.stringify(columns.map((c) => image[c] ?? null)))
    .digest('base64');
}

/** Rows read for an undo, with their digests computed here (see TableUndo.rows). */
export function withDigests(images: RowImage[], columns: readonly string[]): CurrentRow[] {
  return images.map((image) => ({ image, digest: digestOf(image, columns) }));
}

function sameImage(a: RowImage | null, b: RowImage | null): boolean {
  if (a === null || b === null) return a === b;
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => n in b && a[n] === b[n]);
}

export function createTableJournal(db: Db): TableJournal {
  async function keepBatch(executionId: string, table: string, batch: JournalBatch): Promise<void> {
    if (batch.keys.length === 0) return;
    try {
      await db.query(
        // The arrays go as text[] parameters: the server reads a 10,000-key array literal in about a third of the
        // time it took to unpack the same keys from a JSON text (jsonb_array_elements_text, kept in order), and the
        // literal's escaping here costs little more than the JSON's.
        `insert into sync_table_undo_batches (execution_id, target_table, columns, keys, priors, written, written_by)
         values ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7)`,
        [
          executionId,
          table,
          JSON.stringify(batch.columns),
          batch.keys,
          batch.priors,
          batch.written,
          batch.writtenBy ?? null,
        ],
      );
    } catch (error) {
      // Not the target's error: the batch is rolled back there and the run may try it again.
      throw new SyncError(
        'journal_failed',
        `What the import changed could not be kept for its undo: ${(error as Error).message}`,
        true,
      );
    }
  }

  return {
    keepBatch,

    async forget(executionId, table) {
      await db.query('delete from sync_table_undo_batches where execution_id = $1 and target_table = $2', [
        executionId,
        table,
      ]);
    },

    async keep(executionId, table, key, before, after) {
      const prior = new Map(before.map((row) => [keyOf(row, key), row]));
      const columns = Object.keys(after[0] ?? {});
      const batch: JournalBatch = { columns, keys: [], priors: [], written: [] };
      for (const row of after) {
        const k = keyOf(row, key);
        const was = prior.get(k) ?? null;
        if (sameImage(was, row)) continue;
        batch.keys.push(k);
        batch.priors.push(was && JSON.stringify(was));
        batch.written.push(digestOf(row, columns));
      }
      await keepBatch(executionId, table, batch);
    },

    async *entries(executionId, table) {
      // Batches are kept as they come (a resumed run may keep a key twice); the undo reads each key once: the prior
      // state of the batch that wrote it first, the digest of the one that wrote it last. Resolved here, once.
      await db.transaction(async (tx) => {
        await tx.query('delete from sync_table_undo where execution_id = $1 and target_table = $2', [
          executionId,
          table,
        ]);
        await tx.query(
          `insert into sync_table_undo (execution_id, target_table, key, prior, written, columns)
           select $1, $2, u.key, (array_agg(u.prior order by b.seq))[1], (array_agg(coalesce(u.written, b.written_by) order by b.seq desc))[1],
             (array_agg(b.columns order by b.seq desc))[1]
             from sync_table_undo_batches b cross join lateral unnest(b.keys, b.priors, b.written) as u (key, prior, written)
            where b.execution_id = $1 and b.target_table = $2
            group by u.key`,
          [executionId, table],
        );
      });
      let after = '';
      for (;;) {
        const { rows } = await db.query<{ key: string; prior: string | null; written: string; columns: string }>(
          `select key, prior, written, columns from sync_table_undo
            where execution_id = $1 and target_table = $2 and key > $3 order by key limit ${PAGE}`,
          [executionId, table, after],
        );
        if (rows.length === 0) return;
        yield rows.map((r) => ({
          key: JSON.parse(r.key) as RowImage,
          prior: r.prior === null ? null : (JSON.parse(r.prior) as RowImage),
          written: r.written,
          columns: JSON.parse(r.columns) as string[],
        }));
        after = (rows.at(-1) as { key: string }).key;
      }
    },
  };
}

/** Whether a run kept any journal entry (a run into a table before its journal existed kept none). */
export async function journalKept(q: Queryable, executionId: string): Promise<boolean> {
  const { rowCount } = await q.query('select 1 from sync_table_undo_batches where execution_id = $1 limit 1', [
    executionId,
  ]);
  return rowCount > 0;
}

/** Drop a run's journal, once it was undone. */
export async function dropJournal(q: Queryable, executionId: string): Promise<void> {
  await q.query('delete from sync_table_undo_batches where execution_id = $1', [executionId]);
  await q.query('delete from sync_table_undo where execution_id = $1', [executionId]);
}

/** A row as the table has it now, with the digest its engine computes the way it computed the written one. */
export type CurrentRow = { image: RowImage; digest: string };

/** What an engine does for an undo, inside its transaction on the target. */
export type TableUndo = {
  /** The rows of these keys as the table has them now (these columns, digested over them), locked until it ends. */
  rows(keys: RowImage[], columns: string[]): Promise<CurrentRow[]>;
  /** Delete the rows of these keys. */
  remove(keys: RowImage[]): Promise<void>;
  /** Write these rows' values (every column of each image) over the rows with their keys. */
  restore(rows: RowImage[], key: string[]): Promise<void>;
};

/** Undo a run's writes to a table, page by page of its journal, through the engine's statements (see above). */
export async function undoJournal(
  journal: TableJournal,
  request: { executionId: string; name: string },
  engine: TableUndo,
): Promise<UndoCounts> {
  const counts: UndoCounts = { removed: 0, restored: 0, kept: 0 };
  for await (const page of journal.entries(request.executionId, request.name)) {
    const key = Object.keys((page[0] as JournalEntry).key);
    // Entries are digested over the columns their batch wrote: one read per column set (one, unless the table
    // changed while the run was resumed).
    const bySet = new Map<string, JournalEntry[]>();
    for (const entry of page) {
      const set = JSON.stringify(entry.columns);
      const entries = bySet.get(set);
      if (entries) entries.push(entry);
      else bySet.set(set, [entry]);
    }
    const remove: RowImage[] = [];
    const restore: RowImage[] = [];
    for (const entries of bySet.values()) {
      const found = await engine.rows(
        entries.map((e) => e.key),
        (entries[0] as JournalEntry).columns,
      );
      const now = new Map(found.map((row) => [keyOf(row.image, key), row]));
      for (const entry of entries) {
        const current = now.get(keyOf(entry.key, key));
        if (current?.digest === entry.written) {
          if (entry.prior === null) remove.push(entry.key);
          else restore.push(entry.prior);
        } else if (!sameImage(current?.image ?? null, entry.prior)) counts.kept++;
      }
    }
    if (remove.length > 0) await engine.remove(remove);
    if (restore.length > 0) await engine.restore(restore, key);
    counts.removed += remove.length;
    counts.restored += restore.length;
  }
  return counts;
}

/** The columns of a table an image names, as the table has them now; an image naming one it lost cannot be undone. */
export function columnsOfImage<C extends { name: string }>(table: string, columns: readonly C[], names: string[]): C[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0)
    throw new SyncError(
      'target_columns_missing',
      `The table ${table} no longer has the column(s) ${missing.map((m) => `"${m}"`).join(', ')} the import wrote; it cannot be undone.`,
    );
  return names.map((n) => byName.get(n) as C);
}
