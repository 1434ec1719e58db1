import { z } from 'zod';
import { presentDetail } from '../catalog/present.js';
import { systemConnectionSlugs } from '../catalog/sql.js';
import { connectorFor } from '../connections/connector-access.js';
import { destinationConfigKeys } from '../connections/credential-authority.js';
import { presentOne } from '../connections/inbound-activity.js';
import { connectionSchema } from '../connections/present.js';
import { createConnection, createdAuditDiff, identityEventFields } from '../connections/service-create.js';
import { editConnection } from '../connections/service-lifecycle.js';
import { listConnections } from '../connections/sql.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError, notFound } from '../core/errors.js';
import { defineRoute, type Call, type RouteSchema } from '../core/http/route.js';
import { idParams, isoRequired, timestamp, fieldValues } from '../core/http/schemas.js';
import { publishEvent } from '../events/publish.js';
import { getFlow, useConnectSession } from '../oauth/flows/sql.js';
import { startAuthorizeFlow, startReauthorizeFlow, type OAuthFlowDeps } from '../oauth/flows/start.js';
import { flowStatusSchema, readFlowStatus } from '../oauth/flows/status.js';
import { explain } from './explain.js';
import {
  allowedConnector,
  createSession,
  createSessionBody,
  endUserConnection,
  SESSION_HEADER,
  sessionConfig,
  sessionIdentity,
  sessionOfToken,
  sessionStatus,
  type ActiveSession,
} from './sessions.js';
import { deleteStaleSessions, expireSession, getSession, type ConnectSessionRow } from './sql.js';

/**
 * Connect sessions: the product's backend makes and ends them (`/v1/connect/sessions`); the hosted Connect UI acts
 * with a session's token alone (`/v1/connect/…`, header `Switchyard-Connect-Session`), on the connectors it names.
 * Every attempt's failure is published as `connection.auth_failed`, a success as `connection.created` (with the end
 * user), so the product's backend learns both through its webhooks.
 */

const sessionSchema = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'used', 'expired']),
    end_user: z.record(z.string(), z.unknown()),
    connectors: z.array(z.object({ connector: z.string(), scopes: z.array(z.string()).optional() })),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()),
    allowed_origins: z.array(z.string()),
    reconnect_connection_id: z.string().nullable(),
    connection_id: z.string().nullable().describe('The connection the session made or renewed'),
    expires_at: timestamp,
    created_at: timestamp,
  })
  .meta({ id: 'ConnectSession', description: 'A connect session (its token is shown once, at creation)' });

function presentSession(row: ConnectSessionRow, now: Date): z.input<typeof sessionSchema> {
  return {
    id: row.id,
    status: sessionStatus(row, now),
    end_user: row.end_user,
    connectors: row.connectors,
    tags: row.tags,
    metadata: row.metadata,
    allowed_origins: row.allowed_origins,
    reconnect_connection_id: row.reconnect_connection_id,
    connection_id: row.connection_id,
    expires_at: isoRequired(row.expires_at),
    created_at: isoRequired(row.created_at),
  };
}

const tokenOf = (call: { req: { headers: Record<string, unknown> } }) => {
  const value = call.req.headers[SESSION_HEADER];
  return typeof value === 'string' ? value : undefined;
};

const sessionErrors = ['connect_session_invalid', 'not_found'] as const;
const publicReason =
  'The Connect UI acts for an end user who holds only a connect session’s token, sent in the Switchyard-Connect-Session header and checked by every handler.';

