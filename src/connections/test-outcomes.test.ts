import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor, type VendorReply } from '../../test/helpers/fake-vendor.js';
import { manualClock } from '../core/clock.js';

/**
 * Each test-call outcome through the API against a fake vendor, and what it does to the connection: the
 * outcome and time are recorded, and the state follows seed 003's machine.
 */

const at = new Date('2030-03-04T05:06:07.000Z');
let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp({ clock: manualClock(at) });
  vendor = await startFakeVendor();
  await installConnector(t, {
    slug: 'outcomes_api',
    test: {
      kind: 'http',
      request: { method: 'GET', path: '/me' },
      success: { status: 200 },
      account_id: { path: '$.account.id' },
      account_name: { from: 'header', path: 'X-Account', pattern: 'name=([^;]+)' },
      outcomes: {
        credential_expired: [{ status: 401, json: { path: '$.error.code', equals: 'token_expired' } }],
        credential_revoked: [{ status: [401, 403], json: { path: '$.error.code', in: ['revoked', 'disabled'] } }],
        scope_insufficient: [{ status: 403, json: { path: '$.error.code', equals: 'missing_scope' } }],
      },
      missing_scopes: { path: '$.error.needed' },
      vendor_code: { path: '$.error.code' },
    },
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const reply = (r: VendorReply) => vendor.on('GET /me', r);
const create = (connector = 'outcomes_api', config: Record<string, unknown> = {}, validate = true) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector, config: { base_url: vendor.url, ...config }, credentials: { token: 'tok' }, validate },
  });
const testCall = (id: string) => t.request({ method: 'POST', url: `/v1/connections/${id}/test` });

/** A connection saved without validation, then tested against the reply given. */
async function testedWith(r: VendorReply) {
  const id = (await create('outcomes_api', {}, false)).data.id as string;
  reply(r);
  const res = await testCall(id);
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
}

