import type { Db } from '../../core/db/port.js';
import type { Vault } from '../../vault/vault.js';
import { openHeaders } from '../endpoints/secrets.js';
import type { SigningSecret } from '../signing.js';
import { endpointSecretContext } from '../../vault/contexts.js';

/** What an attempt needs of its endpoint: where, with which headers, signed with which secrets. */
export type Target = {
  id: string;
  tenantId: string;
  url: string;
  headers: Record<string, string>;
  secrets: SigningSecret[];
};

type TargetRow = { id: string; tenant_id: string; url: string; headers_sealed: string | null };
type SecretRow = { id: string; secret_sealed: string; expires_at: Date | null };

/** Cached targets are re-read after this even without a change notification (a missed NOTIFY heals). */
const TTL_MS = 30_000;
const LIMIT = 5000;

/**
 * Endpoints with their signing secrets opened, cached per endpoint: opening secrets costs a vault call each, and an
 * endpoint receives many deliveries. Endpoint changes (edit, rotation, delete) notify `webhook_endpoint_changed` on
 * commit and every node forgets the entry.
 */
export function createTargets(deps: { db: Db; vault: Vault }) {
  const { db, vault } = deps;
  const cache = new Map<string, { target: Target; loadedAt: number }>();

  async function load(endpointId: string): Promise<Target | undefined> {
    const { rows } = await db.query<TargetRow>(
      'select id, tenant_id, url, headers_sealed from webhook_endpoints where id = $1',
      [endpointId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const secretRows = await db.query<SecretRow>(
      `select id, secret_sealed, expires_at from webhook_endpoint_secrets
       where endpoint_id = $1 and (expires_at is null or expires_at > now()) order by created_at, id`,
      [endpointId],
    );
    const secrets = await Promise.all(
      secretRows.rows.map(async (s) => ({
        secret: await vault.open(db, row.tenant_id, endpointSecretContext(s.id), s.secret_sealed),
        expiresAt: s.expires_at,
      })),
    );
    const headers = await openHeaders(db, vault, row.tenant_id, row.id, row.headers_sealed);
    return { id: row.id, tenantId: row.tenant_id, url: row.url, headers, secrets };
  }

  return {
    async get(endpointId: string): Promise<Target | undefined> {
      const hit = cache.get(endpointId);
      if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit.target;
      const target = await load(endpointId);
      if (!target) {
        cache.delete(endpointId);
        return undefined;
      }
      if (cache.size >= LIMIT) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(endpointId, { target, loadedAt: Date.now() });
      return target;
    },
    forget(endpointId: string): void {
      cache.delete(endpointId);
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type Targets = ReturnType<typeof createTargets>;
