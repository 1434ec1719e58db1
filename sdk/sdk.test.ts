import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/paths.js';
import { injectFetch } from '../test/helpers/api.js';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import { startFakeVendor } from '../test/helpers/fake-vendor.js';
import { createSwitchyardClient, listAll, paginate, SwitchyardError, unwrap, type SwitchyardClient } from './index.js';

type Transport = 'inject' | 'listen';

describe.each<Transport>(['inject', 'listen'])('SDK over %s', (transport) => {
  let client: SwitchyardClient;
  let baseUrl: string;
  let clientFor: (token: string, tenant?: string) => SwitchyardClient;
  let t: TestApp;

  afterEach(async () => {
    await t.close();
  });

  beforeEach(async () => {
    t = await createTestApp();
    if (transport === 'listen') {
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    } else {
      baseUrl = 'http://switchyard.test';
    }
    const fetch = transport === 'inject' ? injectFetch(t.app) : undefined;
    clientFor = (token, tenant) =>
      createSwitchyardClient({ baseUrl, token, ...(tenant ? { tenant } : {}), ...(fetch ? { fetch } : {}) });
    client = clientFor(t.adminToken);
  });

  it('returns typed data on success', async () => {
    const { data, error } = await client.POST('/v1/api-keys', { body: { name: 'sdk', role: 'viewer' } });
    expect(error).toBeUndefined();
    if (!data) throw new Error('no data beside no error');
    expect(data.token).toMatch(/^syk_/);
    expect(data.api_key.role).toBe('viewer');

    const me = await unwrap(clientFor(data.token).GET('/v1/me'));
    expect(me.role).toBe('viewer');
    expect(me.superuser).toBe(false);
  });

  it('returns a 404 problem as a value, and unwrap throws it as a SwitchyardError', async () => {
    const result = await client.GET('/v1/api-keys/{id}', { params: { path: { id: 'key_missing' } } });
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(404);
    expect(result.response.headers.get('content-type')).toContain('application/problem+json');
    expect(result.error).toMatchObject({ status: 404, code: 'not_found', type: '/docs/errors#not_found' });
    expect(result.error?.detail).toContain('key_missing');
    expect(result.error?.request_id).toBe(result.response.headers.get('x-request-id'));

    const thrown = await unwrap(client.GET('/v1/api-keys/{id}', { params: { path: { id: 'key_missing' } } })).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(SwitchyardError);
    expect(thrown).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('returns a 403 problem naming the missing capability, and field errors for a bad body', async () => {
    const viewer = await t.keyWithRole('viewer');
    const denied = await clientFor(viewer.token).POST('/v1/api-keys', { body: { name: 'x', role: 'viewer' } });
    expect(denied.error).toMatchObject({ status: 403, code: 'forbidden', missing_capability: 'manage_api_keys' });

    // @ts-expect-error -- the generated types require `role`; the server agrees at run time.
    const invalid = await client.POST('/v1/api-keys', { body: { name: 'no role' } });
    expect(invalid.error?.code).toBe('validation_failed');
    expect(invalid.error?.errors).toEqual([expect.objectContaining({ path: 'body.role' })]);
  });

  it('pages through a list with next_cursor, by hand and with paginate()', async () => {
    for (let i = 0; i < 4; i++) await unwrap(client.POST('/v1/api-keys', { body: { name: `k${i}`, role: 'viewer' } }));
    const first = await unwrap(client.GET('/v1/api-keys', { params: { query: { limit: 3 } } }));
    expect(first.data).toHaveLength(3);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await unwrap(
      client.GET('/v1/api-keys', { params: { query: { limit: 3, cursor: first.next_cursor ?? undefined } } }),
    );
    expect(second.data).toHaveLength(2); // 4 created + the bootstrap key
    expect(second.next_cursor).toBeNull();

    const names: string[] = [];
    for await (const key of paginate((cursor) =>
      client.GET('/v1/api-keys', { params: { query: { limit: 2, cursor } } }),
    ))
      names.push(key.name);
    expect(names.sort()).toEqual(['Bootstrap superuser', 'k0', 'k1', 'k2', 'k3']);
  });

  it('acts in another tenant with the tenant option (superusers only)', async () => {
    const tenant = await unwrap(client.POST('/v1/tenants', { body: { name: 'Acme', slug: 'acme' } }));
    const inAcme = clientFor(t.adminToken, 'acme');
    await unwrap(inAcme.POST('/v1/secrets', { body: { name: 'ACME_ONLY', value: 's3cret' } }));

    const acmeSecrets = await listAll((cursor) => inAcme.GET('/v1/secrets', { params: { query: { cursor } } }));
    expect(acmeSecrets.map((s) => s.name)).toEqual(['ACME_ONLY']);
    const homeSecrets = await listAll((cursor) => client.GET('/v1/secrets', { params: { query: { cursor } } }));
    expect(homeSecrets).toEqual([]);
    expect((await unwrap(inAcme.GET('/v1/me'))).tenant.id).toBe(tenant.id);

    const other = await t.otherTenant();
    const refused = await clientFor(other.token, 'acme').GET('/v1/me');
    expect(refused.error).toMatchObject({ status: 403, code: 'forbidden' });
  });
  it("calls a vendor through a connection with client.proxy: the vendor's answer whatever its status", async () => {
    const vendor = await startFakeVendor({
      'GET /me': { json: { id: 'acct_1' } },
      'GET /items': (req) => ({ json: { url: req.url, key: req.headers['x-api-key'], tag: req.headers['x-tag'] } }),
      'POST /items': (req) => ({ status: 201, json: { received: JSON.parse(req.body.toString()) } }),
      'GET /text': { body: 'plain words', headers: { 'content-type': 'text/plain' } },
    });
    try {
      const connection = await unwrap(
        client.POST('/v1/connections', {
          body: {
            connector: 'generic_rest',
            name: 'Vendor',
            auth_method: 'api_key',
            config: { base_url: vendor.url, test_path: '/me' },
            credentials: { api_key: 'vendor-key' },
          },
        }),
      );
      const listed = await client.proxy<{ url: string; key: string; tag: string }>(connection.id, 'GET', '/items', {
        query: { limit: 3, q: 'a b', skipped: undefined },
        headers: { 'x-tag': 'sdk' },
      });
      expect(listed).toMatchObject({
        status: 200,
        data: { url: '/items?limit=3&q=a+b', key: 'vendor-key', tag: 'sdk' },
      });
      expect(listed.error).toBeUndefined();
      expect(listed.headers.get('x-switchyard-retries')).toBe('0');

      const created = await client.proxy(connection.id, 'POST', 'items', { body: { name: 'n', tags: ['x'] } });
      expect(created).toMatchObject({ status: 201, data: { received: { name: 'n', tags: ['x'] } } });
      expect(await client.proxy(connection.id, 'GET', '/text')).toMatchObject({ status: 200, data: 'plain words' });

      // A vendor error is the vendor's answer, not a Switchyard problem.
      const missing = await client.proxy(connection.id, 'GET', '/nothing-here');
      expect(missing).toMatchObject({ status: 404, data: { error: 'not_found' } });
      expect(missing.error).toBeUndefined();

      await unwrap(client.POST('/v1/connections/{id}/pause', { params: { path: { id: connection.id } } }));
      const paused = await client.proxy(connection.id, 'GET', '/items');
      expect(paused.status).toBe(409);
      expect(paused.error).toMatchObject({ code: 'connection_paused', status: 409 });
      expect(paused.data).toBeUndefined();

      const viewer = await t.keyWithRole('viewer');
      const denied = await clientFor(viewer.token).proxy(connection.id, 'GET', '/items');
      expect(denied.error).toMatchObject({ code: 'forbidden', missing_capability: 'use_proxy' });
    } finally {
      await vendor.close();
    }
  });
});

describe('SDK against something that is not Switchyard', () => {
  it('turns a non-problem error body into an unexpected_response problem', async () => {
    const client = createSwitchyardClient({
      baseUrl: 'http://gateway.test',
      fetch: async () =>
        new Response('<html><body>502 Bad Gateway</body></html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html' },
        }),
    });
    const { error, response } = await client.GET('/v1/me');
    expect(response.status).toBe(502);
    expect(error).toMatchObject({ status: 502, code: 'unexpected_response' });
    expect(error?.detail).toContain('502 Bad Gateway');
  });
});

describe('the committed openapi.json the SDK types come from', () => {
  type Operation = { operationId?: string; summary?: string; tags?: string[]; responses: Record<string, unknown> };
  const document = JSON.parse(fs.readFileSync(path.join(packageRoot, 'openapi.json'), 'utf8')) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.entries(document.paths).flatMap(([url, item]) =>
    Object.entries(item).map(([method, op]) => ({ url, method, op })),
  );

  it('is OpenAPI 3.1 with an id, summary and tag on every operation and no hidden page', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(operations.length).toBeGreaterThan(20);
    for (const { op } of operations)
      expect(op).toMatchObject({ operationId: expect.any(String), summary: expect.any(String) });
    expect(operations.filter(({ op }) => !op.tags?.length)).toEqual([]);
    expect(new Set(operations.map(({ op }) => op.operationId)).size).toBe(operations.length);
    expect(Object.keys(document.paths).filter((p) => ['/', '/docs/errors', '/v1/openapi.json'].includes(p))).toEqual(
      [],
    );
  });

  it('documents every error status as application/problem+json with the shared Problem schema', () => {
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
    for (const { op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(response).toMatchObject({ content: problem });
      }
    }
  });
});
