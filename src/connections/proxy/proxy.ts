import { finished, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { Registry } from '../../catalog/registry.js';
import type { Db } from '../../core/db/port.js';
import type { Principal } from '../../core/principal.js';
import type { ApiError } from '../../core/errors.js';
import { redactUrl } from '../../core/logger.js';
import type { Outbound } from '../../core/net/http-client.js';
import type { TokenSource } from '../token-source.js';
import type { Vault } from '../../vault/vault.js';
import { connectorFor } from '../connector-access.js';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import {
  callOptions,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_ON,
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
} from './call-options.js';
import { firstValue, forward, ForwardError, type ForwardPlan, type VendorResponse } from './forward.js';
import { pointVendorUrlsAtProxy, requestHeadersForVendor, responseHeadersForCaller } from './headers.js';
import { assertScopes, oauthPreparer, onBase, preparer, toApiError, usableOrRefuse } from './prepare.js';
import { createRateBudget } from './rate-budget.js';
import { readRequestBody, type ProxyBody } from './request-body.js';
import { IDEMPOTENT_METHODS } from './retry.js';
import { createRuntimeCache, type ConnectionRuntime } from './runtime-cache.js';
import { originTarget, proxyPath, relativeTarget, vendorTarget, type VendorTarget } from './target.js';

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
 * A vendor call made by Switchyard itself (a sync reading a stream, a push writing a record) through a connection,
 * with everything the HTTP proxy does: the connection's state checked, its credentials and constant headers added,
 * the SSRF-guarded dispatcher, retries with Retry-After, the rate budget, the OAuth refresh-and-resend on 401 and the
 * request log. Refusals and failures throw the proxy's ApiError (connection_paused, connection_unusable,
 * rate_budget_exhausted, upstream_timeout, upstream_unreachable, destination_blocked, not_found …); any vendor
 * status is an answer, not an error.
 */
export type VendorCall = {
  tenantId: string;
  connectionId: string;
  method: string;
  /** Relative to the connection's base URL (`/crm/objects/2026-03/contacts`), optionally with `?query`. */
  path?: string;
  /**
   * Instead of `path`: a next-page URL the vendor gave, absolute or from the origin (`/services/data/v68.0/query/…`);
   * it must lie on the connection's origin, under its base path.
   */
  url?: string;
  /**
   * One of the manifest's `other_base_urls` by name (Dropbox's `content` host, Box's `upload` host): `path` and `url`
   * are taken relative to it instead of the base URL; the connection's credentials go with the call as usual.
   */
  base?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A Buffer is sent as it is; anything else as JSON (with `content-type: application/json`). */
  body?: unknown;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2, at most 5). */
  retries?: number;
  retryOn?: number[];
  /**
   * Also retry a method that is not idempotent (POST, PATCH) on network errors and retryable statuses: a POST that
   * only reads (a search), or a write the vendor deduplicates by an idempotency key.
   */
  retryUnsafe?: boolean;
  /** At user level, whose OAuth credential signs the call. */
  userId?: string | null;
  /** Kept in the request log beside the call (a sync execution id). */
  requestId?: string;
  kind?: RequestLogEntry['kind'];
  signal?: AbortSignal;
  /** The largest answer read (default 64 MiB). */
  maxResponseBytes?: number;
};

export type VendorAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  retries: number;
};

/** A streamed answer: the caller reads `body` (or destroys it). */
export type VendorStream = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  retries: number;
};

/** A request body streamed to the vendor (never held in memory, never retried). */
export type VendorUpload = { data: AsyncIterable<Uint8Array> };

/** One exchange with the vendor as the HTTP route and the programmatic call both make it. */
type Exchange = {
  tenantId: string;
  connectionId: string;
  /** Whose OAuth credential signs a user-level connection's call. */
  principalId: string | null;
  kind: RequestLogEntry['kind'];
  method: string;
  /** Where the call goes, once the connection's base URL is known (a next-page URL is checked against it). */
  target(runtime: ConnectionRuntime): VendorTarget;
  options(): CallOptions;
  /** The request body, holding up to `bufferUpTo` bytes in memory so that it can be sent again. */
  body(bufferUpTo: number): Promise<ProxyBody>;
  headers(body: ProxyBody): Record<string, string | string[]>;
  requestId: string | null;
  signal?: AbortSignal;
  /** One of the manifest's other base URLs by name, instead of base_url. */
  base?: string;
};

