import mysql from 'mysql2/promise';
import { SyncError, type UndoCounts, type UndoRequest } from '../../engine/types.js';
import { quoteIdent } from '../../sources/mysql/connect.js';
import { holdsBytes, isNumeric, type MysqlColumn } from '../../sources/mysql/values.js';
import { columnsOfImage, imageOf, undoJournal, withDigests, type RowImage, type TableJournal } from '../journal.js';
import { tuplesIn } from './sql.js';
import { findTable } from './table.js';

/**
 * A MySQL or MariaDB table's part in the import journal (targets/journal.ts). A row's image is each column's text in
 * utf8mb4 (DECIMAL and DATETIME exactly, times in the session's UTC), or its hex for bytes (binary strings, BITs,
 * spatial values); written back as a literal the column reads into the same value: hex as `x'…'`, numbers bare
 * (so a key compares exactly, not through a double), the rest quoted.
 */

const numberText = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const hexText = /^[0-9a-f]*$/i;

/** The select list of a row's image, column by column. */
export function imageSelect(alias: string, columns: readonly MysqlColumn[]): string {
  return columns
    .map((c) => {
      const ref = `${alias}.${quoteIdent(c.name)}`;
      return holdsBytes(c) ? `hex(${ref})` : `cast(${ref} as char character set utf8mb4)`;
    })
    .join(', ');
}

/** An image's text as a literal of its column. */
export function textLiteral(column: MysqlColumn, text: string | null): string {
  if (text === null) return 'null';
  if (holdsBytes(column) && hexText.test(text)) return `x'${text}'`;
  if (isNumeric(column) && numberText.test(text)) return text;
  return mysql.escape(text);
}

/** Images of the rows a query answers, its select list an imageSelect of `columns`. */
export async function readImages(
  db: mysql.Connection,
  columns: readonly MysqlColumn[],
  sql: string,
): Promise<RowImage[]> {
  const [rows] = await db.query<mysql.RowDataPacket[][]>({ sql, rowsAsArray: true });
  const names = columns.map((c) => c.name);
  return rows.map((row) => imageOf(names, row));
}

/** Undo a run's writes to a table in one transaction, its rows locked as they are read (FOR UPDATE). */
export async function undoTable(
  db: mysql.Connection,
  journal: TableJournal,
  request: UndoRequest,
): Promise<UndoCounts> {
  const relation = await findTable(db, request.name);
  if (!relation || relation.kind !== 'table')
    throw new SyncError(
      'target_table_missing',
      `The table ${request.name} no longer exists; the import cannot be undone.`,
    );
  const target = quoteIdent(relation.name);
  const typed = (names: string[]) => columnsOfImage(relation.name, relation.columns, names);
  const keysIn = (keys: RowImage[]) => {
    const columns = typed(Object.keys(keys[0] as RowImage));
    return tuplesIn(
      'x',
      columns,
      keys.map((k) => columns.map((c) => textLiteral(c, k[c.name] ?? null))),
    );
  };
  await db.query('start transaction');
  try {
    const counts = await undoJournal(journal, request, {
      async rows(keys, names) {
        const columns = typed(names);
        const images = await readImages(
          db,
          columns,
          `select ${imageSelect('x', columns)} from ${target} x where ${keysIn(keys)} for update`,
        );
        return withDigests(images, names);
      },
      async remove(keys) {
        await db.query(`delete x from ${target} x where ${keysIn(keys)}`);
      },
      async restore(rows, key) {
        const columns = typed(Object.keys(rows[0] as RowImage));
        const set = columns.filter((c) => !key.includes(c.name));
        const keyed = typed(key);
        for (const row of rows) {
          const values = set.map((c) => `x.${quoteIdent(c.name)} = ${textLiteral(c, row[c.name] ?? null)}`);
          const match = keyed.map((c) => `x.${quoteIdent(c.name)} = ${textLiteral(c, row[c.name] ?? null)}`);
          await db.query(`update ${target} x set ${values.join(', ')} where ${match.join(' and ')}`);
        }
      },
    });
    await db.query('commit');
    return counts;
  } catch (error) {
    await db.query('rollback').catch(() => {});
    throw error;
  }
}
