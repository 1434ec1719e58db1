import type { Queryable } from '../../../core/db/port.js';

const BATCH = 5000;

/**
 * Delete inbound events received before `before` that are finished (processed, failed, duplicate, rejected) —
 * events still waiting for their rules are kept whatever their age — and dedup claims whose window has passed.
 * One statement per batch, each its own transaction, like the outbound delivery purge.
 *
 * @returns the number of events deleted.
 */
export async function purgeInboundEvents(q: Queryable, before: Date, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await q.query(
      `delete from inbound_events where id in (
         select id from inbound_events
         where received_at < $1 and status <> 'received'
         limit $2
         for update skip locked)`,
      [before, BATCH],
    );
    total += rowCount;
    if (rowCount < BATCH) break;
  }
  for (;;) {
    const { rowCount } = await q.query(
      `delete from inbound_dedup where (source_id, key) in (
         select source_id, key from inbound_dedup where expires_at <= $1 limit $2 for update skip locked)`,
      [now, BATCH],
    );
    if (rowCount < BATCH) break;
  }
  return total;
}
