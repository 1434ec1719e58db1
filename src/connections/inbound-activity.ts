import type { ConnectorRow } from '../catalog/sql.js';
import type { Queryable } from '../core/db/port.js';
import { presentConnection, type ConnectionOut } from './present.js';
import type { ConnectionRow } from './sql.js';

/**
 * When each connection's inbound sources last accepted a request (rejected requests do not count): what tells a
 * webhook connection that has received something from one still waiting for its first event. The SQL reads the
 * inbound tables directly because src/webhooks/inbound imports connections, not the other way round. Each source's
 * newest accepted event is found through `inbound_events_source` (source_id, id desc): ids are time-ordered.
 */
export async function lastInboundEvents(
  q: Queryable,
  tenantId: string,
  connectionIds: string[],
): Promise<Map<string, Date>> {
  if (connectionIds.length === 0) return new Map();
  const { rows } = await q.query<{ connection_id: string; at: Date }>(
    `select s.connection_id, max(last.received_at) as at
       from inbound_sources s
       cross join lateral (
         select e.received_at from inbound_events e
          where e.source_id = s.id and e.status <> 'rejected'
          order by e.id desc limit 1
       ) last
      where s.tenant_id = $1 and s.connection_id = any($2::text[])
      group by s.connection_id`,
    [tenantId, connectionIds],
  );
  return new Map(rows.map((r) => [r.connection_id, r.at]));
}

/** Connections as the API shows them, with their inbound activity read in one query for those that can have any. */
export async function presentConnections(
  q: Queryable,
  rows: ConnectionRow[],
  connectorOf: (slug: string) => ConnectorRow | undefined,
  now: Date,
): Promise<ConnectionOut[]> {
  const tenantId = rows[0]?.tenant_id;
  const receiving = rows.filter((r) => connectorOf(r.connector_slug)?.manifest.webhooks).map((r) => r.id);
  const activity = tenantId ? await lastInboundEvents(q, tenantId, receiving) : new Map<string, Date>();
  return rows.map((r) => presentConnection(r, connectorOf(r.connector_slug), now, activity.get(r.id) ?? null));
}

/** One connection as the API shows it, its connector read from the registry. */
export async function presentOne(
  deps: { db: Queryable; registry: { get(slug: string): Promise<ConnectorRow | undefined> }; clock: { now(): Date } },
  row: ConnectionRow,
): Promise<ConnectionOut> {
  const connector = await deps.registry.get(row.connector_slug);
  const [out] = await presentConnections(deps.db, [row], () => connector, deps.clock.now());
  return out as ConnectionOut;
}
