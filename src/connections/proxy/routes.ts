import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { registerStreamedBodyRoutes, type RouteRuntime } from '../../core/http/register.js';
import { defineRoute, type HttpMethod, type RouteDef } from '../../core/http/route.js';
import { idParams } from '../../core/http/schemas.js';
import type { Proxy } from './proxy.js';

// HEAD first: declared after GET, Fastify would already have answered HEAD with the GET handler.
const methods = ['HEAD', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const satisfies HttpMethod[];
const documentedBody: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

const params = idParams.extend({
  '*': z.string().describe('The vendor path, relative to the connection’s base URL; may contain slashes'),
});

const description = [
  'Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after',
  '`/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor',
  'answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and',
  'the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and',
  'browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The',
  'caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in',
  'the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this',
  'proxy, so a client following a next page or a redirect stays behind Switchyard.',
  '',
  'Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502,',
  '503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on',
  'network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the',
  'connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is).',
  'POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over',
  '1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made;',
  '`Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).',
  '',
  'When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when',
  'it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per',
  'server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).',
  '',
  'OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is',
  'refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the',
  'caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`.',
  '`Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of',
  'them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.',
].join(' ');

/** One route per method (Fastify and OpenAPI both key operations by method), sharing one handler. */
export function proxyRoutes(proxy: Proxy): RouteDef[] {
  return methods.map((method) =>
    defineRoute({
      method,
      url: '/v1/connections/:id/proxy/*',
      operationId: `proxy${method[0]}${method.slice(1).toLowerCase()}`,
      summary: `Send a ${method} request to the vendor through a connection`,
      description,
      tags: ['Proxy'],
      access: { capability: 'use_proxy' },
      audit: false,
      auditReason:
        'A proxied call changes nothing in Switchyard; each one is recorded in the connection request log instead.',
      errors: [
        'not_found',
        'body_too_large',
        'connection_paused',
        'connection_unusable',
        'not_connected',
        'scope_insufficient',
        'oauth_unavailable',
        'oauth_refresh_unconfirmed',
        'conflict',
        'connector_maintenance',
        'destination_blocked',
        'rate_budget_exhausted',
        'upstream_unreachable',
        'upstream_timeout',
      ],
      schema: {
        params,
        ...(documentedBody.has(method)
          ? { body: z.unknown().describe('Any body in any media type, forwarded as sent') }
          : {}),
        response: {
          200: z.unknown().describe('The vendor’s response, with the vendor’s status (which may be any status)'),
        },
      },
      ...(documentedBody.has(method) ? { requestTypes: ['*/*'] } : {}),
      responseType: '*/*',
      // HEAD is documented by GET, as for every other route (Fastify answers HEAD for GET routes by itself).
      ...(method === 'HEAD' ? { hidden: true } : {}),
      handler: ({ req, reply, tenantId, principal, params: p }) =>
        proxy.handle({ req, reply, tenantId, principal, connectionId: p.id }),
    }),
  );
}

/**
 * Register the proxy routes in a scope of their own whose only body parser leaves the body unread: the handler
 * streams it to the vendor. JSON parsing and the body limit of the rest of the API are unaffected.
 *
 * The router ignores trailing slashes, so `…/proxy/` arrives as `…/proxy`, which the wildcard does not match: each
 * route is also registered without the wildcard (the base URL itself), undocumented, with the same declaration.
 */
export function registerProxyRoutes(app: FastifyInstance, routes: RouteDef[], runtime: RouteRuntime): void {
  const baseUrlRoutes = routes.map((r) => ({
    ...r,
    url: r.url.replace(/\/\*$/, ''),
    schema: { ...r.schema, params: idParams },
    hidden: true,
  }));
  registerStreamedBodyRoutes(app, [...routes, ...baseUrlRoutes], runtime);
}
