import type pg from 'pg';
import { SyncError, type UndoCounts, type UndoRequest } from '../../engine/types.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../sources/postgres/connect.js';
import {
  columnsOfImage,
  imageOf,
  undoJournal,
  type JournalBatch,
  type RowImage,
  type TableJournal,
} from '../journal.js';
import type { TargetSql } from './sql.js';
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

/** A row's digest, computed by the server over its image (the same expression when a batch is kept and undone). */
export function imageDigest(alias: string, columns: readonly string[]): string {
  return `md5(${imageArray(alias, columns)}::text)`;
}

/** `json_build_object('k1', t.k1::text, …)::text`: a row's key as the journal keeps it. */
function keyJson(alias: string, key: readonly string[]): string {
  return `json_build_object(${key.map((k) => `${quoteLiteral(k)}, ${alias}.${quoteIdent(k)}::text`).join(', ')})::text`;
}

/**
 * A journaled batch's upsert of `stage` into the target, in one statement (one snapshot): per row it inserted or
 * changed, whether it created it, its key, the row before it (from the same snapshot: null when there was none) and
 * the digest of the row as written. Rows the batch left as they were are not answered, so not kept.
 */
export function journaledUpsert(sql: TargetSql, key: readonly string[], stage: string, imaged: readonly string[]) {
  return (
    // Each staged key looks its row up through the key's index: a join here was planned as a scan of the whole
    // target per batch (the stage has no statistics), which made an import's cost grow with the table.
    `with before as (select ${keyJson('s', key)} as k, ` +
    `(select ${imageArray('t', imaged)} from ${sql.target} t where ${sql.keyMatch('t', 's')}) as v from ${stage} s), ` +
    `up as (${sql.upsertReturning(stage, `(xmax = 0) as created, ${keyJson('t', key)} as k, ${imageDigest('t', imaged)} as d`)}) ` +
    `select up.created, up.k, b.v, up.d from up left join before b on b.k = up.k`
  );
}

export type JournaledRow = { created: boolean; k: string; v: (string | null)[] | null; d: string };

/** The journal's batch from a journaledUpsert's rows. */
export function journalBatch(rows: JournaledRow[], imaged: string[]): JournalBatch {
  return {
    columns: imaged,
    keys: rows.map((r) => r.k),
    priors: rows.map((r) => (r.v ? JSON.stringify(imageOf(imaged, r.v)) : null)),
    written: rows.map((r) => r.d),
  };
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
        const { rows } = await client.query<{ v: (string | null)[]; d: string }>(
          `select ${imageArray('t', columns)} as v, ${imageDigest('t', columns)} as d from ${target} t ` +
            `where ${where} for update`,
          [JSON.stringify(keys)],
        );
        return rows.map((r) => ({ image: imageOf(columns, r.v), digest: r.d }));
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
