import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteExpiredSessions, insertSession } from '../access/sessions/sql.js';
import { newId } from '../core/ids.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createApiKeyConnection } from '../../test/helpers/catalog.js';
import { maintenanceTasks, startMaintenance } from './maintenance.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

describe('maintenance', () => {
  it('purges expired sessions on its schedule and keeps live ones', async () => {
    t = await createTestApp();
    const user = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'ops@example.com', role: 'viewer', password: 'correct horse battery' },
    });
    const userId = user.data.id as string;
    const now = Date.now();
    for (const [id, expires] of [
      ['ses_old', now - 60_000],
      ['ses_live', now + 3_600_000],
    ] as const) {
      await insertSession(t.db, {
        id,
        token_hash: newId('h'),
        csrf_hash: 'x',
        user_id: userId,
        expires_at: new Date(expires),
      });
    }
    const maintenance = startMaintenance(
      { db: t.db, clock: { now: () => new Date() }, log: pino({ level: 'silent' }) },
      [{ name: 'sessions.purge_expired', everyMs: 20, run: (db, clock) => deleteExpiredSessions(db, clock.now()) }],
    );
    const ids = async () =>
      (await t!.db.query<{ id: string }>('select id from sessions order by id')).rows.map((r) => r.id);
    await expect.poll(ids, { timeout: 5000 }).toEqual(['ses_live']);
    await maintenance.stop();
  });

  it('leaves a disabled tenant’s connections alone until it is enabled again (tenant work stops)', async () => {
    t = await createTestApp();
    const app = t;
    const other = await app.otherTenant('acme');
    const stuckConnection = async (token: string, tenantId: string, age: string) => {
      const id = await createApiKeyConnection(app, { config: { base_url: 'http://127.0.0.1:9' } }, token);
      // A test that its node never finished: `testing` for longer than a test can take.
      await app.db.query(
        `insert into connection_state_history (id, tenant_id, connection_id, from_state, to_state, actor_type)
         values ($1, $2, $3, 'inactive', 'testing', 'system')`,
        [`csh_${id}`, tenantId, id],
      );
      await app.db.query(`update connections set state = 'testing', updated_at = now() - $2::interval where id = $1`, [
        id,
        age,
      ]);
      return id;
    };
    // The disabled tenant's connection is the older one, so a pass that took it would take it first.
    const theirs = await stuckConnection(other.token, other.tenantId, '20 minutes');
    const ours = await stuckConnection(app.adminToken, app.tenantId, '10 minutes');
    const disable = (disabled: boolean) =>
      app.request({ method: 'PATCH', url: `/v1/tenants/${other.tenantId}`, body: { disabled } });
    expect((await disable(true)).statusCode).toBe(200);

    const tasks = maintenanceTasks()
      .filter((task) => task.name === 'connections.fail_interrupted_tests')
      .map((task) => ({ ...task, everyMs: 20 }));
    expect(tasks).toHaveLength(1);
    const maintenance = startMaintenance(
      { db: app.db, clock: { now: () => new Date() }, log: pino({ level: 'silent' }) },
      tasks,
    );
    const state = async (id: string) =>
      (await app.db.query<{ state: string }>('select state from connections where id = $1', [id])).rows[0]?.state;
    await expect.poll(() => state(ours), { timeout: 10_000 }).toBe('error');
    expect(await state(theirs)).toBe('testing');

    expect((await disable(false)).statusCode).toBe(200);
    await expect.poll(() => state(theirs), { timeout: 10_000 }).toBe('error');
    await maintenance.stop();
  });
});
