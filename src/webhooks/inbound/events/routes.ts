import { z } from 'zod';
import type { Clock } from '../../../core/clock.js';
import type { Db } from '../../../core/db/port.js';
import { ApiError } from '../../../core/errors.js';
import { defineRoute } from '../../../core/http/route.js';
import {
  dateTimeQuery,
  decodeCursor,
  idParams,
  iso,
  isoRequired,
  page,
  pageQuery,
  statusListQuery,
  timestamp,
  toPage,
} from '../../../core/http/schemas.js';
import { newId } from '../../../core/ids.js';
import { assertRange } from '../../deliveries/range.js';
import { actionResultSchema } from '../process/results.js';
import {
  countReplayable,
  getInboundEvent,
  INBOUND_STATUSES,
  listInboundEvents,
  PREVIEW_BYTES,
  requeueForReplay,
  type InboundEventRow,
} from './sql.js';

const statusList = statusListQuery(INBOUND_STATUSES);

const eventSchema = z
  .object({
    id: z.string(),
    source_id: z.string(),
    source_name: z.string(),
    connection_id: z.string().nullable(),
    received_at: timestamp,
    status: z.enum(INBOUND_STATUSES),
    event_type: z.string().nullable(),
    dedup_key: z.string().nullable().describe('The provider delivery id the event was deduplicated on'),
    duplicate_of: z.string().nullable(),
    remote_address: z.string().nullable(),
    content_type: z.string().nullable(),
    body_size: z.number().int(),
    rejection: z.string().nullable().describe('Why the request was rejected (its body was not kept)'),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable().describe('received: when the rules run (again)'),
    processed_at: timestamp.nullable(),
    error: z.string().nullable(),
    replays: z.number().int(),
    preview: z.string().nullable().describe(`The first ${PREVIEW_BYTES} bytes of the body as text`),
  })
  .meta({ id: 'InboundEvent', description: 'One request a source received, and what became of it.' });

const eventDetailSchema = eventSchema
  .extend({
    headers: z.record(z.string(), z.string()).describe('As received, without credentials'),
    matched_rules: z.array(z.string()),
    results: z.array(actionResultSchema),
    body: z
      .string()
      .nullable()
      .describe('With include_body=true: the whole body, as text when it is UTF-8, else base64; otherwise the preview'),
    body_encoding: z.enum(['utf8', 'base64']).nullable(),
  })
  .meta({ id: 'InboundEventDetail' });

const replayBody = z.strictObject({
  since: z.iso.datetime({ offset: true }),
  until: z.iso.datetime({ offset: true }),
  source_id: z.string().max(100).optional(),
  status: z
    .array(z.enum(['processed', 'failed', 'received']))
    .min(1)
    .default(['processed', 'failed'])
    .describe('Which outcomes to run again'),
  event_type: z.string().max(200).optional().describe('Exact, or a prefix ending in *'),
  dry_run: z.boolean().default(false).describe('Only count what would be replayed'),
});

const REPLAY_LIMIT = 100_000;

function decode(body: Buffer | null): { text: string | null; encoding: 'utf8' | 'base64' | null } {
  if (!body) return { text: null, encoding: null };
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body)
    ? { text, encoding: 'utf8' }
    : { text: body.toString('base64'), encoding: 'base64' };
}

/** A preview cut mid-character shows a replacement character at its end rather than failing. */
function preview(body: Buffer | null): string | null {
  return body ? body.toString('utf8') : null;
}

function present(row: InboundEventRow): z.input<typeof eventSchema> {
  return {
    id: row.id,
    source_id: row.source_id,
    source_name: row.source_name,
    connection_id: row.connection_id,
    received_at: isoRequired(row.received_at),
    status: row.status,
    event_type: row.event_type,
    dedup_key: row.dedup_key,
    duplicate_of: row.duplicate_of,
    remote_address: row.remote_address,
    content_type: row.content_type,
    body_size: row.body_size,
    rejection: row.rejection,
    attempts: row.attempts,
    next_attempt_at: row.status === 'received' ? iso(row.next_attempt_at) : null,
    processed_at: iso(row.processed_at),
    error: row.error,
    replays: row.replays,
    preview: preview(row.body),
  };
}

const notFound = (id: string) => new ApiError('not_found', `Inbound event ${id} does not exist.`);

