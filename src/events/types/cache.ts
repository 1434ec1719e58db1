import type { Db, Queryable } from '../../core/db/port.js';
import { getEventType, type EventTypeRow } from './sql.js';

const TTL_MS = 30_000;
const LIMIT = 10_000;
const CHANNEL = 'event_type_changed';

/**
 * Tenant event types as publishing reads them (every `POST /v1/events` checks the type and its schema), cached per
 * node. A change forgets the entry here at once and, on commit, on every node (NOTIFY); the TTL bounds the damage
 * of a missed notification. Unknown types are not cached: creating one needs no invalidation.
 */
export function createEventTypeCache(db: Db) {
  const entries = new Map<string, { row: EventTypeRow; at: number }>();
  let unlisten: (() => Promise<void>) | undefined;
  const key = (tenantId: string, name: string) => `${tenantId} ${name}`;

  return {
    async get(tenantId: string, name: string): Promise<EventTypeRow | undefined> {
      const k = key(tenantId, name);
      const hit = entries.get(k);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.row;
      const row = await getEventType(db, tenantId, name);
      if (!row) {
        entries.delete(k);
        return undefined;
      }
      if (entries.size >= LIMIT) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(k, { row, at: Date.now() });
      return row;
    },
    /** Call in the transaction that changes the type. */
    async changed(q: Queryable, tenantId: string, name: string): Promise<void> {
      entries.delete(key(tenantId, name));
      await db.notify(q, CHANNEL, key(tenantId, name));
    },
    async start(): Promise<void> {
      unlisten = await db.listen(CHANNEL, (payload) => entries.delete(payload));
    },
    async stop(): Promise<void> {
      await unlisten?.();
    },
  };
}

export type EventTypeCache = ReturnType<typeof createEventTypeCache>;