describe('test outcomes', () => {
  it('connected: account id from a JSON path, account name from a header; outcome and time recorded', async () => {
    reply({ json: { account: { id: 4711 } }, headers: { 'x-account': 'id=4711; name=Acme Corp' } });
    const res = await create();
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '4711',
      vendor_account_name: 'Acme Corp',
      last_test_at: at.toISOString(),
      last_test_outcome: { outcome: 'connected', account_id: '4711', account_name: 'Acme Corp', status: 200 },
    });
  });

  it('connected through the generic connector, its account id path taken from config', async () => {
    vendor.on('GET /account', { json: { data: [{ workspace: 'ws_9' }] } });
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        auth_method: 'bearer',
        config: { base_url: vendor.url, test_path: '/account', account_id_path: '$.data[0].workspace' },
        credentials: { token: 'tok' },
      },
    });
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: 'ws_9' });
  });

  it('credential_expired puts the connection in auth_expired', async () => {
    const data = await testedWith({ status: 401, json: { error: { code: 'token_expired', message: 'expired' } } });
    expect(data).toMatchObject({
      state: 'auth_expired',
      state_reason: '401: expired',
      last_test_at: at.toISOString(),
      last_test_outcome: { outcome: 'credential_expired', status: 401, message: '401: expired' },
    });
  });

  it('credential_revoked (by rule, and by default for any other 401) puts it in auth_revoked', async () => {
    const byRule = await testedWith({ status: 403, json: { error: { code: 'disabled' } } });
    expect(byRule).toMatchObject({ state: 'auth_revoked', last_test_outcome: { outcome: 'credential_revoked' } });
    const byStatus = await testedWith({ status: 401, body: 'Unauthorized' });
    expect(byStatus).toMatchObject({
      state: 'auth_revoked',
      last_test_outcome: { outcome: 'credential_revoked', status: 401, message: '401: Unauthorized' },
    });
  });

  it('scope_insufficient names the missing scopes from a JSON path; the state is error', async () => {
    const data = await testedWith({
      status: 403,
      json: { error: { code: 'missing_scope', needed: ['users:read', 'users:write'] } },
    });
    expect(data).toMatchObject({
      state: 'error',
      state_reason: expect.stringMatching(/^Missing scopes: users:read, users:write/),
      last_test_outcome: { outcome: 'scope_insufficient', status: 403, missing_scopes: ['users:read', 'users:write'] },
    });
  });

  it('scope_insufficient from WWW-Authenticate (RFC 6750) when the body names nothing', async () => {
    const data = await testedWith({
      status: 403,
      headers: { 'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="files.read files.write"' },
      body: '',
    });
    expect(data.last_test_outcome).toMatchObject({
      outcome: 'scope_insufficient',
      missing_scopes: ['files.read', 'files.write'],
    });
  });

  it('vendor_error carries the status, the vendor code and its message; the state is error', async () => {
    const data = await testedWith({ status: 503, json: { error: { code: 'overloaded', message: 'Try later' } } });
    expect(data).toMatchObject({
      state: 'error',
      state_reason: '503: Try later',
      last_test_outcome: { outcome: 'vendor_error', status: 503, vendor_code: 'overloaded', message: '503: Try later' },
    });
  });

  it('vendor text PostgreSQL refuses as sent (a lone surrogate escape, NUL, a pair cut at 300) is kept as U+FFFD', async () => {
    const json = (status: number, text: string): VendorReply => ({
      status,
      headers: { 'content-type': 'application/json', 'x-account': 'name=Acme' },
      body: text,
    });
    // The outcome lives in jsonb (the connection, its event, its audit entry): each of these failed with a 500.
    reply(json(200, '{"account":{"id":"acct_\\ud800"}}'));
    const created = await create();
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'acct_\uFFFD',
      last_test_outcome: { outcome: 'connected', account_id: 'acct_\uFFFD' },
    });
    const id = created.data.id as string;

    reply(json(401, '{"message":"bad \\udc00 key \\u0000 here","error":{"code":"revoked"}}'));
    const refused = await testCall(id);
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.data).toMatchObject({
      state: 'auth_revoked',
      state_reason: '401: bad \uFFFD key \uFFFD here',
      last_test_outcome: { outcome: 'credential_revoked', message: '401: bad \uFFFD key \uFFFD here' },
    });

    // A text answer is quoted up to 300 characters: here the cut falls between the halves of an emoji.
    reply({ status: 500, body: `${'x'.repeat(299)}\u{1F600} and more` });
    const cut = await testCall(id);
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.data.last_test_outcome).toMatchObject({
      outcome: 'vendor_error',
      message: `500: ${'x'.repeat(299)}\uFFFD`,
    });
    const history = await t.request({ url: `/v1/connections/${id}/history` });
    expect(history.statusCode, history.body).toBe(200);
  });

  it('network_error when the port is closed: the connection was refused', async () => {
    const port = await closedPort();
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'outcomes_api',
        config: { base_url: `http://127.0.0.1:${port}` },
        credentials: { token: 't' },
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toEqual({
      outcome: 'network_error',
      message: `127.0.0.1:${port} refused the connection.`,
    });
  });

  it('network_error naming the range when the destination is not a public address', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'outcomes_api', config: { base_url: 'http://169.254.169.254' }, credentials: { token: 't' } },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({
      outcome: 'network_error',
      message: expect.stringContaining('169.254.0.0/16'),
    });
  });

  it('the test call is the manifest’s read-only GET: no body, no content type', async () => {
    reply({ json: { account: { id: 1 } } });
    await create();
    expect(vendor.requests).toHaveLength(1);
    const [req] = vendor.requests;
    expect(req).toMatchObject({ method: 'GET', url: '/me' });
    expect(req?.body.length).toBe(0);
    expect(req?.headers['content-type']).toBeUndefined();
    expect(req?.headers['content-length'] ?? '0').toBe('0');
  });

  it('a paused connection stays paused when tested; the outcome is still recorded', async () => {
    reply({ json: { account: { id: 1 } } });
    const id = (await create()).data.id as string;
    await t.request({ method: 'POST', url: `/v1/connections/${id}/pause` });
    reply({ status: 401, json: { error: { code: 'revoked' } } });
    const res = await testCall(id);
    expect(res.data).toMatchObject({
      state: 'paused',
      state_reason: 'paused; last test: credential_revoked',
      last_test_outcome: { outcome: 'credential_revoked' },
    });
    const types = await t.db.query<{ type: string; data: Record<string, unknown> }>(
      "select type, data from events where type <> 'connection.created' order by id",
    );
    expect(types.rows).toEqual([
      { type: 'connection.state_changed', data: expect.objectContaining({ from: 'active', to: 'paused' }) },
      {
        type: 'connection.tested',
        data: { connection_id: id, outcome: 'credential_revoked', state: 'paused' },
      },
    ]);
  });

  it('each state change from a test is one connection.state_changed event with from and to', async () => {
    reply({ json: { account: { id: 1 } } });
    const id = (await create()).data.id as string;
    reply({ status: 401, json: { error: { code: 'token_expired' } } });
    await testCall(id);
    reply({ status: 500, json: {} });
    await testCall(id);
    await testCall(id);
    reply({ json: { account: { id: 1 } } });
    await testCall(id);
    const { rows } = await t.db.query<{ data: { from: string; to: string } }>(
      "select data from events where type = 'connection.state_changed' order by id",
    );
    expect(rows.map((r) => `${r.data.from}->${r.data.to}`)).toEqual([
      'active->auth_expired',
      'auth_expired->error',
      'error->active',
    ]);
    const tested = await t.db.query("select count(*)::int as n from events where type = 'connection.tested'");
    expect(tested.rows).toEqual([{ n: 4 }]);
  });
});

/** A port nothing listens on: bound by the test, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
