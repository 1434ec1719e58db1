import type { Queryable } from '../../core/db/port.js';
import type { Mapping } from '../mapping/index.js';
import type { Schedule } from '../schedule/cron.js';
import type { SyncSourceConfig, SyncTargetConfig, TwoWayConfig } from './model.js';

export type ConfigRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  source_connection_id: string | null;
  target_connection_id: string | null;
  source: SyncSourceConfig;
  target: SyncTargetConfig;
  sync_type: 'full' | 'incremental' | 'delta';
  direction: 'inbound' | 'outbound' | 'bidirectional';
  conflict_policy: 'source_wins' | 'target_wins' | 'latest_timestamp' | 'manual';
  two_way: TwoWayConfig | null;
  mappings: Mapping;
  schedule: Schedule | null;
  trigger_event_types: string[];
  enabled: boolean;
  deletion_mode: 'soft' | 'hard' | 'none';
  max_delete_share: number;
  lookback_seconds: number;
  batch_size: number;
  next_run_at: Date | null;
  running_execution_id: string | null;
  created_at: Date;
  updated_at: Date;
};

/** The columns a create or an update writes. */
export type ConfigFields = Omit<ConfigRow, 'id' | 'tenant_id' | 'running_execution_id' | 'created_at' | 'updated_at'>;

const JSON_COLUMNS = new Set(['source', 'target', 'mappings', 'schedule', 'two_way']);

export async function insertConfig(
  q: Queryable,
  row: ConfigFields & { id: string; tenant_id: string },
): Promise<ConfigRow> {
  const columns = Object.keys(row);
  const values = columns.map((c) => {
    const v = (row as Record<string, unknown>)[c];
    return JSON_COLUMNS.has(c) && v !== null ? JSON.stringify(v) : v;
  });
  const { rows } = await q.query<ConfigRow>(
    `insert into sync_configs (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     returning *`,
    values,
  );
  return rows[0] as ConfigRow;
}

export async function updateConfig(
  q: Queryable,
  tenantId: string,
  id: string,
  change: Partial<ConfigFields>,
): Promise<ConfigRow | undefined> {
  const columns = Object.keys(change);
  const values = columns.map((c) => {
    const v = (change as Record<string, unknown>)[c];
    return JSON_COLUMNS.has(c) && v !== null ? JSON.stringify(v) : v;
  });
  const sets = columns.map((c, i) => `${c} = $${i + 3}`);
  const { rows } = await q.query<ConfigRow>(
    `update sync_configs set ${[...sets, 'updated_at = now()'].join(', ')}
      where tenant_id = $1 and id = $2 returning *`,
    [tenantId, id, ...values],
  );
  return rows[0];
}

export async function getConfig(q: Queryable, tenantId: string, id: string): Promise<ConfigRow | undefined> {
  const { rows } = await q.query<ConfigRow>('select * from sync_configs where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function lockConfig(q: Queryable, tenantId: string, id: string): Promise<ConfigRow | undefined> {
  const { rows } = await q.query<ConfigRow>('select * from sync_configs where tenant_id = $1 and id = $2 for update', [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function deleteConfig(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('delete from sync_configs where tenant_id = $1 and id = $2', [tenantId, id]);
  return rowCount > 0;
}

/** A config with what a list shows beside it: its last run and whether it is running. */
export type ConfigListRow = ConfigRow & {
  last_execution_id: string | null;
  last_status: string | null;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_records_processed: string | null;
};

export async function listConfigs(
  q: Queryable,
  tenantId: string,
  options: { beforeId?: string; limit: number; connectionId?: string; search?: string },
): Promise<ConfigListRow[]> {
  const { rows } = await q.query<ConfigListRow>(
    `select c.*, l.id as last_execution_id, l.status as last_status, l.started_at as last_started_at,
            l.finished_at as last_finished_at, l.records_processed::text as last_records_processed
       from sync_configs c
       left join lateral (
         select e.id, e.status, e.started_at, e.finished_at, e.records_processed from sync_executions e
          where e.config_id = c.id order by e.created_at desc, e.id desc limit 1
       ) l on true
      where c.tenant_id = $1 and ($2::text is null or c.id < $2)
        and ($3::text is null or c.source_connection_id = $3 or c.target_connection_id = $3)
        and ($4::text is null or c.name ilike '%' || $4 || '%')
      order by c.id desc limit $5`,
    [tenantId, options.beforeId ?? null, options.connectionId ?? null, options.search ?? null, options.limit + 1],
  );
  return rows;
}

/** The four dashboard figures of the Sync Management tab. */
export async function syncStats(
  q: Queryable,
  tenantId: string,
  since: Date,
): Promise<{
  configs: number;
  enabled: number;
  running: number;
  runs: number;
  succeeded: number;
  failed: number;
  records: number;
  open_conflicts: number;
}> {
  const { rows } = await q.query<Record<string, string>>(
    `select (select count(*) from sync_configs where tenant_id = $1) as configs,
            (select count(*) from sync_configs where tenant_id = $1 and enabled) as enabled,
            (select count(*) from sync_executions where tenant_id = $1 and status in ('pending', 'running')) as running,
            count(*) as runs,
            count(*) filter (where status in ('success', 'partial_success')) as succeeded,
            count(*) filter (where status = 'failed') as failed,
            coalesce(sum(records_processed), 0) as records,
            (select count(*) from sync_conflicts where tenant_id = $1 and state = 'open') as open_conflicts
       from sync_executions where tenant_id = $1 and created_at >= $2`,
    [tenantId, since],
  );
  const r = rows[0] ?? {};
  return {
    configs: Number(r.configs ?? 0),
    enabled: Number(r.enabled ?? 0),
    running: Number(r.running ?? 0),
    runs: Number(r.runs ?? 0),
    succeeded: Number(r.succeeded ?? 0),
    failed: Number(r.failed ?? 0),
    records: Number(r.records ?? 0),
    open_conflicts: Number(r.open_conflicts ?? 0),
  };
}
