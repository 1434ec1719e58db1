import type { Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';
import { deliveriesInsert, ENDPOINT_EVENT_TYPES } from '../webhooks/dispatch/fan-out.js';
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

/**
 * `publishEvent`, answering with the stored row (the API shows it). The event and its deliveries are written by
 * one statement: publishing is the hot path of outbound webhooks, and on the embedded database every statement
 * costs a parse and a plan.
 */
export async function publishEventRow(q: Queryable, event: PublishInput): Promise<EventRow> {
  const { rows } = await q.query<EventRow>(
    `with inserted as (
       insert into events (id, tenant_id, type, data, source, idempotency_key, ordering_key)
       values ($3, $4, $5, $6::jsonb, $7, $8, $9)
       returning id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at
     ), deliveries as (
       ${deliveriesInsert('inserted', 'true')}
     )
     select id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at from inserted`,
    [
      'scheduled',
      ENDPOINT_EVENT_TYPES,
      newId('evt'),
      event.tenantId,
      event.type,
      JSON.stringify(event.data),
      event.source ?? 'platform',
      event.idempotencyKey ?? null,
      event.orderingKey ?? null,
    ],
  );
  return rows[0] as EventRow;
}
