import type { Queryable } from '../core/db/port.js';

export type EventRow = {
  id: string;
  tenant_id: string;
  type: string;
  data: Record<string, unknown>;
  source: 'platform' | 'api';
  idempotency_key: string | null;
  ordering_key: string | null;
  created_at: Date;
};

const COLUMNS = 'id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at';

export async function getEvent(q: Queryable, tenantId: string, id: string): Promise<EventRow | undefined> {
  const { rows } = await q.query<EventRow>(`select ${COLUMNS} from events where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function getEventByIdempotencyKey(
  q: Queryable,
  tenantId: string,
  key: string,
): Promise<EventRow | undefined> {
  const { rows } = await q.query<EventRow>(
    `select ${COLUMNS} from events where tenant_id = $1 and idempotency_key = $2`,
    [tenantId, key],
  );
  return rows[0];
}

/**
 * A key is honoured for 24 hours; after that it may name a new event. The unique index holds one event per key, so
 * the expired event gives its key up (the event itself stays).
 */
export async function releaseIdempotencyKey(q: Queryable, eventId: string): Promise<void> {
  await q.query('update events set idempotency_key = null where id = $1', [eventId]);
}

export type EventFilter = {
  types?: string[];
  source?: 'platform' | 'api';
  since?: string;
  until?: string;
  beforeId?: string;
  limit: number;
};

/** Newest first; ids are time-ordered, so the id is the cursor. */
export async function listEvents(q: Queryable, tenantId: string, filter: EventFilter): Promise<EventRow[]> {
  const { rows } = await q.query<EventRow>(
    `select ${COLUMNS} from events
     where tenant_id = $1
       and ($2::text[] is null or type = any($2::text[]))
       and ($3::text is null or source = $3)
       and ($4::timestamptz is null or created_at >= $4)
       and ($5::timestamptz is null or created_at < $5)
       and ($6::text is null or id < $6)
     order by id desc
     limit $7`,
    [
      tenantId,
      filter.types ?? null,
      filter.source ?? null,
      filter.since ?? null,
      filter.until ?? null,
      filter.beforeId ?? null,
      filter.limit + 1,
    ],
  );
  return rows;
}
