import { z } from 'zod';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import type { EventRow } from '../../events/sql.js';
import { DELIVERY_STATUSES, type AttemptDetailRow, type AttemptRow, type DeliveryRow } from './sql.js';
import type { AttemptCounters, AttemptFailure } from './attempt-stats.js';
import type { Counters, EndpointStats, SeriesPoint } from './stats.js';

const trigger = z.enum(['scheduled', 'manual', 'replay']);

export const deliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        'pending: waiting for its next attempt; dispatched: an attempt is in flight; delivered; failed: retries exhausted; skipped: endpoint disabled or payload filter excluded it',
      ),
    attempt_count: z.number().int(),
    next_attempt_at: timestamp.nullable().describe('When a pending delivery is next attempted'),
    next_trigger: trigger.describe('What the next attempt is: the retry schedule, a manual retry or a replay'),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    skip_reason: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    delivered_at: timestamp.nullable(),
  })
  .meta({ id: 'WebhookDelivery', description: 'One event sent to one endpoint, over one or more attempts.' });

const attemptFields = {
  id: z.string(),
  attempt_number: z.number().int(),
  trigger,
  started_at: timestamp,
  duration_ms: z.number().int().nullable().describe('null while in flight, and for an interrupted attempt'),
  outcome: z
    .string()
    .describe(
      'delivered, failed, throttled, gone, blocked or skipped; in_flight while the request is out; interrupted when the process sending it stopped before its outcome was recorded (the receiver may or may not have got it)',
    ),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  request_url: z.string(),
  response_headers: z.record(z.string(), z.string()).nullable(),
  response_truncated: z.boolean().describe('The stored response body was cut at 64 KiB'),
};

export const attemptSchema = z
  .object(attemptFields)
  .meta({ id: 'WebhookAttempt', description: 'One HTTP request of a delivery (the response body is in the detail).' });

export const attemptDetailSchema = z
  .object({
    ...attemptFields,
    delivery_id: z.string(),
    response_body: z.string().nullable().describe('The receiver’s response body, up to 64 KiB'),
  })
  .meta({ id: 'WebhookAttemptDetail' });

export const deliveryDetailSchema = deliverySchema
  .extend({
    attempts: z.array(attemptSchema).describe('Oldest first'),
    event: z.object({
      id: z.string(),
      type: z.string(),
      data: z.record(z.string(), z.unknown()),
      created_at: timestamp,
    }),
  })
  .meta({ id: 'WebhookDeliveryDetail' });

const countersSchema = {
  total: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int().describe('Waiting for an attempt or with one in flight'),
  skipped: z.number().int(),
  success_rate: z.number().nullable().describe('delivered / (delivered + failed); null when both are 0'),
  avg_delivery_ms: z.number().nullable().describe('From creation to delivery, over delivered deliveries'),
  p95_delivery_ms: z.number().nullable(),
  avg_attempt_ms: z.number().nullable().describe('Duration of one attempt'),
  p95_attempt_ms: z.number().nullable(),
  retries: z.number().int().describe('Attempts beyond the first of each delivery'),
  attempts: z.number().int().describe('Attempts started in the window, whatever their outcome'),
  attempts_delivered: z.number().int().describe('Attempts started in the window that were acknowledged with a 2xx'),
  attempts_failed: z
    .number()
    .int()
    .describe('Attempts started in the window that were not: failed, throttled, gone, blocked or interrupted'),
  attempt_success_rate: z
    .number()
    .nullable()
    .describe(
      'attempts_delivered / (attempts_delivered + attempts_failed); null when both are 0. Unlike success_rate, which counts a delivery failed only once its retries are spent, this drops as soon as the receiver fails',
    ),
};

