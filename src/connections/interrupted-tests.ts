import { channels } from '../core/db/channels.js';
import type { Db, Queryable } from '../core/db/port.js';
import { lockConnection, type ConnectionState } from './sql.js';
import { transition } from './states.js';

/**
 * Connections left in `testing` by a test that never finished — the node running it stopped between marking the
 * connection and recording the outcome — are moved to `error` ("test interrupted") through the state machine, so
 * that they show a state someone can act on. Each one in its own transaction, re-checked under the row lock: a test
 * that finishes meanwhile wins. The state-changed event reports the state before the test as `from`. A disabled
 * tenant's connections wait: its background work stops, and they are repaired once it is enabled again.
 */
export async function failInterruptedTests(db: Db, startedBefore: Date): Promise<number> {
  const { rows } = await db.query<{ id: string; tenant_id: string }>(
    `select id, tenant_id from connections
     where state = 'testing' and updated_at < $1
       and tenant_id not in (select id from tenants where disabled_at is not null)
     order by updated_at limit 100`,
    [startedBefore],
  );
  let count = 0;
  for (const { id, tenant_id } of rows) {
    const failed = await db.transaction(async (tx) => {
      const locked = await lockConnection(tx, tenant_id, id);
      if (!locked || locked.state !== 'testing' || locked.updated_at >= startedBefore) return false;
      const before = await stateBeforeTest(tx, id);
      await transition(tx, locked, 'error', 'test interrupted', { type: 'system', id: null }, {}, before);
      await db.notify(tx, channels.connectionChanged, id);
      return true;
    });
    if (failed) count++;
  }
  return count;
}

async function stateBeforeTest(q: Queryable, connectionId: string): Promise<ConnectionState | undefined> {
  const { rows } = await q.query<{ from_state: ConnectionState | null }>(
    `select from_state from connection_state_history where connection_id = $1 and to_state = 'testing'
     order by id desc limit 1`,
    [connectionId],
  );
  return rows[0]?.from_state ?? undefined;
}
