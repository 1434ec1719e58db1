import { channels } from '../../core/db/channels.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { createNotifiedCache } from '../../core/notified-cache.js';
import { getEventType, type EventTypeRow } from './sql.js';

/**
 * Tenant event types as publishing reads them (every `POST /v1/events` checks the type and its schema), cached per
 * node. A change forgets the entry here at once and, on commit, on every node (NOTIFY); the TTL bounds the damage
 * of a missed notification. Unknown types are not cached: creating one needs no invalidation.
 */
export function createEventTypeCache(db: Db) {
  const cache = createNotifiedCache<EventTypeRow | undefined>(db, {
    channel: channels.eventTypeChanged,
    ttlMs: 30_000,
    max: 10_000,
  });
  const key = (tenantId: string, name: string) => `${tenantId} ${name}`;

  return {
    get: (tenantId: string, name: string): Promise<EventTypeRow | undefined> =>
      cache.get(key(tenantId, name), () => getEventType(db, tenantId, name)),
    /** Call in the transaction that changes the type. */
    changed: (q: Queryable, tenantId: string, name: string): Promise<void> => cache.invalidate(q, key(tenantId, name)),
    start: cache.start,
    stop: cache.stop,
  };
}

export type EventTypeCache = ReturnType<typeof createEventTypeCache>;
