import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { startConformance, type Conformance } from './harness.js';

// NetSuite's shipped manifest against a fake that answers as Oracle documents NetSuite. Every answer cites its page.
// NetSuite is OAuth only here: connections are made as the callback stores them, and tested with POST …/test.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('netsuite');
});
afterAll(() => c.close());

// The fake plays {account}.suitetalk.api.netsuite.com (its host replaces the templated one).
const config = { account_id: '1234567' };
const TEST_ROUTE = 'GET /services/rest/record/v1/customer';
const TOKEN_ROUTE = 'POST /services/rest/auth/oauth2/v1/token';

// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html: a collection page
// {links: [{rel, href}], count, hasMore, offset, totalResults, items: [{links, id}]}.
const collection = (ids: string[], hasMore: boolean): VendorReply => ({
  json: {
    links: [{ rel: 'self', href: 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer' }],
    count: ids.length,
    hasMore,
    offset: 0,
    totalResults: 25,
    items: ids.map((id) => ({ links: [{ rel: 'self', href: `…/record/v1/customer/${id}` }], id })),
  },
});

// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html: errors
// {type, title, status, "o:errorDetails": [{detail, "o:errorCode"}]}.
const nsError = (
  status: number,
  title: string,
  detail: string,
  code: string,
  headers: Record<string, string> = {},
) => ({
  status,
  headers,
  json: {
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html',
    title,
    status,
    'o:errorDetails': [{ detail, 'o:errorCode': code }],
  },
});
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_158521885412.html: an expired, revoked or
// malformed token is 401 with WWW-Authenticate: Bearer … error="invalid_token".
const invalidLogin = nsError(401, 'Unauthorized', 'Invalid login attempt.', 'INVALID_LOGIN', {
  'www-authenticate': 'Bearer realm="1234567", error="invalid_token", error_description="Invalid login attempt."',
});

async function oauthConnection(refresh = 'eyJ.refresh') {
  return c.oauthConnection(
    { access_token: 'eyJ.access', refresh_token: refresh, token_type: 'Bearer', extra: {} },
    undefined,
    config,
  );
}
const test = (id: string) => c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
const ageToken = (id: string) =>
  c.t.db.query(
    `update connection_credentials set updated_at = now() - interval '1 hour', refreshed_at = now() - interval '1 hour'
      where connection_id = $1`,
    [id],
  );

describe('netsuite conformance', () => {
  it('test call: one customer from the record API with the bearer token; connected', async () => {
    c.vendor.on(TEST_ROUTE, collection(['107'], true));
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const sent = c.requestsTo(TEST_ROUTE).at(-1);
    expect(sent?.headers.authorization).toBe('Bearer eyJ.access');
    expect(new URL(sent?.url ?? '', c.vendor.url).searchParams.get('limit')).toBe('1');
  });

  it('test call: a role without the customer permission (403) is connected, limited — the token works', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0320025211.html: the role needs "REST
    // Web Services", "Log in using Access Tokens" and the record's view permission.
    c.vendor.on(
      TEST_ROUTE,
      nsError(403, 'Forbidden', 'Permission Violation: you need the Customers permission.', 'INSUFFICIENT_PERMISSION'),
    );
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.data).toMatchObject({
      state: 'active',
      last_test_outcome: { outcome: 'connected_limited', status: 403 },
    });
  });

  it('test call: other errors are the vendor’s, with o:errorCode kept', async () => {
    c.vendor.on(TEST_ROUTE, nsError(500, 'Internal Server Error', 'An unexpected error occurred.', 'UNEXPECTED_ERROR'));
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.data).toMatchObject({ last_test_outcome: { outcome: 'vendor_error', vendor_code: 'UNEXPECTED_ERROR' } });
  });

  it('test call: 401 "Invalid login attempt" means refresh — HTTP Basic at the account’s token endpoint, then connected', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_160855594402.html: POST
    // …/auth/oauth2/v1/token grant_type=refresh_token with client_id:client_secret as HTTP Basic → {access_token,
    // expires_in: "3600", token_type}.
    c.vendor.on(TOKEN_ROUTE, { json: { access_token: 'eyJ.fresh', expires_in: '3600', token_type: 'Bearer' } });
    c.vendor.on(TEST_ROUTE, (req) =>
      req.headers.authorization === 'Bearer eyJ.fresh' ? collection(['107'], false) : invalidLogin,
    );
    const { id, client } = await oauthConnection('eyJ.old-refresh');
    await ageToken(id);
    const res = await test(id);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const sent = c.requestsTo(TOKEN_ROUTE).at(-1);
    // RFC 6749 §2.3.1: the id and secret are form-encoded before Basic (NetSuite's hex client ids are unchanged by it).
    const basic = Buffer.from(String(sent?.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic.split(':').map(decodeURIComponent)).toEqual([client.client_id, client.client_secret]);
    expect(new URLSearchParams(sent?.body.toString()).get('refresh_token')).toBe('eyJ.old-refresh');
  });

  it('rate limit: 429 Too Many Requests (account concurrency) is retried through the proxy', async () => {
    c.vendor.on(TEST_ROUTE, collection(['107'], false));
    const { id } = await oauthConnection();
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0625010817.html: over the account's
    // concurrency limit REST web services answer 429 Too Many Requests; no rate headers documented.
    const { res, attempts } = await c.rateLimited(id, '/record/v1/vendor', {
      limited: nsError(429, 'Too Many Requests', 'Concurrency limit exceeded.', 'CONCURRENCY_LIMIT_EXCEEDED'),
      ok: collection([], false),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream — collections by limit/offset, SuiteQL by POST with the query in the body', async () => {
    c.vendor.on(TEST_ROUTE, collection(['107'], false));
    const { id } = await oauthConnection();
    for (const stream of c.manifest.streams) {
      // section_156414087576 (collections) and section_157909186990 (SuiteQL): limit ≤ 1000, offset, hasMore.
      const first = await c.streamPage(id, stream.name, collection(['107', '108'], true));
      expect(first.sent.method).toBe(stream.method);
      expect(first.query.get('limit')).toBe('1000');
      expect(first.records.map((r) => r.id)).toEqual(['107', '108']);
      if (stream.name === 'suiteql') {
        expect(first.sent.url.split('?')[0]).toBe('/services/rest/query/v1/suiteql');
        expect(JSON.parse(first.sent.body.toString())).toEqual({
          q: 'SELECT id, companyname, lastmodifieddate FROM customer ORDER BY id',
        });
        // section_157909186990: SuiteQL requests carry "Prefer: transient" (the stream's own header).
        expect(first.sent.headers.prefer).toBe('transient');
      } else {
        expect(first.sent.headers.prefer).toBeUndefined();
        expect(stream.cursor_field).toBeUndefined(); // collection items carry only links and id
      }
      const second = await c.streamPage(id, stream.name, collection([], false), { cursor: '1000' });
      expect(second.query.get('offset')).toBe('1000');
    }
    expect(c.manifest.pagination).toMatchObject({ has_more_path: '$.hasMore', max_limit: 1000 });
  });

  it('revocation: disconnect posts token=<refresh> with HTTP Basic client auth; revoked on NetSuite’s 200', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_161071224088.html: POST
    // …/auth/oauth2/v1/revoke, client_id:client_secret as HTTP Basic, form token=<refresh token>.
    c.vendor.on('POST /services/rest/auth/oauth2/v1/revoke', { status: 200, body: '' });
    const { id, client } = await oauthConnection('eyJ.revoke-me');
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /services/rest/auth/oauth2/v1/revoke').at(-1);
    expect(sent?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
    );
    expect(new URLSearchParams(sent?.body.toString()).get('token')).toBe('eyJ.revoke-me');
  });

  it('revocation: an error answer is not counted as revoked', async () => {
    c.vendor.on('POST /services/rest/auth/oauth2/v1/revoke', { status: 400, json: { error: 'invalid_request' } });
    const { id } = await oauthConnection('eyJ.unknown');
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: none native (SuiteScript or workflows call out), so none declared', () => {
    expect(c.manifest.webhooks).toBeUndefined();
  });
});
