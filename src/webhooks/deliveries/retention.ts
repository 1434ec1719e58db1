import type { Queryable } from '../../core/db/port.js';

const BATCH = 5000;

/**
 * Delete finished deliveries (delivered, failed, skipped) created before `before`; their attempts go with them
 * (on delete cascade). One statement per batch, each its own transaction, so a large purge neither holds one long
 * transaction nor locks every row at once; pending and in-flight deliveries are never touched.
 *
 * @returns the number of deliveries deleted.
 */
export async function purgeDeliveries(q: Queryable, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await q.query(
      `delete from webhook_deliveries where id in (
         select id from webhook_deliveries
         where created_at < $1 and status in ('delivered', 'failed', 'skipped')
         limit $2
         for update skip locked)`,
      [before, BATCH],
    );
    total += rowCount;
    if (rowCount < BATCH) return total;
  }
}
