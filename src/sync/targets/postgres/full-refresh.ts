import type pg from 'pg';
import { SyncError, type DeletionPolicy } from '../../engine/types.js';
import { quoteIdent } from '../../sources/postgres/connect.js';
import { targetSql } from './sql.js';
import { deletedAt, type TargetTable } from './table.js';

/**
 * A full refresh stages every record in a shadow table and touches the target only at the end, in one transaction,
 * so a reader never sees it empty or half-written. The shadow is a regular (logged) table named from the execution
 * id (writer.ts `shadowName`): a run killed mid-way and resumed with the same execution id keeps filling it from its
 * last checkpoint, even across a restart of the database server.
 */

/** Create the shadow when this execution has none yet: the target's columns, NOT NULL and CHECK constraints, key. */
export async function ensureShadow(client: pg.Client, table: TargetTable, shadow: string, executionId: string) {
  const { rows } = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [shadow]);
  if (rows[0]?.exists) return;
  const sql = targetSql(table);
  await client.query('begin');
  try {
    await client.query(`create table ${shadow} (like ${sql.target} including defaults including constraints)`);
    await client.query(`alter table ${shadow} add primary key (${sql.keyList})`);
    const note = `Switchyard full refresh of ${table.schema}.${table.table}, execution ${executionId}; dropped when it ends`;
    await client.query(`comment on table ${shadow} is ${quoteLiteral(note)}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/**
 * Apply the shadow: upsert it into the target, then delete (soft or hard, as the policy says) the target rows the
 * shadow lacks, then drop the shadow; all in one transaction, after locking the target against other writers. The
 * deletion is measured first: when it would remove more than `maxDeleteShare` of the target's live rows, nothing is
 * applied and the run stops with `delete_threshold_exceeded` (the shadow stays, for a person to look at).
 */
export async function applyShadow(
  client: pg.Client,
  table: TargetTable,
  shadow: string,
  deletion: DeletionPolicy,
): Promise<{ deleted: number }> {
  const sql = targetSql(table);
  const live = deletion.mode === 'soft' ? `where t.${quoteIdent(deletedAt)} is null` : '';
  const absent = `not exists (select 1 from ${shadow} s where ${sql.keyMatch('s', 't')})`;
  await client.query('begin');
  try {
    await client.query(`lock table ${sql.target} in share row exclusive mode`);
    let deleted = 0;
    if (deletion.mode !== 'none') {
      const { rows } = await client.query<{ total: string; missing: string }>(
        `select count(*) as total, count(*) filter (where ${absent}) as missing from ${sql.target} t ${live}`,
      );
      const total = Number(rows[0]?.total ?? 0);
      deleted = Number(rows[0]?.missing ?? 0);
      if (total > 0 && deleted / total > deletion.maxDeleteShare)
        throw new SyncError(
          'delete_threshold_exceeded',
          `The full refresh would delete ${deleted} of ${total} rows of ${table.schema}.${table.table} ` +
            `(${percent(deleted / total)}, more than the ${percent(deletion.maxDeleteShare)} allowed); nothing was changed.`,
        );
    }
    await client.query(sql.upsertFrom(shadow));
    if (deletion.mode === 'soft')
      await client.query(
        `update ${sql.target} t set ${quoteIdent(deletedAt)} = now() where t.${quoteIdent(deletedAt)} is null and ${absent}`,
      );
    else if (deletion.mode === 'hard') await client.query(`delete from ${sql.target} t where ${absent}`);
    await client.query(`drop table ${shadow}`);
    await client.query('commit');
    return { deleted };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
