import { z } from 'zod';
import { channels } from '../../core/db/channels.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, toPage } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import { assertSecretDestinationAuthority } from '../../vault/secrets/destination-authority.js';
import type { Vault } from '../../vault/vault.js';
import { eventTypeName } from '../../events/types/publishable.js';
import { endpointSchema, newSecretSchema, presentEndpoint, presentSecret } from './present.js';
import { createEndpointSecret, openHeaders, sealHeaders } from './secrets.js';
import {
  deleteEndpoint,
  expireLiveSecrets,
  getEndpoint,
  insertEndpoint,
  listEndpoints,
  listLiveSecrets,
  lockEndpoint,
  updateEndpoint,
  type EndpointFields,
  type EndpointRow,
} from './sql.js';
import {
  assertCustomHeaders,
  assertEndpointUrl,
  assertEventTypes,
  assertPayloadFilter,
  type UrlPolicy,
} from './validate.js';

const fields = {
  url: z.string().max(2000),
  description: z.string().max(1000),
  event_types: z.array(eventTypeName).max(200).describe('Event types to receive; empty (the default) means all'),
  headers: z
    .record(z.string().min(1).max(200), z.string().max(4000))
    .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
    .describe('Custom headers sent with every delivery (not hop-by-hop, not webhook-*)'),
  rate_limit_per_second: z.number().int().min(1).max(100_000).nullable().describe('null: no limit'),
  ordering: z
    .enum(['none', 'endpoint', 'key'])
    .describe('FIFO delivery: none, per endpoint, or per ordering key of the event'),
  enabled: z.boolean(),
  filter: z
    .string()
    .max(2000)
    .nullable()
    .describe(
      'Deliver only events for which this SQL/JSON path condition over {"type", "data"} holds, e.g. `$.data.amount > 100`; others are skipped. null: every event',
    ),
};

const createBody = z.strictObject({
  url: fields.url,
  description: fields.description.default(''),
  event_types: fields.event_types.default([]),
  headers: fields.headers.default({}),
  rate_limit_per_second: fields.rate_limit_per_second.default(null),
  ordering: fields.ordering.default('none'),
  enabled: fields.enabled.default(true),
  filter: fields.filter.default(null),
  signing: z.enum(['hmac', 'ed25519']).default('hmac').describe('hmac (whsec_) or ed25519 (whsk_/whpk_)'),
});

const patchBody = z.strictObject({
  url: fields.url.optional(),
  description: fields.description.optional(),
  event_types: fields.event_types.optional(),
  headers: fields.headers.optional(),
  rate_limit_per_second: fields.rate_limit_per_second.optional(),
  ordering: fields.ordering.optional(),
  enabled: fields.enabled.optional(),
  filter: fields.filter.optional(),
  disabled_reason: z.string().max(500).optional().describe('Why it was disabled (with enabled: false)'),
});

const createdSchema = endpointSchema
  .extend({ signing_secret: newSecretSchema })
  .meta({ id: 'WebhookEndpointCreated', description: 'The new endpoint and its first signing secret (shown once).' });

const rotatedSchema = z
  .object({ endpoint: endpointSchema, signing_secret: newSecretSchema })
  .meta({ id: 'WebhookEndpointRotated' });

/** What the audit diff says about a change: field names and non-secret values; header values are left out. */
function auditFields(f: Partial<EndpointFields>): Record<string, unknown> {
  const { headers_sealed: _sealed, ...rest } = f;
  return rest;
}

/** Dispatchers on every node cache endpoints and their secrets; tell them when one changes (on commit). */
export function endpointChanged(db: Db, q: Queryable, endpointId: string): Promise<void> {
  return db.notify(q, channels.webhookEndpointChanged, endpointId);
}

async function presentOne(db: Db, row: EndpointRow) {
  return presentEndpoint(row, await listLiveSecrets(db, [row.id]));
}

