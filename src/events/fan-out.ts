import type { Queryable } from '../core/db/port.js';

/** Operational events about an endpoint are never delivered to that endpoint: a failing endpoint would loop. */
export const ENDPOINT_EVENT_TYPES = ['endpoint.disabled', 'endpoint.recovered', 'delivery.exhausted'] as const;

export type FanOutScope = {
  tenantId: string;
  /** These events, or else every event in the range below. */
  eventIds?: readonly string[];
  since?: Date | string | undefined;
  until?: Date | string | undefined;
  eventTypes?: readonly string[] | undefined;
  /** Only this endpoint. */
  endpointId?: string | undefined;
  /** `replay` marks the first attempt of the new deliveries as a replay. */
  trigger?: 'scheduled' | 'replay';
};

/**
 * Create the missing deliveries of events: one per event × endpoint subscribed to its type (an empty type list
 * subscribes to all), `pending` and due at once, or `skipped` with the reason when the endpoint is disabled or its
 * payload filter (an SQL/JSON path predicate over `{"type", "data"}`) does not hold. Endpoints with FIFO ordering get
 * the lane key: '' for the whole endpoint, the event's ordering key per key. Existing deliveries are left alone, so
 * this is both the publish-time fan-out and replay's "include events that never had deliveries". Runs in the
 * caller's transaction; the insert trigger wakes the dispatchers when it commits.
 *
 * @returns the number of deliveries created.
 */
export async function fanOut(q: Queryable, scope: FanOutScope): Promise<number> {
  const values: unknown[] = [scope.trigger ?? 'scheduled', ENDPOINT_EVENT_TYPES];
  const where = scopeConditions(scope, values);
  const { rowCount } = await q.query(deliveriesInsert('events', where), values);
  return rowCount;
}

/** How many deliveries `fanOut` would create for the scope now (replay's dry run). */
export async function countMissingDeliveries(q: Queryable, scope: FanOutScope): Promise<number> {
  const values: unknown[] = [ENDPOINT_EVENT_TYPES];
  const where = scopeConditions(scope, values);
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n ${subscriptions('events', 1)}
     where ${where}
       and not exists (select 1 from webhook_deliveries d where d.endpoint_id = ep.id and d.event_id = ev.id)`,
    values,
  );
  return rows[0]?.n ?? 0;
}

/**
 * The scope as conditions on `ev` / `ep`, its values appended to `values`. Only the conditions in scope go into the
 * statement: a catch-all `($n is null or …)` would hide the events indexes from the planner and scan every event of
 * the database on each publish.
 */
function scopeConditions(scope: FanOutScope, values: unknown[]): string {
  const where: string[] = [];
  const add = (condition: (n: number) => string, value: unknown) => {
    values.push(value);
    where.push(condition(values.length));
  };
  add((n) => `ev.tenant_id = $${n}`, scope.tenantId);
  if (scope.eventIds) add((n) => `ev.id = any($${n}::text[])`, scope.eventIds);
  if (scope.since !== undefined) add((n) => `ev.created_at >= $${n}::timestamptz`, scope.since);
  if (scope.until !== undefined) add((n) => `ev.created_at < $${n}::timestamptz`, scope.until);
  if (scope.eventTypes) add((n) => `ev.type = any($${n}::text[])`, scope.eventTypes);
  if (scope.endpointId !== undefined) add((n) => `ep.id = $${n}`, scope.endpointId);
  return where.join(' and ');
}

/**
 * Events of `source` (a table or CTE, read as `ev`) joined with the endpoints subscribed to them (`ep`): an empty
 * type list subscribes to every type; an endpoint's own operational events (the text[] parameter numbered
 * `endpointTypesParam`) are not for it.
 */
function subscriptions(source: string, endpointTypesParam: number): string {
  return `from ${source} ev
     join webhook_endpoints ep on ep.tenant_id = ev.tenant_id
       and (cardinality(ep.event_types) = 0 or ev.type = any(ep.event_types))
       and not (ev.type = any($${endpointTypesParam}::text[]) and ev.data ->> 'endpoint_id' = ep.id)`;
}

/**
 * The fan-out statement over `source`: `$1` is the trigger, `$2` the endpoint event types. Publishing runs it in one
 * statement with the event's own insert (src/events/publish.ts).
 */
export function deliveriesInsert(source: string, where: string): string {
  return `insert into webhook_deliveries
       (id, tenant_id, endpoint_id, event_id, event_type, status, ordering_key, next_attempt_at, skip_reason,
        next_trigger, created_at, updated_at)
     select 'dlv_' || substr(ev.id, position('_' in ev.id) + 1, 10) || substr(md5(random()::text || ep.id), 1, 16),
       ev.tenant_id, ep.id, ev.id, ev.type,
       case when decision.skip_reason is null then 'pending' else 'skipped' end,
       case ep.ordering when 'endpoint' then '' when 'key' then ev.ordering_key end,
       case when decision.skip_reason is null then now() end,
       decision.skip_reason, $1, now(), now()
     ${subscriptions(source, 2)}
     cross join lateral (
       select case
         when not ep.enabled then 'endpoint_disabled'
         when ep.filter is not null and not coalesce(
           jsonb_path_match(jsonb_build_object('type', ev.type, 'data', ev.data), ep.filter::jsonpath, '{}', true),
           false) then 'filtered'
       end as skip_reason
     ) decision
     where ${where}
     order by ev.id, ep.id
     on conflict (endpoint_id, event_id) do nothing`;
}
