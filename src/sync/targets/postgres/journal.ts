import type pg from 'pg';
import { SyncError, type UndoCounts, type UndoRequest } from '../../engine/types.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../sources/postgres/connect.js';
import { columnsOfImage, imageOf, undoJournal, type RowImage, type TableJournal } from '../journal.js';
import { findTable } from './table.js';

/**
 * A PostgreSQL table's part in the import journal (targets/journal.ts). A row's image is each column's text output
 * (`::text`), which the column's type reads back into the same value (`::type`): exact for every type, json's
 * spacing included, under the session settings every sync connection has (UTC, ISO dates).
 */

/** `array[t.c1::text, …]`: a row's image as a text array, in the order of `columns`. */
export function imageArray(alias: string, columns: readonly string[]): string {
  return `array[${columns.map((c) => `${alias}.${quoteIdent(c)}::text`).join(', ')}]::text[]`;
}

/** Images of the rows a query answers as `v` (an imageArray). */
export async function readImages(
  client: pg.Client,
  columns: readonly string[],
  sql: string,
  params: unknown[] = [],
): Promise<RowImage[]> {
  const { rows } = await client.query<{ v: (string | null)[] }>(sql, params);
  return rows.map((r) => imageOf(columns, r.v));
}

/**
 * Undo a run's writes to `schema.name` in one transaction (the rows are locked as they are read, so nothing changes
 * them between the comparison and the write). Values travel as a jsonb array of images, each text cast to its
 * column's type as the table has it now.
 */
export async function undoTable(
  client: pg.Client,
  schema: string,
  journal: TableJournal,
  request: UndoRequest,
): Promise<UndoCounts> {
  const relation = await findTable(client, schema, request.name);
  const name = `${schema}.${request.name}`;
  if (!relation || relation.kind !== 'table')
    throw new SyncError('target_table_missing', `The table ${name} no longer exists; the import cannot be undone.`);
  const target = qualifiedName(relation.schema, relation.table);
  const typed = (names: string[]) => columnsOfImage(name, relation.columns, names);
  const value = (alias: string, c: { name: string; typeName: string }) =>
    `(${alias} ->> ${quoteLiteral(c.name)})::${c.typeName}`;
  const keysIn = (key: string[]) => {
    const columns = typed(key);
    return (
      `(${columns.map((c) => `t.${quoteIdent(c.name)}`).join(', ')}) in ` +
      `(select ${columns.map((c) => value('k', c)).join(', ')} from jsonb_array_elements($1::jsonb) k)`
    );
  };
  await client.query('begin');
  try {
    const counts = await undoJournal(journal, request, {
      async rows(keys, columns) {
        typed(columns);
        const where = keysIn(Object.keys(keys[0] as RowImage));
        return readImages(
          client,
          columns,
          `select ${imageArray('t', columns)} as v from ${target} t where ${where} for update`,
          [JSON.stringify(keys)],
        );
      },
      async remove(keys) {
        await client.query(`delete from ${target} t where ${keysIn(Object.keys(keys[0] as RowImage))}`, [
          JSON.stringify(keys),
        ]);
      },
      async restore(rows, key) {
        const columns = typed(Object.keys(rows[0] as RowImage));
        const set = columns.filter((c) => !key.includes(c.name)).map((c) => `${quoteIdent(c.name)} = ${value('r', c)}`);
        const match = typed(key).map((c) => `t.${quoteIdent(c.name)} = ${value('r', c)}`);
        if (set.length === 0) return;
        await client.query(
          `update ${target} t set ${set.join(', ')} from jsonb_array_elements($1::jsonb) r where ${match.join(' and ')}`,
          [JSON.stringify(rows)],
        );
      },
    });
    await client.query('commit');
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}
