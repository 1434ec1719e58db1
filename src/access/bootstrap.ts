import type { Db } from '../core/db/port.js';
import { insertSystemAuditEntry } from '../audit/sql.js';
import type { Vault } from '../vault/vault.js';
import { issueApiKey } from './api-keys/keys.js';
import { createTenant } from './tenants/tenants.js';
import { countTenants } from './tenants/sql.js';

// sha256("switchyard:bootstrap") truncated to a signed 64-bit integer.
const BOOTSTRAP_LOCK_KEY = '1926117394057180721';

export type BootstrapResult =
  { created: false } | { created: true; tenantId: string; token: string; tokenGenerated: boolean };

/**
 * On the very first start, create the default tenant and a superuser API key: the token is SWITCHYARD_ADMIN_TOKEN
 * when set, or generated (and returned, for the caller to print once). Later starts do nothing. Two nodes starting
 * together on one PostgreSQL serialise on an advisory lock, so exactly one bootstraps.
 */
export async function bootstrap(db: Db, vault: Vault, adminToken: string | undefined): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    if ((await countTenants(tx)) > 0) return { created: false };
    const tenant = await createTenant(tx, vault, { name: 'Default', slug: 'default' });
    const { row, token } = await issueApiKey(tx, {
      tenantId: tenant.id,
      name: 'Bootstrap superuser',
      role: 'administrator',
      superuser: true,
      createdBy: 'bootstrap',
      ...(adminToken ? { token: adminToken } : {}),
    });
    await insertSystemAuditEntry(tx, {
      tenantId: tenant.id,
      action: 'system.bootstrap',
      targetType: 'api_key',
      targetId: row.id,
      outcome: 'success',
      diff: { tenant: tenant.slug, token_source: adminToken ? 'SWITCHYARD_ADMIN_TOKEN' : 'generated' },
    });
    return { created: true, tenantId: tenant.id, token, tokenGenerated: !adminToken };
  });
}
