import { z } from 'zod';
import { notFound } from '../core/errors.js';
import { defineRoute } from '../core/http/route.js';
import {
  decodeCursor,
  idParams,
  iso,
  isoRequired,
  page,
  pageQuery,
  timestamp,
  toPage,
  fieldValues,
} from '../core/http/schemas.js';
import { connectionKey, endUserSchema, metadataSchema, tagsSchema } from './identity.js';
import { presentConnections, presentOne } from './inbound-activity.js';
import { connectionSchema, type ConnectionOut } from './present.js';
import { listRequestLog } from './request-log.js';
import type { ConnectionDeps } from './service-common.js';
import { createConnection, createdAuditDiff, createErrors } from './service-create.js';
import { disconnectConnection, editConnection, pauseConnection, testConnection } from './service-lifecycle.js';
import {
  connectionStates,
  countConnectionsByState,
  getConnection,
  listConnections,
  listStateHistory,
  type ConnectionRow,
  type ConnectionSort,
} from './sql.js';

const sorts = ['name', 'created_at', 'state', 'connector', 'last_test_at'] as const;
const connectionErrors = [
  'not_found',
  'connector_maintenance',
  'connection_test_failed',
  'connection_unusable',
] as const;

export function connectionRoutes(
  deps: ConnectionDeps & { beforeDisconnect?: Parameters<typeof disconnectConnection>[4] },
) {
  // Warnings (deprecation, vendor sunsets) come from the connector, on every read of the connection.
  const present = (row: ConnectionRow) => presentOne(deps, row);

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/connections',
      operationId: 'createConnection',
      summary: 'Create a connection (tested first unless validate is false)',
      description:
        'Credentials may be given as values or as secret references (`{{secrets.NAME}}`). With `validate: true` (the default) ' +
        'the connector’s test call runs first: if it fails nothing is stored and the outcome comes back in a 422. With ' +
        '`validate: false` the connection is saved `inactive`. OAuth client-credentials methods take no credentials: ' +
        'the token is fetched with the tenant’s or the platform’s OAuth app. Authorization-code methods are connected ' +
        'through `POST /v1/oauth/authorize`.',
      tags: ['Connections'],
      access: { capability: 'create_connection' },
      audit: { action: 'connection.create', targetType: 'connection' },
      errors: [...createErrors, 'body_too_large'],
      schema: {
        body: z.strictObject({
          connector: z.string().min(1).max(100),
          name: z.string().max(200).optional(),
          description: z.string().max(2000).optional(),
          auth_method: z
            .string()
            .max(50)
            .optional()
            .describe('An auth method type of the connector; its first by default'),
          config: fieldValues.optional(),
          credentials: fieldValues.optional(),
          scopes: z
            .array(z.string().min(1).max(200))
            .max(100)
            .optional()
            .describe('OAuth client-credentials methods: the scopes to request (the manifest’s defaults when omitted)'),
          validate: z.boolean().default(true),
          key: connectionKey.optional(),
          end_user: endUserSchema.optional(),
          tags: tagsSchema.optional().describe('Labels to filter connections by (`?tags=`)'),
          metadata: metadataSchema.optional(),
        }),
        response: {
          201: connectionSchema,
          200: connectionSchema.describe('A repeat of the create that made this connection (same `key`)'),
        },
      },
      status: 201,
      async handler({ body, principal, req, transaction, audit, respond }) {
        const { connection, repeated } = await createConnection(deps, principal, body, {
          requestId: req.id,
          transaction,
          onCreated: (row) => audit.target(row.id, createdAuditDiff(row)),
        });
        if (repeated) {
          respond(200);
          audit.target(connection.id, { repeated: true, key: connection.key });
        }
        return present(connection);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connections',
      operationId: 'listConnections',
      summary: 'List connections (filter, search, sort, cursor pages)',
      tags: ['Connections'],
      access: { capability: 'list_connections' },
      schema: {
        querystring: pageQuery.extend({
          state: z.enum(connectionStates).optional(),
          connector: z.string().max(100).optional(),
          q: z.string().max(200).optional().describe('Free text over name, description, connector and account id'),
          end_user_id: z.string().max(200).optional().describe('Only the connections of this end user'),
          tags: z
            .string()
            .max(2000)
            .optional()
            .describe('Comma-separated: only connections carrying every one of these tags'),
          sort: z.enum([...sorts, ...sorts.map((s) => `-${s}` as const)]).default('-created_at'),
        }),
        response: { 200: page(connectionSchema) },
      },
      async handler({ query, tenantId }) {
        const desc = query.sort.startsWith('-');
        const sort = query.sort.replace(/^-/, '') as ConnectionSort;
        const cursor = decodeCursor(query.cursor);
        const rows = await listConnections(deps.db, tenantId, {
          limit: query.limit,
          state: query.state,
          connector: query.connector,
          search: query.q,
          endUserId: query.end_user_id,
          tags: query.tags
            ?.split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          sort,
          desc,
          ...(cursor ? { after: { key: cursor.key ?? null, id: cursor.id } } : {}),
        });
        const registry = new Map((await deps.registry.list()).map((r) => [r.slug, r]));
        const shown = await presentConnections(
          deps.db,
          rows.slice(0, query.limit),
          (slug) => registry.get(slug),
          deps.clock.now(),
        );
        const byId = new Map(shown.map((c) => [c.id, c]));
        return toPage(
          rows,
          query.limit,
          (r) => byId.get(r.id) as ConnectionOut,
          (r) => r.sort_key,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connections/summary',
      operationId: 'summarizeConnections',
      summary: 'Count connections by state',
      description: 'The health summary of the console overview: how many connections the tenant has in each state.',
      tags: ['Connections'],
      access: { capability: 'list_connections' },
      schema: {
        response: {
          200: z
            .object({
              total: z.number().int(),
              by_state: z.object(Object.fromEntries(connectionStates.map((s) => [s, z.number().int()]))),
            })
            .meta({ id: 'ConnectionSummary' }),
        },
      },
      async handler({ tenantId }) {
        const counts = await countConnectionsByState(deps.db, tenantId);
        const byState = Object.fromEntries(connectionStates.map((s) => [s, counts.get(s) ?? 0]));
        return { total: [...counts.values()].reduce((a, b) => a + b, 0), by_state: byState };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connections/:id',
      operationId: 'getConnection',
      summary: 'Get a connection',
      tags: ['Connections'],
      access: { capability: 'list_connections' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: connectionSchema } },
      async handler({ params, tenantId }) {
        const row = await getConnection(deps.db, tenantId, params.id);
        if (!row) throw notFound('Connection', params.id);
        return present(row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/connections/:id',
      operationId: 'updateConnection',
      summary: 'Edit name, description or config, or rotate credentials (re-tested)',
      description:
        'Rotating credentials also needs `create_connection` (credential authority), and so does changing a config ' +
        'field that decides where the credentials are sent (one the connector’s base URL, OAuth endpoints or ' +
        'connection string render, e.g. a subdomain, region or instance URL): without it, 403 `forbidden` with ' +
        '`missing_capability` and `destination_fields`.',
      tags: ['Connections'],
      access: { capability: 'edit_connection' },
      audit: { action: 'connection.update', targetType: 'connection' },
      errors: [...connectionErrors, 'oauth_flow_required', 'secret_reference_invalid', 'malformed_json'],
      schema: {
        params: idParams,
        body: z.strictObject({
          name: z.string().min(1).max(200).optional(),
          description: z.string().max(2000).optional(),
          config: fieldValues.optional(),
          credentials: fieldValues.optional(),
          tags: tagsSchema.optional().describe('Replaces the tags'),
          metadata: metadataSchema.optional().describe('Replaces the metadata'),
          validate: z.boolean().default(true),
        }),
        response: { 200: connectionSchema },
      },
      async handler({ params, body, principal, req, transaction, audit }) {
        audit.target(params.id, {
          fields: Object.keys(body).filter((k) => k !== 'validate' && k !== 'credentials'),
          credentials_rotated: body.credentials !== undefined,
        });
        const { connection } = await editConnection(deps, principal, params.id, body, {
          requestId: req.id,
          transaction,
        });
        return present(connection);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/connections/:id',
      operationId: 'deleteConnection',
      summary: 'Disconnect: delete the connection and its credentials',
      tags: ['Connections'],
      access: { capability: 'disconnect' },
      audit: { action: 'connection.delete', targetType: 'connection' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, principal, req, transaction, audit }) {
        await disconnectConnection(
          deps,
          principal,
          params.id,
          {
            requestId: req.id,
            transaction,
            onDeleted: (connection, extra) =>
              audit.target(params.id, { connector: connection.connector_slug, name: connection.name, ...extra }),
          },
          deps.beforeDisconnect,
        );
      },
    }),
    ...lifecycleRoutes(deps, present),
  ];
}

function lifecycleRoutes(
  deps: ConnectionDeps,
  present: (row: ConnectionRow) => Promise<z.input<typeof connectionSchema>>,
) {
  const action = (name: 'test' | 'pause' | 'resume', summary: string, capability: string) =>
    defineRoute({
      method: 'POST',
      url: `/v1/connections/:id/${name}`,
      operationId: `${name}Connection`,
      summary,
      tags: ['Connections'],
      access: { capability },
      audit: { action: `connection.${name}`, targetType: 'connection' },
      errors: [...connectionErrors, 'conflict'],
      schema: { params: idParams, response: { 200: connectionSchema } },
      async handler({ params, principal, req, transaction, audit }) {
        // The audit entry is written in the transaction that records the change, so its diff is set from there.
        const ctx = {
          requestId: req.id,
          transaction,
          onChange: (row: { state: string }, outcome?: { outcome: string }) =>
            audit.target(params.id, { ...(outcome ? { outcome: outcome.outcome } : {}), state: row.state }),
        };
        if (name === 'pause') return present(await pauseConnection(deps, principal, params.id, ctx));
        const { connection } = await testConnection(deps, principal, params.id, ctx, {
          resume: name === 'resume',
        });
        return present(connection);
      },
    });
  return [
    action('test', 'Run the connector’s test call and record the outcome', 'test_connection'),
    action('pause', 'Pause: no deliveries, no proxied calls; credentials kept', 'pause_resume'),
    action('resume', 'Resume a paused connection (tested first; a failure leaves it in error)', 'pause_resume'),
    defineRoute({
      method: 'GET',
      url: '/v1/connections/:id/history',
      operationId: 'listConnectionHistory',
      summary: 'State history of a connection, newest first',
      tags: ['Connections'],
      access: { capability: 'list_connections' },
      errors: ['not_found'],
      schema: {
        params: idParams,
        response: {
          200: z.object({
            data: z.array(
              z.object({
                from: z.string().nullable(),
                to: z.string(),
                reason: z.string().nullable(),
                actor_type: z.string(),
                actor_id: z.string().nullable(),
                at: timestamp,
              }),
            ),
          }),
        },
      },
      async handler({ params, tenantId }) {
        if (!(await getConnection(deps.db, tenantId, params.id))) throw notFound('Connection', params.id);
        const rows = await listStateHistory(deps.db, params.id, 200);
        return {
          data: rows.map((r) => ({
            from: r.from_state,
            to: r.to_state,
            reason: r.reason,
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            at: isoRequired(r.created_at),
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connections/:id/requests',
      operationId: 'listConnectionRequests',
      summary: 'Request log of a connection (proxied calls and tests), newest first',
      description: 'Method, path, status, latency, bytes and retries; never headers or bodies.',
      tags: ['Connections'],
      access: { capability: 'list_connections' },
      errors: ['not_found'],
      schema: {
        params: idParams,
        querystring: pageQuery,
        response: {
          200: page(
            z
              .object({
                id: z.string(),
                kind: z.enum(['proxy', 'test', 'sync', 'route']),
                method: z.string(),
                path: z.string(),
                status: z.number().int().nullable(),
                latency_ms: z.number(),
                bytes_in: z.number().int(),
                bytes_out: z.number().int(),
                retries: z.number().int(),
                error: z.string().nullable(),
                request_id: z.string().nullable(),
                at: timestamp,
              })
              .meta({ id: 'ConnectionRequest' }),
          ),
        },
      },
      async handler({ params, query, tenantId }) {
        if (!(await getConnection(deps.db, tenantId, params.id))) throw notFound('Connection', params.id);
        await deps.requestLog.flush();
        const rows = await listRequestLog(deps.db, tenantId, params.id, {
          limit: query.limit,
          beforeId: decodeCursor(query.cursor)?.id,
        });
        return toPage(rows, query.limit, (r) => ({
          id: r.id,
          kind: r.kind as 'proxy' | 'test' | 'sync' | 'route',
          method: r.method,
          path: r.path,
          status: r.status,
          latency_ms: Number(r.latency_ms),
          bytes_in: r.bytes_in,
          bytes_out: r.bytes_out,
          retries: r.retries,
          error: r.error,
          request_id: r.request_id,
          at: iso(r.created_at) as string,
        }));
      },
    }),
  ];
}
