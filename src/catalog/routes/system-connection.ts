import { z } from 'zod';
import type { Queryable } from '../../core/db/port.js';
import { ApiError, notFound, type FieldError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { isoRequired, timestamp, fieldValues } from '../../core/http/schemas.js';
import { secretReferences } from '../../vault/secrets/references.js';
import { PLATFORM_SCOPE } from '../../vault/sql.js';
import {
  authMethodId,
  credentialFields,
  findAuthMethod,
  type AuthMethod,
  type ConnectorField,
} from '../manifest/auth.js';
import { managementPatterns, type Manifest } from '../manifest/manifest.js';
import {
  deleteSystemConnection,
  getSystemConnection,
  upsertSystemConnection,
  type ConnectorRow,
  type SystemConnectionRow,
} from '../sql.js';
import { systemCredentialContext } from '../../vault/contexts.js';
import { slugParams, type CatalogDeps } from './common.js';
import { validateFields } from '../fields.js';

const systemConnectionSchema = z
  .object({
    connector: z.string(),
    management: z.enum(managementPatterns),
    auth_method: z.string(),
    config: z.record(z.string(), z.unknown()).describe('Non-secret settings'),
    credentials_set: z
      .array(z.string())
      .describe('The credential fields that hold a value (values are never returned)'),
    updated_at: timestamp,
    updated_by: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .meta({
    id: 'SystemConnection',
    description: 'The platform’s own credentials for a connector, used by tenants of a shared or hybrid connector',
  });

/**
 * Config and credentials checked against the connector's form together, so one answer lists every problem. The
 * platform has no secret store of its own: a `{{secrets.NAME}}` here would resolve in each tenant's vault.
 */
function checkValues(
  manifest: Manifest,
  auth: AuthMethod,
  body: { config: Record<string, unknown>; credentials: Record<string, unknown> },
) {
  const errors: FieldError[] = [];
  const check = (
    fields: ConnectorField[],
    values: Record<string, unknown>,
    where: 'body.config' | 'body.credentials',
  ) => {
    try {
      const checked = validateFields(fields, values, where);
      for (const [key, value] of Object.entries(checked)) {
        if (typeof value === 'string' && secretReferences(value).length > 0)
          errors.push({ path: `${where}.${key}`, message: 'secret references are per tenant; give the value itself' });
      }
      return checked;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'validation_failed') throw error;
      errors.push(...(error.extensions.errors ?? []));
      return {};
    }
  };
  const config = check(manifest.config, body.config, 'body.config');
  const credentials = check(credentialFields(auth), body.credentials, 'body.credentials');
  if (errors.length) {
    const detail =
      errors.length === 1 ? `${errors[0]?.path}: ${errors[0]?.message}` : `${errors.length} fields are invalid`;
    throw new ApiError('validation_failed', detail, { errors });
  }
  return { config, credentials };
}

export function systemConnectionRoutes(deps: CatalogDeps) {
  const { db, vault, registry } = deps;

  const connector = async (slug: string): Promise<ConnectorRow> => {
    const row = await registry.get(slug);
    if (!row) throw notFound('Connector', slug);
    return row;
  };

  const present = async (q: Queryable, row: ConnectorRow, system: SystemConnectionRow) => {
    const opened = await vault.open(q, PLATFORM_SCOPE, systemCredentialContext(row.slug), system.credentials_sealed);
    const credentials = JSON.parse(opened) as Record<string, unknown>;
    const used = row.management === 'shared' || row.management === 'hybrid';
    return {
      connector: row.slug,
      management: row.management,
      auth_method: system.auth_method,
      config: system.config,
      credentials_set: Object.keys(credentials).sort(),
      updated_at: isoRequired(system.updated_at),
      updated_by: system.updated_by,
      warnings: used
        ? []
        : [
            `${row.manifest.name} is managed as ${row.management}: tenants bring their own credentials, so these are unused.`,
          ],
    };
  };

  return [
    defineRoute({
      method: 'GET',
      url: '/v1/connectors/:slug/system-connection',
      operationId: 'getSystemConnection',
      summary: 'Get the platform’s credentials for a connector: which are set, never their values (superuser)',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      errors: ['not_found'],
      schema: { params: slugParams, response: { 200: systemConnectionSchema } },
      async handler({ params }) {
        const row = await connector(params.slug);
        const system = await getSystemConnection(db, row.slug);
        if (!system) throw new ApiError('not_found', `${row.manifest.name} has no system connection.`);
        return present(db, row, system);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/connectors/:slug/system-connection',
      operationId: 'setSystemConnection',
      summary: 'Attach (or replace) the platform’s credentials for a shared or hybrid connector (superuser)',
      description:
        'Checked against the connector’s form like a connection’s credentials; every field is sealed in the vault ' +
        'under the platform’s own data key. Secret references are not accepted (they resolve per tenant).',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      audit: { action: 'connector.system_connection.set', targetType: 'connector' },
      errors: ['not_found', 'malformed_json', 'body_too_large'],
      schema: {
        params: slugParams,
        body: z.strictObject({
          auth_method: z
            .string()
            .max(50)
            .optional()
            .describe('An auth method of the connector (its id, which defaults to its type); its first by default'),
          config: fieldValues.default({}),
          credentials: fieldValues.default({}),
        }),
        response: { 200: systemConnectionSchema },
      },
      async handler({ params, body, principal, transaction, audit }) {
        const row = await connector(params.slug);
        const manifest = row.manifest;
        const auth = findAuthMethod(manifest.auth, body.auth_method);
        if (!auth) {
          throw new ApiError('validation_failed', `${manifest.name} has no "${body.auth_method}" auth method.`, {
            errors: [{ path: 'body.auth_method', message: `one of ${manifest.auth.map(authMethodId).join(', ')}` }],
          });
        }
        const { config, credentials } = checkValues(manifest, auth, body);
        return transaction(async (tx) => {
          const sealed = await vault.seal(
            tx,
            PLATFORM_SCOPE,
            systemCredentialContext(row.slug),
            JSON.stringify(credentials),
          );
          const system = await upsertSystemConnection(tx, {
            connector_slug: row.slug,
            auth_method: authMethodId(auth),
            config,
            credentials_sealed: sealed,
            updated_by: principal.id,
          });
          await registry.invalidate(tx);
          audit.target(row.slug, {
            auth_method: authMethodId(auth),
            config,
            credentials_set: Object.keys(credentials).sort(),
          });
          return present(tx, row, system);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/connectors/:slug/system-connection',
      operationId: 'deleteSystemConnection',
      summary: 'Remove the platform’s credentials for a connector (superuser)',
      description: 'Connections that use them stop working until credentials are attached again.',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      audit: { action: 'connector.system_connection.delete', targetType: 'connector' },
      errors: ['not_found'],
      schema: { params: slugParams, response: { 204: z.undefined() } },
      async handler({ params, transaction, audit }) {
        const row = await connector(params.slug);
        await transaction(async (tx) => {
          if (!(await deleteSystemConnection(tx, row.slug))) {
            throw new ApiError('not_found', `${row.manifest.name} has no system connection.`);
          }
          await registry.invalidate(tx);
          audit.target(row.slug, { removed: true });
        });
      },
    }),
  ];
}
