import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { connectionKey, endUserSchema, metadataSchema, tagsSchema } from '../../connections/identity.js';
import { defineRoute } from '../../core/http/route.js';
import { idParams, timestamp, fieldValues } from '../../core/http/schemas.js';
import { completeFlow, UNEXPECTED_FAILURE, type CallbackDone, type CallbackFailed } from './callback.js';
import { deleteStaleFlows, type FlowRow } from './sql.js';
import { startAuthorizeFlow, startConnectUserFlow, startReauthorizeFlow, type OAuthFlowDeps } from './start.js';
import { errorPage, pageHeaders, successPage } from './pages.js';
import { flowStatusSchema, readFlowStatus } from './status.js';

const startedSchema = z
  .object({
    authorization_url: z.string().describe('Open this in the user’s browser (a popup or a redirect)'),
    flow_id: z.string(),
    state_expires_at: timestamp.describe('The flow must complete before this (10 minutes)'),
    redirect_uri: z.string().describe('Where the vendor sends the browser back; register it with the vendor app'),
    warnings: z.array(z.string()).optional(),
  })
  .meta({ id: 'OAuthFlowStarted', description: 'An authorization flow waiting for the user at the vendor' });

const scopes = z.array(z.string().min(1).max(200)).max(100);
const returnTo = z
  .string()
  .min(1)
  .max(2000)
  .describe(
    'Where the callback redirects afterwards (303, with `?connection_id=`): a path here or a URL on this server',
  );

const startErrors = [
  'not_found',
  'conflict',
  'connector_maintenance',
  'oauth_client_missing',
  'destination_blocked',
  'malformed_json',
] as const;
const audit = { action: 'oauth_flow.start', targetType: 'oauth_flow' };
/** A flow for an existing connection (re-authorization, a user's connect) is recorded against the connection. */
const connectionAudit = { action: 'oauth_flow.start', targetType: 'connection' };

const auditDiff = (flow: FlowRow) => ({
  purpose: flow.purpose,
  connector: flow.connector_slug,
  connection_id: flow.connection_id,
  level: flow.level,
  scopes: flow.scopes,
});

