import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

/** GET, PATCH and DELETE of one connection: what is re-tested, who may rotate, what a disconnect leaves. */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
let id: string;
beforeEach(async () => {
  t = await createTestApp();
  // Two valid keys, each for its own vendor account; anything else is refused.
  vendor = await startFakeVendor({
    '/me': (req) => {
      const key = req.headers['x-api-key'];
      return key === 'key-a' || key === 'key-b'
        ? { json: { id: `acct_${key.slice(-1)}` } }
        : { status: 401, json: { message: 'invalid key' } };
    },
  });
  vendor.on('/v2/me', { status: 404, json: { message: 'no such path' } });
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      name: 'Billing API',
      config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
      credentials: { api_key: 'key-a' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  id = res.data.id as string;
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const patch = (body: Record<string, unknown>, token?: string) =>
  t.request({ method: 'PATCH', url: `/v1/connections/${id}`, body, ...(token ? { token } : {}) });
const get = async () => (await t.request({ url: `/v1/connections/${id}` })).data;
const sentKeys = () => vendor.requests.map((r) => r.headers['x-api-key']);

describe('one connection', () => {
  it('GET returns it without credentials; an unknown id is a 404', async () => {
    const got = await t.request({ url: `/v1/connections/${id}` });
    expect(got.statusCode).toBe(200);
    expect(got.data).toMatchObject({ id, name: 'Billing API', state: 'active', vendor_account_id: 'acct_a' });
    expect(got.body).not.toContain('key-a');
    expect(got.data).not.toHaveProperty('credentials');
    expectProblem(await t.request({ url: '/v1/connections/conn_nope' }), 404, 'not_found');
  });

  it('renaming and describing change at once, without a test call', async () => {
    const res = await patch({ name: '  Billing (EU)  ', description: 'Invoices of the EU entity' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ name: 'Billing (EU)', description: 'Invoices of the EU entity' });
    expect(vendor.requests).toHaveLength(1);
  });

  it('a config change is tested first: a failing test is a 422 and nothing changes', async () => {
    const before = await get();
    const res = await patch({ name: 'Renamed', config: { test_path: '/v2/me' } });
    expectProblem(res, 422, 'connection_test_failed');
    expect(res.data.outcome).toMatchObject({ outcome: 'vendor_error', status: 404 });
    expect(vendor.requests.at(-1)?.url).toBe('/v2/me');
    expect(await get()).toEqual(before);
    const events = await t.db.query<{ type: string }>('select type from events order by id');
    expect(events.rows.map((r) => r.type)).toEqual(['connection.created']);
  });

  it('a passing config change is saved merged over the current config and recorded as a test', async () => {
    vendor.on('/v2/me', { json: { id: 'acct_a' } });
    const res = await patch({ config: { test_path: '/v2/me' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.config).toEqual({ base_url: vendor.url, test_path: '/v2/me', account_id_path: '$.id' });
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it('a credential rotation is tested with the new key; refused keys leave the old one in place', async () => {
    const refused = await patch({ credentials: { api_key: 'key-x' } });
    expectProblem(refused, 422, 'connection_test_failed');
    await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(sentKeys()).toEqual(['key-a', 'key-x', 'key-a']);

    const rotated = await patch({ credentials: { api_key: 'key-b' } });
    expect(rotated.statusCode, rotated.body).toBe(200);
    // The new key belongs to another account: the connection says so.
    expect(rotated.data).toMatchObject({ state: 'active', vendor_account_id: 'acct_b' });
    await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(sentKeys().slice(-2)).toEqual(['key-b', 'key-b']);
  });

  it('an editor may rename but not rotate credentials (that needs create_connection)', async () => {
    const { token } = await t.keyWithRole('editor');
    const rotation = await patch({ credentials: { api_key: 'key-b' } }, token);
    expectProblem(rotation, 403, 'forbidden');
    expect(rotation.data.missing_capability).toBe('create_connection');
    expect(sentKeys()).toEqual(['key-a']);
    const rename = await patch({ name: 'Editor was here' }, token);
    expect(rename.statusCode, rename.body).toBe(200);
    expect((await get()).name).toBe('Editor was here');
    expectProblem(await t.request({ method: 'DELETE', url: `/v1/connections/${id}`, token }), 403, 'forbidden');
  });

  it('validate:false saves a config or credential change untested and marks the connection inactive', async () => {
    const res = await patch({ credentials: { api_key: 'key-untested' }, validate: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ state: 'inactive', state_reason: 'Changed without validation; run a test.' });
    expect(vendor.requests).toHaveLength(1);
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(tested.data).toMatchObject({ state: 'auth_revoked' });
    expect(sentKeys().at(-1)).toBe('key-untested');
  });

  it('a paused connection stays paused through a tested config change', async () => {
    await t.request({ method: 'POST', url: `/v1/connections/${id}/pause` });
    vendor.on('/v2/me', { json: { id: 'acct_a' } });
    const res = await patch({ config: { test_path: '/v2/me' } });
    expect(res.data).toMatchObject({ state: 'paused', config: { test_path: '/v2/me' } });
  });

  it('DELETE removes the connection and its credentials at once, and keeps its request log', async () => {
    await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    await t.built.connections.requestLog.flush();
    const res = await t.request({ method: 'DELETE', url: `/v1/connections/${id}` });
    expect(res.statusCode).toBe(204);
    expect(await rowCounts(t, ['connections', 'connection_credentials', 'connection_state_history'])).toEqual({
      connections: 0,
      connection_credentials: 0,
      connection_state_history: 0,
    });
    await t.built.connections.requestLog.flush();
    const log = await t.db.query('select connection_id, kind from connection_requests');
    expect(log.rows).toEqual([{ connection_id: id, kind: 'test' }]);
    expectProblem(await t.request({ url: `/v1/connections/${id}` }), 404, 'not_found');
    expectProblem(await t.request({ method: 'DELETE', url: `/v1/connections/${id}` }), 404, 'not_found');
  });
});
