import type { Db, Queryable } from '../../../core/db/port.js';
import { lockConfig } from '../../../sync/configs/sql.js';
import { enqueueRun } from '../../../sync/executions/enqueue.js';
import type { RuleAction } from '../sources/config.js';

/**
 * A `run_sync` rule action: ask for a run of the sync in the transaction that stores the event's outcome, so the
 * event is processed and its run asked for together. A run already waiting for that sync is the one this event
 * gets (a burst of webhooks makes one run, not one each); a running one gets a run queued behind it.
 */
export async function runSyncFor(
  db: Db,
  tx: Queryable,
  event: { id: string; tenant_id: string },
  action: Extract<RuleAction, { type: 'run_sync' }>,
): Promise<{ ok: true; executionId: string } | { ok: false; error: string }> {
  const config = await lockConfig(tx, event.tenant_id, action.sync_id);
  if (!config) return { ok: false, error: `Sync ${action.sync_id} no longer exists.` };
  if (!config.enabled) return { ok: false, error: `Sync "${config.name}" is disabled.` };
  const asked = await enqueueRun(db, tx, config, {
    trigger: 'webhook',
    triggeredBy: event.id,
    streams: [],
    fullRefresh: action.full_refresh,
    overlap: 'queue_one',
  });
  if (asked.outcome === 'skipped') return { ok: false, error: 'Skipped: a run is in progress.' };
  return { ok: true, executionId: asked.execution.id };
}