export function oauthFlowRoutes(deps: OAuthFlowDeps) {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/oauth/authorize',
      operationId: 'startOAuthAuthorization',
      summary: 'Start connecting an OAuth connector: get the vendor’s authorization URL',
      description:
        'Checks the connector, scopes, level and config, then records a single-use flow (10 minutes, PKCE unless ' +
        'the vendor cannot). After the user consents, the vendor redirects to `GET /v1/oauth/callback`, which ' +
        'exchanges the code, runs the test call and only then creates the connection `active`.',
      tags: ['OAuth'],
      access: { capability: 'create_connection' },
      audit,
      errors: [...startErrors, 'connector_unavailable', 'secret_reference_invalid'],
      schema: {
        body: z.strictObject({
          connector: z.string().min(1).max(100),
          name: z.string().max(200).optional(),
          description: z.string().max(2000).optional(),
          config: fieldValues.optional(),
          scopes: scopes.optional().describe('The manifest’s default scopes when omitted'),
          level: z.enum(['app', 'user']).optional().describe('Among the connector’s levels; its first by default'),
          return_to: returnTo.optional(),
          key: connectionKey.optional(),
          end_user: endUserSchema.optional(),
          tags: tagsSchema.optional(),
          metadata: metadataSchema.optional(),
        }),
        response: { 200: startedSchema },
      },
      async handler({ body, principal, transaction, audit }) {
        await deleteStaleFlows(deps.db);
        return startAuthorizeFlow(deps, principal, body, {
          transaction,
          onFlow: (flow) => audit.target(flow.id, auditDiff(flow)),
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/oauth/flows/:id',
      operationId: 'getOAuthFlow',
      summary: 'See where an authorization flow stands: waiting, connected (with the connection) or failed (why)',
      description:
        'For whoever waits on a flow without being the browser that ran it (a CLI, the page that opened the ' +
        'popup). The principal that started the flow may read it; anyone else in the tenant needs ' +
        '`list_connections`. Flows are kept for a day after they expire.',
      tags: ['OAuth'],
      access: 'authenticated',
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: flowStatusSchema } },
      async handler({ params, principal }) {
        return readFlowStatus(deps.db, principal, params.id, deps.clock.now());
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/oauth/callback',
      operationId: 'completeOAuthAuthorization',
      summary: 'Where the vendor returns the browser: finishes the flow and shows the result',
      tags: ['OAuth'],
      access: 'public',
      publicReason:
        'The vendor redirects the user’s browser here; the single-use state binds the request to the flow a principal started.',
      hidden: true,
      responseType: 'text/html',
      schema: { response: { 200: z.string() } },
      async handler({ req, reply }) {
        return answerCallback(deps, req, reply);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/connections/:id/reauthorize',
      operationId: 'reauthorizeConnection',
      summary: 'Re-authorize an OAuth connection (renewed consent, or a new scope set)',
      description:
        'Needs `edit_scopes` as well when `scopes` differ from the scopes the connection asks for now. At a ' +
        'user-level connection this renews the caller’s own credential. Re-authorizing as another vendor account ' +
        'needs `create_connection`.',
      tags: ['OAuth'],
      access: { capability: 'edit_connection' },
      audit: connectionAudit,
      errors: [...startErrors],
      schema: {
        params: idParams,
        body: z.strictObject({ scopes: scopes.optional(), return_to: returnTo.optional() }).nullish(),
        response: { 200: startedSchema },
      },
      async handler({ params, body, principal, transaction, audit }) {
        return startReauthorizeFlow(deps, principal, params.id, body ?? {}, {
          transaction,
          onFlow: (flow) => audit.target(params.id, { flow_id: flow.id, ...auditDiff(flow) }),
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/connections/:id/connect',
      operationId: 'connectUserAccount',
      summary: 'Connect your own account to a user-level OAuth connection',
      description:
        'Each user of a user-level connection (personal storage, mailboxes) authorizes their own account; calls ' +
        'through the connection then use the caller’s credential.',
      tags: ['OAuth'],
      access: { capability: 'use_proxy' },
      audit: connectionAudit,
      errors: [...startErrors],
      schema: {
        params: idParams,
        body: z.strictObject({ return_to: returnTo.optional() }).nullish(),
        response: { 200: startedSchema },
      },
      async handler({ params, body, principal, transaction, audit }) {
        return startConnectUserFlow(deps, principal, params.id, body ?? {}, {
          transaction,
          onFlow: (flow) => audit.target(params.id, { flow_id: flow.id, ...auditDiff(flow) }),
        });
      },
    }),
  ];
}

const UNEXPECTED: CallbackFailed = {
  ok: false,
  code: 'internal_error',
  status: 500,
  title: 'Something went wrong',
  detail: UNEXPECTED_FAILURE,
};

/** The callback's answer: a page (popup or tab), or a 303 to `return_to` after a success. */
async function answerCallback(deps: OAuthFlowDeps, req: FastifyRequest, reply: FastifyReply) {
  let result: CallbackDone | CallbackFailed;
  try {
    result = await completeFlow(deps, new URL(req.url, 'http://callback.invalid').searchParams, req.id);
  } catch (error) {
    req.log.error({ err: error }, 'the OAuth callback failed unexpectedly');
    result = UNEXPECTED;
  }
  const origin = new URL(deps.publicUrl).origin;
  if (result.ok && result.flow.return_to) {
    const target = new URL(result.flow.return_to);
    target.searchParams.set('connection_id', result.connection.id);
    reply.headers({ 'cache-control': pageHeaders['cache-control'], 'referrer-policy': 'no-referrer' });
    return reply.redirect(target.href, 303);
  }
  if (!result.ok) req.errorCode = result.code;
  const page = result.ok
    ? successPage({ origin, title: result.title, flowId: result.flow.id, connectionId: result.connection.id })
    : errorPage({
        origin,
        status: result.status,
        title: result.title,
        detail: result.detail,
        code: result.code,
        ...(result.flow ? { flowId: result.flow.id, returnTo: result.flow.return_to } : {}),
      });
  reply
    .code(page.status)
    .headers(page.headers)
    .serializer((payload) => payload as string);
  return page.html;
}
