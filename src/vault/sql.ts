import type { Queryable } from '../core/db/port.js';

/**
 * Values the platform itself owns (system-level connection credentials) are sealed under a data key with no
 * tenant. The vault names that scope `platform`; in the table it is a NULL tenant_id.
 */
export const PLATFORM_SCOPE = 'platform';
const toColumn = (scope: string) => (scope === PLATFORM_SCOPE ? null : scope);

export type DataKeyWrap = { data_key_id: string; master_key_id: string; wrapped: string };

export async function registerMasterKey(q: Queryable, id: string): Promise<void> {
  await q.query('insert into master_keys (id) values ($1) on conflict (id) do update set retired_at = null', [id]);
}

export async function latestDataKeyId(q: Queryable, tenantId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    'select id from data_keys where tenant_id is not distinct from $1 order by id desc limit 1',
    [toColumn(tenantId)],
  );
  return rows[0]?.id;
}

export async function insertDataKey(q: Queryable, id: string, tenantId: string): Promise<void> {
  await q.query('insert into data_keys (id, tenant_id) values ($1, $2)', [id, toColumn(tenantId)]);
}

export async function insertWrap(q: Queryable, wrap: DataKeyWrap): Promise<void> {
  await q.query(
    `insert into data_key_wraps (data_key_id, master_key_id, wrapped) values ($1, $2, $3)
     on conflict (data_key_id, master_key_id) do nothing`,
    [wrap.data_key_id, wrap.master_key_id, wrap.wrapped],
  );
}

export async function wrapsOf(q: Queryable, dataKeyId: string): Promise<(DataKeyWrap & { tenant_id: string })[]> {
  const { rows } = await q.query<DataKeyWrap & { tenant_id: string }>(
    `select w.data_key_id, w.master_key_id, w.wrapped, coalesce(k.tenant_id, '${PLATFORM_SCOPE}') as tenant_id
     from data_key_wraps w join data_keys k on k.id = w.data_key_id where w.data_key_id = $1`,
    [dataKeyId],
  );
  return rows;
}

/** Data keys none of `masterKeyIds` can unwrap: non-zero at start-up means the wrong master key. */
export async function countUnreachableDataKeys(q: Queryable, masterKeyIds: string[]): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from data_keys k
     where not exists (select 1 from data_key_wraps w where w.data_key_id = k.id and w.master_key_id = any($1::text[]))`,
    [masterKeyIds],
  );
  return rows[0]?.n ?? 0;
}

/** The master keys the stored data keys are wrapped under, for the error message when none is held. */
export async function masterKeysInUse(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ master_key_id: string }>(
    'select distinct master_key_id from data_key_wraps order by 1',
  );
  return rows.map((r) => r.master_key_id);
}

export async function dataKeysWithoutWrap(q: Queryable, masterKeyId: string, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `select k.id from data_keys k
     where not exists (select 1 from data_key_wraps w where w.data_key_id = k.id and w.master_key_id = $1)
     order by k.id limit $2`,
    [masterKeyId, limit],
  );
  return rows.map((r) => r.id);
}

/** Drop wraps under every master key but `keepId`, once every data key has a wrap under `keepId`. */
export async function pruneWrapsExcept(q: Queryable, keepId: string): Promise<number> {
  const { rowCount } = await q.query(
    `delete from data_key_wraps w where w.master_key_id <> $1
       and exists (select 1 from data_key_wraps k where k.data_key_id = w.data_key_id and k.master_key_id = $1)`,
    [keepId],
  );
  await q.query(
    `update master_keys set retired_at = now() where id <> $1 and retired_at is null
       and not exists (select 1 from data_key_wraps w where w.master_key_id = master_keys.id)`,
    [keepId],
  );
  return rowCount;
}

export async function masterKeyStatus(
  q: Queryable,
): Promise<{ id: string; created_at: Date; retired_at: Date | null; data_keys: number }[]> {
  const { rows } = await q.query<{ id: string; created_at: Date; retired_at: Date | null; data_keys: number }>(
    `select m.id, m.created_at, m.retired_at, count(w.data_key_id)::int as data_keys
     from master_keys m left join data_key_wraps w on w.master_key_id = m.id
     group by m.id, m.created_at, m.retired_at order by m.created_at`,
  );
  return rows;
}