export function inboundEventRoutes(deps: { db: Db; clock: Clock; wake(): void }) {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/inbound/events',
      operationId: 'listInboundEvents',
      summary: 'The inbound event log, newest first, with a payload preview',
      tags: ['Inbound webhooks'],
      access: { capability: 'view_inbound' },
      schema: {
        querystring: pageQuery.extend({
          source_id: z.string().max(100).optional(),
          status: statusList.optional(),
          type: z.string().max(200).optional().describe('Event type, exact or a prefix ending in *'),
          since: dateTimeQuery.optional().describe('Received at or after'),
          until: dateTimeQuery.optional().describe('Received before'),
        }),
        response: { 200: page(eventSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listInboundEvents(db, tenantId, {
          sourceId: query.source_id,
          statuses: query.status?.split(','),
          eventType: query.type,
          since: query.since,
          until: query.until,
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
        });
        return toPage(rows, query.limit, present);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/inbound/events/:id',
      operationId: 'getInboundEvent',
      summary: 'One inbound event: headers, rule results, and the payload (whole with include_body=true)',
      tags: ['Inbound webhooks'],
      access: { capability: 'view_inbound' },
      errors: ['not_found'],
      schema: {
        params: idParams,
        querystring: z.object({ include_body: z.stringbool().default(false) }),
        response: { 200: eventDetailSchema },
      },
      async handler({ params, query, tenantId }) {
        const row = await getInboundEvent(db, tenantId, params.id, { fullBody: query.include_body });
        if (!row) throw notFound(params.id);
        const body = query.include_body
          ? decode(row.body)
          : { text: preview(row.body), encoding: row.body ? 'utf8' : null };
        return {
          ...present(row),
          headers: row.headers ?? {},
          matched_rules: row.results?.matched_rules ?? [],
          results: row.results?.actions ?? [],
          body: body.text,
          body_encoding: body.encoding as 'utf8' | 'base64' | null,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/inbound/events/:id/replay',
      operationId: 'replayInboundEvent',
      summary: 'Run one inbound event through its source’s rules again',
      description:
        'Processed and failed events (and received ones not in flight) go back to `received`; their results start over and publishes are new events. Duplicates and rejected requests cannot be replayed.',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_event.replay', targetType: 'inbound_event' },
      errors: ['not_found', 'inbound_event_not_replayable'],
      schema: { params: idParams, response: { 202: z.object({ id: z.string(), status: z.literal('received') }) } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          const row = await getInboundEvent(tx, tenantId, params.id, { fullBody: false });
          if (!row) throw notFound(params.id);
          const n = await requeueForReplay(tx, tenantId, { ids: [row.id] }, clock.now());
          if (n === 0) {
            const why =
              row.status === 'duplicate'
                ? `It repeats ${row.duplicate_of ?? 'an earlier event'}; replay that one.`
                : row.status === 'rejected'
                  ? 'It was rejected, so its body was not kept.'
                  : 'It is being processed right now.';
            throw new ApiError('inbound_event_not_replayable', `Inbound event ${row.id} cannot be replayed. ${why}`);
          }
          audit.target(row.id);
        });
        deps.wake();
        return { id: params.id, status: 'received' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/inbound/replay',
      operationId: 'replayInboundEvents',
      summary: 'Run the inbound events of a time range through their rules again (or count them)',
      tags: ['Inbound webhooks'],
      access: { capability: 'manage_inbound' },
      audit: { action: 'inbound_event.replay_range', targetType: 'inbound_replay' },
      errors: ['time_range_invalid', 'replay_too_large', 'malformed_json', 'body_too_large'],
      schema: {
        body: replayBody,
        response: {
          200: z
            .object({
              replay_id: z.string().describe('Names this replay in the activity log'),
              dry_run: z.boolean(),
              count: z.number().int(),
            })
            .meta({ id: 'InboundReplayResult' }),
        },
      },
      async handler({ body, tenantId, transaction, audit }) {
        assertRange(new Date(body.since), new Date(body.until));
        const filter = {
          sourceId: body.source_id,
          statuses: body.status,
          eventType: body.event_type,
          since: body.since,
          until: body.until,
        };
        const now = clock.now();
        const replayId = newId('rpl');
        const count = await countReplayable(db, tenantId, filter, now);
        if (count > REPLAY_LIMIT) {
          throw new ApiError(
            'replay_too_large',
            `The range holds ${count} events; one replay takes at most ${REPLAY_LIMIT}. Narrow it.`,
          );
        }
        if (body.dry_run) {
          audit.target(replayId, { ...filter, dry_run: true, count });
          return { replay_id: replayId, dry_run: true, count };
        }
        const replayed = await transaction(async (tx) => {
          const n = await requeueForReplay(tx, tenantId, filter, now);
          audit.target(replayId, { ...filter, replayed: n });
          return n;
        });
        deps.wake();
        return { replay_id: replayId, dry_run: false, count: replayed };
      },
    }),
  ];
}
