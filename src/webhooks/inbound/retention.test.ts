import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
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
});
