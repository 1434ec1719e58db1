import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';
import { fixedTokens, insertOAuthConnection, minutesAgo } from '../../test/helpers/oauth-connection.js';
import { installOAuthConnector } from '../../test/helpers/oauth-connector.js';

// The SSRF guard refusing an OAuth endpoint is policy, not an outage: every OAuth call answers 422
// destination_blocked, as the proxy and webhooks do, never 502 oauth_unavailable.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** An address outside the test allow-list (127.0.0.0/8): the guard refuses it before any socket exists. */
const PRIVATE = 'https://10.9.8.7';
const tokens = fixedTokens();

async function setup(
  endpoints: { tokenUrl: string; revocationUrl?: string },
  options: Parameters<typeof installOAuthConnector>[2] = {},
  config: Parameters<typeof createTestApp>[0] = {},
) {
  const app = (t = await createTestApp(config));
  const slug = await installOAuthConnector(
    app,
    { authorizationUrl: `${PRIVATE}/authorize`, apiUrl: `${PRIVATE}/api`, ...endpoints },
    options,
  );
  return { app, slug };
}

describe('a blocked OAuth endpoint answers 422 destination_blocked', () => {
  it('at the start of a flow, before the user is sent to consent (no flow is stored)', async () => {
    const { app, slug } = await setup({ tokenUrl: `${PRIVATE}/token` });
    const before = await rowCounts(app, ['oauth_flows']);
    const res = await app.request({ method: 'POST', url: '/v1/oauth/authorize', body: { connector: slug } });
    expectProblem(res, 422, 'destination_blocked');
    expect(res.data.detail).toMatch(/10\.0\.0\.0\/8/);
    expect(await rowCounts(app, ['oauth_flows'])).toEqual(before);
  });

  it('at the code exchange (a host name that resolves to a refused address)', async () => {
    // Nothing is exempt here, so "localhost" resolves to a refused loopback address at exchange time; the name
    // itself is not resolved when the flow starts.
    const { app, slug } = await setup(
      { tokenUrl: 'http://localhost:65000/token' },
      {},
      { config: { allowPrivateNetworks: [] } },
    );
    const started = await app.request({ method: 'POST', url: '/v1/oauth/authorize', body: { connector: slug } });
    expect(started.statusCode, started.body).toBe(200);
    const state = new URL(started.data.authorization_url as string).searchParams.get('state') as string;
    const before = await rowCounts(app, ['connections', 'connection_credentials']);
    const res = await app.request({
      url: `/v1/oauth/callback?code=code-1&state=${encodeURIComponent(state)}`,
      token: null,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.body).toContain('<code>destination_blocked</code>');
    expect(await rowCounts(app, ['connections', 'connection_credentials'])).toEqual(before);
    const [entry] = await auditOf(app, res);
    expect(entry).toMatchObject({ outcome: 'failure', error_code: 'destination_blocked', status_code: 422 });
  });

  it('at a refresh: the connection moves to error with the reason', async () => {
    const { app, slug } = await setup({ tokenUrl: `${PRIVATE}/token` });
    const store = { db: app.db, vault: app.built.vault };
    const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, tokens, expiresAt: minutesAgo(1) });
    const res = await app.request({ method: 'POST', url: `/v1/connections/${id}/refresh` });
    expectProblem(res, 422, 'destination_blocked');
    const connection = (await app.request({ url: `/v1/connections/${id}` })).data;
    expect(connection.state).toBe('error');
    expect(connection.state_reason).toMatch(/^Token refresh blocked: .*10\.0\.0\.0\/8/);
    // The proxy answers the same.
    expectProblem(await app.request({ url: `/v1/connections/${id}/proxy/me` }), 422, 'destination_blocked');
  });

  it('for the client-credentials grant (nothing is stored)', async () => {
    const { app, slug } = await setup(
      { tokenUrl: `${PRIVATE}/token` },
      {
        oauth: { grant: 'client_credentials', authorization_url: undefined },
        client: { client_id: 'service', client_secret: 'service-secret' },
      },
    );
    const before = await rowCounts(app, ['connections']);
    const res = await app.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: slug, auth_method: 'oauth2' },
    });
    expectProblem(res, 422, 'destination_blocked');
    expect(await rowCounts(app, ['connections'])).toEqual(before);
  });

  it('at an import whose expired access token is refreshed first (nothing is stored)', async () => {
    const { app, slug } = await setup({ tokenUrl: `${PRIVATE}/token` });
    const before = await rowCounts(app, ['connections', 'connection_credentials']);
    const res = await app.request({
      method: 'POST',
      url: '/v1/connections/import',
      body: {
        connector: slug,
        oauth: { access_token: 'old', refresh_token: 'held', expires_at: minutesAgo(5).toISOString() },
      },
    });
    expectProblem(res, 422, 'destination_blocked');
    expect(res.data.detail).toMatch(/10\.0\.0\.0\/8/);
    expect(await rowCounts(app, ['connections', 'connection_credentials'])).toEqual(before);
  });

  it('at revocation on disconnect: recorded as destination_blocked, the connection removed', async () => {
    const { app, slug } = await setup({ tokenUrl: `${PRIVATE}/token`, revocationUrl: `${PRIVATE}/revoke` });
    const store = { db: app.db, vault: app.built.vault };
    const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, tokens });
    const res = await app.request({ method: 'DELETE', url: `/v1/connections/${id}` });
    expect(res.statusCode, res.body).toBe(204);
    const [entry] = await auditOf(app, res);
    expect(entry?.diff).toMatchObject({
      revocation: {
        outcome: 'destination_blocked',
        tokens: 2,
        revoked: 0,
        detail: expect.stringMatching(/10\.0\.0\.0\/8/),
      },
    });
  });
});
