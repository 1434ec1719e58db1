import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import { channels } from '../../core/db/channels.js';

let t: TestApp | undefined;
let vendor: Awaited<ReturnType<typeof startFakeVendor>> | undefined;
afterEach(async () => {
  await t?.close();
  await vendor?.close();
  t = undefined;
  vendor = undefined;
});

async function setup(options: Parameters<typeof createTestApp>[0] = {}) {
  const app = (t = await createTestApp(options));
  const fake = (vendor = await startFakeVendor({ '/me': { json: { id: 'acct' } }, '/data': { json: { ok: true } } }));
  const created = await app.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      name: 'Acme',
      auth_method: 'api_key',
      config: { base_url: fake.url, test_path: '/me' },
      credentials: { api_key: 'vendor-key' },
      validate: false,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.data.id as string;
  return { app, fake, id, proxy: (path = '/data') => `/v1/connections/${id}/proxy${path}` };
}

describe('proxy: who may call, and which connections answer', () => {
  it('needs use_proxy: a viewer is refused, an editor may call', async () => {
    const { app, proxy } = await setup();
    const viewer = await app.keyWithRole('viewer');
    const refused = await app.request({ url: proxy(), token: viewer.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.data).toMatchObject({ code: 'forbidden', missing_capability: 'use_proxy' });
    const editor = await app.keyWithRole('editor');
    expect((await app.request({ url: proxy(), token: editor.token })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown connection and for another tenant’s, without calling any vendor', async () => {
    const { app, fake, proxy } = await setup();
    const other = await app.otherTenant();
    const unknown = await app.request({ url: '/v1/connections/conn_missing/proxy/data' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.data.code).toBe('not_found');
    const foreign = await app.request({ url: proxy(), token: other.token });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.data.detail).toBe(
      String(unknown.data.detail).replace('conn_missing', proxy().split('/')[3] as string),
    );
    expect(fake.requests).toEqual([]);
  });

  it('refuses paused (409 connection_paused) and revoked connections (409 connection_unusable), at once', async () => {
    const { app, fake, id, proxy } = await setup();
    expect((await app.request({ url: proxy() })).statusCode).toBe(200);
    // The runtime is cached now; pausing must still refuse the very next call.
    expect((await app.request({ method: 'POST', url: `/v1/connections/${id}/pause` })).statusCode).toBe(200);
    const paused = await app.request({ method: 'POST', url: proxy(), body: { x: 1 } });
    expect(paused.statusCode).toBe(409);
    expect(paused.data).toMatchObject({ code: 'connection_paused' });
    expect(paused.data.detail).toContain('paused');
    const calls = fake.requests.length;

    fake.on('/me', { status: 401, json: { message: 'key revoked' } });
    const resumed = await app.request({ method: 'POST', url: `/v1/connections/${id}/resume` });
    expect(resumed.data.state).toBe('auth_revoked');
    const revoked = await app.request({ url: proxy() });
    expect(revoked.statusCode).toBe(409);
    expect(revoked.data.code).toBe('connection_unusable');
    expect(revoked.data.detail).toMatch(/revoked or rejected.*reauthorize or rotate/);
    expect(fake.requests.slice(calls).map((r) => r.url)).toEqual(['/me']);
  });

  it('forgets a cached connection when another node announces a change (channels.connectionChanged)', async () => {
    const { app, id, proxy } = await setup();
    expect((await app.request({ url: proxy() })).statusCode).toBe(200);
    // A change made elsewhere: this node's own invalidation does not run, only the notification arrives.
    await app.db.transaction(async (tx) => {
      await tx.query("update connections set state = 'paused' where id = $1", [id]);
      await app.db.notify(tx, channels.connectionChanged, id);
    });
    await expect
      .poll(async () => (await app.request({ url: proxy() })).data.code, { timeout: 5000, interval: 20 })
      .toBe('connection_paused');
  });

  it('answers 503 connector_maintenance while the connector is under maintenance', async () => {
    const { app, fake, proxy } = await setup();
    await app.db.transaction(async (tx) => {
      await tx.query("update connectors set availability = 'maintenance' where slug = 'generic_rest'");
      await app.built.registry.invalidate(tx);
    });
    const res = await app.request({ url: proxy() });
    expect(res.statusCode).toBe(503);
    expect(res.data.code).toBe('connector_maintenance');
    expect(fake.requests).toEqual([]);
  });

  it('writes every call to the request log (path with secrets removed, status, bytes, retries, request id)', async () => {
    const { app, id, proxy } = await setup();
    const ok = await app.request({
      url: `${proxy()}?page=2&access_token=leak`,
      headers: { 'x-request-id': 'trace-1' },
    });
    expect(ok.statusCode).toBe(200);
    await app.request({ method: 'POST', url: `/v1/connections/${id}/pause` });
    await app.request({ url: proxy('/other') });
    const log = await app.request({ url: `/v1/connections/${id}/requests` });
    const rows = log.data.data as Record<string, unknown>[];
    const call = rows.find((r) => r.request_id === 'trace-1');
    expect(call).toMatchObject({
      kind: 'proxy',
      method: 'GET',
      status: 200,
      bytes_in: Buffer.byteLength(ok.body),
      bytes_out: 0,
      retries: 0,
      error: null,
    });
    expect(call?.path).toMatch(/^\/data\?page=2&access_token=/);
    expect(log.body).not.toContain('leak');
    expect(rows.find((r) => r.path === '/other')).toMatchObject({
      status: null,
      error: expect.stringMatching(/^connection_paused/),
    });
  });

  it('refuses a base URL on a private address outside the allow-list (422 destination_blocked)', async () => {
    const { app, fake, proxy } = await setup({ config: { allowPrivateNetworks: [] } });
    const res = await app.request({ url: proxy() });
    expect(res.statusCode).toBe(422);
    expect(res.data.code).toBe('destination_blocked');
    expect(res.headers['x-switchyard-retries']).toBe('0');
    expect(fake.requests).toEqual([]);
  });
});
