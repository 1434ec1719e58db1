import type { Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';

export type PlatformEvent = { tenantId: string; type: string; data: Record<string, unknown> };

/**
 * Append an event to the outbox in the caller's transaction, so an event exists exactly when the change that
 * caused it committed. Outbound webhooks deliver from this table; `events_published` wakes their workers.
 */
export async function publishEvent(
  q: Queryable,
  event: PlatformEvent & { source?: 'platform' | 'api'; idempotencyKey?: string },
): Promise<string> {
  const id = newId('evt');
  await q.query(
    `insert into events (id, tenant_id, type, data, source, idempotency_key) values ($1, $2, $3, $4::jsonb, $5, $6)`,
    [
      id,
      event.tenantId,
      event.type,
      JSON.stringify(event.data),
      event.source ?? 'platform',
      event.idempotencyKey ?? null,
    ],
  );
  return id;
}
