import type { Queryable } from '../core/db/port.js';
import type { AuditEntry } from '../core/http/register.js';
import { newId } from '../core/ids.js';

export type AuditRow = {
  id: string;
  tenant_id: string | null;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  status_code: number | null;
  error_code: string | null;
  request_id: string | null;
  diff: Record<string, unknown>;
  created_at: Date;
};

const ENTRY_COLUMNS = `id, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, outcome,
  status_code, error_code, request_id, diff`;

/** An entry's values, in the order of ENTRY_COLUMNS (the diff as JSON text). */
function entryValues(entry: AuditEntry): unknown[] {
  return [
    newId('aud'),
    entry.tenantId,
    entry.actor.kind,
    entry.actor.id,
    entry.actor.label,
    entry.action,
    entry.targetType,
    entry.targetId ?? null,
    entry.outcome,
    entry.statusCode,
    entry.errorCode ?? null,
    entry.requestId,
    JSON.stringify(entry.diff),
  ];
}

/** Append one entry. The table is append-only (a trigger rejects updates and deletes). */
export async function insertAuditEntry(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `insert into audit_log (${ENTRY_COLUMNS})
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
    entryValues(entry),
  );
}

/** Append entries with one statement whose text does not depend on how many there are (group commits). */
export async function insertAuditEntries(q: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  const values: unknown[] = [];
  await q.query(auditEntriesInsert(entries, values), values);
}

/**
 * The insert of `insertAuditEntries` as a statement (or a CTE of one), its parameters appended to `values`: a
 * change and its entries can then be one statement.
 */
export function auditEntriesInsert(entries: readonly AuditEntry[], values: unknown[]): string {
  const rows = entries.map(entryValues);
  const first = values.length + 1;
  const types = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text'];
  values.push(...types.map((_, i) => rows.map((r) => r[i])));
  return `insert into audit_log (${ENTRY_COLUMNS})
     select id, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, outcome,
       status_code, error_code, request_id, diff::jsonb
     from unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')}) as input (${ENTRY_COLUMNS})`;
}

/** An entry for work no request asked for (background refresh, retention): the actor is the system. */
export async function insertSystemAuditEntry(
  q: Queryable,
  entry: {
    tenantId: string;
    action: string;
    targetType: string;
    targetId: string;
    outcome: AuditRow['outcome'];
    diff?: Record<string, unknown>;
  },
): Promise<void> {
  await q.query(
    `insert into audit_log (id, tenant_id, actor_type, actor_label, action, target_type, target_id, outcome, diff)
     values ($1, $2, 'system', 'switchyard', $3, $4, $5, $6, $7::jsonb)`,
    [
      newId('aud'),
      entry.tenantId,
      entry.action,
      entry.targetType,
      entry.targetId,
      entry.outcome,
      JSON.stringify(entry.diff ?? {}),
    ],
  );
}

export type AuditFilter = {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  since?: Date;
  until?: Date;
  beforeId?: string;
  limit: number;
};

/**
 * Newest first. `action` matches exactly or, ending in `.*`, by prefix (`api_key.*`).
 */
export async function listAuditEntries(q: Queryable, tenantId: string, f: AuditFilter): Promise<AuditRow[]> {
  const actionPrefix = f.action?.endsWith('.*') ? f.action.slice(0, -1) : undefined;
  const { rows } = await q.query<AuditRow>(
    `select id, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, status_code,
       error_code, request_id, diff, created_at
     from audit_log
     where tenant_id = $1
       and ($2::text is null or actor_id = $2)
       and ($3::text is null or action = $3)
       and ($4::text is null or starts_with(action, $4))
       and ($5::text is null or target_type = $5)
       and ($6::text is null or target_id = $6)
       and ($7::text is null or outcome = $7)
       and ($8::timestamptz is null or created_at >= $8)
       and ($9::timestamptz is null or created_at < $9)
       and ($10::text is null or id < $10)
     order by id desc
     limit $11`,
    [
      tenantId,
      f.actorId ?? null,
      actionPrefix ? null : (f.action ?? null),
      actionPrefix ?? null,
      f.targetType ?? null,
      f.targetId ?? null,
      f.outcome ?? null,
      f.since ?? null,
      f.until ?? null,
      f.beforeId ?? null,
      f.limit + 1,
    ],
  );
  return rows;
}
