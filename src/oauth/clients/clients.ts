import type { ConnectorRow } from '../../catalog/sql.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Vault } from '../../vault/vault.js';
import type { OAuthClientCredentials } from '../protocol.js';
import { oauthClientContext } from '../../vault/contexts.js';
import { openSystemCredentials } from '../../catalog/system-connection.js';

/**
 * Which OAuth app (client id and secret) a tenant's connections to a connector use, by the registry's management
 * pattern: `shared` — the platform's (the system connection); `hybrid` — the tenant's own app when it registered
 * one, the platform's otherwise; `tenant_template` and `byop` — the tenant's own app, required.
 */

export type OAuthClientRow = {
  tenant_id: string;
  connector_slug: string;
  client_id: string;
  client_secret_sealed: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
};

export type ResolvedClient = OAuthClientCredentials & { source: 'tenant' | 'system' };

export async function getOAuthClient(
  q: Queryable,
  tenantId: string,
  slug: string,
): Promise<OAuthClientRow | undefined> {
  const { rows } = await q.query<OAuthClientRow>(
    'select * from oauth_clients where tenant_id = $1 and connector_slug = $2',
    [tenantId, slug],
  );
  return rows[0];
}

export async function upsertOAuthClient(
  q: Queryable,
  vault: Vault,
  c: { tenantId: string; slug: string; clientId: string; clientSecret: string | null; updatedBy: string },
): Promise<OAuthClientRow> {
  const sealed =
    c.clientSecret === null ? null : await vault.seal(q, c.tenantId, oauthClientContext(c.slug), c.clientSecret);
  const { rows } = await q.query<OAuthClientRow>(
    `insert into oauth_clients (tenant_id, connector_slug, client_id, client_secret_sealed, updated_by)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, connector_slug) do update set client_id = excluded.client_id,
       client_secret_sealed = excluded.client_secret_sealed, updated_by = excluded.updated_by, updated_at = now()
     returning *`,
    [c.tenantId, c.slug, c.clientId, sealed, c.updatedBy],
  );
  return rows[0] as OAuthClientRow;
}

export async function deleteOAuthClient(q: Queryable, tenantId: string, slug: string): Promise<boolean> {
  const { rows } = await q.query('delete from oauth_clients where tenant_id = $1 and connector_slug = $2 returning 1', [
    tenantId,
    slug,
  ]);
  return rows.length > 0;
}

export async function resolveOAuthClient(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  connector: Pick<ConnectorRow, 'slug' | 'management'> & { manifest: { name: string } },
): Promise<ResolvedClient> {
  const name = connector.manifest.name;
  if (connector.management !== 'shared') {
    const own = await getOAuthClient(q, tenantId, connector.slug);
    if (own) {
      const secret =
        own.client_secret_sealed === null
          ? null
          : await vault.open(q, tenantId, oauthClientContext(connector.slug), own.client_secret_sealed);
      return { client_id: own.client_id, client_secret: secret, source: 'tenant' };
    }
    if (connector.management !== 'hybrid') {
      throw new ApiError(
        'oauth_client_missing',
        `${name} connects through your own OAuth app: register its client id and secret first (on the connector's form in the console, or PUT /v1/oauth/clients/${connector.slug}).`,
      );
    }
  }
  const system = await openSystemCredentials(q, vault, connector.slug);
  if (!system?.client_id) {
    throw new ApiError(
      'oauth_client_missing',
      connector.management === 'shared'
        ? `${name} uses the platform's OAuth app, but the operator has not configured it yet.`
        : `${name} has no OAuth app yet: register your own (on the connector's form in the console, or PUT /v1/oauth/clients/${connector.slug}) or ask the operator to configure the platform's.`,
    );
  }
  return { client_id: system.client_id, client_secret: system.client_secret || null, source: 'system' };
}
