import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor();
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

async function connect(extra: Record<string, unknown> = {}, token?: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    ...(token ? { token } : {}),
    body: {
      connector: 'generic_rest',
      name: 'Vendor',
      auth_method: 'api_key',
      config: { base_url: `${vendor.url}/api` },
      credentials: { api_key: 'vendor-key' },
      validate: false,
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('proxy: forwarding', () => {
  it('forwards GET, POST, PUT and DELETE to the base URL with the connection’s credentials, never the caller’s', async () => {
    const id = await connect();
    vendor.on('/api/items/42', (req) => ({ json: { method: req.method, got: req.body.toString() } }));
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      const body = method === 'GET' ? undefined : JSON.stringify({ name: `via ${method}` });
      const res = await t.request({
        method,
        url: `/v1/connections/${id}/proxy/items/42`,
        ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
        cookies: { switchyard_session: 'caller-cookie' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.data).toEqual({ method, got: body ?? '' });
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-switchyard-retries']).toBe('0');
      expect(res.headers['server-timing']).toMatch(/^vendor;dur=\d+(\.\d)?;desc="vendor response"$/);
      expect(res.headers['x-request-id']).toMatch(/^req_/);
      const seen = vendor.requests.at(-1);
      expect(seen?.method).toBe(method);
      expect(seen?.url).toBe('/api/items/42');
      expect(seen?.headers['x-api-key']).toBe('vendor-key');
      expect(seen?.headers.authorization).toBeUndefined();
      expect(seen?.headers.cookie).toBeUndefined();
      if (body) expect(seen?.headers['content-type']).toBe('application/json');
    }
    expect(JSON.stringify(vendor.requests.map((r) => r.headers))).not.toContain(t.adminToken);
  });

  it('keeps the path’s encoding and the query string', async () => {
    const id = await connect();
    vendor.on('/api/projects/group%2Fproject/files', { json: { ok: true } });
    const res = await t.request({
      url: `/v1/connections/${id}/proxy/projects/group%2Fproject/files?ref=main&path=a%20b&tag=x&tag=y`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(vendor.requests.at(-1)?.url).toBe('/api/projects/group%2Fproject/files?ref=main&path=a%20b&tag=x&tag=y');
    // An encoded NUL is the vendor's to judge: the request check that refuses one in the API's own text leaves it.
    vendor.on('/api/blobs/a%00b', { json: { ok: true } });
    const nul = await t.request({ url: `/v1/connections/${id}/proxy/blobs/a%00b?x=%00` });
    expect(nul.statusCode, nul.body).toBe(200);
    expect(vendor.requests.at(-1)?.url).toBe('/api/blobs/a%00b?x=%00');
    vendor.on('/api', { json: { root: true } });
    vendor.on('/api/', { json: { root: 'slash' } });
    const root = await t.request({ url: `/v1/connections/${id}/proxy?q=1` });
    expect(root.data).toEqual({ root: true });
    expect(vendor.requests.at(-1)?.url).toBe('/api?q=1');
    const slash = await t.request({ url: `/v1/connections/${id}/proxy/` });
    expect(slash.data).toEqual({ root: 'slash' });
    expect(vendor.requests.at(-1)?.url).toBe('/api/');
  });

  it('strips hop-by-hop and platform headers both ways, and never returns Set-Cookie', async () => {
    const id = await connect();
    vendor.on('/api/h', {
      json: { ok: true },
      headers: {
        connection: 'x-vendor-hop',
        'x-vendor-hop': 'drop me',
        'keep-alive': 'timeout=5',
        'set-cookie': 'vendor_session=abc; Path=/',
        'access-control-allow-origin': '*',
        'x-request-id': 'vendor-123',
        'x-vendor-kept': 'kept',
      },
    });
    const res = await t.request({
      url: `/v1/connections/${id}/proxy/h`,
      headers: {
        connection: 'keep-alive, x-caller-hop',
        'x-caller-hop': 'drop me',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        'x-csrf-token': 'csrf',
        'switchyard-retries': '1',
        'switchyard-tenant': t.tenantId,
        'x-forwarded-for': '10.0.0.1',
        'x-caller-kept': 'kept',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const seen = vendor.requests.at(-1)?.headers ?? {};
    for (const name of [
      'x-caller-hop',
      'te',
      'proxy-authorization',
      'x-csrf-token',
      'switchyard-retries',
      'switchyard-tenant',
      'x-forwarded-for',
    ]) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen['x-caller-kept']).toBe('kept');
    expect(res.headers['x-vendor-hop']).toBeUndefined();
    expect(res.headers['keep-alive']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-vendor-kept']).toBe('kept');
    expect(res.headers['x-vendor-request-id']).toBe('vendor-123');
    expect(res.headers['x-request-id']).not.toBe('vendor-123');
  });

  it('points Link and Location URLs under the base URL back at the proxy; others are left alone', async () => {
    const id = await connect();
    const proxy = `http://switchyard.test/v1/connections/${id}/proxy`;
    vendor.on('/api/items', {
      status: 201,
      json: [],
      headers: {
        link: `<${vendor.url}/api/items?page=2>; rel="next", <${vendor.url}/api?page=9>; rel="last", <${vendor.url}/apix/items>; rel="x", <https://elsewhere.test/api/items>; rel="y"`,
        location: `${vendor.url}/api/items/42#top`,
      },
    });
    const res = await t.request({ url: `/v1/connections/${id}/proxy/items`, headers: { host: 'switchyard.test' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.link).toBe(
      `<${proxy}/items?page=2>; rel="next", <${proxy}?page=9>; rel="last", <${vendor.url}/apix/items>; rel="x", <https://elsewhere.test/api/items>; rel="y"`,
    );
    expect(res.headers.location).toBe(`${proxy}/items/42#top`);
  });

  it('passes the vendor’s status through, and answers HEAD and OPTIONS', async () => {
    const id = await connect();
    vendor.on('GET /api/missing', { status: 404, json: { error: 'nope' } });
    const missing = await t.request({ url: `/v1/connections/${id}/proxy/missing` });
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toEqual({ error: 'nope' });
    vendor.on('/api/res', (req) => ({ status: req.method === 'OPTIONS' ? 204 : 200, headers: { 'x-m': req.method } }));
    const head = await t.request({ method: 'HEAD', url: `/v1/connections/${id}/proxy/res` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-m']).toBe('HEAD');
    const options = await t.request({ method: 'OPTIONS', url: `/v1/connections/${id}/proxy/res` });
    expect(options.statusCode).toBe(204);
    expect(options.headers['x-m']).toBe('OPTIONS');
  });

  it('signs each call that needs it (HMAC over the method, path, timestamp and body as sent)', async () => {
    const id = await connect({ auth_method: 'hmac', credentials: { key_id: 'k1', secret: 'hmac-secret' } });
    vendor.on('POST /api/sign', (req) => {
      const content = `POST\n/api/sign\n${req.headers['x-timestamp']}\n${createHash('sha256').update(req.body).digest('hex')}`;
      const expected = createHmac('sha256', 'hmac-secret').update(content).digest('hex');
      return { json: { valid: req.headers['x-signature'] === expected, key: req.headers['x-key-id'] } };
    });
    const res = await t.request({
      method: 'POST',
      url: `/v1/connections/${id}/proxy/sign`,
      body: JSON.stringify({ amount: 10 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.data).toEqual({ valid: true, key: 'k1' });
    expect(vendor.requests.at(-1)?.body.toString()).toBe('{"amount":10}');
  });
});
