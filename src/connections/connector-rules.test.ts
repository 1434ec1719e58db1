import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector, installSystemConnection, setConnectorSettings } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { createRole, createSecret, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

/**
 * What the connector decides about a connection: extra capabilities (payments), availability, where credentials
 * come from (management pattern), and which auth methods are connected with credentials at all.
 */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({ 'GET /me': { json: { id: 'acct_1' } } });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const create = (connector: string, extra: Record<string, unknown> = {}, token?: string) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector, config: { base_url: vendor.url }, credentials: { token: 'tenant-token' }, ...extra },
    ...(token ? { token } : {}),
  });
const count = async () => (await rowCounts(t, ['connections'])).connections;

describe('payment connectors', () => {
  it('need manage_payment_credentials on top of create_connection', async () => {
    await installConnector(t, {
      slug: 'pay_api',
      category: 'Payments',
      requires_capability: 'manage_payment_credentials',
    });
    const without = await createRole(t, ['create_connection', 'list_connections', 'edit_connection', 'disconnect']);
    const { token } = await t.keyWithRole(without);
    const refused = await create('pay_api', {}, token);
    expectProblem(refused, 403, 'forbidden');
    expect(refused.data.missing_capability).toBe('manage_payment_credentials');
    expect(vendor.requests).toEqual([]);
    // The same role may connect an ordinary connector.
    await installConnector(t, { slug: 'plain_api' });
    expect((await create('plain_api', {}, token)).statusCode).toBe(201);

    const id = (await create('pay_api')).data.id as string;
    const url = `/v1/connections/${id}`;
    const rotate = await t.request({ method: 'PATCH', url, token, body: { credentials: { token: 'x' } } });
    expectProblem(rotate, 403, 'forbidden');
    expectProblem(await t.request({ method: 'DELETE', url, token }), 403, 'forbidden');
    const withIt = await createRole(t, ['create_connection', 'manage_payment_credentials']);
    expect((await create('pay_api', {}, (await t.keyWithRole(withIt)).token)).statusCode).toBe(201);
    expect(await count()).toBe(3);
  });
});

describe('availability', () => {
  beforeEach(() => installConnector(t, { slug: 'flaky_api' }));

  it('coming_soon: 409 connector_unavailable, nothing stored', async () => {
    await setConnectorSettings(t, 'flaky_api', { availability: 'coming_soon' });
    expectProblem(await create('flaky_api'), 409, 'connector_unavailable');
    expect(await count()).toBe(0);
  });

  it('maintenance: 503 connector_maintenance with Retry-After, for creating and for testing', async () => {
    const id = (await create('flaky_api')).data.id as string;
    await setConnectorSettings(t, 'flaky_api', { availability: 'maintenance' });
    const res = await create('flaky_api');
    expectProblem(res, 503, 'connector_maintenance');
    expect(res.headers['retry-after']).toBe('300');
    expectProblem(await t.request({ method: 'POST', url: `/v1/connections/${id}/test` }), 503, 'connector_maintenance');
    expect(await count()).toBe(1);
    expect(vendor.requests).toHaveLength(1);
  });

  it('deprecated: 201 with a warning', async () => {
    await setConnectorSettings(t, 'flaky_api', { availability: 'deprecated' });
    const res = await create('flaky_api');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.warnings).toEqual([
      { code: 'connector_deprecated', message: expect.stringContaining('deprecated') },
    ]);
  });

  it('retired: existing connections keep working with a warning, new ones are refused', async () => {
    const id = (await create('flaky_api')).data.id as string;
    await setConnectorSettings(t, 'flaky_api', { retired: true });
    expectProblem(await create('flaky_api'), 409, 'connector_unavailable');
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(tested.data).toMatchObject({
      state: 'active',
      warnings: [{ code: 'connector_retired', message: expect.stringContaining('retired') }],
    });
  });
});

