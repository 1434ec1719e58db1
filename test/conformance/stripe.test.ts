import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Stripe's shipped manifest against a fake that answers as Stripe documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('stripe');
});
afterAll(() => c.close());

const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

// https://docs.stripe.com/api/errors: errors are {"error": {type, code, message, param, doc_url}}; 401 "No valid
// API key provided", 403 "The API key doesn't have permissions to perform the request", 429 "Too many requests".
const stripeError = (status: number, type: string, message: string, code?: string) => ({
  status,
  json: { error: { type, message, ...(code ? { code, doc_url: `https://docs.stripe.com/error-codes/${code}` } : {}) } },
});

// https://docs.stripe.com/api/accounts/retrieve (retrieve your own account): an Account object.
const account = {
  status: 200,
  json: {
    id: 'acct_1Nv0FGQ9RKHgCVdK',
    object: 'account',
    business_profile: { name: 'Acme Widgets' },
    settings: { dashboard: { display_name: 'Acme Widgets', timezone: 'Etc/UTC' } },
    charges_enabled: true,
  },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply: account });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('stripe conformance', () => {
  it('test call: GET /v1/account with the key as a bearer token; connected with the account id and name', async () => {
    const { res, sent } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply: account });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'acct_1Nv0FGQ9RKHgCVdK',
      vendor_account_name: 'Acme Widgets',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // An unknown, rolled or deleted key: https://docs.stripe.com/api/errors (401), https://docs.stripe.com/keys
    [stripeError(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_********7dc'), 'credential_revoked'],
    // Anything else is the vendor's error, its code kept: https://docs.stripe.com/api/errors (500 api_error)
    [stripeError(500, 'api_error', 'Something went wrong on Stripe’s end.'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: a restricted key without the account permission is connected, limited (403 on /v1/account)', async () => {
    // A restricted key (rk_) the manifest recommends answers 403 on GET /v1/account unless it was given that
    // permission: https://docs.stripe.com/keys#limit-access. The key is valid; the connection is active and says so.
    const reply = stripeError(
      403,
      'invalid_request_error',
      'The provided key does not have the required permissions for this endpoint.',
      'secret_key_required',
    );
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: 'rk_test_restricted' }, reply });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected_limited' } });
  });

  it('rate limit: a 429 with Retry-After is retried through the proxy after the wait', async () => {
    const id = await connected();
    // https://docs.stripe.com/rate-limits: 429 with error code rate_limit ("Too many requests hit the API too
    // quickly"); no rate-limit headers are documented, so the proxy relies on the status and Retry-After.
    const limited = {
      ...stripeError(429, 'invalid_request_error', 'Too many requests hit the API too quickly.', 'rate_limit'),
      headers: { 'retry-after': '1' },
    };
    const { res, attempts } = await c.rateLimited(id, '/customers', {
      limited,
      ok: { json: { object: 'list', url: '/v1/customers', has_more: false, data: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: one page of every stream, records keyed by id, the next page asked with starting_after', async () => {
    const id = await connected();
    for (const stream of c.manifest.streams) {
      const objectType = stream.name.replace(/s$/, '');
      // https://docs.stripe.com/api/pagination: {object: "list", url, has_more, data: [...]}, limit 1-100,
      // starting_after = the id of the last object of the page.
      const page = {
        json: {
          object: 'list',
          url: `/v1${stream.path}`,
          has_more: true,
          data: [1, 2].map((n) => ({
            id: `${objectType.slice(0, 3)}_${stream.name}${n}`,
            object: objectType,
            created: 1_700_000_000 + n,
          })),
        },
      };
      const first = await c.streamPage(id, stream.name, page);
      expect(first.query.get('limit')).toBe('100');
      expect(first.records.map((r) => r.id)).toEqual([
        `${objectType.slice(0, 3)}_${stream.name}1`,
        `${objectType.slice(0, 3)}_${stream.name}2`,
      ]);
      // The next cursor is the last record's id, which one JSON path cannot name: the manifest says so by leaving
      // cursor_path out, and a sync takes it from the page's last record.
      expect(first.nextCursor).toBeUndefined();
      const last = first.records.at(-1)?.id as string;
      const second = await c.streamPage(
        id,
        stream.name,
        { json: { ...page.json, has_more: false, data: [] } },
        { cursor: last },
      );
      expect(second.query.get('starting_after')).toBe(last);
    }
    expect(c.manifest.pagination).toMatchObject({
      cursor_param: 'starting_after',
      limit_param: 'limit',
      max_limit: 100,
    });
  });

  it('revocation: disconnect deauthorizes the account with client_id and stripe_user_id, confirmed by Stripe', async () => {
    // https://docs.stripe.com/connect/oauth-reference#post-deauthorize: POST /oauth/deauthorize with client_id and
    // stripe_user_id (no token); the answer names the disconnected account: {"stripe_user_id": "acct_…"}.
    const account = 'acct_1Nv0FGQ9RKHgCVdK';
    c.vendor.on('POST /oauth/deauthorize', { json: { stripe_user_id: account } });
    const { id, client } = await c.oauthConnection(
      { access_token: 'sk_test_connect_access', token_type: 'bearer', extra: {} },
      undefined,
      { stripe_account_id: account },
    );
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const [sent] = c.requestsTo('POST /oauth/deauthorize');
    const form = Object.fromEntries(new URLSearchParams(sent?.body.toString()));
    expect(form).toMatchObject({ client_id: client.client_id, stripe_user_id: account });
    expect(form.token).toBeUndefined();
  });

  it('revocation: an answer without the account is not counted as revoked', async () => {
    // An unknown account or a client that is not connected to it: 400 {"error":"invalid_client", …}.
    c.vendor.on('POST /oauth/deauthorize', {
      status: 400,
      json: { error: 'invalid_client', error_description: 'No such user: acct_unknown' },
    });
    const { id } = await c.oauthConnection(
      { access_token: 'sk_test_connect_access', token_type: 'bearer', extra: {} },
      undefined,
      { stripe_account_id: 'acct_unknown' },
    );
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: the source made for a connection accepts a Stripe-signed event and refuses a wrong signature', async () => {
    const id = await connected();
    const secret = 'whsec_conformance_0123456789abcdef';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'stripe', tolerance_seconds: 300 } });
    // https://docs.stripe.com/webhooks#verify-manually: Stripe-Signature t=<unix>,v1=<hex HMAC-SHA256 of
    // "{t}.{body}">; signed here by Stripe's own SDK.
    const payload = JSON.stringify({
      id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1' } },
    });
    const stripe = new Stripe(KEY);
    const accepted = await c.deliver(path as string, payload, {
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret }),
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, payload, {
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' }),
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
