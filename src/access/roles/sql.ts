import type { Queryable } from '../../core/db/port.js';

export type RoleRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  capabilities: string[];
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'id, tenant_id, name, description, capabilities, created_at, updated_at';

export async function insertRole(
  q: Queryable,
  role: Pick<RoleRow, 'id' | 'tenant_id' | 'name' | 'description' | 'capabilities'>,
): Promise<RoleRow> {
  const { rows } = await q.query<RoleRow>(
    `insert into roles (id, tenant_id, name, description, capabilities) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
    [role.id, role.tenant_id, role.name, role.description, role.capabilities],
  );
  return rows[0] as RoleRow;
}

export async function getRole(q: Queryable, tenantId: string, id: string): Promise<RoleRow | undefined> {
  const { rows } = await q.query<RoleRow>(`select ${COLUMNS} from roles where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function listRoles(q: Queryable, tenantId: string): Promise<RoleRow[]> {
  const { rows } = await q.query<RoleRow>(`select ${COLUMNS} from roles where tenant_id = $1 order by name`, [
    tenantId,
  ]);
  return rows;
}

export async function updateRole(
  q: Queryable,
  tenantId: string,
  id: string,
  changes: { name?: string; description?: string; capabilities?: string[] },
): Promise<RoleRow | undefined> {
  const { rows } = await q.query<RoleRow>(
    `update roles set name = coalesce($3, name), description = coalesce($4, description),
       capabilities = coalesce($5, capabilities), updated_at = now()
     where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
    [tenantId, id, changes.name ?? null, changes.description ?? null, changes.capabilities ?? null],
  );
  return rows[0];
}

export async function deleteRole(q: Queryable, tenantId: string, id: string): Promise<RoleRow | undefined> {
  const { rows } = await q.query<RoleRow>(`delete from roles where tenant_id = $1 and id = $2 returning ${COLUMNS}`, [
    tenantId,
    id,
  ]);
  return rows[0];
}