export function endpointRoutes(deps: { db: Db; vault: Vault; urlPolicy: UrlPolicy }) {
  const { db, vault, urlPolicy } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      operationId: 'createWebhookEndpoint',
      summary: 'Create a webhook endpoint; its signing secret is in this response only',
      tags: ['Webhooks'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'webhook_endpoint.create', targetType: 'webhook_endpoint' },
      errors: ['destination_blocked', 'malformed_json', 'body_too_large'],
      schema: { body: createBody, response: { 201: createdSchema } },
      async handler({ body, tenantId, principal, transaction, audit }) {
        const { signing, headers, ...input } = body;
        const checkedHeaders = assertCustomHeaders(headers);
        const values: Omit<EndpointFields, 'header_names' | 'headers_sealed'> = {
          ...input,
          url: await assertEndpointUrl(body.url, urlPolicy),
          event_types: await assertEventTypes(db, tenantId, body.event_types),
          filter: await assertPayloadFilter(db, body.filter),
          disabled_reason: body.enabled ? null : 'manual',
        };
        await assertSecretDestinationAuthority(principal, async () => [], [
          { url: values.url, headers: checkedHeaders },
        ]);
        return transaction(async (tx) => {
          const id = newId('ep');
          const sealed = await sealHeaders(tx, vault, tenantId, id, checkedHeaders);
          const row = await insertEndpoint(tx, { id, tenant_id: tenantId, ...values, ...sealed });
          const minted = await createEndpointSecret(tx, vault, { tenantId, endpointId: row.id, kind: signing });
          audit.target(row.id, {
            ...auditFields(values),
            header_names: sealed.header_names,
            signing,
            secret_id: minted.row.id,
          });
          return {
            ...presentEndpoint(row, [minted.row]),
            signing_secret: { ...presentSecret(minted.row), secret: minted.secret },
          };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/endpoints',
      operationId: 'listWebhookEndpoints',
      summary: 'List webhook endpoints, newest first',
      tags: ['Webhooks'],
      access: { capability: 'view_webhooks' },
      schema: { querystring: pageQuery, response: { 200: page(endpointSchema) } },
      async handler({ query, tenantId }) {
        const rows = await listEndpoints(db, tenantId, {
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
        });
        const secrets = await listLiveSecrets(
          db,
          rows.map((r) => r.id),
        );
        return toPage(rows, query.limit, (row) => presentEndpoint(row, secrets));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/endpoints/:id',
      operationId: 'getWebhookEndpoint',
      summary: 'Get a webhook endpoint (its secrets by id, never their values)',
      tags: ['Webhooks'],
      access: { capability: 'view_webhooks' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: endpointSchema } },
      async handler({ params, tenantId }) {
        const row = await getEndpoint(db, tenantId, params.id);
        if (!row) throw new ApiError('not_found', `Webhook endpoint ${params.id} does not exist.`);
        return presentOne(db, row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/webhooks/endpoints/:id',
      operationId: 'updateWebhookEndpoint',
      summary: 'Change a webhook endpoint, or enable / disable it',
      tags: ['Webhooks'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'webhook_endpoint.update', targetType: 'webhook_endpoint' },
      errors: ['not_found', 'destination_blocked', 'malformed_json', 'body_too_large'],
      schema: { params: idParams, body: patchBody, response: { 200: endpointSchema } },
      async handler({ params, body, tenantId, principal, transaction, audit }) {
        const { disabled_reason: reason, headers, ...input } = body;
        const checkedHeaders = headers !== undefined ? assertCustomHeaders(headers) : undefined;
        const change: Partial<EndpointFields> = {
          ...input,
          ...(body.url !== undefined ? { url: await assertEndpointUrl(body.url, urlPolicy) } : {}),
          ...(body.event_types !== undefined
            ? { event_types: await assertEventTypes(db, tenantId, body.event_types) }
            : {}),
          ...(body.filter !== undefined ? { filter: await assertPayloadFilter(db, body.filter) } : {}),
        };
        return transaction(async (tx) => {
          const current = await lockEndpoint(tx, tenantId, params.id);
          if (!current) throw new ApiError('not_found', `Webhook endpoint ${params.id} does not exist.`);
          if (checkedHeaders || change.url !== undefined) {
            const headersBefore = () => openHeaders(tx, vault, tenantId, current.id, current.headers_sealed);
            await assertSecretDestinationAuthority(
              principal,
              async () => [{ url: current.url, headers: await headersBefore() }],
              [{ url: change.url ?? current.url, headers: checkedHeaders ?? (await headersBefore()) }],
            );
          }
          if (checkedHeaders) Object.assign(change, await sealHeaders(tx, vault, tenantId, current.id, checkedHeaders));
          const enabled = change.enabled ?? current.enabled;
          const disabledReason = enabled ? null : (reason ?? (current.enabled ? 'manual' : current.disabled_reason));
          const row = await updateEndpoint(tx, current.id, {
            url: current.url,
            description: current.description,
            event_types: current.event_types,
            header_names: current.header_names,
            headers_sealed: current.headers_sealed,
            rate_limit_per_second: current.rate_limit_per_second,
            ordering: current.ordering,
            filter: current.filter,
            ...change,
            enabled,
            disabled_reason: disabledReason,
          });
          audit.target(row.id, auditFields(change));
          await endpointChanged(db, tx, row.id);
          return presentEndpoint(row, await listLiveSecrets(tx, [row.id]));
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/webhooks/endpoints/:id',
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete a webhook endpoint and its secrets',
      tags: ['Webhooks'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'webhook_endpoint.delete', targetType: 'webhook_endpoint' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          if (!(await deleteEndpoint(tx, tenantId, params.id)))
            throw new ApiError('not_found', `Webhook endpoint ${params.id} does not exist.`);
          audit.target(params.id);
          await endpointChanged(db, tx, params.id);
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/endpoints/:id/secrets/rotate',
      operationId: 'rotateWebhookEndpointSecret',
      summary: 'Add a new signing secret (shown once) and expire the current ones after a grace period',
      description:
        'Until the old secrets expire, deliveries carry a signature for each, so receivers can switch over at their pace.',
      tags: ['Webhooks'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'webhook_endpoint.rotate_secret', targetType: 'webhook_endpoint' },
      errors: ['not_found', 'malformed_json', 'body_too_large'],
      schema: {
        params: idParams,
        body: z
          .strictObject({
            expire_old_in_seconds: z
              .number()
              .int()
              .min(0)
              .max(30 * 24 * 3600)
              .default(86_400),
            signing: z.enum(['hmac', 'ed25519']).optional().describe('Default: the kind of the newest secret'),
          })
          .default({ expire_old_in_seconds: 86_400 }),
        response: { 200: rotatedSchema },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const current = await lockEndpoint(tx, tenantId, params.id);
          if (!current) throw new ApiError('not_found', `Webhook endpoint ${params.id} does not exist.`);
          const live = await listLiveSecrets(tx, [current.id]);
          const kind = body.signing ?? live.at(-1)?.kind ?? 'hmac';
          const expired = await expireLiveSecrets(tx, current.id, body.expire_old_in_seconds);
          const minted = await createEndpointSecret(tx, vault, { tenantId, endpointId: current.id, kind });
          await endpointChanged(db, tx, current.id);
          audit.target(current.id, {
            secret_id: minted.row.id,
            kind,
            expiring: expired,
            expire_old_in_seconds: body.expire_old_in_seconds,
          });
          return {
            endpoint: presentEndpoint(current, await listLiveSecrets(tx, [current.id])),
            signing_secret: { ...presentSecret(minted.row), secret: minted.secret },
          };
        });
      },
    }),
  ];
}
