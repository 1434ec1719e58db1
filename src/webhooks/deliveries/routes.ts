import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import {
  dateTimeQuery,
  decodeCursor,
  idParams,
  page,
  pageQuery,
  statusListQuery,
  toPage,
} from '../../core/http/schemas.js';
import { getEvent, type EventRow } from '../../events/sql.js';
import {
  attemptDetailSchema,
  deliveryDetailSchema,
  deliverySchema,
  presentAttemptDetail,
  presentDelivery,
  presentDeliveryDetail,
  presentStats,
  statsSchema,
} from './present.js';
import { replayBody, replayDeliveries, replayDrySchema, replayResultSchema } from './replay.js';
import {
  DELIVERY_STATUSES,
  getAttempt,
  getDelivery,
  listAttempts,
  listDeliveries,
  lockDelivery,
  requeueDelivery,
} from './sql.js';
import { bucketSeconds, deliveryStats } from './stats.js';
import { assertRange } from './range.js';

const statusList = statusListQuery(DELIVERY_STATUSES);

const commaList = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);

const notFound = (id: string) => new ApiError('not_found', `Webhook delivery ${id} does not exist.`);

export function deliveryRoutes(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log, newest first',
      description: 'Filters combine with AND. `q` matches an event id (exact or prefix) or a delivery id.',
      tags: ['Webhooks'],
      access: { capability: 'browse_delivery_log' },
      schema: {
        querystring: pageQuery.extend({
          endpoint_id: z.string().max(100).optional(),
          event_type: z.string().max(2000).optional().describe('One event type, or several separated by commas'),
          status: statusList.optional(),
          since: dateTimeQuery.optional().describe('Created at or after'),
          until: dateTimeQuery.optional().describe('Created before'),
          q: z.string().min(1).max(200).optional().describe('An event id or its prefix, or a delivery id'),
        }),
        response: { 200: page(deliverySchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listDeliveries(db, tenantId, {
          endpointId: query.endpoint_id,
          eventTypes: commaList(query.event_type),
          statuses: commaList(query.status),
          since: query.since,
          until: query.until,
          text: query.q,
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
        });
        return toPage(rows, query.limit, presentDelivery);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/deliveries/:id',
      operationId: 'getWebhookDelivery',
      summary: 'A delivery with its attempts (without response bodies) and the event it sends',
      tags: ['Webhooks'],
      access: { capability: 'browse_delivery_log' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: deliveryDetailSchema } },
      async handler({ params, tenantId }) {
        const row = await getDelivery(db, tenantId, params.id);
        if (!row) throw notFound(params.id);
        const [attempts, event] = await Promise.all([listAttempts(db, row.id), getEvent(db, tenantId, row.event_id)]);
        // The event cascades to its deliveries, so it exists while the delivery does.
        return presentDeliveryDetail(row, attempts, event as EventRow);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/deliveries/:id/attempts/:attemptId',
      operationId: 'getWebhookAttempt',
      summary: 'One attempt of a delivery, with the receiver’s response headers and body (up to 64 KiB)',
      tags: ['Webhooks'],
      access: { capability: 'browse_delivery_log' },
      errors: ['not_found'],
      schema: {
        params: idParams.extend({ attemptId: z.string().min(1).max(100) }),
        response: { 200: attemptDetailSchema },
      },
      async handler({ params, tenantId }) {
        const row = await getAttempt(db, tenantId, params.id, params.attemptId);
        if (!row)
          throw new ApiError('not_found', `Attempt ${params.attemptId} of delivery ${params.id} does not exist.`);
        return presentAttemptDetail(row);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/deliveries/:id/retry',
      operationId: 'retryWebhookDelivery',
      summary: 'Send a delivery again now (a new attempt is appended; earlier attempts are kept)',
      description:
        'Works for failed, delivered, skipped and pending deliveries and restarts the retry schedule. 409 `delivery_in_flight` while an attempt is in flight; 409 `endpoint_disabled` when the endpoint is disabled.',
      tags: ['Webhooks'],
      access: { capability: 'retry_failed_delivery' },
      audit: { action: 'webhook_delivery.retry', targetType: 'webhook_delivery' },
      errors: ['not_found', 'delivery_in_flight', 'endpoint_disabled'],
      schema: { params: idParams, response: { 202: deliverySchema } },
      async handler({ params, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const current = await lockDelivery(tx, tenantId, params.id);
          if (!current) throw notFound(params.id);
          if (current.status === 'dispatched')
            throw new ApiError(
              'delivery_in_flight',
              `An attempt of delivery ${current.id} is in flight; retry once it has finished.`,
            );
          if (!current.endpoint_enabled)
            throw new ApiError(
              'endpoint_disabled',
              `Webhook endpoint ${current.endpoint_id} is disabled; enable it first, then retry.`,
            );
          const row = await requeueDelivery(tx, current.id, clock.now(), 'manual');
          audit.target(row.id, { previous_status: current.status, endpoint_id: row.endpoint_id });
          // The insert trigger wakes dispatchers for new deliveries; an update has to say so itself.
          await db.notify(tx, channels.webhookDeliveries, '');
          return presentDelivery(row);
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/replay',
      operationId: 'replayWebhookDeliveries',
      summary: 'Send the deliveries of a time range again (failed ones by default), optionally creating missing ones',
      description:
        'The range is on the events’ time. A real run answers 202. `dry_run: true` changes nothing and answers 200 with what a real run would do (existing deliveries it would send again, deliveries it would create, matching deliveries left alone). Deliveries whose endpoint is disabled are left alone and counted in `skipped_disabled`; those in flight are not touched. At most 100,000 deliveries per replay (422 `replay_too_large`).',
      tags: ['Webhooks'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'webhook_delivery.replay', targetType: 'webhook_replay' },
      errors: ['not_found', 'time_range_invalid', 'replay_too_large', 'malformed_json', 'body_too_large'],
      schema: { body: replayBody, response: { 200: replayDrySchema, 202: replayResultSchema } },
      status: 202,
      async handler(call) {
        return replayDeliveries({ db, clock }, call);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/stats',
      operationId: 'getWebhookStats',
      summary:
        'Delivery statistics: totals, success rates, latencies, retries, what is failing now, per endpoint and over time',
      description:
        'Delivery counters over deliveries created in [since, until) (default: the last 24 hours); attempt counters (`attempt_success_rate`) and `recent_failures` over attempts started in it; each endpoint’s `circuit` and run of failures as they are now. Without `bucket`, the series has at most 48 points.',
      tags: ['Webhooks'],
      access: { capability: 'view_webhooks' },
      errors: ['time_range_invalid'],
      schema: {
        querystring: z.object({
          since: dateTimeQuery.optional().describe('Default: 24 hours before until'),
          until: dateTimeQuery.optional().describe('Default: now'),
          endpoint_id: z.string().max(100).optional(),
          bucket: z
            .string()
            .regex(/^\d{1,6}[smhd]$/, 'a number and a unit: s, m, h or d (e.g. 5m, 1h)')
            .optional()
            .describe('Series bucket length, e.g. 5m or 1h'),
        }),
        response: { 200: statsSchema },
      },
      async handler({ query, tenantId }) {
        const until = query.until ? new Date(query.until) : clock.now();
        const since = query.since ? new Date(query.since) : new Date(until.getTime() - 86_400_000);
        assertRange(since, until);
        const seconds = bucketSeconds(query.bucket, until.getTime() - since.getTime());
        const scope = { tenantId, since, until, endpointId: query.endpoint_id };
        const stats = await deliveryStats(db, scope, seconds, clock.now());
        return presentStats({ since, until, bucketSeconds: seconds }, stats);
      },
    }),
  ];
}
