import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteExpiredSessions, insertSession } from '../access/sessions/sql.js';
import { newId } from '../core/ids.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startMaintenance } from './maintenance.js';

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
});