type Exchanged = {
  response: VendorResponse;
  /** The connection's base URL without its query (origin and base path). */
  vendorBase: string;
  retries: number;
  /** When the vendor was first asked (performance.now()). */
  sentAt: number;
  body: ProxyBody;
  /** Write the request log entry: the answer's bytes, and an error when reading it failed. */
  finish(bytesIn: number, error: string | null): void;
  /** Learn from the whole answer's body (a rate-limit signal in it, e.g. Alpha Vantage's 200 `Note`). */
  learn(body: Buffer): void;
  /** The API error for a failure after the exchange (reading the answer), logged. */
  fail(error: unknown): ApiError;
};

/**
 * The authenticated API proxy: `ANY /v1/connections/{id}/proxy/<path>` is sent to the connector's base URL plus
 * `<path>`, with the connection's credentials added, over the SSRF guard, retried where that is safe, held to the
 * connection's vendor rate budget, and streamed both ways. Every call is written to the connection's request log.
 * `call` makes the same exchange for Switchyard's own use (syncs), answering with the whole body.
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

  async function exchange(x: Exchange): Promise<Exchanged> {
    const started = performance.now();
    const runtime = await resolve(x.tenantId, x.connectionId);
    const target = x.target(runtime);
    const entry: RequestLogEntry = {
      tenantId: x.tenantId,
      connectionId: x.connectionId,
      kind: x.kind,
      method: x.method,
      path: redactUrl(`${target.path || '/'}${target.query ? `?${target.query}` : ''}`),
      status: null,
      latencyMs: 0,
      bytesIn: 0,
      bytesOut: 0,
      retries: 0,
      error: null,
      requestId: x.requestId,
    };
    let body: ProxyBody | undefined;
    let timeoutMs: number | undefined;
    const finish = (bytesIn: number, error: string | null) => {
      entry.latencyMs = performance.now() - started;
      entry.bytesIn = bytesIn;
      entry.bytesOut = body?.bytes() ?? 0;
      entry.error = error;
      deps.requestLog.record(entry);
    };
    const fail = (error: unknown): ApiError => {
      const failure = toApiError(error, runtime, timeoutMs);
      if (error instanceof ForwardError) entry.retries = error.retries;
      finish(0, `${failure.code}: ${failure.detail}`);
      return failure;
    };
    try {
      const usable = onBase(usableOrRefuse(runtime), x.base);
      const userId = usable.oauth?.level === 'user' ? x.principalId : null;
      let token = usable.oauth ? await deps.tokens.freshAccessToken(x.tenantId, x.connectionId, userId) : undefined;
      const opts = x.options();
      timeoutMs = opts.timeoutMs;
      if (opts.requiredScopes.length) assertScopes(runtime, opts.requiredScopes, token?.scopes);
      const signsBody = usable.auth.type === 'hmac';
      // An OAuth call may be sent again once, after a 401 and a refresh: hold what fits the retry buffer.
      body = await x.body(signsBody ? options.bodyLimit : opts.retries > 0 || token ? retryBuffer : 0);
      const headers = x.headers(body);
      headers['user-agent'] ??= 'Switchyard';
      // Headers the vendor requires on every call (an API version) win over the caller's: the manifest states what
      // the connector was verified against. Authentication is added after them.
      Object.assign(headers, usable.constantHeaders);
      const payload = body.kind === 'none' ? undefined : body.data;
      const plan: ForwardPlan = {
        dispatcher: usable.dispatcher,
        origin: usable.origin,
        method: x.method as Dispatcher.HttpMethod,
        prepare: token
          ? oauthPreparer(usable, target, headers, token)
          : preparer(usable, target, headers, x.method, payload),
        body: payload,
        timeoutMs: opts.timeoutMs,
        retries: body.kind === 'stream' ? 0 : opts.retries,
        retryResponses: IDEMPOTENT_METHODS.has(x.method) || opts.retriesExplicit,
        retryOn: opts.retryOn,
        maxWaitMs,
        budget:
          usable.rateLimit && (usable.rateLimit.remaining || usable.rateLimit.signals.length)
            ? { store: budget, key: runtime.id, hints: usable.rateLimit }
            : undefined,
        ...(x.signal ? { signal: x.signal } : {}),
      };
      const sentAt = performance.now();
      let { response, retries } = await forward(plan);
      // The vendor refused the OAuth token (revoked early, rotated elsewhere): refresh it and send the call once
      // more — a 401 means the vendor did not act on it — when the body can be sent again.
      if (token && response.statusCode === 401 && body.kind !== 'stream') {
        const rejected = token;
        const fresh = await deps.tokens
          .freshAccessToken(x.tenantId, x.connectionId, userId, { rejected: rejected.version })
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
      const learn = (whole: Buffer) =>
        budget.learn(runtime.id, usable.rateLimit, {
          status: response.statusCode,
          headers: response.headers,
          body: whole,
        });
      return { response, vendorBase: `${usable.origin}${usable.basePath}`, retries, sentAt, body, finish, fail, learn };
    } catch (error) {
      throw fail(error);
    }
  }

  async function handle(call: ProxyCall): Promise<Readable | Buffer | undefined> {
    const { req, reply } = call;
    const target = vendorTarget(req.url);
    const { response, vendorBase, retries, sentAt, finish, fail, learn } = await exchange({
      tenantId: call.tenantId,
      connectionId: call.connectionId,
      principalId: call.principal.id,
      kind: 'proxy',
      method: req.method,
      target: () => target,
      options: () => callOptions(req.headers),
      body: (bufferUpTo) => readRequestBody(req.raw, { limit: options.bodyLimit, bufferUpTo }),
      headers: (sent) => requestHeadersForVendor(req.headers, sent.kind === 'stream'),
      requestId: req.id,
    });
    // How long the vendor took (to its response headers, retries included), beside any timing the vendor sent.
    const vendorTiming = `vendor;dur=${(performance.now() - sentAt).toFixed(1)};desc="vendor response"`;
    const answer = (): void => {
      reply.code(response.statusCode);
      const headers = responseHeadersForCaller(response.headers);
      pointVendorUrlsAtProxy(headers, vendorBase, () => `${req.protocol}://${req.host}${proxyPath(req.url)}`);
      reply.headers(headers);
      reply.header('x-switchyard-retries', String(retries));
      const theirs = reply.getHeader('server-timing');
      reply.header('server-timing', theirs ? `${vendorTiming}, ${String(theirs)}` : vendorTiming);
    };
    if (req.method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
      await response.body.dump();
      answer();
      finish(0, null);
      return undefined;
    }
    // A small body of announced length is read whole before answering: one write to the caller instead of a
    // stream piped through, and a vendor that breaks off mid-body gets a clean 502 rather than a cut answer.
    if (Number(firstValue(response.headers['content-length']) ?? Infinity) <= SMALL_RESPONSE_BYTES) {
      let whole: Buffer;
      try {
        whole = await readWhole(response.body, retries);
      } catch (error) {
        throw fail(error);
      }
      answer();
      finish(whole.length, null);
      learn(whole);
      return whole;
    }
    answer();
    return countBytes(response.body, (bytes, error) =>
      finish(bytes, error ? `response interrupted: ${error.message}` : null),
    );
  }

  /** Send a vendor call for Switchyard's own use; the answer's body is left unread. */
  async function send(input: VendorCall, upload?: VendorUpload): Promise<Exchanged> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(input.query ?? {})) if (v !== undefined) query.append(k, String(v));
    const payload =
      input.body === undefined
        ? undefined
        : Buffer.isBuffer(input.body)
          ? input.body
          : Buffer.from(JSON.stringify(input.body));
    const opts: CallOptions = {
      retries: Math.min(input.retries ?? DEFAULT_RETRIES, 5),
      retriesExplicit: input.retryUnsafe ?? false,
      retryOn: input.retryOn ? new Set(input.retryOn) : DEFAULT_RETRY_ON,
      timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      requiredScopes: [],
    };
    let sent = 0;
    const streamed: ProxyBody | undefined = upload && {
      kind: 'stream',
      data: (async function* () {
        for await (const chunk of upload.data) {
          sent += chunk.length;
          yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        }
      })(),
      bytes: () => sent,
    };
    return exchange({
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      principalId: input.userId ?? null,
      kind: input.kind ?? 'sync',
      method: input.method.toUpperCase(),
      target: (runtime) => {
        if (input.url === undefined) return relativeTarget(input.path ?? '', query.toString());
        const usable = onBase(usableOrRefuse(runtime), input.base);
        const next = originTarget(input.url, usable.origin, usable.basePath);
        const extra = query.toString();
        return extra ? { ...next, query: [next.query, extra].filter(Boolean).join('&') } : next;
      },
      options: () => opts,
      body: () =>
        Promise.resolve<ProxyBody>(
          streamed ??
            (payload
              ? { kind: 'buffer', data: payload, bytes: () => payload.length }
              : { kind: 'none', bytes: () => 0 }),
        ),
      headers: () => ({
        ...(payload && !Buffer.isBuffer(input.body) ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        ...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      }),
      requestId: input.requestId ?? null,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.base !== undefined ? { base: input.base } : {}),
    });
  }

  /** A vendor call for Switchyard's own use (see VendorCall); the answer is read whole. */
  async function call(input: VendorCall): Promise<VendorAnswer> {
    try {
      const { response, retries, finish, fail, learn } = await send(input);
      let body: Buffer;
      try {
        body = await readWhole(response.body, retries, input.maxResponseBytes ?? MAX_CALL_RESPONSE_BYTES);
      } catch (error) {
        throw fail(error);
      }
      finish(body.length, null);
      learn(body);
      return { status: response.statusCode, headers: response.headers, body, retries };
    } catch (error) {
      // A cancelled run ends with its own reason, not as a vendor failure.
      if (input.signal?.aborted) throw input.signal.reason;
      throw error;
    }
  }

  /**
   * A vendor call whose answer is streamed (a file's bytes, any size, in constant memory), and whose request body may
   * be a stream too (a file written to the vendor: send its `content-length` header; a streamed body is never
   * retried). The request log entry is written once the answer's body ends (or fails); the caller must read or
   * destroy it.
   */
  async function stream(input: VendorCall, upload?: VendorUpload): Promise<VendorStream> {
    try {
      const { response, retries, finish } = await send(input, upload);
      const body = countBytes(response.body, (bytes, error) =>
        finish(bytes, error ? `response interrupted: ${error.message}` : null),
      );
      return { status: response.statusCode, headers: response.headers, body, retries };
    } catch (error) {
      if (input.signal?.aborted) throw input.signal.reason;
      throw error;
    }
  }

  return {
    handle,
    call,
    stream,
    /** Forget a connection's cached runtime here now, and on every node when `q` commits. */
    invalidate: cache.invalidate,
    start: cache.start,
    stop: cache.stop,
  };
}

export type Proxy = ReturnType<typeof createProxy>;

/** The largest answer a programmatic call reads into memory. */
const MAX_CALL_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Vendor answers up to this size with a Content-Length are read whole, then sent in one write. */
const SMALL_RESPONSE_BYTES = 64 * 1024;

/**
 * A vendor's whole answer, up to `limit` bytes. Collected by listeners rather than `for await`: an async iterator
 * costs a promise per chunk and more than the read itself for the small answers most calls get.
 */
function readWhole(source: Readable, retries: number, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        source.destroy(new Error(`the vendor's answer is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    finished(source, (error) => {
      if (error) reject(new ForwardError(error, retries));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
  });
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
