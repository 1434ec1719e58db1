import type { AccessToken } from '../token-source.js';
import { ApiError } from '../../core/errors.js';
import type { OutboundRequest } from '../../core/net/http-client.js';
import { classifyRequestError } from '../../core/net/request-failure.js';
import { applyAuth } from '../auth/apply.js';
import { ForwardError, type ForwardPlan } from './forward.js';
import { BudgetExhaustedError } from './rate-budget.js';
import type { ConnectionRuntime } from './runtime-cache.js';
import { vendorPath, type VendorTarget } from './target.js';

/**
 * What a proxied call (HTTP or programmatic) does before and after the vendor is asked: refuse a connection in a
 * state that forbids calls, check required scopes, add the credentials per attempt, and turn a failure into the API
 * error the caller sees.
 */

/**
 * A call that says which scopes it needs (`Switchyard-Required-Scopes`) is refused before it reaches the vendor when
 * the credential it would use was not granted one of them: 403 `scope_insufficient`, naming what is missing and
 * where to re-authorize with more.
 */
export function assertScopes(runtime: ConnectionRuntime, required: string[], granted: string[] | undefined): void {
  const have = new Set(granted ?? []);
  const missing = required.filter((scope) => !have.has(scope));
  if (missing.length === 0) return;
  throw new ApiError(
    'scope_insufficient',
    granted === undefined
      ? `"${runtime.name}" does not authenticate with OAuth scopes, so it cannot grant ${missing.join(', ')}.`
      : `"${runtime.name}" was not granted ${missing.join(', ')}; re-authorize it with these scopes.`,
    {
      missing_scopes: missing,
      granted_scopes: granted ?? [],
      reauthorize_url: `/v1/connections/${runtime.id}/reauthorize`,
    },
  );
}

export function usableOrRefuse(runtime: ConnectionRuntime): NonNullable<ConnectionRuntime['usable']> {
  const reason = runtime.stateReason ? ` (${runtime.stateReason})` : '';
  switch (runtime.state) {
    case 'paused':
      throw new ApiError(
        'connection_paused',
        `The connection "${runtime.name}" is paused; resume it to send requests.`,
      );
    case 'auth_expired':
      throw new ApiError(
        'connection_unusable',
        `The credentials of "${runtime.name}" have expired${reason}; reauthorize or rotate them, then test the connection.`,
      );
    case 'auth_revoked':
      throw new ApiError(
        'connection_unusable',
        `The credentials of "${runtime.name}" were revoked or rejected${reason}; reauthorize or rotate them, then test the connection.`,
      );
  }
  if (!runtime.usable) throw new Error(`connection ${runtime.id} resolved without its credentials`);
  return runtime.usable;
}

type Usable = NonNullable<ConnectionRuntime['usable']>;

/**
 * The connection's runtime aimed at one of the manifest's other base URLs (Dropbox's content host, Box's upload
 * host): the same credentials, dispatcher and rate budget, another origin and base path.
 */
export function onBase(usable: Usable, base: string | undefined): Usable {
  if (base === undefined) return usable;
  const other = Object.hasOwn(usable.otherBases, base) ? usable.otherBases[base] : undefined;
  if (!other) throw new ApiError('validation_failed', `The connector has no other base URL named "${base}".`);
  return { ...usable, ...other };
}

/**
 * Path and headers per attempt: fixed authentication is merged in; JWT, HMAC, SigV4 and Shared Key are signed for each
 * attempt (a streamed body is not held, so SigV4 signs it as UNSIGNED-PAYLOAD).
 */
export function preparer(
  usable: Usable,
  target: VendorTarget,
  headers: Record<string, string | string[]>,
  method: string,
  body: Buffer | AsyncIterable<Buffer> | undefined,
): ForwardPlan['prepare'] {
  const fixed = usable.fixedAuth;
  if (fixed) {
    const prepared = {
      path: vendorPath(usable.basePath, usable.baseQuery, target, fixed.query),
      headers: Object.assign(headers, fixed.headers),
    };
    return () => prepared;
  }
  const path = vendorPath(usable.basePath, usable.baseQuery, target, []);
  return async () => {
    const req: OutboundRequest = {
      method,
      url: new URL(`${usable.origin}${path}`),
      headers: { ...(headers as Record<string, string>) },
      ...(Buffer.isBuffer(body) ? { body } : {}),
    };
    await applyAuth(req, {
      method: usable.auth,
      config: usable.config,
      credentials: usable.credentials,
      streamedBody: body !== undefined && !Buffer.isBuffer(body),
    });
    return { path: `${req.url.pathname}${req.url.search}`, headers: req.headers };
  };
}

/** Path and headers for an OAuth call: the access token goes in as the method's `token` template says. */
export function oauthPreparer(
  usable: NonNullable<ConnectionRuntime['usable']>,
  target: VendorTarget,
  headers: Record<string, string | string[]>,
  token: AccessToken,
): ForwardPlan['prepare'] {
  let prepared: { path: string; headers: Record<string, string | string[]> } | undefined;
  return async () => {
    if (!prepared) {
      const probe = { method: 'GET', url: new URL('http://auth.invalid/'), headers: {} as Record<string, string> };
      await applyAuth(probe, {
        method: usable.auth,
        config: usable.config,
        credentials: { access_token: token.access_token },
      });
      prepared = {
        path: vendorPath(usable.basePath, usable.baseQuery, target, [...probe.url.searchParams]),
        headers: { ...headers, ...probe.headers },
      };
    }
    return prepared;
  };
}

export function toApiError(error: unknown, runtime: ConnectionRuntime, timeoutMs: number | undefined): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BudgetExhaustedError) {
    const seconds = Math.ceil(error.retryAfterMs / 1000);
    return new ApiError(
      'rate_budget_exhausted',
      `The vendor's rate limit for "${runtime.name}" is used up until it resets in ${seconds} s.`,
      { retry_after_seconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }
  if (!(error instanceof ForwardError)) throw error;
  const retries = { 'x-switchyard-retries': String(error.retries) };
  if (error.error instanceof ApiError) return error.error;
  const origin = runtime.usable?.origin;
  const failure = classifyRequestError(error.error, origin ? { url: origin } : {});
  if (failure.kind === 'blocked') return new ApiError('destination_blocked', failure.message, {}, retries);
  // Whether the vendor may have received the request (and acted on a POST): false only when nothing can have
  // reached it (the connection refused, the name unresolved). A caller decides from it whether to send again.
  const sent = { may_have_been_sent: failure.sent };
  if (failure.kind === 'timeout') {
    const host = origin ? new URL(origin).host : 'the vendor';
    const within = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
    return new ApiError('upstream_timeout', `${host} did not answer${within}.`, sent, retries);
  }
  return new ApiError('upstream_unreachable', failure.message, sent, retries);
}
