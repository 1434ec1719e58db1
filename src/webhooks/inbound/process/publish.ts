import type { Queryable } from '../../../core/db/port.js';
import { publishEventRow } from '../../../events/publish.js';
import type { EventTypeCache } from '../../../events/types/cache.js';
import { publishProblem } from '../../../events/types/publishable.js';
import { jsonbText } from './rules.js';
import type { ClaimedEvent } from './sql.js';

/** Why a publish cannot happen (a type archived since the rule was saved, data the API would refuse), in words. */
export async function whyNotPublishable(
  eventTypes: EventTypeCache,
  tenantId: string,
  type: string,
  data: unknown,
): Promise<string | undefined> {
  const problem = await publishProblem(eventTypes, { tenantId, type, data }, 'data');
  if (!problem?.errors) return problem?.message;
  const shown = problem.errors.slice(0, 3).map((p) => `${p.path} ${p.message}`);
  return `The payload does not match the schema of ${type}: ${shown.join('; ')}.`;
}

/** Publish unless this event's replay already published for this action (a crash between the two writes). */
export async function publishOnce(
  tx: Queryable,
  event: ClaimedEvent,
  type: string,
  data: Record<string, unknown>,
  actionKey: string,
): Promise<string> {
  const key = `inbound:${event.id}:${event.replays}:${actionKey}`;
  const { rows } = await tx.query<{ id: string }>(
    `select id from events where tenant_id = $1 and idempotency_key = $2`,
    [event.tenant_id, key],
  );
  if (rows[0]) return rows[0].id;
  const row = await publishEventRow(tx, {
    tenantId: event.tenant_id,
    type,
    data: JSON.parse(jsonbText(data)) as Record<string, unknown>,
    source: 'api',
    idempotencyKey: key,
  });
  return row.id;
}
