import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { RateLimiter } from './rate-limit.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db, Queryable } from '../db/port.js';
import { ApiError, problemSchema, errorCatalogue, type ErrorCode } from '../errors.js';
import type { Principal } from '../principal.js';
import {
  isAudited,
  isMutating,
  type Access,
  type AuditScope,
  type Call,
  type RouteDef,
  type RouteSchema,
} from './route.js';

export type AuditEntry = {
  tenantId: string;
  actor: Principal;
  action: string;
  targetType: string;
  targetId: string | undefined;
  outcome: 'success' | 'failure' | 'denied';
  statusCode: number;
  errorCode: string | undefined;
  requestId: string;
  diff: Record<string, unknown>;
};

type MaybePromise<T> = T | Promise<T>;

export type RouteRuntime = {
  db: Db;
  /**
   * Resolve the caller from the request; throws ApiError for a presented but invalid credential. Synchronous when
   * the credential is cached (almost every request), a promise when it must be looked up.
   */
  authenticate(req: FastifyRequest): MaybePromise<Principal | undefined>;
  /** The caller acting in the tenant the request names (`Switchyard-Tenant`); throws ApiError when refused. */
  actInTenant(req: FastifyRequest, caller: Principal): MaybePromise<Principal>;
  /** Reject cookie-authenticated writes without a matching CSRF token. */
  checkCsrf(req: FastifyRequest, principal: Principal): void;
  writeAudit(q: Queryable, entry: AuditEntry): Promise<void>;
  rateLimiter: RateLimiter;
  /** Requests per minute for callers without a limit of their own. */
  rateLimitPerMinute: number;
};

type AuditState = {
  action: string;
  targetType: string;
  targetId?: string;
  diff: Record<string, unknown>;
  actor?: Principal;
  written: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    routineAccessLog?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    auditState?: AuditState;
    /** Set by the error handler so the audit entry can record why a request failed. */
    errorCode?: string;
  }
}

// Errors every authenticated route can answer (authentication runs before each one); documented on each operation.
const commonErrors: ErrorCode[] = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'token_expired',
  'forbidden',
  'tenant_disabled',
  'rate_limited',
];

/**
 * Routes that read their request body as a stream (`req.raw`) instead of a parsed, size-limited body: the API proxy
 * and file uploads. They are registered in a scope of their own whose parser hands every media type through
 * unread, so a body of any size reaches the handler as bytes arrive.
 */
export function registerStreamedBodyRoutes(app: FastifyInstance, routes: RouteDef[], runtime: RouteRuntime): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    registerRoutes(scope, routes, runtime);
  });
}

export function registerRoutes(app: FastifyInstance, routes: RouteDef[], runtime: RouteRuntime): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const def of routes) {
    if (isMutating(def.method) && def.audit === undefined) {
      throw new Error(`${def.method} ${def.url} mutates but declares no audit action`);
    }
    if (def.audit === false && !def.auditReason) {
      throw new Error(`${def.method} ${def.url} opts out of the audit log but gives no auditReason`);
    }
    if (def.access === 'public' && !def.publicReason) {
      throw new Error(`${def.method} ${def.url} is public but gives no publicReason`);
    }
    declaredStatusOf(def); // throws at boot when the status is missing or not declared
    typed.route({
      method: def.method,
      url: def.url,
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      schema: {
        operationId: def.operationId,
        summary: def.summary,
        ...(def.description ? { description: def.description } : {}),
        tags: def.tags,
        ...(def.hidden ? { hide: true } : {}),
        ...(def.access === 'public' ? { security: [] } : {}),
        ...(def.schema.params ? { params: def.schema.params } : {}),
        ...(def.schema.querystring ? { querystring: def.schema.querystring } : {}),
        ...(def.schema.body ? { body: def.schema.body } : {}),
        ...(def.requestTypes ? { consumes: def.requestTypes } : {}),
        response: { ...successResponses(def), ...errorResponses(def) },
      },
      config: { access: def.access, ...(def.routineAccessLog ? { routineAccessLog: true } : {}) },
      onRequest: accessHook(def, runtime),
      onSend: isAudited(def) ? [auditFallback(runtime)] : [],
      handler: (req, reply) => runHandler(def, runtime, req, reply),
    });
  }
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

/** Success responses with a description and the media type they are really sent as (204 has no body). */
function successResponses(def: RouteDef): Record<number, unknown> {
  const mediaType = def.responseType ?? 'application/json';
  const out: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(def.schema.response)) {
    const code = Number(status);
    const description = `${STATUS_TEXT[code] ?? 'Success'}: ${def.summary}`;
    out[code] = code === 204 ? schema.describe(description) : { description, content: { [mediaType]: { schema } } };
  }
  return out;
}

type ProblemResponse = {
  description: string;
  content: { 'application/problem+json': { schema: typeof problemSchema } };
};

/**
 * One documented response per error status, under the media type the error handler really sends, naming the codes
 * that status can carry so SDK users know what to branch on.
 */
