import type { Queryable } from '../../core/db/port.js';

export type SecretRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  current_version: number;
  created_at: Date;
  updated_at: Date;
};

export type SecretVersionRow = { version: number; created_at: Date };

const COLUMNS = 'id, tenant_id, name, description, current_version, created_at, updated_at';

export async function insertSecret(
  q: Queryable,
  secret: Pick<SecretRow, 'id' | 'tenant_id' | 'name' | 'description'>,
): Promise<SecretRow> {
  const { rows } = await q.query<SecretRow>(
    `insert into secrets (id, tenant_id, name, description, current_version) values ($1, $2, $3, $4, 1) returning ${COLUMNS}`,
    [secret.id, secret.tenant_id, secret.name, secret.description],
  );
  return rows[0] as SecretRow;
}

export async function insertSecretVersion(
  q: Queryable,
  secretId: string,
  version: number,
  sealed: string,
): Promise<void> {
  await q.query('insert into secret_versions (secret_id, version, sealed) values ($1, $2, $3)', [
    secretId,
    version,
    sealed,
  ]);
}

export async function getSecretByName(q: Queryable, tenantId: string, name: string): Promise<SecretRow | undefined> {
  const { rows } = await q.query<SecretRow>(`select ${COLUMNS} from secrets where tenant_id = $1 and name = $2`, [
    tenantId,
    name,
  ]);
  return rows[0];
}

/** Lock the row: concurrent rotations of one secret must get distinct version numbers. */
export async function lockSecretByName(q: Queryable, tenantId: string, name: string): Promise<SecretRow | undefined> {
  const { rows } = await q.query<SecretRow>(
    `select ${COLUMNS} from secrets where tenant_id = $1 and name = $2 for update`,
    [tenantId, name],
  );
  return rows[0];
}

export async function listSecrets(
  q: Queryable,
  tenantId: string,
  options: { limit: number; afterName?: string },
): Promise<SecretRow[]> {
  const { rows } = await q.query<SecretRow>(
    `select ${COLUMNS} from secrets where tenant_id = $1 and ($2::text is null or name > $2) order by name limit $3`,
    [tenantId, options.afterName ?? null, options.limit + 1],
  );
  return rows;
}

export async function listSecretVersions(q: Queryable, secretId: string): Promise<SecretVersionRow[]> {
  const { rows } = await q.query<SecretVersionRow>(
    'select version, created_at from secret_versions where secret_id = $1 order by version desc',
    [secretId],
  );
  return rows;
}

export async function bumpSecretVersion(
  q: Queryable,
  id: string,
  version: number,
  description: string | undefined,
): Promise<SecretRow> {
  const { rows } = await q.query<SecretRow>(
    `update secrets set current_version = $2, description = coalesce($3, description), updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, version, description ?? null],
  );
  return rows[0] as SecretRow;
}

export async function deleteSecret(q: Queryable, tenantId: string, name: string): Promise<SecretRow | undefined> {
  const { rows } = await q.query<SecretRow>(
    `delete from secrets where tenant_id = $1 and name = $2 returning ${COLUMNS}`,
    [tenantId, name],
  );
  return rows[0];
}

export async function getSealedVersion(q: Queryable, secretId: string, version: number): Promise<string | undefined> {
  const { rows } = await q.query<{ sealed: string }>(
    'select sealed from secret_versions where secret_id = $1 and version = $2',
    [secretId, version],
  );
  return rows[0]?.sealed;
}
