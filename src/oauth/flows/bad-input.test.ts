import { describe, expect, it } from 'vitest';
import { setConnectorSettings } from '../../../test/helpers/connectors.js';
import { createRole, createSecret, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import { PUBLIC_URL } from '../../../test/helpers/oauth-connector.js';
import { authorize, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';

// Bad input on purpose (unknown enum values, unknown config keys): sent untyped, through `TestApp.request`.

const f = useOAuthFlow({ oauth: { levels: ['app'] } });

const start = (body: Record<string, unknown>, token?: string) =>
  f.t.request({
    method: 'POST',
    url: '/v1/oauth/authorize',
    body: { config: { base_url: f.server.api.url }, ...body },
    ...(token ? { token } : {}),
  });

async function expectRefused(body: Record<string, unknown>, status: number, code: string, path?: string) {
  const before = await rowCounts(f.t, ['oauth_flows', 'connections']);
  const res = await start(body);
  expectProblem(res, status, code);
  if (path) expect(res.data.errors, res.body).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  expect(await rowCounts(f.t, ['oauth_flows', 'connections'])).toEqual(before);
  return res;
}

describe('POST /v1/oauth/authorize refuses bad input before any flow exists', () => {
  it('an unknown connector, or one without OAuth 2.0', async () => {
    await expectRefused({ connector: 'no_such_connector' }, 400, 'validation_failed', 'body.connector');
    const res = await expectRefused({ connector: 'generic_rest' }, 400, 'validation_failed', 'body.connector');
    expect(res.data.detail).toContain('does not connect with OAuth 2.0');
  });

  it('a secret reference in a config value the authorization URL is rendered from', async () => {
    const templated = await f.install({
      oauth: { authorization_url: `${f.server.authorizationUrl}?realm={{config.realm}}` },
      manifest: {
        config: [
          { key: 'base_url', label: 'Base URL', type: 'url' },
          { key: 'realm', label: 'Realm' },
        ],
      },
    });
    const secret = await createSecret(f.t, 'hidden-realm');
    const res = await expectRefused(
      { connector: templated, config: { base_url: f.server.api.url, realm: `{{secrets.${secret}}}` } },
      400,
      'validation_failed',
      'body.config.realm',
    );
    expect(res.body).not.toContain('hidden-realm');
    // The same connector with the value itself starts the flow, the value in the URL.
    const ok = await start({ connector: templated, config: { base_url: f.server.api.url, realm: 'acme' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(new URL(ok.data.authorization_url as string).searchParams.get('realm')).toBe('acme');
  });

  it('a client-credentials connector (no browser step)', async () => {
    const machine = await f.install({ oauth: { grant: 'client_credentials' }, client: null });
    const res = await expectRefused({ connector: machine }, 400, 'validation_failed', 'body.connector');
    expect(res.data.detail).toContain('POST /v1/connections');
  });

  it('scopes the connector does not offer, each named', async () => {
    const res = await expectRefused(
      { connector: f.slug, scopes: ['read', 'delete_everything', 'write', 'root'] },
      400,
      'validation_failed',
    );
    expect(res.data.errors).toEqual([
      { path: 'body.scopes.1', message: '"delete_everything" is not a scope Harness API offers' },
      { path: 'body.scopes.3', message: '"root" is not a scope Harness API offers' },
    ]);
    expect(res.data.detail).toBe(
      'Unknown scopes for Harness API: delete_everything, root (available: read, write, admin, offline_access).',
    );
  });

  it('a level the connector does not support', async () => {
    await expectRefused({ connector: f.slug, level: 'user' }, 400, 'validation_failed', 'body.level');
    await expectRefused({ connector: f.slug, level: 'team' }, 400, 'validation_failed', 'body.level');
  });

  it('a return_to off this server (no open redirect)', async () => {
    for (const returnTo of [
      'https://evil.example/steal',
      '//evil.example/steal',
      '/\\evil.example/steal',
      'javascript:alert(1)',
      'http://switchyard.example.test/console',
      'https://switchyard.example.test.evil.example/',
    ]) {
      await expectRefused({ connector: f.slug, return_to: returnTo }, 400, 'validation_failed', 'body.return_to');
    }
    for (const ok of ['/console/connections', `${PUBLIC_URL}/console?x=1`, 'console']) {
      expect((await start({ connector: f.slug, return_to: ok })).statusCode).toBe(200);
    }
  });

  it('config that does not fit the connector’s form', async () => {
    await expectRefused(
      { connector: f.slug, config: { base_url: 'not a url' } },
      400,
      'validation_failed',
      'body.config.base_url',
    );
    await expectRefused(
      { connector: f.slug, config: { surprise: 'x' } },
      400,
      'validation_failed',
      'body.config.surprise',
    );
    await expectRefused(
      { connector: f.slug, config: { base_url: '{{secrets.MISSING}}' } },
      400,
      'secret_reference_invalid',
      'body.config.base_url',
    );
  });

  it('a connector that is coming soon, or one under maintenance', async () => {
    await setConnectorSettings(f.t, f.slug, { availability: 'coming_soon' });
    await expectRefused({ connector: f.slug }, 409, 'connector_unavailable');
    await setConnectorSettings(f.t, f.slug, { availability: 'maintenance' });
    await expectRefused({ connector: f.slug }, 503, 'connector_maintenance');
  });

  it('no OAuth app registered for a tenant-template connector', async () => {
    const bare = await f.install({ client: null });
    const res = await expectRefused({ connector: bare }, 409, 'oauth_client_missing');
    expect(res.data.detail).toContain(`PUT /v1/oauth/clients/${bare}`);
  });

  it('a payments connector needs manage_payment_credentials on top of create_connection', async () => {
    const payments = await f.install({ manifest: { requires_capability: 'manage_payment_credentials' } });
    const key = await f.t.keyWithRole(await createRole(f.t, ['create_connection']));
    const before = await rowCounts(f.t, ['oauth_flows']);
    const res = await start({ connector: payments }, key.token);
    expectProblem(res, 403, 'forbidden');
    expect(res.data.missing_capability).toBe('manage_payment_credentials');
    expect(await rowCounts(f.t, ['oauth_flows'])).toEqual(before);
    expect((await authorize(f, { connector: payments })).flow_id).toMatch(/^oaf_/);
  });
});
