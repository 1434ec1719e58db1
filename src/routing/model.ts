import { z } from 'zod';
import { timestamp } from '../core/http/schemas.js';
import { fusionRulesSchema } from './fusion.js';

/**
 * A route: one capability (a standard model such as `equity.quote`) served by an ordered list of the tenant's
 * connections, with a strategy, a policy for rate limits, retries, a circuit breaker and, for `fusion`, per-field
 * merge rules. What the API takes (`routeInputSchema`) is what `routes.settings` and `routes.providers` keep, with
 * every default filled in, so a route read back says exactly how it behaves.
 */
export const strategies = ['single', 'fallback', 'loadbalance', 'conditional', 'fusion'] as const;
export type Strategy = (typeof strategies)[number];

export const rateLimitPolicies = ['strict', 'fallback', 'queue'] as const;
export type RateLimitPolicy = (typeof rateLimitPolicies)[number];

export const routeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'lower-case letters, digits, dots, hyphens and underscores (1-63)')
  .refine((name) => name !== 'requests', '`requests` names the queued requests (/v1/routes/requests/{id})');

const providerSchema = z
  .strictObject({
    connection_id: z.string().min(1).max(100),
    weight: z.number().int().min(0).max(1000).default(1).describe('loadbalance: the share of calls it gets'),
    redistributable: z
      .boolean()
      .optional()
      .describe('Whether its data may be passed on; unset: what its connector’s data licence says'),
  })
  .meta({ id: 'RouteProviderSpec' });

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const operatorSchema = z
  .strictObject({
    $eq: scalar.optional(),
    $ne: scalar.optional(),
    $in: z.array(scalar).max(1000).optional(),
    $nin: z.array(scalar).max(1000).optional(),
    $gt: z.union([z.number(), z.string()]).optional(),
    $gte: z.union([z.number(), z.string()]).optional(),
    $lt: z.union([z.number(), z.string()]).optional(),
    $lte: z.union([z.number(), z.string()]).optional(),
    $regex: z
      .string()
      .max(500)
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, 'a regular expression')
      .optional(),
  })
  .refine((op) => Object.keys(op).length > 0, 'give at least one operator');

export const conditionSchema = z
  .strictObject({
    when: z
      .record(z.string().min(1).max(200), z.union([scalar, operatorSchema]))
      .refine((when) => Object.keys(when).length > 0, 'name at least one query field')
      .describe('Query fields and what they must be (a value, or operators such as $in, $regex); all must hold'),
    use: z.array(z.string().min(1).max(100)).min(1).max(20).describe('The providers (connection ids) to use, in order'),
  })
  .meta({ id: 'RouteCondition' });
export type Condition = z.output<typeof conditionSchema>;

export const settingsSchema = z.strictObject({
  queue: z
    .strictObject({
      max_wait_seconds: z.number().int().min(1).max(86_400).default(600),
    })
    .prefault({})
    .describe('on_rate_limit: queue — how long a request may wait for a window to reset'),
  retry: z
    .strictObject({
      attempts: z.number().int().min(0).max(5).default(2).describe('Retries per provider after its first attempt'),
      honour_retry_after: z.boolean().default(true),
      max_wait_ms: z.number().int().min(0).max(60_000).default(10_000).describe('The longest wait before a retry'),
      budget_percent: z
        .number()
        .min(0)
        .max(100)
        .default(20)
        .describe('Retries are at most this share of the provider’s recent calls (a retry budget), plus one a second'),
    })
    .prefault({}),
  breaker: z
    .strictObject({
      consecutive_failures: z.number().int().min(1).max(100).default(3),
      failure_rate: z.number().min(0.01).max(1).default(0.5),
      min_requests: z.number().int().min(1).max(10_000).default(5),
      window_seconds: z.number().int().min(1).max(3600).default(60),
      cooldown_seconds: z
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(15)
        .describe('How long an open breaker waits before one probe; also how often a sticky route probes its primary'),
    })
    .prefault({}),
  timeout_ms: z.number().int().min(100).max(120_000).default(10_000).describe('Per attempt'),
});
export type RouteSettings = z.output<typeof settingsSchema>;

const routeFields = {
  description: z.string().max(2000).optional(),
  capability: z.string().min(1).max(100).describe('The capability served, e.g. equity.quote (GET /v1/capabilities)'),
  enabled: z.boolean().default(true),
  strategy: z
    .enum(strategies)
    .describe(
      'single: the first provider only; fallback: in order until one answers; loadbalance: by weight, the others as ' +
        'fallbacks; conditional: the first condition the query matches picks the providers; fusion: every provider ' +
        'at once, merged per field',
    ),
  providers: z.array(providerSchema).min(1).max(20).describe('In priority order: the first is the primary'),
  conditions: z.array(conditionSchema).max(50).default([]),
  on_rate_limit: z
    .enum(rateLimitPolicies)
    .describe(
      'strict: fail at once with the provider’s reason; fallback: the next provider; queue: hold the request until ' +
        'the window resets, up to queue.max_wait_seconds',
    ),
  fusion: fusionRulesSchema.optional(),
};

export const routeInputSchema = z
  .strictObject({ name: routeNameSchema, ...routeFields, ...settingsSchema.shape })
  .meta({ id: 'NewRoute' });
export type RouteInput = z.output<typeof routeInputSchema>;

/** A settings group for a change: every field optional and without its default. */
function changes<T extends z.ZodRawShape>(group: z.ZodObject<T>) {
  const shape = Object.fromEntries(
    Object.entries(group.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
    ]),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<{ [K in keyof T]: z.ZodOptional<z.ZodType<z.output<T[K]>>> }>;
}

export const routePatchSchema = z
  .strictObject({
    description: routeFields.description.nullable(),
    enabled: z.boolean(),
    strategy: routeFields.strategy,
    providers: routeFields.providers,
    conditions: z.array(conditionSchema).max(50),
    on_rate_limit: routeFields.on_rate_limit,
    fusion: fusionRulesSchema.nullable(),
    // Without defaults: a change names only what it changes, the rest stays as it was.
    queue: changes(settingsSchema.shape.queue.unwrap()),
    retry: changes(settingsSchema.shape.retry.unwrap()),
    breaker: changes(settingsSchema.shape.breaker.unwrap()),
    timeout_ms: settingsSchema.shape.timeout_ms.unwrap(),
  })
  .partial()
  .meta({ id: 'RoutePatch' });

export const routeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    capability: z.string(),
    enabled: z.boolean(),
    strategy: z.enum(strategies),
    on_rate_limit: z.enum(rateLimitPolicies),
    providers: z.array(
      z.object({
        connection_id: z.string(),
        connector: z.string(),
        name: z.string().describe('The connection’s name'),
        weight: z.number(),
        redistributable: z.boolean().describe('Its licence, or the route’s override'),
      }),
    ),
    conditions: z.array(conditionSchema),
    fusion: fusionRulesSchema.nullable(),
    queue: z.object({ max_wait_seconds: z.number() }),
    retry: z.object({
      attempts: z.number(),
      honour_retry_after: z.boolean(),
      max_wait_ms: z.number(),
      budget_percent: z.number(),
    }),
    breaker: z.object({
      consecutive_failures: z.number(),
      failure_rate: z.number(),
      min_requests: z.number(),
      window_seconds: z.number(),
      cooldown_seconds: z.number(),
    }),
    timeout_ms: z.number(),
    sticky: z
      .object({ connection_id: z.string(), since: timestamp })
      .nullable()
      .describe('Served by this fallback since its primary failed, until a probe finds the primary well'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Route' });
