import type { Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';
import { fanOut } from '../webhooks/dispatch/fan-out.js';

export type PlatformEvent = { tenantId: string; type: string; data: Record<string, unknown> };

/**
 * Append an event to the outbox in the caller's transaction, with its webhook deliveries, so an event and its
 * deliveries exist exactly when the change that caused them committed. The deliveries' insert trigger wakes the
 * dispatchers on commit (src/webhooks/dispatch).
 */
export async function publishEvent(
  q: Queryable,
  event: PlatformEvent & { source?: 'platform' | 'api'; idempotencyKey?: string; orderingKey?: string },
): Promise<string> {
  const id = newId('evt');
  await q.query(
    `insert into events (id, tenant_id, type, data, source, idempotency_key, ordering_key)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
    [
      id,
      event.tenantId,
      event.type,
      JSON.stringify(event.data),
      event.source ?? 'platform',
      event.idempotencyKey ?? null,
      event.orderingKey ?? null,
    ],
  );
  await fanOut(q, { tenantId: event.tenantId, eventIds: [id] });
  return id;
}
