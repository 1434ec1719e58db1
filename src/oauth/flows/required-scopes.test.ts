import { describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import { createApiKeyConnection } from '../../../test/helpers/catalog.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import { useOAuthConnection } from '../../../test/helpers/oauth-connection.js';

// A proxied call can state the scopes it needs; one the credential was not granted is refused before the vendor.
const o = useOAuthConnection();

const call = (id: string, scopes: string) =>
  o.t.request({ url: `/v1/connections/${id}/proxy/me`, headers: { 'switchyard-required-scopes': scopes } });

describe('Switchyard-Required-Scopes', () => {
  it('passes a call whose scopes were granted, and refuses one that needs more with the missing scopes', async () => {
    const { id, tokens } = await o.connect('alice', { scope: 'read' });
    expect(tokens.scope).toEqual(['read']);

    const granted = await call(id, 'read');
    expect(granted.statusCode, granted.body).toBe(200);

    const before = o.server.api.requests;
    const refused = await call(id, 'read, write admin');
    expect(refused.statusCode).toBe(403);
    expect(refused.data).toMatchObject({
      code: 'scope_insufficient',
      missing_scopes: ['write', 'admin'],
      granted_scopes: ['read'],
      reauthorize_url: `/v1/connections/${id}/reauthorize`,
    });
    expect(o.server.api.requests).toBe(before);
    const log = await expectData(o.t.api.GET('/v1/connections/{id}/requests', { params: { path: { id } } }));
    expect(log.data[0]).toMatchObject({
      status: null,
      error: expect.stringMatching(/^scope_insufficient/),
    });
  });

  it('refuses required scopes on a connection that has none (an API key)', async () => {
    const vendor = await startFakeVendor({ '/me': { json: { id: 'acct' } } });
    try {
      // Tested when created: the vendor sees one GET /me.
      const id = await createApiKeyConnection(o.t, {
        config: { base_url: vendor.url, test_path: '/me' },
        validate: true,
      });
      const refused = await call(id, 'read');
      expect(refused.statusCode).toBe(403);
      expect(refused.data).toMatchObject({ code: 'scope_insufficient', missing_scopes: ['read'], granted_scopes: [] });
      expect(vendor.requests.filter((r) => r.url === '/me')).toHaveLength(1);
    } finally {
      await vendor.close();
    }
  });
});
