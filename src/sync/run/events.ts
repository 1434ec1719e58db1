import type { PublishInput } from '../../events/publish.js';
import type { ExecutionRow, ExecutionStatus } from '../executions/sql.js';

/** The platform event each state a run enters publishes (src/events/types/platform.ts lists them). */
export const executionEventTypes: Record<Exclude<ExecutionStatus, 'pending'>, string> = {
  running: 'sync.execution.started',
  success: 'sync.execution.succeeded',
  partial_success: 'sync.execution.partially_succeeded',
  failed: 'sync.execution.failed',
  cancelled: 'sync.execution.cancelled',
};

/** The event of a run's new state, published in the transaction that stored it (the outbox). */
export function executionEvent(row: ExecutionRow): PublishInput {
  const type = executionEventTypes[row.status as Exclude<ExecutionStatus, 'pending'>];
  return {
    tenantId: row.tenant_id,
    type,
    orderingKey: row.config_id,
    data: {
      execution_id: row.id,
      sync_id: row.config_id,
      status: row.status,
      trigger: row.trigger,
      attempt: row.attempts,
      records: {
        processed: Number(row.records_processed),
        created: Number(row.records_created),
        updated: Number(row.records_updated),
        deleted: Number(row.records_deleted),
        failed: Number(row.records_failed),
      },
      error_code: row.error_code,
      error: row.error,
      started_at: row.started_at?.toISOString() ?? null,
      finished_at: row.finished_at?.toISOString() ?? null,
    },
  };
}
