import { z } from 'zod';
import type { Registry } from '../../../catalog/registry.js';
import { getConnection } from '../../../connections/sql.js';
import type { Db, Queryable } from '../../../core/db/port.js';
import { ApiError } from '../../../core/errors.js';
import { defineRoute } from '../../../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, toPage } from '../../../core/http/schemas.js';
import { newId } from '../../../core/ids.js';
import { assertSecretDestinationAuthority } from '../../../vault/secrets/destination-authority.js';
import type { Vault } from '../../../vault/vault.js';
import type { UrlPolicy } from '../../endpoints/validate.js';
import { verificationSchemeSchema } from '../verify/index.js';
import { newSourceToken, hashToken, type SourceCache } from './cache.js';
import { schemeNeedsSecret, SOURCE_DEFAULTS, sourceFields } from './config.js';
import { forwardDestinations, presentRules, sealRules, storedForwardDestinations } from './forward-headers.js';
import { sourceDefaultsFromManifest } from './from-manifest.js';
import { presentSource, sourceSchema, sourceSecretSchema } from './present.js';
import {
  deleteSource,
  expireSourceSecrets,
  getSource,
  insertSource,
  insertSourceSecret,
  listSources,
  listSourceSecrets,
  lockSource,
  replaceToken,
  updateSource,
  type SourceFields,
  type SourceRow,
} from './sql.js';
import { chooseSecret, secretFromConnection } from './secrets.js';
import { assertRules } from './validate.js';
import { sourceSecretContext, sourceTokenContext } from '../../../vault/contexts.js';

export type SourceRouteDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  sources: SourceCache;
  publicUrl: string;
  urlPolicy: UrlPolicy;
};

const secretInput = z
  .string()
  .min(1)
  .max(1000)
  .describe(
    'The signing secret, password or token the sender uses (e.g. Stripe’s whsec_…). Required when the vendor issues it (Stripe, Slack, Shopify, HubSpot, Twilio, Square) unless the connection holds it; otherwise generated and returned once when omitted',
  );

const createBody = z.strictObject({
  name: sourceFields.name,
  description: sourceFields.description.default(SOURCE_DEFAULTS.description),
  connection_id: z
    .string()
    .max(100)
    .nullable()
    .default(null)
    .describe('A connection whose connector declares its webhook scheme: verification defaults to it'),
  verification: sourceFields.verification
    .optional()
    .describe(
      'Defaults to the scheme the connection’s connector declares (so the source verifies by default); required without connection_id. `{ "type": "none" }` must be set explicitly to accept unauthenticated posts',
    ),
  secret: secretInput.optional(),
  dedup_key: sourceFields.dedup_key.optional(),
  dedup_window_seconds: sourceFields.dedup_window_seconds.default(SOURCE_DEFAULTS.dedup_window_seconds),
  event_type_from: sourceFields.event_type_from.optional(),
  max_body_bytes: sourceFields.max_body_bytes.default(SOURCE_DEFAULTS.max_body_bytes),
  content_types: sourceFields.content_types
    .optional()
    .describe(
      'Accepted media types; */* accepts any. Defaults to the media types the connection’s connector says its vendor sends, else application/json. A vendor preset also accepts what its vendor can send (GitHub and Slack: forms; Shopify: XML)',
    ),
  response_mode: sourceFields.response_mode.default(SOURCE_DEFAULTS.response_mode),
  sync_timeout_ms: sourceFields.sync_timeout_ms.default(SOURCE_DEFAULTS.sync_timeout_ms),
  rules: sourceFields.rules.default([]),
  enabled: sourceFields.enabled.default(true),
  handshake: sourceFields.handshake.optional().describe('Defaults to the connector’s when connection_id names one'),
});

const patchBody = z.strictObject({
  name: sourceFields.name.optional(),
  description: sourceFields.description.optional(),
  verification: sourceFields.verification.optional(),
  dedup_key: sourceFields.dedup_key.optional(),
  dedup_window_seconds: sourceFields.dedup_window_seconds.optional(),
  event_type_from: sourceFields.event_type_from.optional(),
  max_body_bytes: sourceFields.max_body_bytes.optional(),
  content_types: sourceFields.content_types.optional(),
  response_mode: sourceFields.response_mode.optional(),
  sync_timeout_ms: sourceFields.sync_timeout_ms.optional(),
  rules: sourceFields.rules.optional(),
  enabled: sourceFields.enabled.optional(),
  handshake: sourceFields.handshake.optional(),
});

