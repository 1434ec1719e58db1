import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createApiKeyConnection } from '../../test/helpers/catalog.js';
import { maintenanceTasks } from '../server/maintenance.js';
import { insertRequestLog } from './request-log.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const task = (name: string, options: Parameters<typeof maintenanceTasks>[0] = {}) => {
  const found = maintenanceTasks(options).find((x) => x.name === name);
  if (!found) throw new Error(`no maintenance task ${name}`);
  return found;
};

const connection = () => createApiKeyConnection(t, { config: { base_url: 'http://127.0.0.1:9' } });

describe('connection maintenance', () => {
  it('moves a connection stuck in testing for over 5 minutes to error ("test interrupted"), leaving recent ones', async () => {
    const stuck = await connection();
    const recent = await connection();
    for (const id of [stuck, recent]) {
      await t.db.query(
        `insert into connection_state_history (id, tenant_id, connection_id, from_state, to_state, actor_type)
         values ($1, $2, $3, 'inactive', 'testing', 'system')`,
        [`csh_${id}`, t.tenantId, id],
      );
    }
    await t.db.query(
      `update connections set state = 'testing', updated_at = now() - (case when id = $1 then interval '6 minutes' else interval '1 minute' end)
       where id in ($1, $2)`,
      [stuck, recent],
    );
    const failed = await task('connections.fail_interrupted_tests').run(t.db, { now: () => new Date() });
    expect(failed).toBe(1);
    const rows = await t.db.query<{ id: string; state: string; state_reason: string }>(
      'select id, state, state_reason from connections where id in ($1, $2) order by id',
      [stuck, recent],
    );
    expect(rows.rows.find((r) => r.id === stuck)).toMatchObject({ state: 'error', state_reason: 'test interrupted' });
    expect(rows.rows.find((r) => r.id === recent)?.state).toBe('testing');
    const events = await t.db.query<{ data: { from: string; to: string } }>(
      "select data from events where type = 'connection.state_changed'",
    );
    expect(events.rows.map((r) => r.data)).toMatchObject([{ connection_id: stuck, from: 'inactive', to: 'error' }]);
  });

  it('purges request-log rows older than the retention', async () => {
    const id = await connection();
    const entry = {
      tenantId: t.tenantId,
      connectionId: id,
      kind: 'proxy' as const,
      method: 'GET',
      path: '/x',
      status: 200,
      latencyMs: 1,
      bytesIn: 0,
      bytesOut: 0,
      retries: 0,
      error: null,
      requestId: null,
    };
    await insertRequestLog(t.db, [entry, { ...entry, path: '/old' }]);
    await t.db.query("update connection_requests set created_at = now() - interval '8 days' where path = '/old'");
    const purge = task('connections.purge_request_log', { requestLogRetentionMs: 7 * 86_400_000 });
    expect(await purge.run(t.db, { now: () => new Date() })).toBe(1);
    const left = await t.db.query<{ path: string }>('select path from connection_requests');
    expect(left.rows.map((r) => r.path)).toEqual(['/x']);
  });
});