function errorResponses(def: RouteDef): Record<number, ProblemResponse> {
  const codes = new Set<ErrorCode>([
    ...(def.access === 'public' ? ['validation_failed' as const] : commonErrors),
    ...(def.access !== 'public' && isMutating(def.method) ? ['csrf_failed' as const] : []),
    ...(def.errors ?? []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, ProblemResponse> = {};
  for (const [status, list] of byStatus) {
    out[status] = {
      description: `Problem details; \`code\` is ${list.length > 1 ? 'one of ' : ''}${list.map((c) => `\`${c}\``).join(', ')}`,
      content: { 'application/problem+json': { schema: problemSchema } },
    };
  }
  return out;
}

const then = <T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> =>
  value instanceof Promise ? value.then(next) : next(value);

/**
 * Authentication, the tenant switch, CSRF, the capability check and the rate limit, in that order, as one
 * callback-style hook that stays synchronous when the credential is cached: on the hot read path that saves a
 * promise and a microtask per step (bench/api).
 */
function accessHook(def: RouteDef, runtime: RouteRuntime): onRequestHookHandler {
  const isPublic = def.access === 'public';
  const capability = typeof def.access === 'object' ? def.access.capability : undefined;
  const checkCsrf = isMutating(def.method);
  const limited = def.rateLimit !== false;

  const limit = (req: FastifyRequest, reply: FastifyReply) => {
    const p = req.principal;
    const verdict = runtime.rateLimiter.take(
      p ? `${p.kind}:${p.id}` : `ip:${req.ip}`,
      p?.rateLimitPerMinute ?? runtime.rateLimitPerMinute,
    );
    reply.header('x-ratelimit-limit', verdict.limit);
    reply.header('x-ratelimit-remaining', verdict.remaining);
    reply.header('x-ratelimit-reset', verdict.resetSeconds);
  };

  const admit = (req: FastifyRequest, reply: FastifyReply, principal: Principal) => {
    req.principal = principal;
    if (req.auditState) req.auditState.actor = principal;
    if (principal.via === 'cookie' && checkCsrf) runtime.checkCsrf(req, principal);
    if (capability && !principal.capabilities.has(capability)) {
      throw new ApiError(
        'forbidden',
        `This action needs the "${capability}" capability, which the ${principal.superuser ? 'superuser' : `"${principal.role}" role`} does not hold.`,
        { missing_capability: capability },
      );
    }
    if (limited) limit(req, reply);
  };

  const identify = (req: FastifyRequest, reply: FastifyReply): MaybePromise<void> => {
    if (isPublic) {
      // A public route answers anonymously when the credential sent is stale or wrong: a browser still holding the
      // cookie of an ended session must be able to sign in again, and a probe must not fail on a leftover header.
      const anonymous = (error: unknown) => {
        if (error instanceof ApiError) return undefined;
        throw error;
      };
      let found: MaybePromise<Principal | undefined>;
      try {
        found = then(runtime.authenticate(req), (caller) => caller && runtime.actInTenant(req, caller));
      } catch (error) {
        found = anonymous(error);
      }
      if (found instanceof Promise) found = found.catch(anonymous);
      return then(found, (principal) => {
        if (principal) req.principal = principal;
        if (limited) limit(req, reply);
      });
    }
    return then(runtime.authenticate(req), (caller) => {
      if (!caller) {
        throw new ApiError(
          'unauthenticated',
          'Send an API key or session token as "Authorization: Bearer <token>", or sign in.',
        );
      }
      // From here on a refusal is attributed to the caller; a refused tenant switch is recorded in their own tenant.
      req.principal = caller;
      if (req.auditState) req.auditState.actor = caller;
      return then(runtime.actInTenant(req, caller), (principal) => admit(req, reply, principal));
    });
  };

  // A credential that fails still counts against the caller's address, so a flood of made-up tokens is limited
  // like any other traffic instead of costing a database lookup each, unchecked.
  const refuse = (req: FastifyRequest, error: unknown): unknown => {
    if (!req.principal && error instanceof ApiError && error.status === 401) {
      try {
        runtime.rateLimiter.take(`ip:${req.ip}`, runtime.rateLimitPerMinute);
      } catch (limited) {
        return limited;
      }
    }
    return error;
  };

  return (req, reply, done) => {
    if (isAudited(def))
      req.auditState = { action: def.audit.action, targetType: def.audit.targetType, diff: {}, written: false };
    let outcome: MaybePromise<void>;
    try {
      outcome = identify(req, reply);
    } catch (error) {
      done(refuse(req, error) as Error);
      return;
    }
    if (outcome instanceof Promise)
      outcome.then(
        () => done(),
        (error: unknown) => done(refuse(req, error) as Error),
      );
    else done();
  };
}

/**
 * What a handler receives. A class with getters rather than an object literal of closures: most requests (reads)
 * never touch `audit` or `transaction`, and building those per request showed on the hot path. Handlers
 * destructure this object, so `transaction` and `audit` are handed out as bound values.
 */
class RouteCall implements Call<RouteSchema> {
  constructor(
    readonly req: FastifyRequest,
    readonly reply: FastifyReply,
    private readonly def: RouteDef,
    private readonly runtime: RouteRuntime,
  ) {}

  get respond(): Call<RouteSchema>['respond'] {
    return (status) => {
      if (!(status in this.def.schema.response))
        throw new Error(`${this.def.method} ${this.def.url} answers ${status}, which it does not declare`);
      this.reply.code(status);
    };
  }

  get params(): never {
    return this.req.params as never;
  }
  get query(): never {
    return this.req.query as never;
  }
  get body(): never {
    return this.req.body as never;
  }
  get principal(): Principal {
    if (!this.req.principal) throw new Error(`${this.def.method} ${this.def.url}: no principal on a public route`);
    return this.req.principal;
  }
  get tenantId(): string {
    return this.principal.tenantId;
  }

  get audit(): AuditScope {
    const state = this.req.auditState;
    const declared = isAudited(this.def) ? this.def.audit : undefined;
    return {
      action: declared?.action ?? '',
      targetType: declared?.targetType ?? '',
      target(targetId, diff, targetType) {
        if (!state) return;
        state.targetId = targetId;
        if (diff) state.diff = diff;
        if (targetType) state.targetType = targetType;
      },
      actAs(principal) {
        if (state) state.actor = principal;
      },
    };
  }

  get transaction(): Call<RouteSchema>['transaction'] {
    return async (fn) => {
      let audit: ReturnType<Call<RouteSchema>['claimAudit']>;
      const result = await this.runtime.db.transaction(async (tx) => {
        const value = await fn(tx);
        // Claimed after the change: the handler names its target inside the transaction.
        audit = this.claimAudit();
        if (audit) await this.runtime.writeAudit(tx, audit.entry);
        return value;
      });
      audit?.committed();
      return result;
    };
  }

  claimAudit(): ReturnType<Call<RouteSchema>['claimAudit']> {
    const state = this.req.auditState;
    if (!state || state.written || !state.actor) return undefined;
    return {
      entry: entryFor(this.req, state, state.actor, this.reply.statusCode),
      committed: () => {
        state.written = true;
      },
    };
  }
}

async function runHandler(def: RouteDef, runtime: RouteRuntime, req: FastifyRequest, reply: FastifyReply) {
  // Set before the handler runs: `respond` (or, for a status passed through, `reply.code`) changes it.
  reply.code(declaredStatusOf(def));
  const result = await def.handler(new RouteCall(req, reply, def, runtime) as Call<RouteSchema>);
  if (reply.sent) return reply;
  return reply.statusCode === 204 ? reply.send() : reply.send(result);
}

const declaredStatuses = new WeakMap<RouteDef, number>();
/** The route's success status, checked once: explicit when it declares several, and one it declares. */
function declaredStatusOf(def: RouteDef): number {
  let status = declaredStatuses.get(def);
  if (status === undefined) {
    const declared = Object.keys(def.schema.response).map(Number);
    if (def.status === undefined && declared.length !== 1)
      throw new Error(
        `${def.method} ${def.url} declares ${declared.join(', ')}: say which one it answers with (status)`,
      );
    status = def.status ?? (declared[0] as number);
    if (!declared.includes(status))
      throw new Error(`${def.method} ${def.url} answers ${status}, which its schema does not declare`);
    declaredStatuses.set(def, status);
  }
  return status;
}

/**
 * Every mutating request gets exactly one audit entry: here if the handler did not write one with its change.
 * This runs on send, before the response leaves: a client that sees a 403 and then reads the activity log must
 * find the entry (written after the response, it raced the client's next request).
 */
function auditFallback(runtime: RouteRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const state = req.auditState;
    // No actor: the request never authenticated (401), so there is no tenant to attribute it to.
    // 429: a flood of rejected requests must not turn into a flood of audit rows.
    if (!state || state.written || !state.actor || reply.statusCode === 429) return payload;
    state.written = true;
    try {
      await runtime.writeAudit(runtime.db, entryFor(req, state, state.actor, reply.statusCode));
    } catch (error) {
      req.log.error({ err: error }, 'could not write the audit entry');
    }
    return payload;
  };
}

function entryFor(req: FastifyRequest, state: AuditState, actor: Principal, statusCode: number): AuditEntry {
  const outcome = statusCode < 400 ? 'success' : statusCode === 403 ? 'denied' : 'failure';
  return {
    tenantId: actor.tenantId,
    actor,
    action: state.action,
    targetType: state.targetType,
    targetId: state.targetId ?? targetFromParams(req),
    outcome,
    statusCode,
    errorCode: outcome === 'success' ? undefined : req.errorCode,
    requestId: req.id,
    diff: outcome === 'success' ? state.diff : {},
  };
}

function targetFromParams(req: FastifyRequest): string | undefined {
  const params = req.params as Record<string, unknown> | undefined;
  const id = params?.id ?? params?.name ?? params?.slug;
  // The id is whatever the client sent: a NUL in it (which PostgreSQL text refuses) must not lose the entry.
  return typeof id === 'string' ? id.replaceAll('\u0000', '\ufffd') : undefined;
}
