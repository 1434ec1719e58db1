import type { Queryable } from '../../core/db/port.js';

export type ApiKeyRow = {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  role: string;
  superuser: boolean;
  rate_limit_per_minute: number | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_by: string | null;
  created_at: Date;
};

const COLUMNS = `id, tenant_id, name, prefix, role, superuser, rate_limit_per_minute, expires_at, last_used_at,
  revoked_at, created_by, created_at`;

export async function insertApiKey(
  q: Queryable,
  key: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at' | 'created_at'> & { token_hash: string },
): Promise<ApiKeyRow> {
  const { rows } = await q.query<ApiKeyRow>(
    `insert into api_keys (id, tenant_id, name, prefix, token_hash, role, superuser, rate_limit_per_minute, expires_at, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     returning ${COLUMNS}`,
    [
      key.id,
      key.tenant_id,
      key.name,
      key.prefix,
      key.token_hash,
      key.role,
      key.superuser,
      key.rate_limit_per_minute,
      key.expires_at,
      key.created_by,
    ],
  );
  return rows[0] as ApiKeyRow;
}

/** The key a bearer token names, if it exists (revoked and expired keys included: the caller explains which). */
export async function findApiKeyByTokenHash(q: Queryable, tokenHash: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await q.query<ApiKeyRow>(`select ${COLUMNS} from api_keys where token_hash = $1`, [tokenHash]);
  return rows[0];
}

export async function getApiKey(q: Queryable, tenantId: string, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await q.query<ApiKeyRow>(`select ${COLUMNS} from api_keys where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function listApiKeys(
  q: Queryable,
  tenantId: string,
  options: { limit: number; afterId?: string; includeRevoked: boolean },
): Promise<ApiKeyRow[]> {
  const { rows } = await q.query<ApiKeyRow>(
    `select ${COLUMNS} from api_keys
     where tenant_id = $1 and ($2::text is null or id < $2) and ($3 or revoked_at is null)
     order by id desc limit $4`,
    [tenantId, options.afterId ?? null, options.includeRevoked, options.limit + 1],
  );
  return rows;
}

export async function revokeApiKey(
  q: Queryable,
  tenantId: string,
  id: string,
  at: Date,
): Promise<ApiKeyRow | undefined> {
  const { rows } = await q.query<ApiKeyRow>(
    `update api_keys set revoked_at = coalesce(revoked_at, $3) where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
    [tenantId, id, at],
  );
  return rows[0];
}

/** Record use; callers throttle this so a busy key does not write on every request. */
export async function touchApiKey(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('update api_keys set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at < $2)', [
    id,
    at,
  ]);
}

export async function countActiveKeysWithRole(q: Queryable, tenantId: string, role: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from api_keys where tenant_id = $1 and role = $2 and revoked_at is null',
    [tenantId, role],
  );
  return rows[0]?.n ?? 0;
}