const attemptFailureSchema = z
  .object({
    attempt_id: z.string(),
    delivery_id: z.string(),
    endpoint_id: z.string(),
    attempt_number: z.number().int(),
    started_at: timestamp,
    outcome: z.string(),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttemptFailure', description: 'A failing attempt: what the receiver answered, or why not.' });

const endpointStatsSchema = z.object({
  endpoint_id: z.string(),
  url: z.string(),
  ...countersSchema,
  circuit: z
    .enum(['closed', 'open', 'half_open'])
    .describe('The breaker now: open (deliveries wait for the cool-down), half_open (a probe is due), closed'),
  consecutive_failures: z.number().int().describe('Now: failed attempts since its last success (0: not failing)'),
  failing_since: timestamp.nullable().describe('Now: start of the current run of failures'),
  last_failure: attemptFailureSchema.nullable().describe('Its latest failing attempt in the window'),
});

export const statsSchema = z
  .object({
    since: timestamp,
    until: timestamp,
    bucket_seconds: z.number().int(),
    overall: z.object(countersSchema),
    per_endpoint: z
      .array(endpointStatsSchema)
      .describe('Endpoints with deliveries created or attempts started in the window, with their health now'),
    recent_failures: z
      .array(attemptFailureSchema)
      .describe('The latest 10 failing attempts in the window, newest first'),
    series: z.array(
      z.object({ start: timestamp, delivered: z.number().int(), failed: z.number().int(), total: z.number().int() }),
    ),
  })
  .meta({
    id: 'WebhookStats',
    description:
      'Delivery counters over deliveries created in [since, until); attempt counters and failures over attempts started in it.',
  });

export function presentDelivery(row: DeliveryRow): z.input<typeof deliverySchema> {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: iso(row.next_attempt_at),
    next_trigger: row.next_trigger,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    skip_reason: row.skip_reason,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
    delivered_at: iso(row.delivered_at),
  };
}

export function presentAttempt(row: AttemptRow): z.input<typeof attemptSchema> {
  return {
    id: row.id,
    attempt_number: row.attempt_number,
    trigger: row.trigger,
    started_at: isoRequired(row.started_at),
    duration_ms: row.duration_ms,
    outcome: row.outcome,
    status_code: row.status_code,
    error: row.error,
    request_url: row.request_url,
    response_headers: row.response_headers,
    response_truncated: row.response_truncated,
  };
}

export function presentAttemptDetail(row: AttemptDetailRow): z.input<typeof attemptDetailSchema> {
  return { ...presentAttempt(row), delivery_id: row.delivery_id, response_body: row.response_body };
}

export function presentDeliveryDetail(
  row: DeliveryRow,
  attempts: AttemptRow[],
  event: EventRow,
): z.input<typeof deliveryDetailSchema> {
  return {
    ...presentDelivery(row),
    attempts: attempts.map(presentAttempt),
    event: { id: event.id, type: event.type, data: event.data, created_at: isoRequired(event.created_at) },
  };
}

export function presentStats(
  range: { since: Date; until: Date; bucketSeconds: number },
  stats: {
    overall: Counters & AttemptCounters;
    perEndpoint: EndpointStats[];
    recentFailures: AttemptFailure[];
    series: SeriesPoint[];
  },
): z.input<typeof statsSchema> {
  return {
    since: isoRequired(range.since),
    until: isoRequired(range.until),
    bucket_seconds: range.bucketSeconds,
    overall: stats.overall,
    per_endpoint: stats.perEndpoint.map((e) => ({
      ...e,
      failing_since: iso(e.failing_since),
      last_failure: e.last_failure ? presentFailure(e.last_failure) : null,
    })),
    recent_failures: stats.recentFailures.map(presentFailure),
    series: stats.series.map((p) => ({ ...p, start: isoRequired(p.start) })),
  };
}

function presentFailure(f: AttemptFailure): z.input<typeof attemptFailureSchema> {
  return {
    attempt_id: f.attempt_id,
    delivery_id: f.delivery_id,
    endpoint_id: f.endpoint_id,
    attempt_number: f.attempt_number,
    started_at: isoRequired(f.started_at),
    outcome: f.outcome,
    status_code: f.status_code,
    error: f.error,
  };
}
