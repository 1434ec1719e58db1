import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// The Generic REST API connector has no vendor of its own: its manifest promises what any HTTP JSON API gets (the
// tenant's base URL and test path, RFC 9110 statuses, the common x-ratelimit-* headers). The fake answers as such an
// API would; the claims are the manifest's own (connectors/generic_rest.yaml).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('generic_rest');
});
afterAll(() => c.close());

const config = () => ({ base_url: `${c.vendor.url}/api`, test_path: '/whoami', account_id_path: '$.account.id' });

describe('generic_rest conformance', () => {
  it('test call: GET {base_url}{test_path} with the API key header; connected with the account id the path names', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_key: 'key-123' },
      config: config(),
      reply: { json: { account: { id: 'acct-42' } } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/api/whoami');
    expect(sent.headers['x-api-key']).toBe('key-123');
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: 'acct-42' });
  });

  it.each([
    // RFC 9110 §15.5.2 401 Unauthorized / §15.5.4 403 Forbidden / §15.6.4 503: https://www.rfc-editor.org/rfc/rfc9110
    [401, 'credential_revoked'],
    [403, 'scope_insufficient'],
    [503, 'vendor_error'],
  ])('test call: %i maps to %s', async (status, outcome) => {
    const { res } = await c.testCall({
      auth_method: 'bearer',
      credentials: { token: 't' },
      config: config(),
      reply: { status, json: { error: 'no' } },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status } });
  });

  it('rate limit: x-ratelimit-remaining 0 with a reset a minute away refuses the next call before it leaves', async () => {
    const { res } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_key: 'k' },
      config: config(),
      reply: { json: { account: { id: 'a' } } },
    });
    const id = res.data.id as string;
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    const route = c.routeOf('GET', '/items', config());
    c.vendor.on(route, {
      json: [],
      headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    expect((await c.proxyGet(id, '/items')).statusCode).toBe(200);
    const before = c.requestsTo(route).length;
    const refused = await c.proxyGet(id, '/items');
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.data.code).toBe('rate_budget_exhausted');
    expect(c.requestsTo(route).length).toBe(before);
  });

  it('declares no streams, pagination, webhooks or OAuth revocation to conform to', () => {
    expect(c.manifest).toMatchObject({ streams: [] });
    expect(c.manifest.pagination ?? c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.auth.some((a) => a.type === 'oauth2')).toBe(false);
  });
});
