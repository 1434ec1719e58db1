import type { Queryable } from '../../core/db/port.js';

export type UserRow = {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: string;
  superuser: boolean;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'id, tenant_id, email, name, role, superuser, disabled_at, last_login_at, created_at, updated_at';

export async function insertUser(
  q: Queryable,
  user: Pick<UserRow, 'id' | 'tenant_id' | 'email' | 'name' | 'role' | 'superuser'> & { password_hash: string },
): Promise<UserRow> {
  const { rows } = await q.query<UserRow>(
    `insert into users (id, tenant_id, email, name, password_hash, role, superuser)
     values ($1, $2, lower($3), $4, $5, $6, $7) returning ${COLUMNS}`,
    [user.id, user.tenant_id, user.email, user.name, user.password_hash, user.role, user.superuser],
  );
  return rows[0] as UserRow;
}

export async function getUser(q: Queryable, tenantId: string, id: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`select ${COLUMNS} from users where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function getUserById(q: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [id]);
  return rows[0];
}

/** For sign-in only: the row with its password hash. */
export async function findUserForSignIn(
  q: Queryable,
  email: string,
): Promise<(UserRow & { password_hash: string }) | undefined> {
  const { rows } = await q.query<UserRow & { password_hash: string }>(
    `select ${COLUMNS}, password_hash from users where email = lower($1)`,
    [email],
  );
  return rows[0];
}

export async function listUsers(
  q: Queryable,
  tenantId: string,
  options: { limit: number; afterId?: string },
): Promise<UserRow[]> {
  const { rows } = await q.query<UserRow>(
    `select ${COLUMNS} from users where tenant_id = $1 and ($2::text is null or id < $2) order by id desc limit $3`,
    [tenantId, options.afterId ?? null, options.limit + 1],
  );
  return rows;
}

export async function updateUser(
  q: Queryable,
  tenantId: string,
  id: string,
  changes: { name?: string; role?: string; password_hash?: string; disabled?: boolean },
): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(
    `update users set
       name = coalesce($3, name),
       role = coalesce($4, role),
       password_hash = coalesce($5, password_hash),
       disabled_at = case when $6::boolean is null then disabled_at when $6 then coalesce(disabled_at, now()) else null end,
       updated_at = now()
     where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
    [tenantId, id, changes.name ?? null, changes.role ?? null, changes.password_hash ?? null, changes.disabled ?? null],
  );
  return rows[0];
}

export async function deleteUser(q: Queryable, tenantId: string, id: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`delete from users where tenant_id = $1 and id = $2 returning ${COLUMNS}`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function recordSignIn(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('update users set last_login_at = $2 where id = $1', [id, at]);
}

export async function countUsersWithRole(q: Queryable, tenantId: string, role: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from users where tenant_id = $1 and role = $2',
    [tenantId, role],
  );
  return rows[0]?.n ?? 0;
}
