import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Call, RouteSchema } from '../../core/http/route.js';
import { newId } from '../../core/ids.js';
import { countMissingDeliveries, fanOut, type FanOutScope } from '../../events/fan-out.js';
import { eventTypeName } from '../../events/types/publishable.js';
import { getEndpoint } from '../endpoints/sql.js';
import { countReplayable, requeueReplayable, type ReplayScope } from './sql.js';

/** One replay re-sends or creates at most this many deliveries; a larger one is refused, not cut short. */
export const REPLAY_LIMIT = 100_000;

export const replayBody = z.strictObject({
  since: z.iso.datetime({ offset: true }).describe('Events created at or after'),
  until: z.iso.datetime({ offset: true }).optional().describe('Events created before (default: now)'),
  endpoint_id: z.string().min(1).max(100).optional().describe('Only this endpoint'),
  event_types: z.array(eventTypeName).min(1).max(200).optional().describe('Only these event types'),
  statuses: z
    .array(z.enum(['pending', 'delivered', 'failed', 'skipped']))
    .min(1)
    .max(4)
    .default(['failed'])
    .describe('Existing deliveries in these statuses are sent again (default: failed)'),
  include_missing: z
    .boolean()
    .default(false)
    .describe('Also create deliveries for events in the range that have none for a subscribed endpoint'),
  dry_run: z.boolean().default(false).describe('Count what a replay would do, change nothing'),
});

const replayId = z.string().describe('Names this replay in the activity log (the target of its entry)');

/** What a dry run answers (200). */
export const replayDrySchema = z
  .object({
    id: replayId,
    dry_run: z.literal(true),
    deliveries: z.number().int().describe('Existing deliveries a replay would send again'),
    missing: z.number().int().describe('Deliveries it would create (with include_missing)'),
    skipped_disabled: z.number().int().describe('Matching deliveries left alone: their endpoint is disabled'),
  })
  .meta({ id: 'WebhookReplayDryRun' });

export const replayResultSchema = z
  .object({
    id: replayId,
    dry_run: z.literal(false),
    requeued: z.number().int(),
    created: z.number().int(),
    skipped_disabled: z.number().int(),
  })
  .meta({ id: 'WebhookReplayResult' });

type ReplayCall = Pick<Call<RouteSchema>, 'tenantId' | 'transaction' | 'audit' | 'respond'> & {
  body: z.output<typeof replayBody>;
};

async function replayScope(db: Db, clock: Clock, call: ReplayCall): Promise<ReplayScope> {
  const { body, tenantId } = call;
  const since = new Date(body.since);
  const until = body.until ? new Date(body.until) : clock.now();
  if (since.getTime() >= until.getTime())
    throw new ApiError('time_range_invalid', '`since` must be before `until` (default: now).', {
      errors: [{ path: 'body.since', message: 'must be before until' }],
    });
  if (body.endpoint_id !== undefined && !(await getEndpoint(db, tenantId, body.endpoint_id)))
    throw new ApiError('not_found', `Webhook endpoint ${body.endpoint_id} does not exist.`);
  return {
    tenantId,
    since,
    until,
    endpointId: body.endpoint_id,
    eventTypes: body.event_types,
    statuses: body.statuses,
  };
}

/** The events a replay covers, as fan-out reads them: the same scope counts and creates missing deliveries. */
function fanOutScope(scope: ReplayScope, trigger: 'replay'): FanOutScope {
  return {
    tenantId: scope.tenantId,
    since: scope.since,
    until: scope.until,
    eventTypes: scope.eventTypes,
    endpointId: scope.endpointId,
    trigger,
  };
}

function assertWithinLimit(deliveries: number, missing: number): void {
  if (deliveries + missing > REPLAY_LIMIT)
    throw new ApiError(
      'replay_too_large',
      `This replay covers ${deliveries + missing} deliveries; one replay may cover at most ${REPLAY_LIMIT}. Narrow the time range, or pick an endpoint or event types.`,
    );
}

/**
 * Requeue the matching deliveries and create the missing ones in one transaction. A dry run counts with the same
 * queries the real run's statements mirror, so its numbers are what the real run would do at that moment.
 */
export async function replayDeliveries(deps: { db: Db; clock: Clock }, call: ReplayCall) {
  const { db, clock } = deps;
  const { body } = call;
  const scope = await replayScope(db, clock, call);
  // A replay is recorded only in the activity log; its id ties the response to that entry.
  const id = newId('rpl');
  const auditDiff = {
    endpoint_id: body.endpoint_id ?? null,
    since: scope.since.toISOString(),
    until: scope.until.toISOString(),
    event_types: body.event_types ?? null,
    statuses: body.statuses,
    include_missing: body.include_missing,
    dry_run: body.dry_run,
  };
  if (body.dry_run) {
    const counts = await countReplayable(db, scope);
    const missing = body.include_missing ? await countMissingDeliveries(db, fanOutScope(scope, 'replay')) : 0;
    assertWithinLimit(counts.requeue, missing);
    call.audit.target(id, auditDiff);
    call.respond(200);
    return { id, dry_run: true as const, deliveries: counts.requeue, missing, skipped_disabled: counts.disabled };
  }
  return call.transaction(async (tx) => {
    const counts = await countReplayable(tx, scope);
    const missing = body.include_missing ? await countMissingDeliveries(tx, fanOutScope(scope, 'replay')) : 0;
    assertWithinLimit(counts.requeue, missing);
    const requeued = await requeueReplayable(tx, scope, clock.now());
    const created = body.include_missing ? await fanOut(tx, fanOutScope(scope, 'replay')) : 0;
    const result = { id, dry_run: false as const, requeued, created, skipped_disabled: counts.disabled };
    call.audit.target(id, { ...auditDiff, requeued, created, skipped_disabled: counts.disabled });
    // New deliveries wake dispatchers through the insert trigger; requeued ones need the notification.
    if (requeued > 0) await db.notify(tx, channels.webhookDeliveries, '');
    return result;
  });
}
