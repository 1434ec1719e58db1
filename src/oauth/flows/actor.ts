import type { Auth } from '../../access/authenticate.js';
import { getTenant } from '../../access/tenants/sql.js';
import { getUserById } from '../../access/users/sql.js';
import type { Queryable } from '../../core/db/port.js';
import type { Principal } from '../../core/principal.js';
import type { FlowRow } from './sql.js';

/**
 * The principal that started a flow, as it stands when the callback arrives. The callback is a public route (the
 * vendor redirects a browser there), so the caller cannot be authenticated; the flow names who started it, and
 * up to ten minutes may have passed since: a key revoked or expired, a user disabled, a tenant disabled or a role
 * changed in the meantime must not complete the flow. Undefined when the principal can no longer act at all.
 */
export async function principalOfFlow(
  q: Queryable,
  auth: Pick<Auth, 'capabilitiesFor'>,
  flow: Pick<FlowRow, 'tenant_id' | 'principal_type' | 'principal_id'>,
  now: Date,
): Promise<Principal | undefined> {
  const who = flow.principal_type === 'user' ? await userOf(q, flow.principal_id) : await keyOf(q, flow, now);
  if (!who) return undefined;
  const [home, acting] = await Promise.all([getTenant(q, who.tenantId), getTenant(q, flow.tenant_id)]);
  if (!home || !acting) return undefined;
  // Acting in another tenant is for superusers only (the Switchyard-Tenant header), as at the start of the flow.
  if (who.tenantId !== flow.tenant_id && !who.superuser) return undefined;
  if ((home.disabled_at || acting.disabled_at) && !who.superuser) return undefined;
  return {
    kind: flow.principal_type,
    id: flow.principal_id,
    label: who.label,
    tenantId: flow.tenant_id,
    homeTenantId: who.tenantId,
    tenant: { name: acting.name, slug: acting.slug, features: acting.features },
    role: who.role,
    capabilities: await auth.capabilitiesFor(who.tenantId, who.role, who.superuser),
    superuser: who.superuser,
    via: 'bearer',
  };
}

type Who = { tenantId: string; label: string; role: string; superuser: boolean };

async function userOf(q: Queryable, id: string): Promise<Who | undefined> {
  const user = await getUserById(q, id);
  if (!user || user.disabled_at) return undefined;
  return { tenantId: user.tenant_id, label: user.email, role: user.role, superuser: user.superuser };
}

async function keyOf(q: Queryable, flow: Pick<FlowRow, 'principal_id'>, now: Date): Promise<Who | undefined> {
  const { rows } = await q.query<{
    tenant_id: string;
    name: string;
    prefix: string;
    role: string;
    superuser: boolean;
    expires_at: Date | null;
    revoked_at: Date | null;
  }>('select tenant_id, name, prefix, role, superuser, expires_at, revoked_at from api_keys where id = $1', [
    flow.principal_id,
  ]);
  const key = rows[0];
  if (!key || key.revoked_at || (key.expires_at && key.expires_at <= now)) return undefined;
  return { tenantId: key.tenant_id, label: `${key.name} (${key.prefix}…)`, role: key.role, superuser: key.superuser };
}
