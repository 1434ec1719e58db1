import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { manualClock } from '../../core/clock.js';
import type { Db } from '../../core/db/port.js';
import { maintenanceTasks } from '../../server/maintenance.js';
import { purgeInboundEvents } from './events/retention.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('inbound retention', () => {
  it('purges finished events older than the retention and expired dedup claims; keeps events still to route', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'r', verification: { type: 'none' }, dedup_key: { from: 'header', path: 'X-Id' } },
    });
    const path = new URL((res.data.source as { url: string }).url).pathname;
    for (const id of ['a', 'b', 'c']) {
      const got = await t.request({
        method: 'POST',
        url: path,
        body: '{}',
        headers: { 'content-type': 'application/json', 'x-id': id },
        token: null,
      });
      expect(got.statusCode).toBe(202);
    }
    await t.request({
      method: 'POST',
      url: path,
      body: '',
      headers: { 'content-type': 'application/json' },
      token: null,
    });
    // Two old finished events (one of them the rejection), one old event still waiting, one recent.
    await t.db.query(
      `update inbound_events set received_at = now() - interval '40 days'
       where dedup_key in ('a', 'b') or status = 'rejected'`,
    );
    await t.db.query(`update inbound_events set status = 'received', next_attempt_at = now() where dedup_key = 'b'`);
    await t.db.query(`update inbound_dedup set expires_at = now() - interval '1 hour' where key = 'a'`);
    const before = new Date(Date.now() - 30 * 86_400_000);
    expect(await purgeInboundEvents(t.db, before, new Date())).toBe(2);
    const { rows } = await t.db.query<{ dedup_key: string }>('select dedup_key from inbound_events order by dedup_key');
    expect(rows.map((r) => r.dedup_key)).toEqual(['b', 'c']);
    const claims = await t.db.query<{ key: string }>('select key from inbound_dedup order by key');
    expect(claims.rows.map((r) => r.key)).toEqual(['b', 'c']);
  });

  it('on PGlite vacuums the inbound table when its queue churned, and otherwise only every 6 hours', async () => {
    const clock = manualClock();
    let churn = 0;
    const task = maintenanceTasks({ inboundChurn: () => churn }).find((x) => x.name === 'inbound.vacuum_queue');
    const statements: string[] = [];
    const db = { kind: 'pglite', exec: async (sql: string) => void statements.push(sql) } as unknown as Db;
    await task?.run(db, clock); // the first run vacuums (nothing is known about the table)
    await task?.run(db, clock);
    expect(statements).toHaveLength(1);
    churn = 5;
    await task?.run(db, clock);
    expect(statements).toHaveLength(2);
    churn = 0;
    clock.advance(6 * 60 * 60_000);
    await task?.run(db, clock);
    expect(statements).toEqual(Array(3).fill('vacuum (analyze) inbound_events'));
    const server = { kind: 'postgres', exec: async (sql: string) => void statements.push(sql) } as unknown as Db;
    churn = 9;
    await task?.run(server, clock);
    expect(statements).toHaveLength(3); // a server has autovacuum
  });
});
