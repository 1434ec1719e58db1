import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ApiError, problem } from '../errors.js';
import { unexpectedErrorDetail } from './error-handler.js';
import type { HttpMetrics } from './metrics.js';
import type { AccessEntry } from '../logger.js';
import type { RouteDef } from './route.js';

/**
 * The fast path: a public, unaudited, unlimited route may also answer its common case straight from Node's `http`
 * request, before Fastify sees it, skipping routing, hooks, the schema checks and the serialiser. The route stays
 * declared (openapi.json, `app.inject`) and Fastify answers every request the fast handler declines.
 *
 * What every answer carries either way is done here as Fastify's hooks do it (server.ts): the request id (a valid
 * `X-Request-Id` sent, or a new one), `X-Content-Type-Options: nosniff`, one metrics sample and one access-log line,
 * and failures as problem details with their stable code.
 */
export type FastExchange = {
  req: IncomingMessage;
  /** The path's parameters, checked against the route's params schema. */
  params: Record<string, string>;
  /** The client's address (the first `X-Forwarded-For` hop when the server trusts proxies, as Fastify's `req.ip`). */
  ip: string;
  requestId: string;
  /** Headers the answer carries, whether it succeeds or fails (`connection: close` after a refused body). */
  headers: Record<string, string>;
};

/** An answer, sent with the exchange's headers: JSON unless `type` says otherwise. */
export type FastAnswer = { status: number; body: string; type?: string };

/**
 * Answers the request, or resolves to undefined before reading anything from it: the request is not for the fast
 * path (an unusual case the route's Fastify handler answers), and goes on to Fastify untouched.
 */
export type FastHandler = (exchange: FastExchange) => Promise<FastAnswer | undefined>;

type Compiled = {
  method: string;
  /** The path up to its first parameter (`/hooks/`): every other request is Fastify's after one comparison. */
  prefix: string;
  /** The path's segments: literal text, or a parameter's name after `:`. */
  segments: string[];
  route: string;
  routine: boolean;
  params: RouteDef['schema']['params'];
  handle: FastHandler;
};

export type FastRoutesOptions = {
  routes: RouteDef[];
  trustProxy: boolean;
  metrics: HttpMetrics;
  access: (entry: AccessEntry) => void;
  log: Logger;
  newRequestId: (req: IncomingMessage) => string;
  isShuttingDown: () => boolean;
};

/**
 * The dispatcher `createHttpServer` puts in front of Fastify: a request a fast handler takes is answered here; any
 * other goes to `fastify` (Fastify's own request handler).
 */
export function fastRoutes(
  options: FastRoutesOptions,
): (req: IncomingMessage, res: ServerResponse, fastify: () => void) => void {
  const compiled: Compiled[] = options.routes.flatMap((def) => {
    if (!def.fast) return [];
    // The fast path checks no credential, writes no audit entry and takes nothing from a rate limit.
    if (def.access !== 'public' || def.audit !== false || def.rateLimit !== false) {
      throw new Error(`${def.method} ${def.url}: a fast handler needs a public route without audit or rate limit`);
    }
    return [
      {
        method: def.method,
        prefix: def.url.slice(0, def.url.indexOf(':') === -1 ? undefined : def.url.indexOf(':')),
        segments: def.url.split('/'),
        route: def.url,
        routine: def.routineAccessLog === true,
        params: def.schema.params,
        handle: def.fast,
      },
    ];
  });
  if (compiled.length === 0) return (_req, _res, fastify) => fastify();

  /** The route and its parameters, or undefined: a query, an encoded character or another shape goes to Fastify. */
  const match = (method: string | undefined, url: string | undefined) => {
    if (!url) return undefined;
    let parts: string[] | undefined;
    for (const route of compiled) {
      if (route.method !== method || !url.startsWith(route.prefix)) continue;
      if (url.includes('?') || url.includes('%')) return undefined;
      parts ??= url.split('/');
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let same = true;
      for (let i = 0; same && i < parts.length; i++) {
        const segment = route.segments[i] as string;
        const part = parts[i] as string;
        if (segment.startsWith(':')) {
          if (part === '') same = false;
          else params[segment.slice(1)] = part;
        } else same = segment === part;
      }
      if (same && (!route.params || route.params.safeParse(params).success)) return { route, params };
    }
    return undefined;
  };

  const clientIp = (req: IncomingMessage) => {
    const forwarded = options.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
    return first || (req.socket.remoteAddress ?? '');
  };

  return (req, res, fastify) => {
    // During shutdown Fastify answers: 503 for new requests, `Connection: close` on those in flight.
    const found = options.isShuttingDown() ? undefined : match(req.method, req.url);
    if (!found) return fastify();
    const started = performance.now();
    const exchange: FastExchange = {
      req,
      params: found.params,
      ip: clientIp(req),
      requestId: options.newRequestId(req),
      headers: {},
    };
    const send = (status: number, type: string, text: string, code?: string) => {
      res.writeHead(status, {
        ...exchange.headers,
        'content-type': type,
        'content-length': Buffer.byteLength(text),
        'x-request-id': exchange.requestId,
        'x-content-type-options': 'nosniff',
      });
      res.end(text);
      const ms = performance.now() - started;
      options.metrics.observe(req.method ?? '', found.route.route, status, ms / 1000);
      options.access({
        requestId: exchange.requestId,
        method: req.method ?? '',
        url: req.url ?? '',
        route: found.route.route,
        routine: found.route.routine,
        status,
        ms,
        principal: undefined,
        tenant: undefined,
        code,
      });
    };
    const fail = (error: unknown) => {
      const known = error instanceof ApiError;
      if (known) Object.assign(exchange.headers, error.headers);
      else options.log.error({ err: error, request_id: exchange.requestId }, 'unhandled error');
      const code = known ? error.code : 'internal_error';
      const detail = known ? error.detail : unexpectedErrorDetail(exchange.requestId);
      const body = problem(code, detail, {
        ...(known ? error.extensions : {}),
        instance: req.url,
        request_id: exchange.requestId,
      });
      send(body.status, 'application/problem+json; charset=utf-8', JSON.stringify(body), code);
    };
    let pending: Promise<FastAnswer | undefined>;
    try {
      pending = found.route.handle(exchange);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then((answer) => {
      if (answer) send(answer.status, answer.type ?? 'application/json; charset=utf-8', answer.body);
      else fastify();
    }, fail);
  };
}