export function connectRoutes(deps: OAuthFlowDeps) {
  const active = (call: { req: { headers: Record<string, unknown> } }, options: { allowUsed?: boolean } = {}) =>
    sessionOfToken(deps.db, deps.auth, tokenOf(call), deps.clock.now(), options);

  /** The attempt's failure, for the product's backend, and the end user's words on the error the UI shows. */
  const failed = async (s: ActiveSession, connector: string, error: unknown): Promise<never> => {
    if (!(error instanceof ApiError) || error.code === 'connect_session_invalid') throw error;
    await publishEvent(deps.db, {
      tenantId: s.session.tenant_id,
      type: 'connection.auth_failed',
      data: {
        connector,
        connection_id: null,
        error: { code: error.code, message: error.detail },
        ...(error.extensions.outcome ? { outcome: error.extensions.outcome } : {}),
        ...identityEventFields({ key: null, ...sessionIdentity(s.session) }),
      },
    }).catch(() => {});
    throw new ApiError(error.code, error.detail, { ...error.extensions, explanation: explain(error) }, error.headers);
  };

  /** The route's transaction, also using up the session with the connection it made or renewed. */
  const usingSession =
    (call: Pick<Call<RouteSchema>, 'transaction' | 'audit'>, s: ActiveSession, made: { id?: string }) =>
    <T>(fn: (tx: Queryable) => Promise<T>) =>
      call.transaction(async (tx) => {
        const result = await fn(tx);
        await useConnectSession(tx, s.session.id, made.id as string);
        return result;
      });

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/connect/sessions',
      operationId: 'createConnectSession',
      summary: 'Create a connect session: a short-lived link for one end user to connect their accounts',
      description:
        'Your backend names the end user, the connectors they may choose (with scopes), tags and metadata for the ' +
        'connection, the origins allowed to embed the Connect UI, an expiry (30 minutes by default) and branding. ' +
        'It gets a single-use `token` (shown once) and the `url` of the hosted Connect UI to open (or hand to ' +
        '`@switchyard/connect`). The session acts with your authority, limited to those connectors; it needs ' +
        '`create_connection` as well.',
      tags: ['Connect'],
      access: { capability: 'create_connect_session' },
      audit: { action: 'connect_session.create', targetType: 'connect_session' },
      errors: ['validation_failed', 'not_found', 'connector_unavailable', 'malformed_json'],
      schema: {
        body: createSessionBody,
        response: {
          201: sessionSchema.extend({
            token: z.string().describe('Shown once: the end user’s only credential; keep it out of logs'),
            url: z.string().describe('The hosted Connect UI for this session'),
          }),
        },
      },
      async handler({ body, principal, transaction, audit }) {
        await deleteStaleSessions(deps.db);
        const created = await transaction(async (tx) => {
          const made = await createSession(deps, tx, principal, body);
          audit.target(made.row.id, {
            end_user_id: made.row.end_user.id,
            connectors: made.row.connectors.map((c) => c.connector),
            allowed_origins: made.row.allowed_origins,
            expires_at: made.row.expires_at.toISOString(),
          });
          return made;
        });
        return { ...presentSession(created.row, deps.clock.now()), token: created.token, url: created.url };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connect/sessions/:id',
      operationId: 'getConnectSession',
      summary: 'Get a connect session: pending, used (with the connection) or expired',
      tags: ['Connect'],
      access: { capability: 'create_connect_session' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: sessionSchema } },
      async handler({ params, tenantId }) {
        const row = await getSession(deps.db, tenantId, params.id);
        if (!row) throw notFound('Connect session', params.id);
        return presentSession(row, deps.clock.now());
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/connect/sessions/:id',
      operationId: 'endConnectSession',
      summary: 'End a connect session now: its token stops working',
      tags: ['Connect'],
      access: { capability: 'create_connect_session' },
      audit: { action: 'connect_session.end', targetType: 'connect_session' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          if (!(await expireSession(tx, tenantId, params.id))) throw notFound('Connect session', params.id);
          audit.target(params.id, {});
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connect/session',
      operationId: 'readOwnConnectSession',
      summary: 'Connect UI: the session’s end user, branding, connectors (with their forms) and existing connections',
      tags: ['Connect'],
      access: 'public',
      publicReason,
      errors: [...sessionErrors],
      schema: { response: { 200: z.record(z.string(), z.unknown()).meta({ id: 'ConnectSessionView' }) } },
      async handler(call) {
        const { session } = await active(call);
        return sessionView(deps, session);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/connect/connections',
      operationId: 'connectWithSession',
      summary: 'Connect UI: connect an API-key, Basic or JWT account (tested first)',
      tags: ['Connect'],
      access: 'public',
      publicReason,
      audit: { action: 'connection.create', targetType: 'connection' },
      errors: [...sessionErrors, 'forbidden', 'connection_test_failed', 'destination_blocked', 'oauth_flow_required'],
      schema: {
        body: z.strictObject({
          connector: z.string().min(1).max(100),
          auth_method: z.string().max(50).optional(),
          config: fieldValues.optional(),
          credentials: fieldValues.optional(),
          name: z.string().max(200).optional(),
        }),
        response: { 201: connectionSchema },
      },
      async handler(call) {
        const s = await active(call);
        const { body, req, audit } = call;
        audit.actAs(s.principal);
        const allowed = allowedConnector(s.session, body.connector);
        assertNoReferences(body.config, body.credentials);
        const config = sessionConfig(allowed, body.config, new Set());
        const made: { id?: string } = {};
        const { connection } = await createConnection(
          deps,
          s.principal,
          {
            ...body,
            config,
            name: body.name ?? (await defaultName(deps, body.connector, s.session)),
            validate: true,
            ...sessionIdentity(s.session),
          },
          {
            requestId: req.id,
            transaction: usingSession(call, s, made),
            onCreated: (row) => {
              made.id = row.id;
              audit.target(row.id, createdAuditDiff(row, { connect_session_id: s.session.id }));
            },
          },
        ).catch((error: unknown) => failed(s, body.connector, error));
        return presentOne(deps, connection);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/connect/connections/:id/credentials',
      operationId: 'reconnectWithSession',
      summary: 'Connect UI: renew the credentials of one of the end user’s connections (tested first)',
      tags: ['Connect'],
      access: 'public',
      publicReason,
      audit: { action: 'connection.update', targetType: 'connection' },
      errors: [...sessionErrors, 'forbidden', 'connection_test_failed', 'oauth_flow_required'],
      schema: {
        params: idParams,
        body: z.strictObject({
          credentials: fieldValues,
          config: fieldValues.optional(),
        }),
        response: { 200: connectionSchema },
      },
      async handler(call) {
        const s = await active(call);
        const { body, params, req, audit } = call;
        audit.actAs(s.principal);
        const current = await endUserConnection(deps.db, s.session, params.id);
        assertNoReferences(body.config, body.credentials);
        audit.target(current.id, { credentials_rotated: true, connect_session_id: s.session.id });
        const { connection } = await editConnection(
          deps,
          s.principal,
          current.id,
          { ...body, validate: true },
          { requestId: req.id, transaction: usingSession(call, s, { id: current.id }) },
        ).catch((error: unknown) => failed(s, current.connector_slug, error));
        return presentOne(deps, connection);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/connect/oauth/authorize',
      operationId: 'authorizeWithSession',
      summary: 'Connect UI: start the OAuth consent for a connector (or to renew one of the end user’s connections)',
      tags: ['Connect'],
      access: 'public',
      publicReason,
      audit: { action: 'oauth_flow.start', targetType: 'oauth_flow' },
      errors: [...sessionErrors, 'forbidden', 'oauth_client_missing', 'destination_blocked'],
      schema: {
        body: z.strictObject({
          connector: z.string().min(1).max(100),
          scopes: z.array(z.string().min(1).max(200)).max(100).optional(),
          config: fieldValues.optional(),
          connection_id: z.string().min(1).max(100).optional().describe('Renew this connection of the end user'),
        }),
        response: {
          200: z.object({ authorization_url: z.string(), flow_id: z.string(), state_expires_at: timestamp }),
        },
      },
      async handler(call) {
        const s = await active(call);
        const { body, transaction, audit } = call;
        audit.actAs(s.principal);
        // Renewing a connection is its re-authorization, recorded against it (refused or not), as
        // POST /v1/connections/{id}/reauthorize is; a new connection's consent against its flow.
        const renewed = body.connection_id;
        if (renewed) audit.target(renewed, {}, 'connection');
        const allowed = allowedConnector(s.session, body.connector);
        const scopes = body.scopes ?? allowed.scopes;
        assertNoReferences(body.config);
        const { manifest } = await connectorFor(deps.registry, body.connector, 'create');
        const method = manifest.auth.find((a) => a.type === 'oauth2');
        const config = sessionConfig(
          allowed,
          body.config,
          method ? destinationConfigKeys(manifest, method) : new Set(),
        );
        const ctx = {
          transaction,
          onFlow: (flow: { id: string }) => {
            const diff = { connector: body.connector, connect_session_id: s.session.id };
            if (renewed) audit.target(renewed, { flow_id: flow.id, ...diff }, 'connection');
            else audit.target(flow.id, diff);
          },
        };
        const started = renewed
          ? await startReauthorizeFlow(
              deps,
              s.principal,
              (await endUserConnection(deps.db, s.session, renewed)).id,
              { ...(scopes ? { scopes } : {}), connect_session_id: s.session.id },
              ctx,
            )
          : await startAuthorizeFlow(
              deps,
              s.principal,
              {
                connector: body.connector,
                name: await defaultName(deps, body.connector, s.session),
                level: 'app',
                config,
                ...(scopes ? { scopes } : {}),
                ...sessionIdentity(s.session),
              },
              ctx,
            );
        return {
          authorization_url: started.authorization_url,
          flow_id: started.flow_id,
          state_expires_at: started.state_expires_at,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connect/oauth/flows/:id',
      operationId: 'readFlowWithSession',
      summary: 'Connect UI: where an OAuth consent the session started stands',
      tags: ['Connect'],
      access: 'public',
      publicReason,
      errors: [...sessionErrors],
      schema: { params: idParams, response: { 200: flowStatusSchema } },
      async handler(call) {
        // A session its own flow used up still reads that flow: the UI learns the outcome after the fact.
        const s = await active(call, { allowUsed: true });
        const flow = await getFlow(deps.db, s.session.tenant_id, call.params.id);
        if (!flow || flow.connect_session_id !== s.session.id) throw notFound('OAuth flow', call.params.id);
        return readFlowStatus(deps.db, s.principal, flow.id, deps.clock.now());
      },
    }),
  ];
}

/** Secret references name the tenant's secrets: an end user must not be able to point a connection at them. */
function assertNoReferences(...records: (Record<string, unknown> | undefined)[]): void {
  for (const record of records) {
    for (const value of Object.values(record ?? {})) {
      if (typeof value === 'string' && value.includes('{{')) {
        throw new ApiError('validation_failed', 'Values cannot contain "{{".', {
          errors: [{ path: 'body', message: 'template markers are not accepted here' }],
        });
      }
    }
  }
}

/** "HubSpot (Alice)": the connector's name and whom it is for. */
async function defaultName(deps: OAuthFlowDeps, slug: string, session: ConnectSessionRow): Promise<string> {
  const { manifest } = await connectorFor(deps.registry, slug, 'create');
  const who = session.end_user.display_name ?? session.end_user.email ?? session.end_user.id;
  return `${manifest.name} (${who})`.slice(0, 200);
}

/** What the Connect UI shows: never the maker, the tenant's other connections or anything secret. */
async function sessionView(deps: OAuthFlowDeps, session: ConnectSessionRow) {
  const systems = await systemConnectionSlugs(deps.db);
  const connectors = [];
  for (const allowed of session.connectors) {
    const row = await deps.registry.get(allowed.connector);
    if (!row) continue;
    const detail = presentDetail(row, { systemConnection: systems.has(row.slug), publicUrl: deps.publicUrl });
    if (!detail.connectable) continue;
    connectors.push({
      slug: detail.slug,
      name: detail.name,
      description: detail.description,
      category: detail.category,
      logo: detail.logo,
      docs_url: detail.docs_url,
      // Fields the app set are not the end user's to fill in.
      config: detail.config.filter((field) => !(field.key in (allowed.config ?? {}))),
      auth: detail.auth
        .filter((a) => a.type !== 'oauth2' || a.grant === 'authorization_code')
        .map((a) => ({
          id: a.id,
          type: a.type,
          label: a.label,
          fields: a.fields,
          ...(a.scopes
            ? {
                scopes: a.scopes.available.filter((s) => (allowed.scopes ?? a.scopes?.default ?? []).includes(s.name)),
              }
            : {}),
        })),
    });
  }
  const slugs = new Set(connectors.map((c) => c.slug));
  const own = await listConnections(deps.db, session.tenant_id, {
    limit: 200,
    endUserId: session.end_user.id,
    sort: 'created_at',
    desc: true,
  });
  return {
    id: session.id,
    end_user: {
      id: session.end_user.id,
      display_name: session.end_user.display_name ?? null,
      email: session.end_user.email ?? null,
    },
    branding: {
      name: session.branding.name ?? null,
      logo_url: session.branding.logo_url ?? null,
      primary_color: session.branding.primary_color ?? null,
    },
    expires_at: isoRequired(session.expires_at),
    reconnect: session.reconnect_connection_id,
    connectors,
    connections: own
      .filter((c) => slugs.has(c.connector_slug))
      .map((c) => ({
        id: c.id,
        connector: c.connector_slug,
        auth_method: c.auth_method,
        name: c.name,
        state: c.state,
        state_reason: c.state_reason,
        vendor_account_name: c.vendor_account_name,
      })),
  };
}
