import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { createRole, createSecret, expectProblem } from '../../test/helpers/fixtures.js';
import { loadManifests } from '../catalog/manifest/validate.js';
import { connectorsDir } from '../core/paths.js';
import { destinationConfigKeys } from './credential-authority.js';

/**
 * Moving a connection's destination is credential authority: an Editor (edit_connection, no create_connection)
 * who could point the base URL at a host of its choosing would receive the stored key at the next test. A real
 * vendor and a second server standing for the attacker's host record what each receives.
 */

describe('which config fields decide the destination, read from the shipped manifests', () => {
  const manifests = new Map(loadManifests(connectorsDir).map((m) => [m.slug, m]));
  const keys = (slug: string, method = 0) => {
    const manifest = manifests.get(slug);
    if (!manifest) throw new Error(`no connector ${slug}`);
    return [...destinationConfigKeys(manifest, manifest.auth[method] as (typeof manifest.auth)[number])].sort();
  };

  it.each([
    // base URL host, OAuth endpoints; a field in the path (api_version) or the query (site_id) is not one
    ['salesforce', ['instance_url', 'login_url']],
    ['mailchimp', ['dc']],
    ['zoho_crm', ['api_domain', 'dc']],
    ['netsuite', ['account_id']],
    // the Microsoft tenant is in the token URL's path: the host stays login.microsoftonline.com
    ['microsoft_teams', []],
    ['paypal', ['api_host']],
    ['square', ['host']],
    ['plausible', ['base_url']],
    // the test path is '{{config.test_path}}', which may render to an absolute URL
    ['generic_rest', ['base_url', 'test_path']],
    // the region's API host (a select of Twilio's hosts)
    ['twilio', ['api_host']],
    ['stripe', []],
    ['postgresql', []],
  ])('%s: %j', (slug, expected) => {
    expect(keys(slug)).toEqual(expected);
  });
});

