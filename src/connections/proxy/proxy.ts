import { finished, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { Registry } from '../../catalog/registry.js';
import type { Db } from '../../core/db/port.js';
import type { Principal } from '../../core/principal.js';
import { ApiError } from '../../core/errors.js';
import { redactUrl } from '../../core/logger.js';
import type { Outbound, OutboundRequest } from '../../core/net/http-client.js';
import { classifyRequestError } from '../../core/net/request-failure.js';
import type { AccessToken, TokenSource } from '../token-source.js';
import type { Vault } from '../../vault/vault.js';
import { applyAuth } from '../auth/apply.js';
import { connectorFor } from '../connector-access.js';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import { callOptions } from './call-options.js';
import { firstValue, forward, ForwardError, type ForwardPlan } from './forward.js';
import { requestHeadersForVendor, responseHeadersForCaller } from './headers.js';
import { BudgetExhaustedError, createRateBudget } from './rate-budget.js';
import { readRequestBody, type ProxyBody } from './request-body.js';
import { IDEMPOTENT_METHODS } from './retry.js';
import { createRuntimeCache, type ConnectionRuntime } from './runtime-cache.js';
import { vendorPath, vendorTarget, type VendorTarget } from './target.js';

export type ProxyDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  outbound: Outbound;
  requestLog: RequestLog;
  /** OAuth access tokens, refreshed when due (one refresh per credential across every node). */
  tokens: TokenSource;
};

export type ProxyOptions = {
  /** Largest request body forwarded (SWITCHYARD_PROXY_BODY_LIMIT). */
  bodyLimit: number;
  /** Request bodies up to this size are held in memory so that they can be retried (default 1 MiB). */
  retryBufferBytes?: number;
  /** The longest single wait for a retry or a rate-budget reset (default 10 s). */
  maxWaitMs?: number;
  /** How long a resolved connection is reused (default 30 s; changes invalidate it on every node at once). */
  cacheTtlMs?: number;
};

export type ProxyCall = {
  req: FastifyRequest;
  reply: FastifyReply;
  tenantId: string;
  connectionId: string;
  /** The caller: at user level, whose own OAuth credential signs the call. */
  principal: Pick<Principal, 'id'>;
};

/**
 * The authenticated API proxy: `ANY /v1/connections/{id}/proxy/<path>` is sent to the connector's base URL plus
 * `<path>`, with the connection's credentials added, over the SSRF guard, retried where that is safe, held to the
 * connection's vendor rate budget, and streamed both ways. Every call is written to the connection's request log.
 */
