import { z } from 'zod';
import type { CapabilityDefinition as Capability, CapabilityCatalog } from '../catalog/capabilities.js';
import type { Registry } from '../catalog/registry.js';
import { getConnection } from '../connections/sql.js';
import type { Clock } from '../core/clock.js';
import type { Db, Queryable } from '../core/db/port.js';
import { isUniqueViolation } from '../core/db/port.js';
import { ApiError, type ErrorCode, type FieldError } from '../core/errors.js';
import { defineRoute } from '../core/http/route.js';
import type { Principal } from '../core/principal.js';
import { decodeCursor, encodeCursor, isoRequired, timestamp, toPage } from '../core/http/schemas.js';
import { newId } from '../core/ids.js';
import { routeInputSchema, routeNameSchema, routePatchSchema, routeSchema, settingsSchema } from './model.js';
import { servesCapability } from './provider.js';
import type { Routing } from './service.js';
import {
  callBuckets,
  countRouteCalls,
  getRouteById,
  deleteRoute,
  getRouteRequest,
  insertRoute,
  listRouteCalls,
  listRoutes,
  providerStats,
  queueLength,
  updateRoute,
  type RouteRow,
  type StoredProvider,
} from './sql.js';

export type RoutingRouteDeps = {
  db: Db;
  clock: Clock;
  routing: Routing;
  registry: Pick<Registry, 'get' | 'list'>;
  capabilities: CapabilityCatalog;
};

const nameParams = z.object({ name: routeNameSchema });

const attemptSchema = z.object({
  connection_id: z.string(),
  connector: z.string(),
  outcome: z.enum(['ok', 'empty', 'rate_limited', 'quota_exhausted', 'failed', 'timeout', 'skipped']),
  reason: z.string(),
  status: z.number().int().optional(),
  latency_ms: z.number(),
});

const providerRef = z.object({ connection_id: z.string(), connector: z.string() });

const answerSchema = z
  .object({
    data: z.unknown().describe('The standard record (or records, for a capability that answers many)'),
    provider: providerRef.nullable().describe('Who answered; null for a fused answer'),
    reason: z.string().describe('Why this provider answered (primary, fallback and why, fusion)'),
    attempts: z.array(attemptSchema),
    queued_ms: z.number().optional().describe('How long the request waited in the queue for a window to reset'),
    fusion: z
      .object({
        provenance: z.record(z.string(), z.unknown()).describe('Per field, the provider (or providers) it came from'),
        conflicts: z.array(z.unknown()).describe('Fields whose values disagreed beyond their tolerance'),
        redistributable: z
          .boolean()
          .describe('False when a field came from a provider whose data may not be passed on'),
        tainted_fields: z.array(z.string()),
      })
      .optional(),
  })
  .meta({ id: 'RouteAnswer' });

const breakerSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  opened_at: timestamp.nullable(),
  probe_at: timestamp.nullable(),
});

const providerViewSchema = z
  .object({
    connection_id: z.string(),
    connector: z.string(),
    name: z.string(),
    eligible: z.boolean(),
    why: z.string(),
    breaker: breakerSchema,
    quota: z.object({ exhausted_until: timestamp, reason: z.string() }).nullable(),
    rate_limited_until: timestamp.nullable(),
    sticky: z.boolean(),
    condition_matched: z.boolean().optional(),
    last_failure: z.string().nullable(),
  })
  .meta({ id: 'RouteProviderHealth' });

const explainSchema = z
  .object({
    would_use: providerRef.nullable(),
    reason: z.string(),
    providers: z.array(providerViewSchema),
    queue_length: z.number().int(),
  })
  .meta({ id: 'RouteExplanation' });

/** What a query answers: the answer, or on a dry run the explanation (the same fields as explain). */
const queryAnswerSchema = answerSchema
  .partial({ data: true, provider: true, attempts: true })
  .extend({
    would_use: providerRef.nullable().optional().describe('dry_run: who would answer now'),
    providers: z.array(providerViewSchema).optional().describe('dry_run: each provider, eligible or not, and why'),
    queue_length: z.number().int().optional().describe('dry_run: requests waiting in the route’s queue'),
  })
  .meta({ id: 'RouteQueryAnswer' });

const capabilitySchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    feature: z.string(),
    enabled: z.boolean().describe('Whether the tenant has the feature the capability needs'),
    many: z.boolean(),
    key: z.array(z.string()),
    query_schema: z.record(z.string(), z.unknown()),
    record_schema: z.record(z.string(), z.unknown()),
    providers: z.array(
      z.object({ connector: z.string(), name: z.string(), availability: z.string(), redistributable: z.boolean() }),
    ),
  })
  .meta({ id: 'Capability' });

const queryBody = z.strictObject({
  query: z.record(z.string(), z.unknown()).describe('The capability’s query, e.g. {"symbol": "AAPL"}'),
  dry_run: z.boolean().default(false).describe('Say which provider would answer now, and why, without calling any'),
  deadline_ms: z
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .optional()
    .describe('The longest this call may wait in the queue (at most the route’s queue.max_wait_seconds)'),
  async: z.boolean().default(false).describe('When queued, answer 202 at once with the request id to poll'),
});

const routeRequestSchema = z
  .object({
    id: z.string(),
    route: z.string(),
    state: z.enum(['queued', 'running', 'served', 'failed', 'expired']),
    not_before: timestamp,
    deadline: timestamp,
    result: answerSchema.nullable(),
    problem: z.record(z.string(), z.unknown()).nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'RouteRequest' });

const callSchema = z
  .object({
    id: z.string(),
    at: timestamp,
    connection_id: z.string().nullable(),
    connector: z.string().nullable(),
    outcome: z.string(),
    reason: z.string(),
    latency_ms: z.number(),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'RouteCall' });

