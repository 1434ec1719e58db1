import { qualifiedName, quoteIdent } from '../../sources/postgres/connect.js';
import { deletedAt, syncedAt, type TargetTable } from './table.js';

/**
 * The statements a PostgreSQL target runs, built once per writer from the target table's columns. Every identifier
 * is quoted; values only ever travel through COPY or parameters.
 */

/** Types without an equality operator compare as text (json has none; xml and the geometric types neither). */
const textCompared = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

export type TargetSql = {
  target: string;
  columnList: string;
  keyList: string;
  /** `t.k1 = s.k1 and …` for a target row `t` and another row `s`. */
  keyMatch(t: string, s: string): string;
  /** Some column of `a` differs from the same column of `b`. */
  differs(a: string, b: string): string;
  /**
   * Upsert every row of `from` into the target, counting: `created` rows inserted, `written` rows inserted or changed
   * (a row equal to the target, and not soft-deleted there, is left as it is and not returned).
   */
  upsertFrom(from: string): string;
  /** The same upsert answering `returning` (over the target row `t`) for every row it inserted or changed. */
  upsertReturning(from: string, returning: string): string;
  /** The key columns as `unnest($1::type[], …)`, for statements given keys as arrays of text. */
  keysFromArrays: string;
  /** Insert into `into` the rows of a jsonb array given as $1, each column read as the target column's type. */
  insertFromJson(into: string): string;
};

export function targetSql(table: TargetTable): TargetSql {
  const target = qualifiedName(table.schema, table.table);
  const names = table.columns.map((c) => quoteIdent(c.name));
  const columnList = names.join(', ');
  const keyList = table.key.map(quoteIdent).join(', ');
  const keySet = new Set(table.key);
  const compared = (alias: string) =>
    table.columns.map((c) => {
      const ref = `${alias}.${quoteIdent(c.name)}`;
      return textCompared.has(c.typeName) ? `${ref}::text` : ref;
    });
  const differs = (a: string, b: string) => `(${compared(a).join(', ')}) is distinct from (${compared(b).join(', ')})`;
  const updates = [
    ...table.columns
      .filter((c) => !keySet.has(c.name))
      .map((c) => `${quoteIdent(c.name)} = excluded.${quoteIdent(c.name)}`),
    `${quoteIdent(syncedAt)} = excluded.${quoteIdent(syncedAt)}`,
    ...(table.hasDeletedAt ? [`${quoteIdent(deletedAt)} = null`] : []),
  ];
  const revived = table.hasDeletedAt ? ` or t.${quoteIdent(deletedAt)} is not null` : '';
  const upsert = (from: string) =>
    `insert into ${target} as t (${columnList}, ${quoteIdent(syncedAt)}) select ${columnList}, now() from ${from} ` +
    `on conflict (${keyList}) do update set ${updates.join(', ')} where ${differs('t', 'excluded')}${revived}`;
  const keyTypes = table.key.map((k) => table.columns.find((c) => c.name === k)?.typeName ?? 'text');
  return {
    target,
    columnList,
    keyList,
    keyMatch: (t, s) => table.key.map((k) => `${t}.${quoteIdent(k)} = ${s}.${quoteIdent(k)}`).join(' and '),
    differs,
    upsertFrom: (from) =>
      `with up as (${upsert(from)} returning (xmax = 0) as created) ` +
      `select (count(*) filter (where created))::int as created, count(*)::int as written from up`,
    upsertReturning: (from, returning) => `${upsert(from)} returning ${returning}`,
    keysFromArrays: `select * from unnest(${keyTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
    insertFromJson: (into) =>
      `insert into ${into} (${columnList}) select ${columnList} from jsonb_to_recordset($1::jsonb) ` +
      `as r(${table.columns.map((c) => `${quoteIdent(c.name)} ${c.typeName}`).join(', ')})`,
  };
}
