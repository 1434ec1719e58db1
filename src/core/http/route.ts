import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Queryable } from '../db/port.js';
import type { FastHandler } from './fast-route.js';
import type { ErrorCode } from '../errors.js';
import type { Principal } from '../principal.js';
import type { AuditEntry } from './register.js';

/**
 * Every endpoint is declared once with `defineRoute`: method, path, access rule, audit action, zod schemas for
 * params, query, body and responses, and the error codes it documents. The server registers routes from these
 * declarations and `openapi.json` is generated from them, so the contract cannot drift from the code.
 */
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `public`: no credentials (health, sign-in, OAuth callback, inbound ingest) — say why in `publicReason`.
 * `authenticated`: any principal (e.g. `GET /v1/me`). Otherwise the capability the caller must hold.
 */
export type Access = 'public' | 'authenticated' | { capability: string };

export type RouteSchema = {
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** Success responses by status; error responses are added from `errors`. */
  response: Record<number, z.ZodType>;
};

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export type AuditTarget = { targetId?: string; diff?: Record<string, unknown> };

export type AuditDeclaration = { action: string; targetType: string };

export type AuditScope = {
  readonly action: string;
  readonly targetType: string;
  /**
   * Name the record the request acts on, and a small diff of non-secret fields. `targetType` replaces the declared
   * one where the request decides what it acts on (the Connect UI's consent: a new connection's flow, or an existing
   * connection's re-authorization).
   */
  target(targetId: string, diff?: Record<string, unknown>, targetType?: string): void;
  /** For public routes (sign-in): who the actor turned out to be. */
  actAs(principal: Principal): void;
};

export type Call<S extends RouteSchema> = {
  req: FastifyRequest;
  reply: FastifyReply;
  params: Out<S['params']>;
  query: Out<S['querystring']>;
  body: Out<S['body']>;
  /** The caller; on `public` routes this throws (use `req.principal`, which may be undefined). */
  principal: Principal;
  /** The tenant the request acts in. */
  tenantId: string;
  audit: AuditScope;
  /**
   * Run `fn` in a transaction that also writes the request's audit entry, so the change and its record commit
   * together or not at all. The first such transaction of a request writes the entry.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * For a change committed in a transaction shared with other requests (a group commit): the audit entry
   * `transaction` would write, for the caller to store with the change, or undefined when none is due. Call
   * `committed()` once it is stored, as `transaction` does; until then a failure still gets its own entry.
   */
  claimAudit(): { entry: AuditEntry; committed(): void } | undefined;
  /**
   * Answer with another of the route's declared success statuses than its `status` (a repeated idempotent request
   * answered 200 beside the 201 of a new one). The audit entry records the status chosen.
   */
  respond(status: keyof S['response'] & number): void;
};

type SuccessBody<S extends RouteSchema> = {
  [K in keyof S['response']]: z.input<S['response'][K]>;
}[keyof S['response']];

export type RouteDef<S extends RouteSchema = RouteSchema> = {
  method: HttpMethod;
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  publicReason?: string;
  /**
   * Required for mutating methods: the audit action (e.g. `api_key.create`) and target type. `false` declares a
   * mutating method that changes nothing in Switchyard (the API proxy forwards calls to a vendor), with the reason
   * in `auditReason`; such a route writes no audit entry.
   */
  audit?: AuditDeclaration | false;
  auditReason?: string;
  /** Error codes this route can answer besides the common ones (validation, auth, rate limit, 500). */
  errors?: ErrorCode[];
  schema: S;
  /**
   * The status of a successful answer. Required when `schema.response` declares more than one; otherwise the one it
   * declares. The handler picks another declared one with `call.respond(status)`.
   */
  status?: keyof S['response'] & number;
  bodyLimit?: number;
  /**
   * A successful request is routine for the `changes` access-log policy (logged at debug), like a fast read: for
   * high-volume writes that keep a log of their own (inbound webhook ingest).
   */
  routineAccessLog?: true;
  /** Opt out of the per-key rate limit (health probes). */
  rateLimit?: false;
  /**
   * Media type of success responses (default `application/json`): `text/plain` for /metrics, `text/html` for pages,
   * the any-type wildcard for responses passed through from a vendor (the API proxy).
   */
  responseType?: 'application/json' | 'text/plain' | 'text/html' | '*/*';
  /** Media types of the request body in openapi.json (default `application/json`); the wildcard for a free-form body. */
  requestTypes?: string[];
  /** Hide from openapi.json (HTML pages). */
  hidden?: boolean;
  handler(call: Call<S>): Promise<SuccessBody<S> | undefined | void>;
  /**
   * The route's common case answered from Node's request before Fastify (fast-route.ts): for a public route without
   * audit or rate limit on a hot path (inbound ingest). It declines what it does not take, and `handler` answers that.
   */
  fast?: FastHandler;
};

/** Declare an endpoint. Types for params, query, body and the result flow from the zod schemas. */
export function defineRoute<S extends RouteSchema>(def: RouteDef<S>): RouteDef {
  return def as unknown as RouteDef;
}

export function isMutating(method: HttpMethod): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** A route that writes an audit entry per request (every mutating route unless it declared `audit: false`). */
export function isAudited(def: RouteDef): def is RouteDef & { audit: AuditDeclaration } {
  return typeof def.audit === 'object';
}
