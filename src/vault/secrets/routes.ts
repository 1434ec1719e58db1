import { z } from 'zod';
import type { Db, Queryable } from '../../core/db/port.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, isoRequired, page, pageQuery, timestamp, toPage } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import type { Vault } from '../vault.js';
import type { SecretValueChange, SecretValueCheck } from './value-change.js';
import {
  bumpSecretVersion,
  deleteSecret,
  getSecretByName,
  insertSecret,
  insertSecretVersion,
  listSecrets,
  listSecretVersions,
  lockSecretByName,
  type SecretRow,
} from './sql.js';
import { secretContext } from '../contexts.js';

const secretName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and underscores, starting with a letter or underscore');
const secretValue = z.string().min(1).max(65_536);

export const secretSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    version: z.number().int().describe('The current version; references without @version use it'),
    reference: z.string().describe('How to use it in a connection config'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Secret', description: 'A tenant secret. Its value is sealed and never returned.' });

const secretDetailSchema = secretSchema
  .extend({ versions: z.array(z.object({ version: z.number().int(), created_at: timestamp })) })
  .meta({ id: 'SecretDetail' });

function present(row: SecretRow): z.input<typeof secretSchema> {
  return {
    name: row.name,
    description: row.description,
    version: row.current_version,
    reference: `{{secrets.${row.name}}}`,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}

const nameParams = z.object({ name: secretName });

const authorityNote =
  'Where a connection’s config field that decides where its credentials are sent references the secret, setting ' +
  'its value moves the connection: that needs credential authority too (`create_connection` and the connector’s ' +
  'own capability), 403 `forbidden` naming the connection otherwise.';

/**
 * `beforeValueChange`: checks run in the transaction before a create or rotation stores a value (the server wires
 * in the capabilities that send secrets somewhere, value-change.ts); one refusing stops the change.
 */
export function secretRoutes(deps: { db: Db; vault: Vault; beforeValueChange?: readonly SecretValueCheck[] }) {
  const { db, vault } = deps;
  const checkValueChange = async (q: Queryable, principal: Principal, change: SecretValueChange) => {
    for (const check of deps.beforeValueChange ?? []) await check(q, principal, change);
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/secrets',
      operationId: 'createSecret',
      summary: 'Create a secret (version 1)',
      description: authorityNote,
      tags: ['Secrets'],
      access: { capability: 'manage_secrets' },
      audit: { action: 'secret.create', targetType: 'secret' },
      errors: ['already_exists', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({ name: secretName, value: secretValue, description: z.string().max(500).default('') }),
        response: { 201: secretSchema },
      },
      async handler({ body, principal, tenantId, transaction, audit }) {
        try {
          return await transaction(async (tx) => {
            await checkValueChange(tx, principal, { name: body.name, kind: 'create' });
            const row = await insertSecret(tx, {
              id: newId('sec'),
              tenant_id: tenantId,
              name: body.name,
              description: body.description,
            });
            await insertSecretVersion(
              tx,
              row.id,
              1,
              await vault.seal(tx, tenantId, secretContext(row.id, 1), body.value),
            );
            audit.target(row.name, { name: row.name, version: 1 });
            return present(row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A secret named ${body.name} already exists; rotate it with PUT.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/secrets',
      operationId: 'listSecrets',
      summary: 'List secrets (names and versions only)',
      tags: ['Secrets'],
      access: { capability: 'view_secrets' },
      schema: { querystring: pageQuery, response: { 200: page(secretSchema) } },
      async handler({ query, tenantId }) {
        const rows = await listSecrets(db, tenantId, { limit: query.limit, afterName: decodeCursor(query.cursor)?.id });
        return toPage(
          rows.map((r) => ({ ...r, id: r.name })),
          query.limit,
          present,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/secrets/:name',
      operationId: 'getSecret',
      summary: 'Get a secret’s metadata and version history',
      tags: ['Secrets'],
      access: { capability: 'view_secrets' },
      errors: ['not_found'],
      schema: { params: nameParams, response: { 200: secretDetailSchema } },
      async handler({ params, tenantId }) {
        const row = await getSecretByName(db, tenantId, params.name);
        if (!row) throw new ApiError('not_found', `Secret ${params.name} does not exist.`);
        const versions = await listSecretVersions(db, row.id);
        return {
          ...present(row),
          versions: versions.map((v) => ({ version: v.version, created_at: isoRequired(v.created_at) })),
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/secrets/:name',
      operationId: 'rotateSecret',
      summary: 'Rotate a secret: store a new value as the next version',
      description:
        'Earlier versions stay readable through pinned references (`{{secrets.NAME@1}}`) until the secret is deleted. ' +
        authorityNote,
      tags: ['Secrets'],
      access: { capability: 'manage_secrets' },
      audit: { action: 'secret.rotate', targetType: 'secret' },
      errors: ['not_found', 'malformed_json', 'body_too_large'],
      schema: {
        params: nameParams,
        body: z.strictObject({ value: secretValue, description: z.string().max(500).optional() }),
        response: { 200: secretSchema },
      },
      async handler({ params, body, principal, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const current = await lockSecretByName(tx, tenantId, params.name);
          if (!current) throw new ApiError('not_found', `Secret ${params.name} does not exist.`);
          await checkValueChange(tx, principal, { name: params.name, kind: 'rotate' });
          const version = current.current_version + 1;
          await insertSecretVersion(
            tx,
            current.id,
            version,
            await vault.seal(tx, tenantId, secretContext(current.id, version), body.value),
          );
          const row = await bumpSecretVersion(tx, current.id, version, body.description);
          audit.target(row.name, { version: { from: current.current_version, to: version } });
          return present(row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/secrets/:name',
      operationId: 'deleteSecret',
      summary: 'Delete a secret and every version of it',
      tags: ['Secrets'],
      access: { capability: 'manage_secrets' },
      audit: { action: 'secret.delete', targetType: 'secret' },
      errors: ['not_found'],
      schema: { params: nameParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          const row = await deleteSecret(tx, tenantId, params.name);
          if (!row) throw new ApiError('not_found', `Secret ${params.name} does not exist.`);
          audit.target(row.name, { versions: row.current_version });
        });
      },
    }),
  ];
}