const statsSchema = z
  .object({
    providers: z.array(
      z.object({
        connection_id: z.string(),
        connector: z.string(),
        calls: z.number().int(),
        ok: z.number().int(),
        failed: z.number().int(),
        rate_limited: z.number().int(),
        p50_ms: z.number().nullable(),
        p95_ms: z.number().nullable(),
      }),
    ),
    buckets: z.array(
      z.object({
        at: timestamp,
        ok: z.number().int(),
        fallback: z.number().int(),
        fused: z.number().int(),
        failed: z.number().int(),
        rate_limited: z.number().int(),
        queued: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'RouteStats' });

const checkErrors: ErrorCode[] = ['feature_not_enabled', 'validation_failed', 'malformed_json'];

/** `/v1/routes` and `/v1/capabilities`: provider routes over HTTP (seed 000's Financial Data, generalised). */
export function routingRoutes(deps: RoutingRouteDeps) {
  const { db, clock, routing, capabilities } = deps;

  function featureOf(principal: Principal, capability: Capability) {
    if (!principal.tenant.features.includes(capability.feature))
      throw new ApiError(
        'feature_not_enabled',
        `Routing ${capability.name} needs the ${capability.feature} feature on the tenant’s subscription; ask an operator to enable it.`,
        { feature: capability.feature },
      );
  }

  function capabilityOf(name: string): Capability {
    const capability = capabilities.get(name);
    if (!capability)
      throw new ApiError('validation_failed', `No capability is named ${name}.`, {
        errors: [{ path: 'capability', message: `unknown capability ${name} (GET /v1/capabilities lists them)` }],
      });
    return capability;
  }

  /** A route of the tenant whose capability the tenant may use. */
  async function routeOf(principal: Principal, tenantId: string, name: string): Promise<RouteRow> {
    const route = await routing.route(tenantId, name);
    if (!route) throw new ApiError('not_found', `Route ${name} does not exist.`);
    const capability = capabilities.get(route.capability);
    if (capability) featureOf(principal, capability);
    return route;
  }

  /** Check a route's providers, conditions and fusion rules against the tenant's connections and the capability. */
  async function check(
    q: Queryable,
    tenantId: string,
    capability: Capability,
    input: {
      strategy: RouteRow['strategy'];
      providers: { connection_id: string; weight: number; redistributable?: boolean | undefined }[];
      conditions: RouteRow['conditions'];
      fusion?: RouteRow['fusion'] | undefined;
    },
  ): Promise<StoredProvider[]> {
    const errors: FieldError[] = [];
    const stored: StoredProvider[] = [];
    const seen = new Set<string>();
    for (const [i, p] of input.providers.entries()) {
      const path = `providers.${i}.connection_id`;
      if (seen.has(p.connection_id)) {
        errors.push({ path, message: `${p.connection_id} is listed twice` });
        continue;
      }
      seen.add(p.connection_id);
      const connection = await getConnection(q, tenantId, p.connection_id);
      if (!connection) {
        errors.push({ path, message: `no connection ${p.connection_id} in this tenant` });
        continue;
      }
      const connector = await deps.registry.get(connection.connector_slug);
      if (!connector || servesCapability(connector.manifest, capability.name) === undefined) {
        errors.push({
          path,
          message: `${connection.name} (${connection.connector_slug}) does not serve ${capability.name}`,
        });
        continue;
      }
      if (
        connector.availability === 'coming_soon' ||
        servesCapability(connector.manifest, capability.name) !== 'active'
      )
        errors.push({
          path,
          message: `${connector.manifest.name} serves ${capability.name} soon, not yet (coming soon)`,
        });
      stored.push({
        connection_id: p.connection_id,
        connector: connection.connector_slug,
        weight: p.weight,
        ...(p.redistributable === undefined ? {} : { redistributable: p.redistributable }),
      });
    }
    for (const [i, c] of input.conditions.entries())
      for (const id of c.use)
        if (!seen.has(id))
          errors.push({ path: `conditions.${i}.use`, message: `${id} is not one of the route’s providers` });
    if (input.strategy === 'conditional' && input.conditions.length === 0)
      errors.push({ path: 'conditions', message: 'a conditional route needs at least one condition' });
    if (input.strategy === 'fusion' && !capability.fusable)
      errors.push({
        path: 'strategy',
        message: `${capability.name} answers cannot be fused (one provider acts on each call): use single or fallback`,
      });
    const fields = Object.keys((capability.record as { properties?: object }).properties ?? {});
    for (const [field, rule] of Object.entries(input.fusion?.fields ?? {})) {
      if (field !== '*' && !fields.includes(field))
        errors.push({ path: `fusion.fields.${field}`, message: `${capability.name} records have no field ${field}` });
      for (const id of rule.order ?? [])
        if (!seen.has(id))
          errors.push({ path: `fusion.fields.${field}.order`, message: `${id} is not one of the route’s providers` });
    }
    if (errors.length) throw new ApiError('validation_failed', 'The route does not fit its capability.', { errors });
    return stored;
  }

  async function present(q: Queryable, route: RouteRow): Promise<z.input<typeof routeSchema>> {
    const names = await connectionNames(q, route.tenant_id, route.providers);
    const licences = await Promise.all(
      route.providers.map(async (p) =>
        p.redistributable !== undefined
          ? p.redistributable
          : ((await deps.registry.get(p.connector))?.manifest.data_licence?.redistributable ?? true),
      ),
    );
    return {
      id: route.id,
      name: route.name,
      description: route.description,
      capability: route.capability,
      enabled: route.enabled,
      strategy: route.strategy,
      on_rate_limit: route.on_rate_limit,
      providers: route.providers.map((p, i) => ({
        connection_id: p.connection_id,
        connector: p.connector,
        name: names.get(p.connection_id) ?? '(deleted connection)',
        weight: p.weight,
        redistributable: licences[i] as boolean,
      })),
      conditions: route.conditions,
      fusion: route.fusion,
      ...route.settings,
      sticky:
        route.sticky_connection_id && route.sticky_since
          ? { connection_id: route.sticky_connection_id, since: isoRequired(route.sticky_since) }
          : null,
      created_at: isoRequired(route.created_at),
      updated_at: isoRequired(route.updated_at),
    };
  }

  async function connectionNames(q: Queryable, tenantId: string, providers: { connection_id: string }[]) {
    const { rows } = await q.query<{ id: string; name: string }>(
      'select id, name from connections where tenant_id = $1 and id = any($2)',
      [tenantId, providers.map((p) => p.connection_id)],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async function healthOf(route: RouteRow, query: Record<string, unknown>) {
    const [explained, names, queued] = await Promise.all([
      routing.router.explain(route, query),
      connectionNames(db, route.tenant_id, route.providers),
      queueLength(db, route.id),
    ]);
    const providers = await Promise.all(
      explained.providers.map(async (p) => ({
        ...p,
        name: names.get(p.connection_id) ?? '(deleted connection)',
        last_failure: (await routing.health.status(p.connection_id)).last_failure,
      })),
    );
    return { ...explained, providers, queue_length: queued };
  }

  /** The query checked against the capability's query schema, with its defaults filled in. */
  function validQuery(capability: Capability, query: Record<string, unknown>): Record<string, unknown> {
    const checked = capabilities.validateQuery(capability.name, query);
    if (!checked.ok)
      throw new ApiError('validation_failed', `The query does not fit ${capability.name}.`, { errors: checked.errors });
    return checked.value;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/v1/capabilities',
      operationId: 'listRoutingCapabilities',
      summary: 'List the capabilities routes can serve, with the connectors that serve each',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      schema: { response: { 200: z.object({ data: z.array(capabilitySchema) }) } },
      async handler({ principal }) {
        const connectors = await deps.registry.list();
        return {
          data: capabilities.list().map((c) => ({
            name: c.name,
            title: c.title,
            description: c.description,
            feature: c.feature,
            enabled: principal.tenant.features.includes(c.feature),
            many: c.many,
            key: c.key,
            query_schema: c.query,
            record_schema: c.record,
            providers: connectors
              .filter((row) => !row.retired_at && servesCapability(row.manifest, c.name) !== undefined)
              .map((row) => ({
                connector: row.slug,
                name: row.manifest.name,
                availability:
                  servesCapability(row.manifest, c.name) === 'coming_soon' ? 'coming_soon' : row.availability,
                redistributable: row.manifest.data_licence?.redistributable ?? true,
              })),
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes',
      operationId: 'listRoutes',
      summary: 'List provider routes',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      schema: {
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
          capability: z.string().max(100).optional(),
        }),
        response: { 200: z.object({ data: z.array(routeSchema), next_cursor: z.string().nullable() }) },
      },
      async handler({ query, tenantId }) {
        const after = decodeCursor(query.cursor)?.id;
        const rows = await listRoutes(db, tenantId, {
          limit: query.limit,
          ...(after ? { afterName: after } : {}),
          ...(query.capability ? { capability: query.capability } : {}),
        });
        const more = rows.length > query.limit;
        const pageRows = rows.slice(0, query.limit);
        return {
          data: await Promise.all(pageRows.map((r) => present(db, r))),
          next_cursor: more ? encodeCursor({ id: (pageRows[pageRows.length - 1] as RouteRow).name }) : null,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/routes',
      operationId: 'createRoute',
      summary: 'Create a provider route',
      description:
        'A capability served by an ordered list of connections: a strategy, a rate-limit policy (strict, fallback, ' +
        'queue), retries within a budget, a circuit breaker and, for fusion, per-field merge rules.',
      tags: ['Routing'],
      access: { capability: 'manage_routes' },
      audit: { action: 'route.create', targetType: 'route' },
      errors: [...checkErrors, 'already_exists'],
      schema: { body: routeInputSchema, response: { 201: routeSchema } },
      async handler({ body, principal, tenantId, transaction, audit }) {
        const capability = capabilityOf(body.capability);
        featureOf(principal, capability);
        try {
          return await transaction(async (tx) => {
            const providers = await check(tx, tenantId, capability, body);
            const row = await insertRoute(tx, {
              id: newId('rte'),
              tenant_id: tenantId,
              name: body.name,
              description: body.description ?? null,
              capability: body.capability,
              enabled: body.enabled,
              strategy: body.strategy,
              on_rate_limit: body.on_rate_limit,
              providers,
              conditions: body.conditions,
              settings: settingsSchema.parse({
                queue: body.queue,
                retry: body.retry,
                breaker: body.breaker,
                timeout_ms: body.timeout_ms,
              }),
              fusion: body.fusion ?? null,
            });
            await routing.invalidate(tx, row);
            // Routes are named in their URLs, as secrets are: the name is the target, the id beside it.
            audit.target(row.name, {
              id: row.id,
              capability: row.capability,
              strategy: row.strategy,
              on_rate_limit: row.on_rate_limit,
              providers: providers.map((p) => p.connection_id),
            });
            return present(tx, row);
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw new ApiError('already_exists', `A route named ${body.name} exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes/:name',
      operationId: 'getRoute',
      summary: 'Get a provider route',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: { params: nameParams, response: { 200: routeSchema } },
      async handler({ params, principal, tenantId }) {
        return present(db, await routeOf(principal, tenantId, params.name));
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/routes/:name',
      operationId: 'updateRoute',
      summary: 'Change a provider route',
      description: 'Changing the providers ends a sticky failover (the route starts again from its primary).',
      tags: ['Routing'],
      access: { capability: 'manage_routes' },
      audit: { action: 'route.update', targetType: 'route' },
      errors: [...checkErrors, 'not_found'],
      schema: { params: nameParams, body: routePatchSchema, response: { 200: routeSchema } },
      async handler({ params, body, principal, tenantId, transaction, audit }) {
        const before = await routeOf(principal, tenantId, params.name);
        const capability = capabilityOf(before.capability);
        return transaction(async (tx) => {
          const next = {
            strategy: body.strategy ?? before.strategy,
            providers:
              body.providers ??
              before.providers.map((p) => ({
                connection_id: p.connection_id,
                weight: p.weight,
                ...(p.redistributable === undefined ? {} : { redistributable: p.redistributable }),
              })),
            conditions: body.conditions ?? before.conditions,
            fusion: body.fusion === undefined ? before.fusion : body.fusion,
          };
          const providers = await check(tx, tenantId, capability, next);
          const settings = settingsSchema.parse({
            queue: { ...before.settings.queue, ...body.queue },
            retry: { ...before.settings.retry, ...body.retry },
            breaker: { ...before.settings.breaker, ...body.breaker },
            timeout_ms: body.timeout_ms ?? before.settings.timeout_ms,
          });
          const order = (list: StoredProvider[]) =>
            list.map((p) => `${p.connection_id}:${p.weight}:${String(p.redistributable)}`).join();
          const providersChanged = order(providers) !== order(before.providers);
          const row = await updateRoute(
            tx,
            before.id,
            {
              description: body.description === undefined ? before.description : body.description,
              capability: before.capability,
              enabled: body.enabled ?? before.enabled,
              strategy: next.strategy,
              on_rate_limit: body.on_rate_limit ?? before.on_rate_limit,
              providers,
              conditions: next.conditions,
              settings,
              fusion: next.fusion,
            },
            providersChanged,
          );
          await routing.invalidate(tx, row);
          const diff: Record<string, unknown> = {};
          for (const key of ['enabled', 'strategy', 'on_rate_limit'] as const)
            if (before[key] !== row[key]) diff[key] = { from: before[key], to: row[key] };
          if (providersChanged)
            diff.providers = {
              from: before.providers.map((p) => p.connection_id),
              to: providers.map((p) => p.connection_id),
            };
          audit.target(row.name, diff);
          return present(tx, row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/routes/:name',
      operationId: 'deleteRoute',
      summary: 'Delete a provider route (its queued requests and call log go with it)',
      tags: ['Routing'],
      access: { capability: 'manage_routes' },
      audit: { action: 'route.delete', targetType: 'route' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: { params: nameParams, response: { 204: z.undefined() } },
      async handler({ params, principal, tenantId, transaction, audit, reply }) {
        const route = await routeOf(principal, tenantId, params.name);
        await transaction(async (tx) => {
          await deleteRoute(tx, route.id);
          await routing.invalidate(tx, route);
          audit.target(route.name, { id: route.id });
        });
        reply.status(204);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/routes/:name/query',
      operationId: 'queryRoute',
      summary: 'Query a capability through a route',
      description:
        'Answers the standard record, which provider answered and why (also in the `Switchyard-Provider` and ' +
        '`Switchyard-Route-Reason` headers) and every attempt. `dry_run` says which provider would answer now. On a ' +
        'queue route whose providers are all rate-limited the call waits for the reset (up to `deadline_ms`), or ' +
        'answers 202 with `async`.',
      tags: ['Routing'],
      access: { capability: 'query_routes' },
      audit: false,
      auditReason: 'Reads from vendors; every call is in the route’s call log.',
      // Every call is in the route's call log: a successful one is routine for the access log, as inbound ingest's.
      routineAccessLog: true,
      errors: [
        'not_found',
        'feature_not_enabled',
        'provider_rate_limited',
        'queue_deadline_exceeded',
        'providers_unavailable',
        'no_data',
        'conflict',
      ],
      schema: {
        params: nameParams,
        body: queryBody,
        response: {
          // One object schema, not a union: a union is serialised by trying each branch in turn, on every call.
          200: queryAnswerSchema,
          202: z.object({ request_id: z.string(), state: z.literal('queued'), not_before: timestamp }),
        },
      },
      status: 200,
      async handler({ params, body, principal, tenantId, reply, respond, req }) {
        const route = await routeOf(principal, tenantId, params.name);
        const capability = capabilityOf(route.capability);
        const query = validQuery(capability, body.query);
        if (body.dry_run) return healthOf(route, query);
        if (!route.enabled) throw new ApiError('conflict', `Route ${route.name} is disabled.`);
        const result = await routing.query(route, query, {
          ...(body.deadline_ms ? { deadlineMs: body.deadline_ms } : {}),
          async: body.async,
          requestId: req.id,
        });
        if (result.status === 202) {
          respond(202);
          reply.header('location', `/v1/routes/requests/${result.queued.request_id}`);
          return result.queued;
        }
        reply.header('switchyard-provider', result.answer.provider?.connector ?? 'fusion');
        reply.header('switchyard-route-reason', encodeURIComponent(result.answer.reason).slice(0, 500));
        return result.answer;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/routes/:name/explain',
      operationId: 'explainRoute',
      summary: 'Which provider would answer a query now, and why',
      description: 'Breaker state, quota, rate limits, sticky failover and conditions per provider; calls none.',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      audit: false,
      auditReason: 'Reads state; changes nothing.',
      errors: ['not_found', 'feature_not_enabled'],
      schema: {
        params: nameParams,
        body: z.strictObject({ query: z.record(z.string(), z.unknown()).default({}) }),
        response: { 200: explainSchema },
      },
      async handler({ params, body, principal, tenantId }) {
        const route = await routeOf(principal, tenantId, params.name);
        return healthOf(route, body.query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes/:name/health',
      operationId: 'getRouteHealth',
      summary: 'Each provider’s circuit breaker, quota and rate-limit state, and the queue',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: {
        params: nameParams,
        response: {
          200: z
            .object({
              providers: z.array(providerViewSchema),
              queue_length: z.number().int(),
              calls_last_hour: z.number().int(),
            })
            .meta({ id: 'RouteHealth' }),
        },
      },
      async handler({ params, principal, tenantId }) {
        const route = await routeOf(principal, tenantId, params.name);
        const [view, lastHour] = await Promise.all([
          healthOf(route, {}),
          countRouteCalls(db, route.id, new Date(clock.now().getTime() - 3_600_000)),
        ]);
        return {
          providers: view.providers,
          queue_length: view.queue_length,
          calls_last_hour: lastHour,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/routes/:name/providers/:connection_id/reset',
      operationId: 'resetRouteProvider',
      summary: 'Close a provider’s circuit breaker and clear its rate-limit mark',
      description: 'The vendor decides again on the next call. The provider’s state is shared by every route using it.',
      tags: ['Routing'],
      access: { capability: 'manage_routes' },
      audit: { action: 'route.provider_reset', targetType: 'connection' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: {
        params: z.object({ name: routeNameSchema, connection_id: z.string().min(1).max(100) }),
        response: { 200: providerViewSchema },
      },
      async handler({ params, principal, tenantId, audit }) {
        const route = await routeOf(principal, tenantId, params.name);
        if (!route.providers.some((p) => p.connection_id === params.connection_id))
          throw new ApiError('not_found', `Connection ${params.connection_id} is not a provider of ${route.name}.`);
        const before = await routing.health.status(params.connection_id);
        await routing.health.reset(params.connection_id);
        audit.target(params.connection_id, {
          route: route.name,
          breaker: { from: before.breaker.state, to: 'closed' },
          ...(before.limit ? { limited_until: { from: new Date(before.limit.until).toISOString(), to: null } } : {}),
        });
        const view = await healthOf(route, {});
        return view.providers.find((p) => p.connection_id === params.connection_id) as z.input<
          typeof providerViewSchema
        >;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes/:name/calls',
      operationId: 'listRouteCalls',
      summary: 'The route’s call log: provider, outcome, reason, latency and attempts, newest first',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: {
        params: nameParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
          outcome: z
            .enum(['ok', 'fallback', 'fused', 'rate_limited', 'queued', 'expired', 'failed', 'no_data'])
            .optional(),
        }),
        response: { 200: z.object({ data: z.array(callSchema), next_cursor: z.string().nullable() }) },
      },
      async handler({ params, query, principal, tenantId }) {
        const route = await routeOf(principal, tenantId, params.name);
        const before = decodeCursor(query.cursor)?.id;
        const rows = await listRouteCalls(db, route.id, {
          limit: query.limit,
          ...(before ? { beforeId: before } : {}),
          ...(query.outcome ? { outcome: query.outcome } : {}),
        });
        const connectorOf = new Map(route.providers.map((p) => [p.connection_id, p.connector]));
        return toPage(rows, query.limit, (r) => ({
          id: r.id,
          at: isoRequired(r.at),
          connection_id: r.connection_id,
          connector: r.connection_id ? (connectorOf.get(r.connection_id) ?? null) : null,
          outcome: r.outcome,
          reason: r.reason,
          latency_ms: r.latency_ms,
          attempts: r.attempts as z.input<typeof attemptSchema>[],
        }));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes/:name/stats',
      operationId: 'getRouteStats',
      summary: 'Per-provider statistics and calls per hour by outcome',
      tags: ['Routing'],
      access: { capability: 'view_routes' },
      errors: ['not_found', 'feature_not_enabled'],
      schema: {
        params: nameParams,
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(720).default(24) }),
        response: { 200: statsSchema },
      },
      async handler({ params, query, principal, tenantId }) {
        const route = await routeOf(principal, tenantId, params.name);
        const since = new Date(clock.now().getTime() - query.hours * 3_600_000);
        const [providers, buckets] = await Promise.all([
          providerStats(db, route.id, since),
          callBuckets(db, route.id, since),
        ]);
        const connectorOf = new Map(route.providers.map((p) => [p.connection_id, p.connector]));
        const byHour = new Map<string, Record<string, number>>();
        for (const b of buckets) {
          const at = isoRequired(b.at);
          const row = byHour.get(at) ?? { ok: 0, fallback: 0, fused: 0, failed: 0, rate_limited: 0, queued: 0 };
          const kind = b.outcome === 'expired' ? 'rate_limited' : b.outcome === 'no_data' ? 'ok' : b.outcome;
          if (kind in row) row[kind] = (row[kind] ?? 0) + b.n;
          byHour.set(at, row);
        }
        return {
          providers: providers.map((p) => ({ ...p, connector: connectorOf.get(p.connection_id) ?? 'unknown' })),
          buckets: [...byHour.entries()].map(([at, counts]) => ({
            at,
            ok: counts.ok ?? 0,
            fallback: counts.fallback ?? 0,
            fused: counts.fused ?? 0,
            failed: counts.failed ?? 0,
            rate_limited: counts.rate_limited ?? 0,
            queued: counts.queued ?? 0,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/routes/requests/:id',
      operationId: 'getRouteRequest',
      summary: 'A queued route request: still waiting, or served (with the answer), failed or expired',
      tags: ['Routing'],
      access: { capability: 'query_routes' },
      errors: ['not_found'],
      schema: { params: z.object({ id: z.string().min(1).max(100) }), response: { 200: routeRequestSchema } },
      async handler({ params, tenantId }) {
        const row = await getRouteRequest(db, tenantId, params.id);
        if (!row) throw new ApiError('not_found', `Route request ${params.id} does not exist.`);
        const route = await getRouteById(db, row.route_id);
        return {
          id: row.id,
          route: route?.name ?? '',
          state: row.state,
          not_before: isoRequired(row.not_before),
          deadline: isoRequired(row.deadline),
          result: row.result as z.input<typeof answerSchema> | null,
          problem: row.problem,
          created_at: isoRequired(row.created_at),
        };
      },
    }),
  ];
}