describe('management patterns', () => {
  const twoMethods = {
    auth: [
      { type: 'api_key' as const, name: 'x-api-key', fields: [{ key: 'api_key', label: 'Key', secret: true }] },
      { type: 'bearer' as const, fields: [{ key: 'token', label: 'Token', secret: true }] },
    ],
  };

  it('shared without platform credentials: 409 connection_unusable', async () => {
    await installConnector(t, { slug: 'shared_api', management: 'shared', ...twoMethods });
    expectProblem(await create('shared_api', { credentials: undefined }), 409, 'connection_unusable');
    expect(await count()).toBe(0);
  });

  it('shared with platform credentials: the tenant sends none, the vendor sees the platform’s', async () => {
    await installConnector(t, { slug: 'shared_api', management: 'shared', ...twoMethods });
    await installSystemConnection(t, 'shared_api', 'bearer', { token: 'platform-token' });
    const res = await create('shared_api', { credentials: undefined });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ credential_source: 'system', auth_method: 'bearer', state: 'active' });
    expect(vendor.requests.at(-1)?.headers.authorization).toBe('Bearer platform-token');
    expect(await rowCounts(t, ['connection_credentials'])).toEqual({ connection_credentials: 0 });
    // Later tests use the platform's credentials too; credentials from the tenant are refused.
    await t.request({ method: 'POST', url: `/v1/connections/${res.data.id as string}/test` });
    expect(vendor.requests.at(-1)?.headers.authorization).toBe('Bearer platform-token');
    const given = await create('shared_api');
    expectProblem(given, 400, 'validation_failed');
    expect(given.data.errors).toEqual([{ path: 'body.credentials', message: expect.any(String) }]);
  });

  it('platform credentials are sent as the platform stored them, never resolved against a tenant’s secrets', async () => {
    await installConnector(t, { slug: 'shared_api', management: 'shared', ...twoMethods });
    await installSystemConnection(t, 'shared_api', 'bearer', { token: 'op-{{secrets.PLATFORM_TOKEN}}' });
    await createSecret(t, 'tenant-value', undefined, 'PLATFORM_TOKEN');
    const res = await create('shared_api', { credentials: undefined });
    await t.request({ method: 'POST', url: `/v1/connections/${res.data.id as string}/test` });
    expect(vendor.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer op-{{secrets.PLATFORM_TOKEN}}',
      'Bearer op-{{secrets.PLATFORM_TOKEN}}',
    ]);
  });

  it('a tenant cannot pick another auth method than the platform credentials are for', async () => {
    await installConnector(t, { slug: 'shared_api', management: 'shared', ...twoMethods });
    await installSystemConnection(t, 'shared_api', 'bearer', { token: 'platform-token' });
    const res = await create('shared_api', { credentials: undefined, auth_method: 'api_key' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([{ path: 'body.auth_method', message: expect.stringContaining('bearer') }]);
  });

  it('hybrid: the tenant’s credentials when given, the platform’s otherwise', async () => {
    await installConnector(t, { slug: 'hybrid_api', management: 'hybrid', ...twoMethods });
    await installSystemConnection(t, 'hybrid_api', 'bearer', { token: 'platform-token' });
    const own = await create('hybrid_api', { auth_method: 'bearer' });
    expect(own.data).toMatchObject({ credential_source: 'tenant' });
    expect(vendor.requests.at(-1)?.headers.authorization).toBe('Bearer tenant-token');
    const platform = await create('hybrid_api', { credentials: undefined });
    expect(platform.data).toMatchObject({ credential_source: 'system', auth_method: 'bearer' });
    expect(vendor.requests.at(-1)?.headers.authorization).toBe('Bearer platform-token');
  });

  it('an OAuth method is connected through the authorization flow: 400 oauth_flow_required', async () => {
    await installConnector(t, {
      slug: 'oauth_api',
      auth: [
        {
          type: 'oauth2',
          authorization_url: 'https://auth.vendor.test/authorize',
          token_url: 'https://auth.vendor.test/token',
        },
        { type: 'bearer', fields: [{ key: 'token', label: 'Token' }] },
      ],
    });
    expectProblem(await create('oauth_api', { credentials: { access_token: 'x' } }), 400, 'oauth_flow_required');
    expectProblem(await create('oauth_api', { auth_method: 'oauth2' }), 400, 'oauth_flow_required');
    expect(await count()).toBe(0);
    expect((await create('oauth_api', { auth_method: 'bearer' })).statusCode).toBe(201);
  });
});

describe('vendor sunsets', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('warn on the connection, in the list and the detail, within 180 days or once past', async () => {
    await installConnector(t, {
      slug: 'sunset_api',
      sunsets: [
        { what: 'API version 2019-02-19', date: day(200), source: 'https://vendor.example.test/versions' },
        {
          what: 'OAuth token endpoint /oauth/v1/token',
          date: day(100),
          replacement: '/oauth/2026-03/token',
          source: 'https://vendor.example.test/changelog',
        },
        { what: 'Legacy search', date: day(-10), source: 'https://vendor.example.test/search' },
      ],
    });
    await installConnector(t, { slug: 'steady_api' });
    const id = (await create('sunset_api')).data.id as string;
    const steady = (await create('steady_api')).data.id as string;

    const expected = [
      {
        code: 'vendor_sunset',
        what: 'Legacy search',
        date: day(-10),
        replacement: null,
        message: `sunset api: Legacy search ended on ${day(-10)}.`,
      },
      {
        code: 'vendor_sunset',
        what: 'OAuth token endpoint /oauth/v1/token',
        date: day(100),
        replacement: '/oauth/2026-03/token',
        message: `sunset api: OAuth token endpoint /oauth/v1/token ends on ${day(100)}; the replacement is /oauth/2026-03/token.`,
      },
    ];
    expect((await t.request({ url: `/v1/connections/${id}` })).data.warnings).toEqual(expected);
    const list = (await t.request({ url: '/v1/connections' })).data.data as { id: string; warnings: unknown }[];
    expect(list.find((c) => c.id === id)?.warnings).toEqual(expected);
    expect(list.find((c) => c.id === steady)?.warnings).toEqual([]);
  });
});
