import type { Queryable } from '../../core/db/port.js';
import type { ExecutionRow, ExecutionStatus, StreamProgress } from '../executions/sql.js';

/**
 * The runner's statements over `sync_executions`, the table that is its queue. A run is claimed with its config
 * (both rows locked, `SKIP LOCKED`): the config's `running_execution_id` is set in the same statement, so two nodes
 * never run one sync at once, and a run waits while another of its config holds it. Every write of a running
 * execution is fenced by its lease owner: a node that lost its lease (paused past it, partitioned) writes nothing.
 * A disabled tenant's runs wait, pending, until it is enabled again (as its webhook deliveries do).
 */

export async function claimExecution(
  q: Queryable,
  owner: string,
  now: Date,
  leaseUntil: Date,
): Promise<ExecutionRow | undefined> {
  const { rows } = await q.query<ExecutionRow>(
    `with next as (
       select e.id, e.config_id from sync_executions e join sync_configs c on c.id = e.config_id
         join tenants t on t.id = c.tenant_id and t.disabled_at is null
        where e.status = 'pending' and e.due_at <= $2
          and (c.running_execution_id is null or c.running_execution_id = e.id)
        order by e.due_at, e.id limit 1
          for update of e, c skip locked
     ), held as (
       update sync_configs c set running_execution_id = next.id from next where c.id = next.config_id
     )
     update sync_executions e
        set status = 'running', lease_owner = $1, lease_expires_at = $3, heartbeat_at = $2,
            started_at = coalesce(e.started_at, $2), attempts = e.attempts + 1
       from next where e.id = next.id
     returning e.*`,
    [owner, now, leaseUntil],
  );
  return rows[0];
}

/**
 * Extend the lease; answers whether it is still ours, whether a cancel was asked for, and whether its tenant was
 * disabled meanwhile (the run then pauses: see suspendExecution).
 */
export async function heartbeat(
  q: Queryable,
  id: string,
  owner: string,
  now: Date,
  leaseUntil: Date,
): Promise<{ held: boolean; cancel: boolean; suspend: boolean }> {
  const { rows } = await q.query<{ cancel_requested: boolean; suspend: boolean }>(
    `update sync_executions e set heartbeat_at = $3, lease_expires_at = $4
       from tenants t
      where e.id = $1 and e.lease_owner = $2 and e.status = 'running' and t.id = e.tenant_id
      returning e.cancel_requested, t.disabled_at is not null as suspend`,
    [id, owner, now, leaseUntil],
  );
  const row = rows[0];
  return { held: row !== undefined, cancel: row?.cancel_requested ?? false, suspend: row?.suspend ?? false };
}

/**
 * Put a running run back to pending (its tenant was disabled): it keeps its config (so no other run of the sync
 * overtakes it), this attempt does not count towards the stuck limit, and it resumes from its checkpoints once the
 * tenant is enabled again. Fenced by the lease; answers whether it was ours.
 */
export async function suspendExecution(q: Queryable, id: string, owner: string, now: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `update sync_executions
        set status = 'pending', lease_owner = null, lease_expires_at = null, due_at = $3,
            attempts = greatest(attempts - 1, 0)
      where id = $1 and lease_owner = $2 and status = 'running'`,
    [id, owner, now],
  );
  return (rowCount ?? 0) > 0;
}

export type Progress = {
  processed: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
};

/**
 * After a batch is committed in the target: add its counts, store the stream's progress and (incremental reads)
 * its checkpoint, in one transaction, only while the lease is ours. Answers false when the lease was lost (nothing
 * written).
 */
