import type { SqliteDatabase } from '../../../connections/sqlite-driver.js';
import { SyncError, type UndoCounts, type UndoRequest } from '../../engine/types.js';
import { quoteIdent } from '../../sources/sqlite/read.js';
import { columnsOfImage, imageOf, undoJournal, withDigests, type RowImage, type TableJournal } from '../journal.js';
import { findTable, tuplesIn } from './table.js';

/**
 * A SQLite table's part in the import journal (targets/journal.ts). SQLite types values, not columns, so a row's
 * image keeps each value with its storage class (`i:` integer, `r:` real, `t:` text, `b:` blob as base64) and binds
 * it back as that class: the row is restored as it was, types included.
 */

/** A value as SQLite gave it (integers as BigInt), as image text. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return `i:${value}`;
  if (typeof value === 'number') return `r:${Object.is(value, -0) ? '-0' : String(value)}`;
  if (Buffer.isBuffer(value)) return `b:${value.toString('base64')}`;
  return `t:${String(value)}`;
}

/** Image text as the value to bind. */
export function textValue(text: string | null): unknown {
  if (text === null) return null;
  const body = text.slice(2);
  switch (text.slice(0, 2)) {
    case 'i:':
      return BigInt(body);
    case 'r:':
      return Number(body);
    case 'b:':
      return Buffer.from(body, 'base64');
    default:
      return body;
  }
}

/** Images of the rows of `table` (an alias `x`) a condition selects, their columns `names`. */
export function readImages(
  db: SqliteDatabase,
  table: string,
  names: readonly string[],
  where: { sql: string; params: unknown[] },
): RowImage[] {
  const rows = db
    .prepare(`select ${names.map(quoteIdent).join(', ')} from ${quoteIdent(table)} x where ${where.sql}`)
    .raw()
    .all(...where.params) as unknown[][];
  return rows.map((row) => imageOf(names, row.map(valueText)));
}

/** Undo a run's writes to a table in one IMMEDIATE transaction (the file's write lock held throughout). */
export async function undoTable(db: SqliteDatabase, journal: TableJournal, request: UndoRequest): Promise<UndoCounts> {
  const relation = findTable(db, request.name);
  if (!relation || relation.kind !== 'table')
    throw new SyncError(
      'target_table_missing',
      `The table ${request.name} no longer exists; the import cannot be undone.`,
    );
  const typed = (names: string[]) => columnsOfImage(relation.name, relation.columns, names);
  const keysIn = (keys: RowImage[]) => {
    const columns = typed(Object.keys(keys[0] as RowImage));
    return tuplesIn(
      'x',
      columns,
      keys.map((k) => columns.map((c) => textValue(k[c.name] ?? null))),
    );
  };
  const t = quoteIdent(relation.name);
  db.exec('begin immediate');
  try {
    const counts = await undoJournal(journal, request, {
      async rows(keys, names) {
        typed(names);
        return withDigests(readImages(db, relation.name, names, keysIn(keys)), names);
      },
      async remove(keys) {
        const where = keysIn(keys);
        db.prepare(`delete from ${t} as x where ${where.sql}`).run(...where.params);
      },
      async restore(rows, key) {
        const set = typed(Object.keys(rows[0] as RowImage)).filter((c) => !key.includes(c.name));
        const update = db.prepare(
          `update ${t} set ${set.map((c) => `${quoteIdent(c.name)} = ?`).join(', ')} ` +
            `where ${key.map((k) => `${quoteIdent(k)} = ?`).join(' and ')}`,
        );
        for (const row of rows)
          update.run(...[...set.map((c) => c.name), ...key].map((name) => textValue(row[name] ?? null)));
      },
    });
    db.exec('commit');
    return counts;
  } catch (error) {
    if (db.inTransaction) db.exec('rollback');
    throw error;
  }
}
