import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { createNotifiedCache } from '../../core/notified-cache.js';
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

/**
 * Endpoints with their signing secrets opened, cached per endpoint: opening secrets costs a vault call each, and an
 * endpoint receives many deliveries. Endpoint changes (edit, rotation, delete) notify
 * `channels.webhookEndpointChanged` on commit and every node forgets the entry.
 */
export function createTargets(deps: { db: Db; vault: Vault }) {
  const { db, vault } = deps;
  const cache = createNotifiedCache<Target | undefined>(db, {
    channel: channels.webhookEndpointChanged,
    // Re-read after this even without a change notification (a missed NOTIFY heals).
    ttlMs: 30_000,
    max: 5000,
  });

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
    get: (endpointId: string): Promise<Target | undefined> => cache.get(endpointId, () => load(endpointId)),
    forget: cache.forget,
    clear: cache.clear,
    start: cache.start,
    stop: cache.stop,
  };
}

export type Targets = ReturnType<typeof createTargets>;
