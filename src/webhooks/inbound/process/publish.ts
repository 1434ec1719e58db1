import type { Queryable } from '../../../core/db/port.js';
import { publishEventRow } from '../../../events/publish.js';
import type { EventTypeCache } from '../../event-types/cache.js';
import { isPlatformEventType } from '../../event-types/platform.js';
import { payloadProblems } from '../../event-types/schema-check.js';
import { jsonbText } from './rules.js';
import type { ClaimedEvent } from './sql.js';

/** Why a publish cannot happen (a type archived since the rule was saved, data not matching its schema). */
export async function publishProblem(
  eventTypes: EventTypeCache,
  tenantId: string,
  type: string,
  data: unknown,
): Promise<string | undefined> {
  if (isPlatformEventType(type)) return `${type} is a platform event type.`;
  const row = await eventTypes.get(tenantId, type);
  if (!row) return `Event type ${type} is not defined.`;
  if (row.archived_at) return `Event type ${type} is archived.`;
  if (row.schema) {
    const problems = payloadProblems(row.schema, data, 'data');
    if (problems.length > 0) {
      return `The payload does not match the schema of ${type}: ${problems
        .slice(0, 3)
        .map((p) => `${p.path} ${p.message}`)
        .join('; ')}.`;
    }
  }
  return undefined;
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
