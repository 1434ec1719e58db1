import type { Queryable } from '../../core/db/port.js';

export type EventTypeRow = {
  tenant_id: string;
  name: string;
  description: string;
  schema: Record<string, unknown> | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'tenant_id, name, description, schema, archived_at, created_at, updated_at';

export async function insertEventType(
  q: Queryable,
  row: Pick<EventTypeRow, 'tenant_id' | 'name' | 'description' | 'schema'>,
): Promise<EventTypeRow> {
  const { rows } = await q.query<EventTypeRow>(
    `insert into event_types (tenant_id, name, description, schema) values ($1, $2, $3, $4::jsonb) returning ${COLUMNS}`,
    [row.tenant_id, row.name, row.description, row.schema === null ? null : JSON.stringify(row.schema)],
  );
  return rows[0] as EventTypeRow;
}

export async function getEventType(q: Queryable, tenantId: string, name: string): Promise<EventTypeRow | undefined> {
  const { rows } = await q.query<EventTypeRow>(
    `select ${COLUMNS} from event_types where tenant_id = $1 and name = $2`,
    [tenantId, name],
  );
  return rows[0];
}

export async function listEventTypes(
  q: Queryable,
  tenantId: string,
  options: { includeArchived: boolean },
): Promise<EventTypeRow[]> {
  const { rows } = await q.query<EventTypeRow>(
    `select ${COLUMNS} from event_types where tenant_id = $1 and ($2::boolean or archived_at is null) order by name`,
    [tenantId, options.includeArchived],
  );
  return rows;
}

/** Tenant types among `names` that exist and are not archived. */
export async function activeEventTypeNames(q: Queryable, tenantId: string, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const { rows } = await q.query<{ name: string }>(
    'select name from event_types where tenant_id = $1 and name = any($2::text[]) and archived_at is null',
    [tenantId, names],
  );
  return new Set(rows.map((r) => r.name));
}

export async function updateEventType(
  q: Queryable,
  tenantId: string,
  name: string,
  change: { description?: string; schema?: Record<string, unknown> | null; archived?: boolean },
): Promise<EventTypeRow | undefined> {
  const { rows } = await q.query<EventTypeRow>(
    `update event_types set
       description = coalesce($3, description),
       schema = case when $4::boolean then $5::jsonb else schema end,
       archived_at = case when $6::boolean is null then archived_at when $6 then coalesce(archived_at, now()) else null end,
       updated_at = now()
     where tenant_id = $1 and name = $2 returning ${COLUMNS}`,
    [
      tenantId,
      name,
      change.description ?? null,
      change.schema !== undefined,
      change.schema === undefined || change.schema === null ? null : JSON.stringify(change.schema),
      change.archived ?? null,
    ],
  );
  return rows[0];
}
