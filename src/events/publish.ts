import type { Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';
import { fanOut } from '../webhooks/dispatch/fan-out.js';
import type { EventRow } from './sql.js';

export type PlatformEvent = { tenantId: string; type: string; data: Record<string, unknown> };

/**
 * Append an event to the outbox in the caller's transaction, with its webhook deliveries, so an event and its
 * deliveries exist exactly when the change that caused them committed. The deliveries' insert trigger wakes the
 * dispatchers on commit (src/webhooks/dispatch).
 */
export async function publishEvent(q: Queryable, event: PublishInput): Promise<string> {
  return (await publishEventRow(q, event)).id;
}

type PublishInput = PlatformEvent & { source?: 'platform' | 'api'; idempotencyKey?: string; orderingKey?: string };

/** `publishEvent`, answering with the stored row (the API shows it). */
export async function publishEventRow(q: Queryable, event: PublishInput): Promise<EventRow> {
  const id = newId('evt');
  const { rows } = await q.query<EventRow>(
    `insert into events (id, tenant_id, type, data, source, idempotency_key, ordering_key)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7)
     returning id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at`,
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
  return rows[0] as EventRow;
}