describe('an edit that moves where the credentials go', () => {
  let t: TestApp;
  let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
  let elsewhere: Awaited<ReturnType<typeof startFakeVendor>>;
  let id: string;
  beforeEach(async () => {
    t = await createTestApp();
    vendor = await startFakeVendor({ '/me': { json: { id: 'acct_1' } }, '/v2/me': { json: { id: 'acct_1' } } });
    elsewhere = await startFakeVendor({ '/me': { json: { id: 'acct_1' } } });
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
        credentials: { api_key: 'the-stored-key' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    id = res.data.id as string;
  });
  afterEach(async () => {
    await t.close();
    await vendor.close();
    await elsewhere.close();
  });

  const patch = (body: Record<string, unknown>, token?: string) =>
    t.request({ method: 'PATCH', url: `/v1/connections/${id}`, body, ...(token ? { token } : {}) });

  it('an Editor gets 403 forbidden naming the fields, tested or not; nothing reaches the new host', async () => {
    const { token } = await t.keyWithRole('editor');
    for (const change of [
      { config: { base_url: elsewhere.url } },
      { config: { base_url: elsewhere.url }, validate: false },
      { config: { test_path: `${elsewhere.url}/me` } },
      { name: 'innocent rename', config: { base_url: elsewhere.url, account_id_path: '$.id' } },
    ]) {
      const res = await patch(change, token);
      expectProblem(res, 403, 'forbidden');
      expect(res.data, JSON.stringify(change)).toMatchObject({
        missing_capability: 'create_connection',
        destination_fields: [Object.keys(change.config)[0]],
      });
    }
    const after = await t.request({ url: `/v1/connections/${id}` });
    expect(after.data).toMatchObject({
      config: { base_url: vendor.url, test_path: '/me' },
      state: 'active',
    });
    expect(after.data.name).not.toBe('innocent rename');
    // The Editor's test still goes to the vendor the Administrator chose.
    expect((await t.request({ method: 'POST', url: `/v1/connections/${id}/test`, token })).statusCode).toBe(200);
    expect(elsewhere.requests).toEqual([]);
    expect(vendor.requests.map((r) => r.headers['x-api-key'])).toEqual(['the-stored-key', 'the-stored-key']);
  });

  it('an Editor still changes the fields that do not move it, and an unchanged destination value', async () => {
    const { token } = await t.keyWithRole('editor');
    const res = await patch({ config: { account_id_path: '$.id', base_url: vendor.url } }, token);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('an Administrator moves it (tested against the new host); a custom role needs create_connection', async () => {
    const moved = await patch({ config: { base_url: elsewhere.url } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(elsewhere.requests.map((r) => r.headers['x-api-key'])).toEqual(['the-stored-key']);

    const editorPlus = await createRole(t, ['list_connections', 'edit_connection']);
    const { token } = await t.keyWithRole(editorPlus);
    expectProblem(await patch({ config: { base_url: vendor.url } }, token), 403, 'forbidden');
    const authority = await createRole(t, ['list_connections', 'edit_connection', 'create_connection']);
    const allowed = await patch({ config: { base_url: vendor.url } }, (await t.keyWithRole(authority)).token);
    expect(allowed.statusCode, allowed.body).toBe(200);
  });

  it('a payment connector: moving it also needs the connector’s own capability', async () => {
    await installConnector(t, {
      slug: 'pay_tenanted',
      category: 'Payments',
      requires_capability: 'manage_payment_credentials',
      config: [{ key: 'region', label: 'Region' }],
      base_url: 'https://api.{{config.region}}.pay.example',
      test: undefined,
      auth: [{ type: 'api_key', name: 'x-key', fields: [{ key: 'api_key', label: 'Key', secret: true }] }],
    });
    const created = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'pay_tenanted', config: { region: 'eu' }, credentials: { api_key: 'k' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const role = await createRole(t, ['list_connections', 'edit_connection', 'create_connection']);
    const { token } = await t.keyWithRole(role);
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/connections/${created.data.id as string}`,
      body: { config: { region: 'attacker' }, validate: false },
      token,
    });
    expectProblem(res, 403, 'forbidden');
    expect(res.data.missing_capability).toBe('manage_payment_credentials');
  });
});

describe('a tenant secret that decides where the credentials go', () => {
  let t: TestApp;
  let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
  let elsewhere: Awaited<ReturnType<typeof startFakeVendor>>;
  beforeEach(async () => {
    t = await createTestApp();
    vendor = await startFakeVendor({ '/me': { json: { id: 'acct_1' } } });
    elsewhere = await startFakeVendor({ '/me': { json: { id: 'acct_1' } } });
  });
  afterEach(async () => {
    await t.close();
    await vendor.close();
    await elsewhere.close();
  });

  /** A connection whose base URL is `base_url` (a secret reference), with a stored key. */
  async function connectionAt(base_url: string): Promise<string> {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        config: { base_url, test_path: '/me', account_id_path: '$.id' },
        credentials: { api_key: 'the-stored-key' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.data.id as string;
  }
  const setSecret = (method: 'POST' | 'PUT', name: string, value: string, token?: string) =>
    t.request({
      method,
      url: method === 'POST' ? '/v1/secrets' : `/v1/secrets/${name}`,
      body: method === 'POST' ? { name, value } : { value },
      ...(token ? { token } : {}),
    });
  const version = async (name: string) => (await t.request({ url: `/v1/secrets/${name}` })).data.version;

  it('manage_secrets alone cannot move it by rotating the secret, nor by deleting and creating it again', async () => {
    const host = await createSecret(t, vendor.url);
    const id = await connectionAt(`{{secrets.${host}}}`);
    const { token } = await t.keyWithRole(await createRole(t, ['view_secrets', 'manage_secrets']));

    const rotated = await setSecret('PUT', host, elsewhere.url, token);
    expectProblem(rotated, 403, 'forbidden');
    expect(rotated.data).toMatchObject({
      missing_capability: 'create_connection',
      destination_fields: ['base_url'],
      connection_id: id,
    });
    expect(rotated.data.detail).toContain(`{{secrets.${host}}}`);
    expect(await version(host)).toBe(1);

    // Deleting only stops the connection; a secret of the same name is a new value for every reference.
    expect((await t.request({ method: 'DELETE', url: `/v1/secrets/${host}`, token })).statusCode).toBe(204);
    const recreated = await setSecret('POST', host, elsewhere.url, token);
    expectProblem(recreated, 403, 'forbidden');
    expect(recreated.data).toMatchObject({ missing_capability: 'create_connection', connection_id: id });

    expect((await setSecret('POST', host, vendor.url)).statusCode).toBe(201);
    expect((await t.request({ method: 'POST', url: `/v1/connections/${id}/test` })).data.state).toBe('active');
    expect(elsewhere.requests).toEqual([]);
  });

  it('secrets that decide no destination, and pinned references, stay manage_secrets alone', async () => {
    const pinned = await createSecret(t, vendor.url);
    const key = await createSecret(t, 'the-stored-key');
    const path = await createSecret(t, '$.id');
    const id = await connectionAt(`{{secrets.${pinned}@1}}`);
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/connections/${id}`,
      body: { config: { account_id_path: `{{secrets.${path}}}` }, credentials: { api_key: `{{secrets.${key}}}` } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const { token } = await t.keyWithRole(await createRole(t, ['view_secrets', 'manage_secrets']));
    for (const name of [pinned, key, path]) {
      const res = await setSecret('PUT', name, name === path ? '$.id' : 'v2', token);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
    }
  });

  it('an Administrator, or a role with credential authority, moves it (the connector’s capability included)', async () => {
    const host = await createSecret(t, vendor.url);
    const id = await connectionAt(`{{secrets.${host}}}`);
    const authority = await createRole(t, ['view_secrets', 'manage_secrets', 'create_connection']);
    const moved = await setSecret('PUT', host, elsewhere.url, (await t.keyWithRole(authority)).token);
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await t.request({ method: 'POST', url: `/v1/connections/${id}/test` })).statusCode).toBe(200);
    expect(elsewhere.requests.map((r) => r.headers['x-api-key'])).toEqual(['the-stored-key']);
    expect((await setSecret('PUT', host, vendor.url)).statusCode).toBe(200);

    await installConnector(t, {
      slug: 'pay_by_secret',
      category: 'Payments',
      requires_capability: 'manage_payment_credentials',
      config: [{ key: 'region', label: 'Region' }],
      base_url: 'https://api.{{config.region}}.pay.example',
      test: undefined,
      auth: [{ type: 'api_key', name: 'x-key', fields: [{ key: 'api_key', label: 'Key', secret: true }] }],
    });
    const region = await createSecret(t, 'eu');
    const pay = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'pay_by_secret', config: { region: `{{secrets.${region}}}` }, credentials: { api_key: 'k' } },
    });
    expect(pay.statusCode, pay.body).toBe(201);
    const refused = await setSecret('PUT', region, 'attacker', (await t.keyWithRole(authority)).token);
    expectProblem(refused, 403, 'forbidden');
    expect(refused.data).toMatchObject({
      missing_capability: 'manage_payment_credentials',
      connection_id: pay.data.id,
    });
  });
});
