import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({
    'GET /me': (req) =>
      req.headers['x-api-key'] === 'good-key'
        ? { json: { id: 'acct_42', name: 'Acme' } }
        : { status: 401, json: { message: 'bad key' } },
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const create = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/v1/connections', body });
const generic = (key: string, extra: Record<string, unknown> = {}) => ({
  connector: 'generic_rest',
  name: 'Acme API',
  auth_method: 'api_key',
  config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
  credentials: { api_key: key },
  ...extra,
});

describe('connections', () => {
  it('creates an active connection after a passing test, never returning or storing the key in clear', async () => {
    const res = await create(generic('good-key'));
    expect(res.statusCode).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      connector: { slug: 'generic_rest' },
      last_test_outcome: { outcome: 'connected' },
    });
    expect(res.body).not.toContain('good-key');
    expect(vendor.requests.at(-1)?.headers['x-api-key']).toBe('good-key');
    const dump = JSON.stringify((await t.db.query('select * from connection_credentials')).rows);
    expect(dump).not.toContain('good-key');
    const events = await t.db.query<{ type: string }>('select type from events order by id');
    expect(events.rows.map((r) => r.type)).toEqual(['connection.created']);
  });

  it('stores nothing when the test fails, and answers with the outcome', async () => {
    const res = await create(generic('wrong-key'));
    expect(res.statusCode).toBe(422);
    expect(res.data).toMatchObject({
      code: 'connection_test_failed',
      outcome: { outcome: 'credential_revoked', status: 401 },
    });
    expect((await t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 0 });
    expect((await t.db.query('select count(*)::int as n from events')).rows[0]).toEqual({ n: 0 });
  });

  it('saves inactive with validate:false, then test, pause and resume move it through the states', async () => {
    const created = await create(generic('good-key', { validate: false }));
    expect(created.data.state).toBe('inactive');
    const id = created.data.id as string;
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(tested.data).toMatchObject({ state: 'active', vendor_account_id: 'acct_42' });
    expect((await t.request({ method: 'POST', url: `/v1/connections/${id}/pause` })).data.state).toBe('paused');
    expect((await t.request({ method: 'POST', url: `/v1/connections/${id}/test` })).data.state).toBe('paused');
    vendor.on('GET /me', { status: 500, json: { message: 'down' } });
    const resumed = await t.request({ method: 'POST', url: `/v1/connections/${id}/resume` });
    expect(resumed.data).toMatchObject({ state: 'error', last_test_outcome: { outcome: 'vendor_error', status: 500 } });
    const history = await t.request({ url: `/v1/connections/${id}/history` });
    expect((history.data.data as { to: string }[]).map((h) => h.to).reverse()).toEqual([
      'inactive',
      'testing',
      'active',
      'paused',
      'testing',
      'paused',
      'testing',
      'error',
    ]);
    const requests = await t.request({ url: `/v1/connections/${id}/requests` });
    expect((requests.data.data as unknown[]).length).toBe(3);
  });
});
