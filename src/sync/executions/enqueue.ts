import { channels } from '../../core/db/channels.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import type { ConfigRow } from '../configs/sql.js';
import { insertExecution, pendingExecution, type ExecutionRow, type Trigger } from './sql.js';

export type Overlap = 'skip' | 'queue_one' | 'cancel_running';

export type Enqueued =
  | { outcome: 'started' | 'queued'; execution: ExecutionRow }
  | { outcome: 'existing'; execution: ExecutionRow }
  | { outcome: 'skipped' };

/**
 * Ask for a run of a sync (by hand, a schedule instant, a webhook rule, an event), in the caller's transaction, with
 * the config row locked by the caller. One run of a config goes at a time: while one runs, `overlap` decides —
 * skip the new one, queue one behind it (a second ask while one waits gets the waiting one), or cancel the running
 * one and queue. The new row wakes the runners on commit (its insert trigger notifies).
 */
export async function enqueueRun(
  db: Db,
  tx: Queryable,
  config: ConfigRow,
  input: {
    trigger: Trigger;
    triggeredBy: string | null;
    streams: string[];
    fullRefresh: boolean;
    overlap: Overlap;
    /** An import's dry run: never folded into (or with) a run that writes. */
    dryRun?: boolean;
  },
): Promise<Enqueued> {
  const waiting = await pendingExecution(tx, config.id);
  if (waiting && waiting.dry_run !== (input.dryRun ?? false)) {
    // A dry run and a run that writes are different asks: the new one waits behind the pending one.
    const execution = await insertExecution(tx, {
      id: newId('sxr'),
      tenant_id: config.tenant_id,
      config_id: config.id,
      trigger: input.trigger,
      triggered_by: input.triggeredBy,
      streams: input.streams,
      full_refresh: input.fullRefresh,
      dry_run: input.dryRun ?? false,
    });
    return { outcome: 'queued', execution };
  }
  const busy = config.running_execution_id !== null;
  if (waiting) {
    // Another ask already waits; a full refresh (or other streams) asked for now is folded into it.
    if (input.fullRefresh && !waiting.full_refresh) {
      await tx.query('update sync_executions set full_refresh = true where id = $1', [waiting.id]);
      waiting.full_refresh = true;
    }
    return input.overlap === 'skip' && busy ? { outcome: 'skipped' } : { outcome: 'existing', execution: waiting };
  }
  if (busy) {
    if (input.overlap === 'skip') return { outcome: 'skipped' };
    if (input.overlap === 'cancel_running') {
      await tx.query('update sync_executions set cancel_requested = true where id = $1 and status = $2', [
        config.running_execution_id,
        'running',
      ]);
      await db.notify(tx, channels.syncCancel, config.running_execution_id as string);
    }
  }
  const execution = await insertExecution(tx, {
    id: newId('sxr'),
    tenant_id: config.tenant_id,
    config_id: config.id,
    trigger: input.trigger,
    triggered_by: input.triggeredBy,
    streams: input.streams,
    full_refresh: input.fullRefresh,
    dry_run: input.dryRun ?? false,
  });
  return { outcome: busy ? 'queued' : 'started', execution };
}
