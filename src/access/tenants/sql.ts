import type { Queryable } from '../../core/db/port.js';

export type TenantRow = {
  id: string;
  name: string;
  slug: string;
  disabled_at: Date | null;
  features: string[];
  files_quota_bytes: string | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'id, name, slug, disabled_at, features, files_quota_bytes, created_at, updated_at';

export async function insertTenant(q: Queryable, tenant: Pick<TenantRow, 'id' | 'name' | 'slug'>): Promise<TenantRow> {
  const { rows } = await q.query<TenantRow>(
    `insert into tenants (id, name, slug) values ($1, $2, $3) returning ${COLUMNS}`,
    [tenant.id, tenant.name, tenant.slug],
  );
  return rows[0] as TenantRow;
}

export async function getTenant(q: Queryable, id: string): Promise<TenantRow | undefined> {
  const { rows } = await q.query<TenantRow>(`select ${COLUMNS} from tenants where id = $1`, [id]);
  return rows[0];
}

/** By id or slug: what the `Switchyard-Tenant` header and the CLI's `--tenant` accept. */
export async function findTenant(q: Queryable, idOrSlug: string): Promise<TenantRow | undefined> {
  const { rows } = await q.query<TenantRow>(`select ${COLUMNS} from tenants where id = $1 or slug = $1`, [idOrSlug]);
  return rows[0];
}

export async function listTenants(q: Queryable, options: { limit: number; afterId?: string }): Promise<TenantRow[]> {
  const { rows } = await q.query<TenantRow>(
    `select ${COLUMNS} from tenants where ($1::text is null or id > $1) order by id limit $2`,
    [options.afterId ?? null, options.limit + 1],
  );
  return rows;
}

export async function updateTenant(
  q: Queryable,
  id: string,
  changes: { name?: string; disabled?: boolean; features?: string[]; files_quota_bytes?: number | null },
): Promise<TenantRow | undefined> {
  const { rows } = await q.query<TenantRow>(
    `update tenants set name = coalesce($2, name), features = coalesce($4::text[], features),
       disabled_at = case when $3::boolean is null then disabled_at when $3 then coalesce(disabled_at, now()) else null end,
       files_quota_bytes = case when $5::boolean then $6::bigint else files_quota_bytes end,
       updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [
      id,
      changes.name ?? null,
      changes.disabled ?? null,
      changes.features ?? null,
      changes.files_quota_bytes !== undefined,
      changes.files_quota_bytes ?? null,
    ],
  );
  return rows[0];
}

export async function countTenants(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('select count(*)::int as n from tenants');
  return rows[0]?.n ?? 0;
}
