import { displayableJson, displayableText } from '../../core/db/jsonb-text.js';
import type { Queryable } from '../../core/db/port.js';
import type { TwoWayCounts } from '../twoway/run.js';

export const executionStatuses = ['pending', 'running', 'success', 'partial_success', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];
export const FINISHED: ReadonlySet<ExecutionStatus> = new Set(['success', 'partial_success', 'failed', 'cancelled']);

export type Trigger = 'manual' | 'schedule' | 'webhook' | 'event' | 'retry';

export type StreamProgress = {
  status: 'pending' | 'running' | 'complete' | 'failed' | 'cancelled';
  processed: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  started_at?: string;
  finished_at?: string;
  error?: string;
  /** Two-way syncs: per side, and what was only an echo, conflicted or could not be matched. */
  two_way?: TwoWayCounts;
  /** A full read's position within this run (so a resumed run continues); not the stream's incremental state. */
  position?: Record<string, unknown> | null;
};

export type ExecutionRow = {
  id: string;
  tenant_id: string;
  config_id: string;
  status: ExecutionStatus;
  trigger: Trigger;
  triggered_by: string | null;
  streams: string[];
  full_refresh: boolean;
  due_at: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  heartbeat_at: Date | null;
  attempts: number;
  cancel_requested: boolean;
  records_processed: string;
  records_created: string;
  records_updated: string;
  records_deleted: string;
  records_failed: string;
  stream_progress: Record<string, StreamProgress>;
  error_code: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** Checks and counts every record, writes nothing (an import's dry run). */
  dry_run: boolean;
  undone_at: Date | null;
  undo: { removed: number; restored: number; kept: number } | null;
};

export async function insertExecution(
  q: Queryable,
  row: {
    id: string;
    tenant_id: string;
    config_id: string;
    trigger: Trigger;
    triggered_by: string | null;
    streams: string[];
    full_refresh: boolean;
    dry_run?: boolean;
  },
): Promise<ExecutionRow> {
  const { rows } = await q.query<ExecutionRow>(
    `insert into sync_executions (id, tenant_id, config_id, status, trigger, triggered_by, streams, full_refresh, dry_run)
     values ($1, $2, $3, 'pending', $4, $5, $6, $7, $8) returning *`,
    [
      row.id,
      row.tenant_id,
      row.config_id,
      row.trigger,
      row.triggered_by,
      row.streams,
      row.full_refresh,
      row.dry_run ?? false,
    ],
  );
  return rows[0] as ExecutionRow;
}

export async function getExecution(q: Queryable, tenantId: string, id: string): Promise<ExecutionRow | undefined> {
  const { rows } = await q.query<ExecutionRow>('select * from sync_executions where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function pendingExecution(q: Queryable, configId: string): Promise<ExecutionRow | undefined> {
  const { rows } = await q.query<ExecutionRow>(
    `select * from sync_executions where config_id = $1 and status = 'pending' order by created_at limit 1`,
    [configId],
  );
  return rows[0];
}

export async function listExecutions(
  q: Queryable,
  tenantId: string,
  options: { configId?: string; statuses?: string[]; beforeId?: string; limit: number },
): Promise<ExecutionRow[]> {
  const { rows } = await q.query<ExecutionRow>(
    `select * from sync_executions
      where tenant_id = $1 and ($2::text is null or config_id = $2) and ($3::text[] is null or status = any ($3))
        and ($4::text is null or id < $4)
      order by id desc limit $5`,
    [tenantId, options.configId ?? null, options.statuses ?? null, options.beforeId ?? null, options.limit + 1],
  );
  return rows;
}

export type LogRow = { id: string; at: Date; level: string; stream: string | null; message: string };

export async function listLogs(
  q: Queryable,
  executionId: string,
  options: { afterId?: string; limit: number },
): Promise<LogRow[]> {
  const { rows } = await q.query<LogRow>(
    `select id::text, at, level, stream, message from sync_execution_logs
      where execution_id = $1 and ($2::bigint is null or id > $2) order by id limit $3`,
    [executionId, options.afterId ?? null, options.limit + 1],
  );
  return rows;
}

export type RejectedRow = {
  id: string;
  stream: string;
  record_key: string | null;
  record: unknown;
  reason: string;
  at: Date;
};

export async function listRejected(
  q: Queryable,
  executionId: string,
  options: { afterId?: string; limit: number },
): Promise<RejectedRow[]> {
  const { rows } = await q.query<RejectedRow>(
    `select id::text, stream, record_key, record, reason, at from sync_rejected_records
      where execution_id = $1 and ($2::bigint is null or id > $2) order by id limit $3`,
    [executionId, options.afterId ?? null, options.limit + 1],
  );
  return rows;
}

export async function insertLogs(
  q: Queryable,
  executionId: string,
  entries: { level: string; stream: string | null; message: string }[],
): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `insert into sync_execution_logs (execution_id, level, stream, message)
     select $1, l, s, m from unnest($2::text[], $3::text[], $4::text[]) as t (l, s, m)`,
    [executionId, entries.map((e) => e.level), entries.map((e) => e.stream), entries.map((e) => e.message)],
  );
}

/** Forget the records a run refused in a stream (its attempt is started again from the beginning). */
export async function deleteRejected(q: Queryable, executionId: string, stream: string): Promise<void> {
  await q.query('delete from sync_rejected_records where execution_id = $1 and stream = $2', [executionId, stream]);
}

export async function insertRejected(
  q: Queryable,
  executionId: string,
  stream: string,
  rejected: { key: string | null; record: unknown; reason: string }[],
): Promise<void> {
  if (rejected.length === 0) return;
  await q.query(
    `insert into sync_rejected_records (execution_id, stream, record_key, record, reason)
     select $1, $2, k, r, m from unnest($3::text[], $4::jsonb[], $5::text[]) as t (k, r, m)`,
    [
      executionId,
      stream,
      rejected.map((r) => (r.key === null ? null : displayableText(r.key))),
      rejected.map((r) => displayableJson(r.record)),
      rejected.map((r) => displayableText(r.reason)),
    ],
  );
}

/** Runs per day (or hour) for the chart of records per run: the most recent `limit` finished runs of a config. */
export async function recentRuns(
  q: Queryable,
  tenantId: string,
  configId: string | undefined,
  limit: number,
): Promise<ExecutionRow[]> {
  const { rows } = await q.query<ExecutionRow>(
    `select * from sync_executions
      where tenant_id = $1 and ($2::text is null or config_id = $2) and status not in ('pending', 'running')
      order by created_at desc limit $3`,
    [tenantId, configId ?? null, limit],
  );
  return rows.reverse();
}
