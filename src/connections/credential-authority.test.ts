import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { createRole, expectProblem } from '../../test/helpers/fixtures.js';
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
