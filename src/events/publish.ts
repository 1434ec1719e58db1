import { auditEntriesInsert } from '../audit/sql.js';
import type { Db, Queryable } from '../core/db/port.js';
import { createGroupCommit } from '../core/group-commit.js';
import type { AuditEntry } from '../core/http/register.js';
import { newId } from '../core/ids.js';
import { deliveriesInsert, ENDPOINT_EVENT_TYPES } from './fan-out.js';
import type { EventRow } from './sql.js';

export type PlatformEvent = { tenantId: string; type: string; data: Record<string, unknown> };

export type PublishInput = PlatformEvent & {
  /** Chosen by the caller when it must name the event before it is stored (its audit entry); else a new one. */
  id?: string;
  source?: 'platform' | 'api';
  idempotencyKey?: string;
  orderingKey?: string;
};

/**
 * Append an event to the outbox in the caller's transaction, with its webhook deliveries, so an event and its
 * deliveries exist exactly when the change that caused them committed. The deliveries' insert trigger wakes the
 * dispatchers on commit (src/webhooks/dispatch).
 */
export async function publishEvent(q: Queryable, event: PublishInput): Promise<string> {
  return (await publishEventRow(q, event)).id;
}

/** `publishEvent`, answering with the stored row (the API shows it). */
export async function publishEventRow(q: Queryable, event: PublishInput): Promise<EventRow> {
  return (await publishEvents(q, [event]))[0] as EventRow;
}

/**
 * Store events and their deliveries — and the audit entries of the requests that published them, if given — with one
 * statement whose text does not depend on how many there are: publishing is the hot path of outbound webhooks, and
 * on the embedded database every statement costs a parse and a plan. One statement is also one transaction of its
 * own. Answers the rows in the order of `events`.
 */
export async function publishEvents(
  q: Queryable,
  events: readonly PublishInput[],
  audit: readonly AuditEntry[] = [],
): Promise<EventRow[]> {
  const ids = events.map((e) => e.id ?? newId('evt'));
  const values: unknown[] = [
    'scheduled',
    ENDPOINT_EVENT_TYPES,
    ids,
    events.map((e) => e.tenantId),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => e.source ?? 'platform'),
    events.map((e) => e.idempotencyKey ?? null),
    events.map((e) => e.orderingKey ?? null),
  ];
  const audited = audit.length > 0 ? `, audited as (${auditEntriesInsert(audit, values)})` : '';
  const { rows } = await q.query<EventRow>(
    `with inserted as (
       insert into events (id, tenant_id, type, data, source, idempotency_key, ordering_key)
       select id, tenant_id, type, data::jsonb, source, idempotency_key, ordering_key
       from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         as input (id, tenant_id, type, data, source, idempotency_key, ordering_key)
       returning id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at
     ), deliveries as (
       ${deliveriesInsert('inserted', 'true')}
     )${audited}
     select id, tenant_id, type, data, source, idempotency_key, ordering_key, created_at from inserted`,
    values,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) as EventRow);
}

/**
 * Group commit for `POST /v1/events`: events published while the previous group is being stored are stored together,
 * with their deliveries and audit entries, by one statement. Every publish used to be a transaction of its own
 * (begin, the event, the audit entry, commit); on the embedded database, which runs one transaction at a time, that
 * capped publishing well below what the dispatcher can deliver.
 *
 * A group the database refuses (one event's idempotency key taken meanwhile) is stored again one event at a time,
 * so each publish gets its own answer and one bad event never fails the others.
 */
export function createPublishGroups(db: Db) {
  const store = createGroupCommit<{ event: PublishInput & { id: string }; audit: AuditEntry | undefined }, EventRow>(
    (group) =>
      publishEvents(
        db,
        group.map((g) => g.event),
        group.flatMap((g) => (g.audit ? [g.audit] : [])),
      ),
    { max: 256, retryAlone: true },
  );
  return {
    /** Store the event (and the audit entry) in the next group; resolves once that group committed. */
    publish: (event: PublishInput & { id: string }, audit?: AuditEntry): Promise<EventRow> => store({ event, audit }),
  };
}

export type PublishGroups = ReturnType<typeof createPublishGroups>;