export async function saveBatch(
  tx: Queryable,
  input: {
    executionId: string;
    owner: string;
    configId: string;
    stream: string;
    counts: Progress;
    progress: StreamProgress;
    checkpoint: Record<string, unknown> | undefined;
  },
): Promise<boolean> {
  const { executionId, owner, counts } = input;
  const { rowCount } = await tx.query(
    `update sync_executions
        set records_processed = records_processed + $3, records_created = records_created + $4,
            records_updated = records_updated + $5, records_deleted = records_deleted + $6,
            records_failed = records_failed + $7,
            stream_progress = jsonb_set(stream_progress, array[$8::text], $9::jsonb)
      where id = $1 and lease_owner = $2 and status = 'running'`,
    [
      executionId,
      owner,
      counts.processed,
      counts.created,
      counts.updated,
      counts.deleted,
      counts.failed,
      input.stream,
      JSON.stringify(input.progress),
    ],
  );
  if (rowCount === 0) return false;
  if (input.checkpoint !== undefined) await saveState(tx, input.configId, input.stream, input.checkpoint, executionId);
  return true;
}

export async function saveState(
  q: Queryable,
  configId: string,
  stream: string,
  state: Record<string, unknown>,
  executionId: string | null,
): Promise<void> {
  await q.query(
    `insert into sync_state (config_id, stream, state, execution_id, updated_at) values ($1, $2, $3, $4, now())
     on conflict (config_id, stream) do update set state = excluded.state, execution_id = excluded.execution_id,
       updated_at = now()`,
    [configId, stream, JSON.stringify(state), executionId],
  );
}

export async function loadStates(q: Queryable, configId: string): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await q.query<{ stream: string; state: Record<string, unknown> }>(
    'select stream, state from sync_state where config_id = $1',
    [configId],
  );
  return new Map(rows.map((r) => [r.stream, r.state]));
}

/** End a run (fenced by its lease unless `owner` is null) and release its config. Answers the row, or undefined. */
export async function finishExecution(
  tx: Queryable,
  input: {
    id: string;
    owner: string | null;
    status: ExecutionStatus;
    errorCode: string | null;
    error: string | null;
    now: Date;
  },
): Promise<ExecutionRow | undefined> {
  const { rows } = await tx.query<ExecutionRow>(
    `update sync_executions
        set status = $3, error_code = $4, error = $5, finished_at = $6, lease_owner = null, lease_expires_at = null
      where id = $1 and ($2::text is null or lease_owner = $2) and status in ('pending', 'running')
      returning *`,
    [input.id, input.owner, input.status, input.errorCode, input.error, input.now],
  );
  const row = rows[0];
  if (row) {
    await tx.query('update sync_configs set running_execution_id = null where id = $1 and running_execution_id = $2', [
      row.config_id,
      row.id,
    ]);
  }
  return row;
}

/**
 * Runs whose lease ended (their node stopped heartbeating: killed, frozen, partitioned): due again, to resume from
 * their checkpoints on any node, up to `maxAttempts`; past that, failed as stuck. Answers the rows it changed.
 */
export async function recoverExecutions(
  q: Queryable,
  leaseEnded: Date | 'all',
  maxAttempts: number,
): Promise<{ resumed: ExecutionRow[]; failed: ExecutionRow[] }> {
  const { rows } = await q.query<ExecutionRow & { outcome: 'resumed' | 'failed' }>(
    `with lost as (
       select id from sync_executions
        where status = 'running' and ($1::timestamptz is null or lease_expires_at < $1)
          for update skip locked
     )
     update sync_executions e
        set status = case when e.attempts < $2 then 'pending' else 'failed' end,
            lease_owner = null, lease_expires_at = null, due_at = now(),
            error_code = case when e.attempts < $2 then e.error_code else 'stuck' end,
            error = case when e.attempts < $2 then e.error
                    else 'The run stopped heartbeating (its node stopped) ' || e.attempts || ' times; it was failed.' end,
            finished_at = case when e.attempts < $2 then null else now() end
       from lost where e.id = lost.id
     returning e.*, case when e.status = 'pending' then 'resumed' else 'failed' end as outcome`,
    [leaseEnded === 'all' ? null : leaseEnded, maxAttempts],
  );
  const failed = rows.filter((r) => r.outcome === 'failed');
  for (const row of failed) {
    await q.query('update sync_configs set running_execution_id = null where id = $1 and running_execution_id = $2', [
      row.config_id,
      row.id,
    ]);
  }
  return { resumed: rows.filter((r) => r.outcome === 'resumed'), failed };
}
