import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { newId } from '../core/ids.js';

/**
 * GET /v1/audit filters and pagination, over entries written with known times into a tenant of their own (so
 * nothing else the app records interferes), and the append-only guarantee of the table.
 */
let t: TestApp;
let tenant: { tenantId: string; token: string };

const entries = [
  {
    at: '2026-01-01T00:00:00Z',
    actor: 'usr_a',
    action: 'api_key.create',
    target: ['api_key', 'key_1'],
    outcome: 'success',
  },
  {
    at: '2026-01-02T00:00:00Z',
    actor: 'usr_a',
    action: 'api_key.revoke',
    target: ['api_key', 'key_1'],
    outcome: 'failure',
  },
  { at: '2026-01-03T00:00:00Z', actor: 'usr_b', action: 'user.create', target: ['user', 'usr_c'], outcome: 'denied' },
  {
    at: '2026-01-04T00:00:00Z',
    actor: 'usr_b',
    action: 'api_keyring.create',
    target: ['thing', 'x'],
    outcome: 'success',
  },
  { at: '2026-01-05T00:00:00Z', actor: 'key_z', action: 'secret.rotate', target: ['secret', 'S'], outcome: 'success' },
] as const;

beforeEach(async () => {
  t = await createTestApp();
  tenant = await t.otherTenant('audited');
  for (const e of entries) {
    await t.db.query(
      `insert into audit_log (id, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, outcome,
         status_code, request_id, created_at)
       values ($1, $2, $3, $4, $4, $5, $6, $7, $8, 200, $9, $10)`,
      [
        newId('aud', Date.parse(e.at)),
        tenant.tenantId,
        e.actor.startsWith('key_') ? 'api_key' : 'user',
        e.actor,
        e.action,
        e.target[0],
        e.target[1],
        e.outcome,
        `req_${e.at}`,
        e.at,
      ],
    );
  }
});
afterEach(async () => {
  await t.close();
});

/** The days (1–5) of the entries a query returns, in the order returned. */
async function days(query: string): Promise<number[]> {
  const res = await t.request({ url: `/v1/audit${query}`, token: tenant.token });
  expect(res.statusCode, res.body).toBe(200);
  return (res.data.data as { created_at: string }[]).map((e) => new Date(e.created_at).getUTCDate());
}

describe('GET /v1/audit', () => {
  it('lists newest first with actor, target, outcome and request id', async () => {
    expect(await days('')).toEqual([5, 4, 3, 2, 1]);
    const res = await t.request({ url: '/v1/audit?limit=1', token: tenant.token });
    expect((res.data.data as unknown[])[0]).toMatchObject({
      actor: { type: 'api_key', id: 'key_z', label: 'key_z' },
      action: 'secret.rotate',
      target: { type: 'secret', id: 'S' },
      outcome: 'success',
      request_id: 'req_2026-01-05T00:00:00Z',
      created_at: '2026-01-05T00:00:00.000Z',
    });
  });

  it('filters by actor, exact action, action prefix, target, outcome and time, combined with AND', async () => {
    expect(await days('?actor=usr_a')).toEqual([2, 1]);
    expect(await days('?action=api_key.create')).toEqual([1]);
    expect(await days('?action=api_key.*')).toEqual([2, 1]); // not api_keyring.create
    expect(await days('?action=api_%25.*')).toEqual([]); // a prefix, not a LIKE pattern
    expect(await days('?action=api_key')).toEqual([]); // exact, so no match
    expect(await days('?target_type=api_key&target_id=key_1')).toEqual([2, 1]);
    expect(await days('?target_type=user')).toEqual([3]);
    expect(await days('?outcome=success')).toEqual([5, 4, 1]);
    expect(await days('?since=2026-01-02T00:00:00Z')).toEqual([5, 4, 3, 2]); // inclusive
    expect(await days('?until=2026-01-03T00:00:00Z')).toEqual([2, 1]); // exclusive
    expect(await days('?since=2026-01-02T01:00:00%2B01:00&until=2026-01-04T00:00:00Z')).toEqual([3, 2]);
    expect(await days('?actor=usr_b&outcome=denied')).toEqual([3]);
    expect(await days('?actor=usr_b&outcome=failure')).toEqual([]);
  });

  it('pages with a cursor, also under a filter', async () => {
    const pages: number[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await t.request({
        url: `/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        token: tenant.token,
      });
      pages.push((res.data.data as { created_at: string }[]).map((e) => new Date(e.created_at).getUTCDate()));
      cursor = res.data.next_cursor as string | null;
    }
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);

    const first = await t.request({ url: '/v1/audit?limit=1&action=api_key.*', token: tenant.token });
    const second = await t.request({
      url: `/v1/audit?limit=1&action=api_key.*&cursor=${first.data.next_cursor as string}`,
      token: tenant.token,
    });
    expect([first.data.data, second.data.data].map((d) => (d as { action: string }[])[0]?.action)).toEqual([
      'api_key.revoke',
      'api_key.create',
    ]);
    expect(second.data.next_cursor).toBeNull();
  });
});

describe('the audit table', () => {
  it('is append-only: UPDATE, DELETE and TRUNCATE raise', async () => {
    await expect(t.db.query('truncate audit_log')).rejects.toThrow(/append-only/);
    await expect(
      t.db.query("update audit_log set outcome = 'success' where tenant_id = $1", [tenant.tenantId]),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.query('delete from audit_log where tenant_id = $1', [tenant.tenantId])).rejects.toThrow(
      /append-only/,
    );
    expect(await days('')).toEqual([5, 4, 3, 2, 1]);
  });

  it('lets only the retention job delete, inside its own transaction', async () => {
    const purged = await t.db.transaction(async (tx) => {
      await tx.query("select set_config('switchyard.audit_purge', 'on', true)");
      const { rowCount } = await tx.query('delete from audit_log where tenant_id = $1 and created_at < $2', [
        tenant.tenantId,
        '2026-01-03T00:00:00Z',
      ]);
      return rowCount;
    });
    expect(purged).toBe(2);
    await expect(t.db.query('delete from audit_log where tenant_id = $1', [tenant.tenantId])).rejects.toThrow(
      /append-only/,
    );
    expect(await days('')).toEqual([5, 4, 3]);
  });
});
