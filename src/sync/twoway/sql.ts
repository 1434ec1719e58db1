import type { Queryable } from '../../core/db/port.js';
import type { Link, Values } from './reconcile.js';

/** A stream's links, all of them (a full read of a side compares against every one) or those of the given ids. */
export async function loadLinks(
  q: Queryable,
  configId: string,
  stream: string,
  ids?: { a: string[]; b: string[] },
): Promise<Link[]> {
  const { rows } = await q.query<Link>(
    ids
      ? `select a_id, b_id, a_values, b_values from sync_links
         where config_id = $1 and stream = $2 and (a_id = any($3) or b_id = any($4))`
      : 'select a_id, b_id, a_values, b_values from sync_links where config_id = $1 and stream = $2',
    ids ? [configId, stream, ids.a, ids.b] : [configId, stream],
  );
  return rows;
}

/** Store links as they are after writes that committed (one statement for many). */
export async function saveLinks(q: Queryable, configId: string, stream: string, links: Link[]): Promise<void> {
  if (links.length === 0) return;
  await q.query(
    `insert into sync_links (config_id, stream, a_id, b_id, a_values, b_values)
     select $1, $2, l.a_id, l.b_id, l.a_values, l.b_values
     from jsonb_to_recordset($3::jsonb) as l(a_id text, b_id text, a_values jsonb, b_values jsonb)
     on conflict (config_id, stream, a_id) do update set b_id = excluded.b_id, a_values = excluded.a_values,
       b_values = excluded.b_values, updated_at = now()`,
    [configId, stream, JSON.stringify(links)],
  );
}

export async function deleteLinks(q: Queryable, configId: string, stream: string, aIds: string[]): Promise<void> {
  if (aIds.length === 0) return;
  await q.query('delete from sync_links where config_id = $1 and stream = $2 and a_id = any($3)', [
    configId,
    stream,
    aIds,
  ]);
}

export type ConflictRow = {
  id: string;
  tenant_id: string;
  config_id: string;
  stream: string;
  a_id: string;
  b_id: string;
  fields: { field: string; a: unknown; b: unknown; base: unknown }[];
  state: 'open' | 'resolved' | 'applied';
  resolution: { take: 'a' | 'b' | 'values'; values?: Values } | null;
  execution_id: string | null;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
};

/** Park conflicts in the inbox; a record already waiting keeps its first one. */
export async function insertConflicts(
  q: Queryable,
  rows: Pick<ConflictRow, 'id' | 'tenant_id' | 'config_id' | 'stream' | 'a_id' | 'b_id' | 'fields' | 'execution_id'>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await q.query(
    `insert into sync_conflicts (id, tenant_id, config_id, stream, a_id, b_id, fields, execution_id)
     select c.id, c.tenant_id, c.config_id, c.stream, c.a_id, c.b_id, c.fields, c.execution_id
     from jsonb_to_recordset($1::jsonb) as c(id text, tenant_id text, config_id text, stream text, a_id text,
       b_id text, fields jsonb, execution_id text)
     on conflict (config_id, stream, a_id) where state <> 'applied' do nothing`,
    [JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

/** The conflicts of a stream not yet applied (open ones block their record; resolved ones are written now). */
export async function pendingConflicts(q: Queryable, configId: string, stream: string): Promise<ConflictRow[]> {
  const { rows } = await q.query<ConflictRow>(
    `select * from sync_conflicts where config_id = $1 and stream = $2 and state in ('open', 'resolved')`,
    [configId, stream],
  );
  return rows;
}

export async function markApplied(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`update sync_conflicts set state = 'applied' where id = any($1) and state = 'resolved'`, [ids]);
}

export async function listConflicts(
  q: Queryable,
  tenantId: string,
  options: { configId?: string; state?: string; limit: number; beforeId?: string },
): Promise<(ConflictRow & { sync_name: string })[]> {
  const { rows } = await q.query<ConflictRow & { sync_name: string }>(
    `select c.*, s.name as sync_name from sync_conflicts c join sync_configs s on s.id = c.config_id
     where c.tenant_id = $1 and ($2::text is null or c.config_id = $2) and ($3::text is null or c.state = $3)
       and ($4::text is null or c.id < $4)
     order by c.id desc limit $5`,
    [tenantId, options.configId ?? null, options.state ?? null, options.beforeId ?? null, options.limit + 1],
  );
  return rows;
}

export async function getConflict(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<(ConflictRow & { sync_name: string }) | undefined> {
  const { rows } = await q.query<ConflictRow & { sync_name: string }>(
    `select c.*, s.name as sync_name from sync_conflicts c join sync_configs s on s.id = c.config_id
     where c.tenant_id = $1 and c.id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export async function resolveConflict(
  q: Queryable,
  id: string,
  resolution: NonNullable<ConflictRow['resolution']>,
  by: string,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `update sync_conflicts set state = 'resolved', resolution = $2, resolved_at = now(), resolved_by = $3
     where id = $1 and state = 'open'`,
    [id, JSON.stringify(resolution), by],
  );
  return (rowCount ?? 0) > 0;
}

/** Open conflicts per sync of a tenant (for the list and the dashboard). */
export async function openConflictCounts(q: Queryable, tenantId: string): Promise<Map<string, number>> {
  const { rows } = await q.query<{ config_id: string; n: number }>(
    `select config_id, count(*)::int as n from sync_conflicts where tenant_id = $1 and state = 'open' group by 1`,
    [tenantId],
  );
  return new Map(rows.map((r) => [r.config_id, r.n]));
}
