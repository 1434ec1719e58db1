import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Db, Queryable } from '../core/db/port.js';
import { isUniqueViolation } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { defineRoute, type Call } from '../core/http/route.js';
import { newId } from '../core/ids.js';
import {
  dateTimeQuery,
  decodeCursor,
  idParams,
  isoRequired,
  page,
  pageQuery,
  timestamp,
  toPage,
} from '../core/http/schemas.js';
import type { EventTypeCache } from './types/cache.js';
import { eventTypeName, publishProblem } from './types/publishable.js';
import { createPublishGroups, publishEventRow, type PublishGroups } from './publish.js';
import { getEvent, getEventByIdempotencyKey, listEvents, releaseIdempotencyKey, type EventRow } from './sql.js';

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    source: z.enum(['platform', 'api']),
    idempotency_key: z.string().nullable(),
    ordering_key: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'Event', description: 'An event in the outbox: what outbound webhooks deliver.' });

function present(row: EventRow): z.input<typeof eventSchema> {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    source: row.source,
    idempotency_key: row.idempotency_key,
    ordering_key: row.ordering_key,
    created_at: isoRequired(row.created_at),
  };
}

const publishBody = z.strictObject({
  type: eventTypeName,
  data: z.record(z.string(), z.unknown()).describe('The payload; must match the type’s JSON Schema if it has one'),
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Honoured for 24 hours: the same key and body answer the original event (200)'),
  ordering_key: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Endpoints with ordering "key" receive the events of one key in publish order, one at a time'),
});
type PublishBody = z.output<typeof publishBody>;
const publishSchema = { body: publishBody, response: { 201: eventSchema, 200: eventSchema } };
type PublishSchema = typeof publishSchema;

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The event an idempotency key names, if it is still honoured (24 h): the same type and data answer it, different
 * ones conflict. An older event gives its key up in the transaction that publishes the new one.
 */
async function earlierEvent(
  q: Queryable,
  tenantId: string,
  body: PublishBody,
): Promise<{ live?: EventRow; expired?: EventRow }> {
  if (body.idempotency_key === undefined) return {};
  const earlier = await getEventByIdempotencyKey(q, tenantId, body.idempotency_key);
  if (!earlier) return {};
  if (Date.now() - new Date(earlier.created_at).getTime() >= IDEMPOTENCY_WINDOW_MS) return { expired: earlier };
  if (earlier.type !== body.type || !isDeepStrictEqual(earlier.data, body.data))
    throw new ApiError(
      'idempotency_conflict',
      `Idempotency key ${body.idempotency_key} was used for event ${earlier.id} with a different type or data.`,
    );
  return { live: earlier };
}

type PublishCall = Pick<Call<PublishSchema>, 'tenantId' | 'transaction' | 'audit' | 'claimAudit' | 'respond'> & {
  body: PublishBody;
};

/** 201 with a new event, or the original event (200) for a repeated idempotency key. */
async function publish(db: Db, groups: PublishGroups, call: PublishCall): Promise<EventRow> {
  const { tenantId, body } = call;
  const { live, expired } = await earlierEvent(db, tenantId, body);
  if (live) {
    // Answered outside a transaction: the audit entry is written on send, with the 200 chosen here.
    call.audit.target(live.id, { type: live.type, replayed: true });
    call.respond(200);
    return live;
  }
  const event = {
    id: newId('evt'),
    tenantId,
    type: body.type,
    data: body.data,
    source: 'api' as const,
    ...(body.idempotency_key !== undefined ? { idempotencyKey: body.idempotency_key } : {}),
    ...(body.ordering_key !== undefined ? { orderingKey: body.ordering_key } : {}),
  };
  call.audit.target(event.id, { type: body.type });
  if (expired)
    return call.transaction(async (tx) => {
      await releaseIdempotencyKey(tx, expired.id);
      return publishEventRow(tx, event);
    });
  // The common case joins the group commit of the requests publishing at the same time.
  const audit = call.claimAudit();
  const row = await groups.publish(event, audit?.entry);
  audit?.committed();
  return row;
}

export function eventRoutes(deps: { db: Db; eventTypes: EventTypeCache }) {
  const { db, eventTypes } = deps;
  const groups = createPublishGroups(db);
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/events',
      operationId: 'publishEvent',
      summary: 'Publish an event of one of the tenant’s event types',
      description:
        '201 with the new event; 200 with the original event when the idempotency key was used in the last 24 hours with the same type and data; 409 `idempotency_conflict` when it was used with different ones.',
      tags: ['Events'],
      access: { capability: 'publish_events' },
      audit: { action: 'event.publish', targetType: 'event' },
      errors: [
        'event_type_invalid',
        'event_payload_invalid',
        'idempotency_conflict',
        'malformed_json',
        'body_too_large',
      ],
      schema: publishSchema,
      status: 201,
      async handler(call) {
        const problem = await publishProblem(eventTypes, { tenantId: call.tenantId, ...call.body }, 'body.data');
        if (problem)
          throw new ApiError(problem.code, problem.message, problem.errors ? { errors: problem.errors } : {});
        let row: EventRow;
        try {
          row = await publish(db, groups, call);
        } catch (error) {
          // Two requests with one new key at once: the loser's insert hits the unique index; answer as a replay.
          if (!isUniqueViolation(error)) throw error;
          row = await publish(db, groups, call);
        }
        return present(row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/events',
      operationId: 'listEvents',
      summary: 'List events, newest first',
      tags: ['Events'],
      access: { capability: 'view_webhooks' },
      schema: {
        querystring: pageQuery.extend({
          type: z.string().max(2000).optional().describe('One event type, or several separated by commas'),
          source: z.enum(['platform', 'api']).optional(),
          since: dateTimeQuery.optional().describe('Created at or after'),
          until: dateTimeQuery.optional().describe('Created before'),
        }),
        response: { 200: page(eventSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listEvents(db, tenantId, {
          ...(query.type !== undefined ? { types: query.type.split(',').map((t) => t.trim()) } : {}),
          ...(query.source !== undefined ? { source: query.source } : {}),
          ...(query.since !== undefined ? { since: query.since } : {}),
          ...(query.until !== undefined ? { until: query.until } : {}),
          ...(query.cursor !== undefined ? { beforeId: decodeCursor(query.cursor)?.id } : {}),
          limit: query.limit,
        });
        return toPage(rows, query.limit, present);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/events/:id',
      operationId: 'getEvent',
      summary: 'Get an event',
      tags: ['Events'],
      access: { capability: 'view_webhooks' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: eventSchema } },
      async handler({ params, tenantId }) {
        const row = await getEvent(db, tenantId, params.id);
        if (!row) throw new ApiError('not_found', `Event ${params.id} does not exist.`);
        return present(row);
      },
    }),
  ];
}