export function createProxy(deps: ProxyDeps, options: ProxyOptions) {
  const cache = createRuntimeCache(deps, options.cacheTtlMs === undefined ? {} : { ttlMs: options.cacheTtlMs });
  const budget = createRateBudget();
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const retryBuffer = options.retryBufferBytes ?? 1024 * 1024;

  /** The cached runtime, re-resolved when the registry entry changed; maintenance refuses here, on every call. */
  async function resolve(tenantId: string, id: string): Promise<ConnectionRuntime> {
    const runtime = await cache.get(tenantId, id);
    const { manifest } = await connectorFor(deps.registry, runtime.slug, 'use');
    if (manifest === runtime.manifest) return runtime;
    cache.forget(id);
    return cache.get(tenantId, id);
  }

  async function handle(call: ProxyCall): Promise<Readable | Buffer | undefined> {
    const { req, reply } = call;
    const started = performance.now();
    const runtime = await resolve(call.tenantId, call.connectionId);
    const target = vendorTarget(req.url);
    const entry: RequestLogEntry = {
      tenantId: call.tenantId,
      connectionId: call.connectionId,
      kind: 'proxy',
      method: req.method,
      path: redactUrl(`${target.path || '/'}${target.query ? `?${target.query}` : ''}`),
      status: null,
      latencyMs: 0,
      bytesIn: 0,
      bytesOut: 0,
      retries: 0,
      error: null,
      requestId: req.id,
    };
    const record = (bytesIn: number, body: ProxyBody | undefined, error: string | null) => {
      entry.latencyMs = performance.now() - started;
      entry.bytesIn = bytesIn;
      entry.bytesOut = body?.bytes() ?? 0;
      entry.error = error;
      deps.requestLog.record(entry);
    };
    let body: ProxyBody | undefined;
    let timeoutMs: number | undefined;
    try {
      const usable = usableOrRefuse(runtime);
      const userId = usable.oauth?.level === 'user' ? call.principal.id : null;
      let token = usable.oauth
        ? await deps.tokens.freshAccessToken(call.tenantId, call.connectionId, userId)
        : undefined;
      const opts = callOptions(req.headers);
      timeoutMs = opts.timeoutMs;
      if (opts.requiredScopes.length) assertScopes(runtime, opts.requiredScopes, token?.scopes);
      const signsBody = usable.auth.type === 'hmac';
      body = await readRequestBody(req.raw, {
        limit: options.bodyLimit,
        // An OAuth call may be sent again once, after a 401 and a refresh: hold what fits the retry buffer.
        bufferUpTo: signsBody ? options.bodyLimit : opts.retries > 0 || token ? retryBuffer : 0,
      });
      const headers = requestHeadersForVendor(req.headers, body.kind === 'stream');
      headers['user-agent'] ??= 'Switchyard';
      // Headers the vendor requires on every call (an API version) win over the caller's: the manifest states what
      // the connector was verified against. Authentication is added after them.
      Object.assign(headers, usable.constantHeaders);
      const payload = body.kind === 'none' ? undefined : body.data;
      const plan: ForwardPlan = {
        dispatcher: usable.dispatcher,
        origin: usable.origin,
        method: req.method as Dispatcher.HttpMethod,
        prepare: token
          ? oauthPreparer(usable, target, headers, token)
          : preparer(runtime, target, headers, req.method, payload),
        body: payload,
        timeoutMs: opts.timeoutMs,
        retries: body.kind === 'stream' ? 0 : opts.retries,
        retryResponses: IDEMPOTENT_METHODS.has(req.method) || opts.retriesExplicit,
        retryOn: opts.retryOn,
        maxWaitMs,
        budget: usable.rateLimit?.remaining ? { store: budget, key: runtime.id, hints: usable.rateLimit } : undefined,
      };
      const sentAt = performance.now();
      let { response, retries } = await forward(plan);
      // The vendor refused the OAuth token (revoked early, rotated elsewhere): refresh it and send the call once
      // more — a 401 means the vendor did not act on it — when the body can be sent again.
      if (token && response.statusCode === 401 && body.kind !== 'stream') {
        const rejected = token;
        const fresh = await deps.tokens
          .freshAccessToken(call.tenantId, call.connectionId, userId, { rejected: rejected.version })
          .catch(async (error: unknown) => {
            await response.body.dump();
            throw error;
          });
        if (fresh.version !== rejected.version) {
          await response.body.dump();
          token = fresh;
          const again = await forward({ ...plan, prepare: oauthPreparer(usable, target, headers, fresh) });
          response = again.response;
          retries += again.retries + 1;
        }
      }
      entry.status = response.statusCode;
      entry.retries = retries;
      // How long the vendor took (to its response headers, retries included), beside any timing the vendor sent.
      const vendorTiming = `vendor;dur=${(performance.now() - sentAt).toFixed(1)};desc="vendor response"`;
      const answer = (): void => {
        reply.code(response.statusCode);
        reply.headers(responseHeadersForCaller(response.headers));
        reply.header('x-switchyard-retries', String(retries));
        const theirs = reply.getHeader('server-timing');
        reply.header('server-timing', theirs ? `${vendorTiming}, ${String(theirs)}` : vendorTiming);
      };
      if (req.method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
        await response.body.dump();
        answer();
        record(0, body, null);
        return undefined;
      }
      // A small body of announced length is read whole before answering: one write to the caller instead of a
      // stream piped through, and a vendor that breaks off mid-body gets a clean 502 rather than a cut answer.
      if (Number(firstValue(response.headers['content-length']) ?? Infinity) <= SMALL_RESPONSE_BYTES) {
        const whole = await readWhole(response.body, retries);
        answer();
        record(whole.length, body, null);
        return whole;
      }
      answer();
      const sent = body;
      return countBytes(response.body, (bytes, error) =>
        record(bytes, sent, error ? `response interrupted: ${error.message}` : null),
      );
    } catch (error) {
      const failure = toApiError(error, runtime, timeoutMs);
      if (error instanceof ForwardError) entry.retries = error.retries;
      record(0, body, `${failure.code}: ${failure.detail}`);
      throw failure;
    }
  }

  return {
    handle,
    /** Forget a connection's cached runtime here now, and on every node when `q` commits. */
    invalidate: cache.invalidate,
    start: cache.start,
    stop: cache.stop,
  };
}

export type Proxy = ReturnType<typeof createProxy>;

/**
 * A call that says which scopes it needs (`Switchyard-Required-Scopes`) is refused before it reaches the vendor when
 * the credential it would use was not granted one of them: 403 `scope_insufficient`, naming what is missing and
 * where to re-authorize with more.
 */
function assertScopes(runtime: ConnectionRuntime, required: string[], granted: string[] | undefined): void {
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

function usableOrRefuse(runtime: ConnectionRuntime): NonNullable<ConnectionRuntime['usable']> {
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

/** Path and headers per attempt: fixed authentication is merged in; JWT and HMAC are signed for each attempt. */
function preparer(
  runtime: ConnectionRuntime,
  target: VendorTarget,
  headers: Record<string, string | string[]>,
  method: string,
  body: Buffer | AsyncIterable<Buffer> | undefined,
): ForwardPlan['prepare'] {
  const usable = runtime.usable as NonNullable<ConnectionRuntime['usable']>;
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
    await applyAuth(req, { method: usable.auth, config: usable.config, credentials: usable.credentials });
    return { path: `${req.url.pathname}${req.url.search}`, headers: req.headers };
  };
}

/** Path and headers for an OAuth call: the access token goes in as the method's `token` template says. */
function oauthPreparer(
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

/** Vendor answers up to this size with a Content-Length are read whole, then sent in one write. */
const SMALL_RESPONSE_BYTES = 64 * 1024;

async function readWhole(source: Readable, retries: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new ForwardError(error, retries);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/**
 * Count the vendor's body as it is streamed to the caller; `done` runs once it ended or failed. A listener on the
 * body itself, not a Transform in a pipeline: `stream.pipeline` builds and aborts an AbortController for every call,
 * which costs more than the rest of the proxy's own work.
 */
function countBytes(source: Readable, done: (bytes: number, error: Error | undefined) => void): Readable {
  let bytes = 0;
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  // Flowing starts when the reply pipes the body; until then the listener above must not drain it on its own.
  source.pause();
  finished(source, (error) => done(bytes, error ?? undefined));
  return source;
}

function toApiError(error: unknown, runtime: ConnectionRuntime, timeoutMs: number | undefined): ApiError {
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
  if (failure.kind === 'timeout') {
    const host = origin ? new URL(origin).host : 'the vendor';
    const within = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
    return new ApiError('upstream_timeout', `${host} did not answer${within}.`, {}, retries);
  }
  return new ApiError('upstream_unreachable', failure.message, {}, retries);
}