const createdSchema = z
  .object({
    source: sourceSchema,
    secret: z
      .string()
      .nullable()
      .describe('The generated secret, shown once (null when you supplied one or the scheme needs none)'),
  })
  .meta({ id: 'InboundSourceCreated' });

const secretRotatedSchema = z
  .object({
    source: sourceSchema,
    secret: sourceSecretSchema.extend({
      secret: z.string().nullable().describe('The generated secret, shown once; null when you supplied it'),
    }),
  })
  .meta({ id: 'InboundSourceSecretRotated' });

const notFound = (id: string) => new ApiError('not_found', `Inbound source ${id} does not exist.`);

export function sourceRoutes(deps: SourceRouteDeps) {
  const { db, vault, sources, publicUrl, urlPolicy } = deps;

  async function present(q: Queryable, row: SourceRow) {
    const token = await vault.open(q, row.tenant_id, sourceTokenContext(row.id), row.token_sealed);
    return presentSource(row, token, publicUrl, await listSourceSecrets(q, [row.id]));
  }

  async function addSecret(tx: Queryable, tenantId: string, sourceId: string, value: string) {
    const id = newId('whis');
    const sealed = await vault.seal(tx, tenantId, sourceSecretContext(id), value);
    return insertSourceSecret(tx, { id, source_id: sourceId, secret_sealed: sealed });
  }

  /** Defaults a connection's connector implies (verification, dedup and type sources), or why there are none. */
  async function connectionDefaults(tenantId: string, connectionId: string) {
    const connection = await getConnection(db, tenantId, connectionId);
    if (!connection) throw new ApiError('not_found', `Connection ${connectionId} does not exist.`);
    const connector = await deps.registry.get(connection.connector_slug);
    const defaults = connector
      ? sourceDefaultsFromManifest(connector.manifest)
      : { unsupported: 'The connector is retired.', handshake: null, content_types: null };
    return { connection, defaults, secretField: connector?.manifest.webhooks?.secret_field };
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/inbound/sources',
      operationId: 'createInboundSource',
      summary: 'Create an inbound webhook source and its public URL',
      description: [
        'The answer carries the URL to give the sender (`POST /hooks/{token}`). When `connection_id` names a',
        'connection whose connector declares a webhook scheme, verification, the delivery-id and the event-type',
        'locations, the URL check and the accepted media types default to the vendor’s. The secret: given as',
        '`secret`; taken from the connection when omitted and the connector names the credential the vendor signs',
        'with (Twilio’s Auth Token) or for HubSpot (the tenant’s own OAuth app); required for the other schemes whose',
        'secret the vendor issues; otherwise generated and shown once.',
      ].join(' '),
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_source.create', targetType: 'inbound_source' },
      errors: ['not_found', 'destination_blocked', 'secret_reference_invalid', 'malformed_json', 'body_too_large'],
      schema: { body: createBody, response: { 201: createdSchema } },
      async handler({ body, tenantId, principal, transaction, audit }) {
        const { secret: givenSecret, connection_id: connectionId, ...input } = body;
        const forConnection = connectionId !== null ? await connectionDefaults(tenantId, connectionId) : undefined;
        const implied = forConnection?.defaults;
        let verification = input.verification;
        if (!verification) {
          if (!implied) {
            throw new ApiError(
              'validation_failed',
              'Give a verification scheme (or a connection_id that implies one).',
              {
                errors: [{ path: 'body.verification', message: 'required without connection_id' }],
              },
            );
          }
          if ('unsupported' in implied) {
            throw new ApiError('validation_failed', implied.unsupported, {
              errors: [{ path: 'body.verification', message: implied.unsupported }],
            });
          }
          verification = verificationSchemeSchema.parse(implied.verification);
        }
        const fromConnector = implied && !('unsupported' in implied) ? implied : undefined;
        const checkedRules = await assertRules(db, tenantId, input.rules, urlPolicy);
        await assertSecretDestinationAuthority(principal, async () => [], forwardDestinations(checkedRules));
        const fields: Omit<SourceFields, 'rules'> = {
          ...input,
          verification,
          dedup_key: input.dedup_key !== undefined ? input.dedup_key : (fromConnector?.dedup_key ?? null),
          event_type_from:
            input.event_type_from !== undefined ? input.event_type_from : (fromConnector?.event_type_from ?? null),
          handshake: input.handshake !== undefined ? input.handshake : (implied?.handshake ?? null),
          content_types: input.content_types ?? implied?.content_types ?? SOURCE_DEFAULTS.content_types,
        };
        // A secret the connection holds (Twilio's Auth Token, HubSpot's app secret) is never shown: it is not new.
        const held =
          givenSecret === undefined && forConnection
            ? await secretFromConnection(db, vault, forConnection.connection, verification, forConnection.secretField)
            : undefined;
        const supplied = givenSecret ?? held;
        const secret = schemeNeedsSecret(verification.type)
          ? chooseSecret(verification, supplied, 'body.secret')
          : undefined;
        const result = await transaction(async (tx) => {
          const id = newId('whin');
          const token = newSourceToken();
          const rules = await sealRules(tx, vault, { tenantId, sourceId: id }, checkedRules);
          const row = await insertSource(tx, {
            id,
            tenant_id: tenantId,
            connection_id: connectionId,
            token_hash: hashToken(token),
            token_sealed: await vault.seal(tx, tenantId, sourceTokenContext(id), token),
            ...fields,
            rules,
          });
          if (secret !== undefined) await addSecret(tx, tenantId, id, secret);
          await sources.changed(tx, id);
          audit.target(id, {
            ...fields,
            rules: presentRules(rules),
            connection_id: connectionId,
            secret_generated: secret !== undefined && supplied === undefined,
            ...(held !== undefined ? { secret_from_connection: true } : {}),
          });
          return {
            source: await present(tx, row),
            secret: secret !== undefined && supplied === undefined ? secret : null,
          };
        });
        return result;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/inbound/sources',
      operationId: 'listInboundSources',
      summary: 'List inbound webhook sources, newest first',
      tags: ['Inbound webhooks'],
      access: { capability: 'view_inbound' },
      schema: {
        querystring: pageQuery.extend({ connection_id: z.string().max(100).optional() }),
        response: { 200: page(sourceSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listSources(db, tenantId, {
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
          ...(query.connection_id ? { connectionId: query.connection_id } : {}),
        });
        const shown = rows.slice(0, query.limit);
        const secrets = await listSourceSecrets(
          db,
          shown.map((r) => r.id),
        );
        const tokens = new Map<string, string>();
        for (const row of shown) {
          tokens.set(row.id, await vault.open(db, tenantId, sourceTokenContext(row.id), row.token_sealed));
        }
        return toPage(rows, query.limit, (row) => presentSource(row, tokens.get(row.id) as string, publicUrl, secrets));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/inbound/sources/:id',
      operationId: 'getInboundSource',
      summary: 'Get an inbound webhook source with its URL (never its secrets)',
      tags: ['Inbound webhooks'],
      access: { capability: 'view_inbound' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: sourceSchema } },
      async handler({ params, tenantId }) {
        const row = await getSource(db, tenantId, params.id);
        if (!row) throw notFound(params.id);
        return present(db, row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/inbound/sources/:id',
      operationId: 'updateInboundSource',
      summary: 'Change an inbound webhook source: verification, limits, rules, enable / disable',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_source.update', targetType: 'inbound_source' },
      errors: ['not_found', 'destination_blocked', 'secret_reference_invalid', 'malformed_json', 'body_too_large'],
      schema: { params: idParams, body: patchBody, response: { 200: sourceSchema } },
      async handler({ params, body, tenantId, principal, transaction, audit }) {
        const { rules: givenRules, ...plain } = body;
        const checkedRules =
          givenRules !== undefined ? await assertRules(db, tenantId, givenRules, urlPolicy) : undefined;
        return transaction(async (tx) => {
          const current = await lockSource(tx, tenantId, params.id);
          if (!current) throw notFound(params.id);
          const { id: _id, tenant_id: _t, ...was } = current;
          const ids = { tenantId, sourceId: current.id };
          if (checkedRules) {
            await assertSecretDestinationAuthority(
              principal,
              () => storedForwardDestinations(tx, vault, ids, current.rules),
              forwardDestinations(checkedRules),
            );
          }
          const rules = checkedRules ? await sealRules(tx, vault, ids, checkedRules, current.rules) : undefined;
          const row = await updateSource(tx, current.id, { ...was, ...plain, ...(rules ? { rules } : {}) });
          await sources.changed(tx, row.id);
          audit.target(row.id, { ...plain, ...(rules ? { rules: presentRules(rules) } : {}) });
          return present(tx, row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/inbound/sources/:id',
      operationId: 'deleteInboundSource',
      summary: 'Delete an inbound webhook source, its secrets and its event log',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_source.delete', targetType: 'inbound_source' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          if (!(await deleteSource(tx, tenantId, params.id))) throw notFound(params.id);
          audit.target(params.id);
          await sources.changed(tx, params.id);
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/inbound/sources/:id/rotate-token',
      operationId: 'rotateInboundSourceToken',
      summary: 'Give a source a new URL; the old one keeps working for a grace period',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_source.rotate_token', targetType: 'inbound_source' },
      errors: ['not_found', 'malformed_json', 'body_too_large'],
      schema: {
        params: idParams,
        body: z
          .strictObject({
            grace_seconds: z
              .number()
              .int()
              .min(0)
              .max(30 * 86_400)
              .default(86_400)
              .describe('How long the old URL is still accepted; 0 retires it at once'),
          })
          .default({ grace_seconds: 86_400 }),
        response: { 200: sourceSchema },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const current = await lockSource(tx, tenantId, params.id);
          if (!current) throw notFound(params.id);
          const token = newSourceToken();
          const row = await replaceToken(tx, current.id, {
            hash: hashToken(token),
            sealed: await vault.seal(tx, tenantId, sourceTokenContext(current.id), token),
            graceSeconds: body.grace_seconds,
          });
          await sources.changed(tx, row.id);
          audit.target(row.id, { grace_seconds: body.grace_seconds });
          return present(tx, row);
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/inbound/sources/:id/rotate-secret',
      operationId: 'rotateInboundSourceSecret',
      summary: 'Add a verification secret; the current ones are accepted until the overlap ends',
      description:
        'Requests signed with either secret verify during the overlap, so the sender can switch at its own pace.',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_source.rotate_secret', targetType: 'inbound_source' },
      errors: ['not_found', 'conflict', 'malformed_json', 'body_too_large'],
      schema: {
        params: idParams,
        body: z
          .strictObject({
            secret: secretInput.optional(),
            overlap_seconds: z
              .number()
              .int()
              .min(0)
              .max(30 * 86_400)
              .default(86_400)
              .describe('How long the current secrets stay valid; 0 retires them at once'),
          })
          .default({ overlap_seconds: 86_400 }),
        response: { 200: secretRotatedSchema },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const current = await lockSource(tx, tenantId, params.id);
          if (!current) throw notFound(params.id);
          if (!schemeNeedsSecret(current.verification.type)) {
            throw new ApiError('conflict', 'This source’s verification scheme (none) uses no secret.');
          }
          const value = chooseSecret(current.verification, body.secret, 'body.secret');
          const expiring = await expireSourceSecrets(tx, current.id, body.overlap_seconds);
          const added = await addSecret(tx, tenantId, current.id, value);
          await sources.changed(tx, current.id);
          audit.target(current.id, { secret_id: added.id, expiring, overlap_seconds: body.overlap_seconds });
          return {
            source: await present(tx, current),
            secret: {
              id: added.id,
              created_at: added.created_at.toISOString(),
              expires_at: null,
              secret: body.secret === undefined ? value : null,
            },
          };
        });
      },
    }),
  ];
}
