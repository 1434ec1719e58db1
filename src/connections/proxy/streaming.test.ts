import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { Agent, request as undiciRequest } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';

let t: TestApp | undefined;
let vendor: Awaited<ReturnType<typeof startFakeVendor>> | undefined;
let client: Agent | undefined;
afterEach(async () => {
  await client?.destroy();
  await t?.close();
  await vendor?.close();
  t = undefined;
  vendor = undefined;
  client = undefined;
});

const request = (url: string, options: Parameters<typeof undiciRequest>[1] = {}) =>
  undiciRequest(url, { ...options, dispatcher: (client ??= new Agent()) });

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MiB = 1024 * 1024;

/** An app listening on a real port (bodies really stream), a fake vendor and a connection to it. */
async function setup(config: Parameters<typeof createTestApp>[0] = {}) {
  t = await createTestApp(config);
  vendor = await startFakeVendor();
  const created = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      auth_method: 'bearer',
      config: { base_url: vendor.url },
      credentials: { token: 'vendor-token' },
      validate: false,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { app: t, vendor, base, proxy: `${base}/v1/connections/${created.data.id as string}/proxy` };
}

function chunked(data: Buffer, size = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      this.push(offset < data.length ? data.subarray(offset, (offset += size)) : null);
    },
  });
}

describe('proxy: streaming', () => {
  it('streams 5 MiB up (chunked and with a length) and 5 MiB down, byte for byte', async () => {
    const { app, vendor, proxy } = await setup();
    const auth = { authorization: `Bearer ${app.adminToken}` };
    const up = randomBytes(5 * MiB);
    vendor.on('POST /upload', (req) => ({ json: { sha256: sha256(req.body), bytes: req.body.length } }));
    for (const body of [chunked(up), up]) {
      const res = await request(`${proxy}/upload`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        body,
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ sha256: sha256(up), bytes: up.length });
      expect(vendor.requests.at(-1)?.headers.authorization).toBe('Bearer vendor-token');
    }
    const down = randomBytes(5 * MiB);
    vendor.on('GET /download', {
      body: down,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(down.length) },
    });
    const res = await request(`${proxy}/download`, { headers: auth });
    const received = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(down.length));
    expect(sha256(received)).toBe(sha256(down));
    vendor.on('GET /download-chunked', { body: down });
    const streamed = await request(`${proxy}/download-chunked`, { headers: auth });
    expect(sha256(Buffer.from(await streamed.body.arrayBuffer()))).toBe(sha256(down));

    const log = await app.request({ url: `${proxy.replace(/^http:\/\/[^/]+/, '').replace(/\/proxy$/, '')}/requests` });
    // Rows written in one batch share a millisecond, so their order is not asserted.
    const entries = (log.data.data as { path: string; bytes_in: number; bytes_out: number; status: number }[])
      .map(({ path, status, bytes_in, bytes_out }) => ({ path, status, bytes_in, bytes_out }))
      .sort((a, b) => a.path.localeCompare(b.path));
    expect(entries).toEqual([
      { path: '/download', status: 200, bytes_in: down.length, bytes_out: 0 },
      { path: '/download-chunked', status: 200, bytes_in: down.length, bytes_out: 0 },
      { path: '/upload', status: 200, bytes_in: expect.any(Number), bytes_out: up.length },
      { path: '/upload', status: 200, bytes_in: expect.any(Number), bytes_out: up.length },
    ]);
  });

  it('holds proxied bodies to SWITCHYARD_PROXY_BODY_LIMIT, and leaves the JSON API’s limit alone', async () => {
    const { app, vendor, proxy } = await setup({ config: { proxyBodyLimit: 256 * 1024 } });
    const auth = { authorization: `Bearer ${app.adminToken}` };
    vendor.on('POST /upload', (req) => ({ json: { bytes: req.body.length } }));
    const fits = await request(`${proxy}/upload`, { method: 'POST', headers: auth, body: randomBytes(200 * 1024) });
    expect(await fits.body.json()).toEqual({ bytes: 200 * 1024 });
    for (const body of [randomBytes(300 * 1024), chunked(randomBytes(300 * 1024), 16 * 1024)]) {
      const res = await request(`${proxy}/upload`, { method: 'POST', headers: auth, body });
      expect(res.statusCode).toBe(413);
      expect(((await res.body.json()) as { code: string }).code).toBe('body_too_large');
    }
    expect(vendor.requests.filter((r) => r.body.length > 256 * 1024)).toEqual([]);
    // The rest of the API still parses JSON with its own limit.
    const secret = await app.request({
      method: 'POST',
      url: '/v1/secrets',
      body: { name: 'S', value: 'x'.repeat(2 * MiB) },
    });
    expect(secret.statusCode).toBe(413);
  });

  it('answers a clean 502 when the vendor breaks off a small answer midway, and logs why', async () => {
    const { app, base } = await setup();
    // A vendor that announces 1000 bytes, sends 100 and drops the connection.
    const broken = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('x'.repeat(100));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const created = await app.request({
        method: 'POST',
        url: '/v1/connections',
        body: {
          connector: 'generic_rest',
          auth_method: 'bearer',
          config: { base_url: `http://127.0.0.1:${(broken.address() as { port: number }).port}` },
          credentials: { token: 'vendor-token' },
          validate: false,
        },
      });
      const id = created.data.id as string;
      const res = await request(`${base}/v1/connections/${id}/proxy/items`, {
        headers: { authorization: `Bearer ${app.adminToken}` },
      });
      const problem = (await res.body.json()) as { code: string };
      // Not the vendor's 200 with a cut body: a complete error answer the caller can act on.
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(problem.code).toBe('upstream_unreachable');
      const log = await app.request({ url: `/v1/connections/${id}/requests` });
      expect(log.data.data).toMatchObject([
        { path: '/items', status: 200, error: expect.stringMatching(/^upstream_unreachable: /) },
      ]);
    } finally {
      broken.closeAllConnections();
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it('refuses "." and ".." segments sent as they are (not resolved by the client)', async () => {
    const { app, proxy } = await setup();
    const url = new URL(proxy);
    for (const path of ['/../admin', '/a/%2e%2e/admin', '/%2E/x', '/a/..']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: `${url.pathname}${path}`,
            headers: { authorization: `Bearer ${app.adminToken}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status, path).toBe(400);
    }
  });
});
