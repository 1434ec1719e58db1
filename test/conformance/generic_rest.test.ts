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

  it('test call: 204 is success too, and an empty account id path reads no account id', async () => {
    // RFC 9110 §15.3.5 204 No Content: a successful answer without content.
    const { res } = await c.testCall({
      auth_method: 'bearer',
      credentials: { token: 't' },
      config: { base_url: `${c.vendor.url}/api`, test_path: '/ping' },
      reply: { status: 204 },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: null });
  });

  it('rate limit: a 503 whose Retry-After (an HTTP date) is an hour away is returned, and the next call waits for it', async () => {
    // Retry-After is defined for 503 as for 429 (RFC 9110 §10.2.3, delay-seconds or HTTP-date; RFC 6585 §4), so the
    // manifest lists 503 as a rate-limit status: its wait spends the connection's budget until then.
    const { res } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_key: 'k' },
      config: config(),
      reply: { json: { account: { id: 'a' } } },
    });
    const id = res.data.id as string;
    expect(c.manifest.rate_limit?.error_statuses).toEqual([429, 503]);
    const route = c.routeOf('GET', '/reports', config());
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    c.vendor.on(route, { status: 503, headers: { 'retry-after': later }, json: { error: 'overloaded' } });
    const unavailable = await c.proxyGet(id, '/reports');
    expect(unavailable.statusCode, unavailable.body).toBe(503);
    expect(unavailable.headers['retry-after']).toBe(later);
    const before = c.requestsTo(route).length;
    const refused = await c.proxyGet(id, '/reports');
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.data.code).toBe('rate_budget_exhausted');
    expect(c.requestsTo(route).length).toBe(before);
  });

  it('rate limit: a 429 with Retry-After in seconds is retried after the wait', async () => {
    const { res } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_key: 'k' },
      config: config(),
      reply: { json: { account: { id: 'a' } } },
    });
    // RFC 6585 §4 429 Too Many Requests "MAY include a Retry-After header".
    const { res: proxied, attempts } = await c.rateLimited(
      res.data.id as string,
      '/things',
      { limited: { status: 429, headers: { 'retry-after': '1' } }, ok: { json: [] } },
      config(),
    );
    expect(proxied.statusCode, proxied.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('declares no streams, pagination, webhooks or OAuth revocation to conform to', () => {
    expect(c.manifest).toMatchObject({ streams: [] });
    expect(c.manifest.pagination ?? c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.auth.some((a) => a.type === 'oauth2')).toBe(false);
  });
});
