import type pg from 'pg';
import { SyncError, type SyncRecord, type UndoCounts, type UndoRequest } from '../../engine/types.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../sources/postgres/connect.js';
import {
  columnsOfImage,
  imageOf,
  keyOf,
  keyPrefix,
  oneColumnKey,
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

/**
 * A row's "digest" here is the id of the transaction that wrote its current version (`xmin`): any later change to the
 * row, by anyone, makes a new version with another, so "still as the import left it" is "same xmin". It costs nothing
 * to read, where hashing the row's text would cost more than the upsert. (Freezing keeps a version's xmin readable;
 * a restore from a dump gives rows new ones, and the undo then leaves them, counted as kept.)
 */
const version = (alias: string) => `${alias}.xmin::text`;

/**
 * The row version (`xmin`) of the row with the given key, asked right after a batch copied it straight in: every row
 * of the batch has the same, the id of the (sub)transaction that wrote it. In a run written in one transaction each
 * batch is a savepoint, whose rows carry its own id, not the run's (`txid_current()`), so it is read, not derived.
 */
export function writtenVersion(target: string, key: readonly string[]): string {
  return `select ${version('t')} as xid from ${target} t where ${key.map((k, i) => `t.${quoteIdent(k)} = $${i + 1}`).join(' and ')}`;
}

const integerTypes = new Set(['smallint', 'integer', 'bigint']);
const textTypes = new Set(['text']);
const isTextType = (type: string) => textTypes.has(type) || /^character varying(\(\d+\))?$/.test(type);

/**
 * Whether a table's key can be journaled from the records themselves (a first load copied straight in): integer or
 * text columns, whose values PostgreSQL spells back exactly as given (a number's digits, a string as it is), so the
 * journal's key is the one the staged path would answer for the same row.
 */
export function directKeyTypes(types: readonly string[]): boolean {
  return types.length > 0 && types.every((t) => integerTypes.has(t) || isTextType(t));
}

/**
 * The journal keys of records copied straight in: each key value as the column spells it, or undefined when some
 * value is not one to be taken as it is (a string for an integer column, a fraction, a number for a text column):
 * that batch then goes through the staging table.
 */
export function directKeys(
  records: readonly SyncRecord[] | undefined,
  key: readonly string[],
  types: readonly string[],
): string[] | undefined {
  if (!records) return undefined;
  const out: string[] = [];
  if (key.length === 1) {
    // One column (most keys): keyOf's text, built without an object per record.
    const name = key[0] as string;
    const integer = integerTypes.has(types[0] as string);
    const prefix = keyPrefix(name);
    for (const record of records) {
      const value = record[name];
      if (integer && (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))))
        out.push(oneColumnKey(prefix, String(value)));
      else if (!integer && typeof value === 'string' && !value.includes('\0')) out.push(oneColumnKey(prefix, value));
      else return undefined;
    }
    return out;
  }
  for (const record of records) {
    const image: Record<string, string> = {};
    for (let i = 0; i < key.length; i++) {
      const value = record[key[i] as string];
      const integer = integerTypes.has(types[i] as string);
      if (integer && typeof value === 'bigint') image[key[i] as string] = String(value);
      else if (integer && typeof value === 'number' && Number.isSafeInteger(value))
        image[key[i] as string] = String(value);
      else if (!integer && typeof value === 'string' && !value.includes('\0')) image[key[i] as string] = value;
      else return undefined;
    }
    out.push(keyOf(image, key));
  }
  return out;
}

/** The journal's batch of rows a transaction created, all of one version. */
export function createdBatch(keys: string[], imaged: string[], version: string): JournalBatch {
  return { columns: imaged, keys, priors: [], written: [], writtenBy: version };
}

/** `t.k1 as k0, …`: a row's key columns under positional names. */
function keyColumns(alias: string, key: readonly string[]): string {
  return key.map((k, i) => `${alias}.${quoteIdent(k)} as k${i}`).join(', ');
}

/**
 * A journaled batch's upsert of `stage` into the target, in one statement (one snapshot): per row it inserted or
 * changed, whether it created it, its key (`k0`…, as text), the row before it (from the same snapshot, each staged
 * key looking its row up through the key's index: null when there was none) and the version it wrote. Rows the batch
 * left as they were are not answered, so not kept.
 */
export function journaledUpsert(sql: TargetSql, key: readonly string[], stage: string, imaged: readonly string[]) {
  const same = key.map((_, i) => `b.k${i} = up.k${i}`).join(' and ');
  return (
    `with before as (select ${keyColumns('s', key)}, ` +
    `(select ${imageArray('t', imaged)} from ${sql.target} t where ${sql.keyMatch('t', 's')}) as v from ${stage} s), ` +
    `up as (${sql.upsertReturning(stage, `(xmax = 0) as created, ${keyColumns('t', key)}, ${version('t')} as d`)}) ` +
    `select up.created, ${key.map((_, i) => `up.k${i}::text as k${i}`).join(', ')}, b.v, up.d ` +
    `from up left join before b on ${same}`
  );
}

export type JournaledRow = { created: boolean; v: (string | null)[] | null; d: string } & Record<string, unknown>;

/** The journal's batch from a journaledUpsert's rows. */
export function journalBatch(rows: JournaledRow[], key: readonly string[], imaged: string[]): JournalBatch {
  return {
    columns: imaged,
    keys: rows.map((r) => keyOf(Object.fromEntries(key.map((k, i) => [k, r[`k${i}`] as string])), key)),
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
          `select ${imageArray('t', columns)} as v, ${version('t')} as d from ${target} t ` +
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
