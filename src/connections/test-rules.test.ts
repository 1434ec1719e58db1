import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { uniqueName } from '../../test/helpers/fixtures.js';
import { validateManifest } from '../catalog/manifest/validate.js';

/**
 * What issue 16 added to test calls, through the API against a loopback vendor: an auth method's own test, the
 * `connected_limited` and `unverified` outcomes (both leave the connection active, saying what was not confirmed),
 * and the manifest's constant headers on the test call and the proxy.
 */
let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeAll(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor();
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

const create = (connector: string, body: Record<string, unknown> = {}) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector, config: { base_url: vendor.url }, credentials: { token: 'tok' }, ...body },
  });

async function eventsOf(id: string) {
  const { rows } = await t.db.query<{ data: Record<string, unknown> }>(
    `select data from events where type = 'connection.tested' and data->>'connection_id' = $1`,
    [id],
  );
  return rows.map((r) => r.data);
}

describe('test calls per auth method', () => {
  it('a method with its own test uses it; the others use the manifest’s', async () => {
    const slug = uniqueName('two_methods');
    const keyCheck = `/${uniqueName('keys')}/current`;
    await installConnector(t, {
      slug,
      auth: [
        { type: 'bearer', fields: [{ key: 'token', label: 'Token', secret: true }] },
        {
          type: 'api_key',
          name: 'X-Key',
          value: '{{credentials.key}}',
          fields: [{ key: 'key', label: 'Key', secret: true }],
          test: { kind: 'http', request: { method: 'GET', path: keyCheck }, account_id: { path: '$.owner' } },
        },
      ],
    });
    vendor.on('GET /me', { json: { id: 'u1' } });
    vendor.on(`GET ${keyCheck}`, { json: { owner: 'acct_7' } });

    const seen = vendor.requests.length;
    const byKey = await create(slug, { auth_method: 'api_key', credentials: { key: 'k-1' } });
    expect(byKey.statusCode, byKey.body).toBe(201);
    expect(byKey.data).toMatchObject({ state: 'active', vendor_account_id: 'acct_7' });
    const byToken = await create(slug, { auth_method: 'bearer' });
    expect(byToken.statusCode, byToken.body).toBe(201);
    expect(vendor.requests.slice(seen).map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${keyCheck}`, 'GET /me']);
  });
});

describe('connected_limited', () => {
  it('a restricted key the test call cannot fully use connects, active, with the vendor’s message', async () => {
    const slug = uniqueName('limited');
    const path = `/${uniqueName('account')}`;
    await installConnector(t, {
      slug,
      test: {
        kind: 'http',
        request: { method: 'GET', path },
        outcomes: { connected_limited: [{ status: 403, json: { path: '$.error.type', equals: 'permission_error' } }] },
      },
    });
    vendor.on(path, {
      status: 403,
      json: { error: { type: 'permission_error', message: 'The provided key does not have access to account' } },
    });
    const res = await create(slug);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      state_reason: 'Connected with limited access: 403: The provided key does not have access to account',
      last_test_outcome: {
        outcome: 'connected_limited',
        status: 403,
        message: '403: The provided key does not have access to account',
      },
    });
    // A 403 the rule does not name is still an error.
    vendor.on(path, { status: 403, json: { error: { type: 'other', message: 'IP not allowed' } } });
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${res.data.id as string}/test` });
    expect(tested.data).toMatchObject({ state: 'error', last_test_outcome: { outcome: 'vendor_error', status: 403 } });
    expect(await eventsOf(res.data.id as string)).toEqual([
      expect.objectContaining({ outcome: 'vendor_error', state: 'error' }),
    ]);
  });
});

describe('unverified', () => {
  it('a vendor that cannot validate a credential: nothing is sent, the connection is active and says why', async () => {
    const slug = uniqueName('unverifiable');
    const reason = 'The vendor answers every key alike; a wrong key shows only in the data.';
    await installConnector(t, { slug, test: { kind: 'none', reason } });
    const seen = vendor.requests.length;
    const res = await create(slug);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      state_reason: `Not verified: ${reason}`,
      last_test_outcome: { outcome: 'unverified', message: reason, status: null },
    });
    const id = res.data.id as string;
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(tested.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'unverified' } });
    expect(await eventsOf(id)).toEqual([expect.objectContaining({ outcome: 'unverified', state: 'active' })]);
    expect(vendor.requests.length).toBe(seen);
    const detail = await t.request({ url: `/v1/connectors/${slug}` });
    expect(detail.data.test).toEqual({ available: false, kind: 'none', reason });
  });
});

describe('constant headers', () => {
  it('go with the test call and every proxied call, rendered from config; the manifest’s value wins', async () => {
    const slug = uniqueName('versioned');
    const path = `/${uniqueName('me')}`;
    await installConnector(t, {
      slug,
      config: [
        { key: 'base_url', label: 'Base URL', type: 'url' },
        { key: 'region', label: 'Region' },
      ],
      headers: { 'Notion-Version': '2022-06-28', 'X-Region': '{{config.region}}' },
      test: { kind: 'http', request: { method: 'GET', path } },
    });
    vendor.on(path, { json: {} });
    const seen = vendor.requests.length;
    const res = await create(slug, { config: { base_url: vendor.url, region: 'eu' } });
    expect(res.statusCode, res.body).toBe(201);
    const test = vendor.requests[seen];
    expect(test?.headers).toMatchObject({
      'notion-version': '2022-06-28',
      'x-region': 'eu',
      authorization: 'Bearer tok',
    });

    const proxied = await t.request({
      url: `/v1/connections/${res.data.id as string}/proxy${path}`,
      headers: { 'notion-version': '1999-01-01', 'x-other': 'kept' },
    });
    expect(proxied.statusCode, proxied.body).toBe(200);
    expect(vendor.requests.at(-1)?.headers).toMatchObject({
      'notion-version': '2022-06-28',
      'x-region': 'eu',
      'x-other': 'kept',
      authorization: 'Bearer tok',
    });
  });

  it('a constant header cannot carry a credential, nor be redefined by a test call', () => {
    const manifest = (extra: Record<string, unknown>) =>
      JSON.stringify({
        schema_version: 1,
        slug: 'hdr',
        name: 'H',
        description: 'h',
        category: 'Generic',
        logo: { initials: 'H', color: '#112233' },
        base_url: 'https://api.example.com',
        auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', secret: true }] }],
        ...extra,
      });
    const problems = (extra: Record<string, unknown>) =>
      validateManifest('hdr.yaml', manifest(extra)).problems.map((p) => `${p.path}: ${p.problem}`);
    expect(problems({ headers: { 'X-Key': '{{credentials.token}}' } })).toEqual([
      '/headers/X-Key: a constant header cannot carry a credential',
    ]);
    expect(
      problems({
        headers: { 'Api-Version': '2' },
        test: { kind: 'http', request: { path: '/me', headers: { 'api-version': '1' } } },
      }),
    ).toEqual([
      '/test/request/headers/api-version: "api-version" is a constant header of the manifest; its value there is the one sent',
    ]);
    expect(problems({ headers: { 'Bad Name': 'x' } })[0]).toMatch(/headers/);
  });
});
