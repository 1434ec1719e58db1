import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import {
  endpointsOf,
  insertOAuthConnection,
  installOAuthConnector,
  obtainTokens,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer, type OAuthServer } from '../../../test/helpers/oauth-server.js';

// A proxied call can state the scopes it needs; one the credential was not granted is refused before the vendor.
let server: OAuthServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const call = (app: TestApp, id: string, scopes: string) =>
  app.request({ url: `/v1/connections/${id}/proxy/me`, headers: { 'switchyard-required-scopes': scopes } });

describe('Switchyard-Required-Scopes', () => {
  it('passes a call whose scopes were granted, and refuses one that needs more with the missing scopes', async () => {
    const app = (t = await createTestApp());
    const slug = await installOAuthConnector(app, endpointsOf(server));
    const tokens = await obtainTokens(server, 'alice', 'read');
    const id = await insertOAuthConnection(
      { db: app.db, vault: app.built.vault },
      { tenantId: app.tenantId, slug, tokens },
    );
    expect(tokens.scope).toEqual(['read']);

    const granted = await call(app, id, 'read');
    expect(granted.statusCode, granted.body).toBe(200);

    const before = server.api.requests;
    const refused = await call(app, id, 'read, write admin');
    expect(refused.statusCode).toBe(403);
    expect(refused.data).toMatchObject({
      code: 'scope_insufficient',
      missing_scopes: ['write', 'admin'],
      granted_scopes: ['read'],
      reauthorize_url: `/v1/connections/${id}/reauthorize`,
    });
    expect(server.api.requests).toBe(before);
    const log = await app.request({ url: `/v1/connections/${id}/requests` });
    expect((log.data.data as unknown[])[0]).toMatchObject({
      status: null,
      error: expect.stringMatching(/^scope_insufficient/),
    });
  });

  it('refuses required scopes on a connection that has none (an API key)', async () => {
    const app = (t = await createTestApp());
    const vendor = await startFakeVendor({ '/me': { json: { id: 'acct' } } });
    try {
      const created = await app.request({
        method: 'POST',
        url: '/v1/connections',
        body: {
          connector: 'generic_rest',
          auth_method: 'api_key',
          config: { base_url: vendor.url, test_path: '/me' },
          credentials: { api_key: 'k' },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const refused = await call(app, created.data.id as string, 'read');
      expect(refused.statusCode).toBe(403);
      expect(refused.data).toMatchObject({ code: 'scope_insufficient', missing_scopes: ['read'], granted_scopes: [] });
      expect(vendor.requests.filter((r) => r.url === '/me')).toHaveLength(1);
    } finally {
      await vendor.close();
    }
  });
});
