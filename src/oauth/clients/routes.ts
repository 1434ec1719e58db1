import { z } from 'zod';
import type { Registry } from '../../catalog/registry.js';
import { getSystemConnection } from '../../catalog/sql.js';
import { assertConnectorCapability } from '../../connections/connector-access.js';
import type { Db } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { iso, timestamp } from '../../core/http/schemas.js';
import type { Vault } from '../../vault/vault.js';
import { deleteOAuthClient, getOAuthClient, upsertOAuthClient } from './clients.js';
import { oauthMethodOf } from '../flows/input.js';
import { openSystemCredentials } from '../../catalog/system-connection.js';

/**
 * A tenant's own OAuth app per connector (tenant template and BYOP connectors need one; hybrid ones may override
 * the platform's with one). The secret is sealed in the tenant's vault and never returned: reads say whether
 * there is one.
 */

const connectorParams = z.object({ connector: z.string().min(1).max(100) });

const oauthClientSchema = z
  .object({
    connector: z.string(),
    client_id: z.string(),
    has_secret: z.boolean().describe('Whether a client secret is held (false: a public client, PKCE only)'),
    source: z.enum(['tenant', 'system']).describe('The tenant’s own app, or the platform’s (shared / hybrid)'),
    updated_at: timestamp.nullable(),
  })
  .meta({ id: 'OAuthClient', description: 'The OAuth app a tenant’s connections to a connector use' });

type OAuthClientOut = z.input<typeof oauthClientSchema>;

/** The connector as these routes need it: known (404) and connected with OAuth 2.0 (400). */
async function oauthConnector(registry: Registry, slug: string) {
  const row = await registry.get(slug);
  if (!row) throw notFound('Connector', slug);
  oauthMethodOf(row.manifest, 'params.connector');
  return row;
}

export function oauthClientRoutes(deps: { db: Db; vault: Vault; registry: Registry }) {
  const { db, vault, registry } = deps;
  return [
    defineRoute({
      method: 'PUT',
      url: '/v1/oauth/clients/:connector',
      operationId: 'putOAuthClient',
      summary: 'Register (or replace) the tenant’s own OAuth app for a connector',
      description:
        'Register the redirect URI shown in the connector form (`…/v1/oauth/callback`) with the vendor app. Omit ' +
        '`client_secret` for a public client (PKCE only). Existing connections keep their tokens.',
      tags: ['OAuth'],
      access: { capability: 'create_connection' },
      audit: { action: 'oauth_client.update', targetType: 'oauth_client' },
      errors: ['not_found', 'malformed_json'],
      schema: {
        params: connectorParams,
        body: z.strictObject({
          client_id: z.string().trim().min(1).max(500),
          client_secret: z.string().min(1).max(4000).nullable().optional(),
        }),
        response: { 200: oauthClientSchema },
      },
      async handler({ params, body, principal, transaction, audit }) {
        const row = await oauthConnector(registry, params.connector);
        assertConnectorCapability(principal, row.manifest);
        if (row.management === 'shared') {
          throw new ApiError(
            'validation_failed',
            `${row.manifest.name} uses the platform's OAuth app for every tenant; a tenant app would not be used.`,
            { errors: [{ path: 'params.connector', message: 'shared connector' }] },
          );
        }
        audit.target(row.slug, { client_id: body.client_id, has_secret: Boolean(body.client_secret) });
        const saved = await transaction((tx) =>
          upsertOAuthClient(tx, vault, {
            tenantId: principal.tenantId,
            slug: row.slug,
            clientId: body.client_id,
            clientSecret: body.client_secret ?? null,
            updatedBy: principal.id,
          }),
        );
        return {
          connector: row.slug,
          client_id: saved.client_id,
          has_secret: saved.client_secret_sealed !== null,
          source: 'tenant' as const,
          updated_at: iso(saved.updated_at),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/oauth/clients/:connector',
      operationId: 'getOAuthClient',
      summary: 'The OAuth app the tenant’s connections to a connector use (never its secret)',
      tags: ['OAuth'],
      access: { capability: 'list_connections' },
      errors: ['not_found'],
      schema: { params: connectorParams, response: { 200: oauthClientSchema } },
      async handler({ params, tenantId }): Promise<OAuthClientOut> {
        const row = await oauthConnector(registry, params.connector);
        const own = row.management === 'shared' ? undefined : await getOAuthClient(db, tenantId, row.slug);
        if (own) {
          return {
            connector: row.slug,
            client_id: own.client_id,
            has_secret: own.client_secret_sealed !== null,
            source: 'tenant',
            updated_at: iso(own.updated_at),
          };
        }
        const system = row.management === 'shared' || row.management === 'hybrid';
        const platform = system ? await openSystemCredentials(db, vault, row.slug) : undefined;
        if (!platform?.client_id) {
          throw new ApiError(
            'not_found',
            `No OAuth app is configured for ${row.manifest.name}` +
              (row.management === 'shared' ? ' (the operator provides it).' : '; register one with PUT.'),
          );
        }
        return {
          connector: row.slug,
          client_id: platform.client_id,
          has_secret: Boolean(platform.client_secret),
          source: 'system',
          updated_at: iso((await getSystemConnection(db, row.slug))?.updated_at),
        };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/oauth/clients/:connector',
      operationId: 'deleteOAuthClient',
      summary: 'Remove the tenant’s own OAuth app for a connector',
      description: 'Refused (409 `in_use`) while connections hold tokens issued to this app.',
      tags: ['OAuth'],
      access: { capability: 'create_connection' },
      audit: { action: 'oauth_client.delete', targetType: 'oauth_client' },
      errors: ['not_found', 'in_use'],
      schema: { params: connectorParams, response: { 204: z.undefined() } },
      async handler({ params, principal, transaction, audit }) {
        const row = await oauthConnector(registry, params.connector);
        assertConnectorCapability(principal, row.manifest);
        audit.target(row.slug);
        await transaction(async (tx) => {
          // Tokens are bound to the app that obtained them: without it they could not be refreshed or revoked.
          const { rows } = await tx.query<{ n: number }>(
            `select count(*)::int as n from connections where tenant_id = $1 and connector_slug = $2
               and auth_method = 'oauth2' and credential_source = 'tenant'`,
            [principal.tenantId, row.slug],
          );
          const n = rows[0]?.n ?? 0;
          if (n > 0) {
            throw new ApiError(
              'in_use',
              `${n} connection${n === 1 ? '' : 's'} to ${row.manifest.name} use this OAuth app; disconnect them first.`,
            );
          }
          if (!(await deleteOAuthClient(tx, principal.tenantId, row.slug))) {
            throw new ApiError('not_found', `There is no tenant OAuth app for ${row.manifest.name}.`);
          }
        });
      },
    }),
  ];
}
