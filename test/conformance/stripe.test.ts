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
// https://docs.stripe.com/api-versions: "The current version of the API is 2026-09-30.endive"; the manifest pins it so
// responses do not follow each account's default version.
const VERSION = '2026-09-30.endive';

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

type StripeList = { object: string; records: Record<string, unknown>[] };

// One page of each list, as its API reference page shows the object (trimmed to what identifies it).
const lists: Record<string, StripeList> = {
  // https://docs.stripe.com/api/charges/list
  charges: {
    object: 'charge',
    records: [
      { id: 'ch_3', amount: 1000 },
      { id: 'ch_2', amount: 500, refunded: true },
    ],
  },
  // https://docs.stripe.com/api/payment_intents/list
  payment_intents: { object: 'payment_intent', records: [{ id: 'pi_2', status: 'succeeded' }, { id: 'pi_1' }] },
  // https://docs.stripe.com/api/customers/list
  customers: { object: 'customer', records: [{ id: 'cus_2', email: 'b@example.com' }, { id: 'cus_1' }] },
  // https://docs.stripe.com/api/invoices/list
  invoices: {
    object: 'invoice',
    records: [
      { id: 'in_2', status: 'paid' },
      { id: 'in_1', status: 'open' },
    ],
  },
  // https://docs.stripe.com/api/subscriptions/list (asked with status=all)
  subscriptions: { object: 'subscription', records: [{ id: 'sub_2', status: 'canceled' }, { id: 'sub_1' }] },
  // https://docs.stripe.com/api/products/list
  products: {
    object: 'product',
    records: [
      { id: 'prod_2', name: 'Pro' },
      { id: 'prod_1', name: 'Basic' },
    ],
  },
  // https://docs.stripe.com/api/prices/list
  prices: {
    object: 'price',
    records: [
      { id: 'price_2', unit_amount: 2000 },
      { id: 'price_1', unit_amount: 900 },
    ],
  },
  // https://docs.stripe.com/api/balance_transactions/list
  balance_transactions: {
    object: 'balance_transaction',
    records: [{ id: 'txn_2', status: 'pending' }, { id: 'txn_1' }],
  },
  // https://docs.stripe.com/api/payouts/list
  payouts: {
    object: 'payout',
    records: [
      { id: 'po_2', status: 'in_transit' },
      { id: 'po_1', status: 'paid' },
    ],
  },
  // https://docs.stripe.com/api/refunds/list
  refunds: { object: 'refund', records: [{ id: 're_2', charge: 'ch_2' }, { id: 're_1' }] },
  // https://docs.stripe.com/api/disputes/list
  disputes: {
    object: 'dispute',
    records: [
      { id: 'dp_2', status: 'needs_response' },
      { id: 'dp_1', status: 'won' },
    ],
  },
  // https://docs.stripe.com/api/events/list
  events: {
    object: 'event',
    records: [
      { id: 'evt_2', type: 'invoice.paid' },
      { id: 'evt_1', type: 'charge.refunded' },
    ],
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
  it('test call: GET /v1/account with the key as a bearer token and the pinned Stripe-Version; connected with the account id and name', async () => {
    const { res, sent } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply: account });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.headers['stripe-version']).toBe(VERSION);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'acct_1Nv0FGQ9RKHgCVdK',
      vendor_account_name: 'Acme Widgets',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // The API-key method's own test call. An unknown or deleted key: https://docs.stripe.com/api/errors (401
    // "No valid API key provided"); the body as docs/connector-audit/stripe.md records it.
    [stripeError(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_********7dc'), 'credential_revoked'],
    // A rolled key past its expiry: 401 with code api_key_expired, https://docs.stripe.com/error-codes/api-key-expired
    // ("The API key provided has expired"), https://docs.stripe.com/keys#rolling-keys.
    [
      stripeError(401, 'invalid_request_error', 'Expired API Key provided: rk_test_*****aaaaaa', 'api_key_expired'),
      'credential_expired',
    ],
    // Anything else is the vendor's error, its code kept: https://docs.stripe.com/api/errors (500 api_error)
    [stripeError(500, 'api_error', 'Something went wrong on Stripe’s end.'), 'vendor_error'],
  ])('test call (API key): answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: a restricted key without the account permission is connected, limited (403 on /v1/account)', async () => {
    // The API-key method has its own test call (the manifest's is the Connect method's, where 403 is a scope
    // problem). A restricted key (rk_) answers 403 on GET /v1/account unless it was given that permission:
    // https://docs.stripe.com/keys/restricted-api-keys, https://docs.stripe.com/api/errors (403 "The API key doesn't
    // have permissions to perform the request"). The key is valid; the connection is active and says so.
    expect(c.manifest.auth.find((a) => a.type === 'bearer')?.test).toMatchObject({ request: { path: '/account' } });
    const reply = stripeError(
      403,
      'invalid_request_error',
      "The provided key 'rk_test_***ABCD' does not have the required permissions for this endpoint on account " +
        "'acct_1Nv0FGQ9RKHgCVdK'. Having the 'rak_accounts_kyc_basic_read' permission would allow this request to continue.",
    );
    const { res, sent } = await c.testCall({
      auth_method: 'bearer',
      credentials: { api_key: 'rk_test_restricted' },
      reply,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers['stripe-version']).toBe(VERSION);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected_limited' } });
  });

  it.each([
    // The Connect method's test (the manifest's): the OAuth access token on GET /v1/account. After the account
    // disconnected from the platform Stripe answers 401 ("... Platform access may have been revoked"):
    // https://docs.stripe.com/connect/oauth-reference; a 403 is a permission the grant lacks
    // (https://docs.stripe.com/api/errors).
    [
      stripeError(
        401,
        'invalid_request_error',
        'Expired API Key provided: sk_test_*****connect. Platform access may have been revoked.',
        'api_key_expired',
      ),
      'credential_revoked',
    ],
    [
      stripeError(403, 'invalid_request_error', 'The provided key does not have access to account details.'),
      'scope_insufficient',
    ],
  ])('test call (Connect): answer %# maps to its outcome', async (reply, outcome) => {
    const { id } = await c.oauthConnection(
      { access_token: 'sk_test_connect_access', token_type: 'bearer', extra: {} },
      undefined,
      { stripe_account_id: 'acct_1Nv0FGQ9RKHgCVdK' },
    );
    const { res, sent } = await c.retest(id, reply, { auth_method: 'oauth2' });
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe('Bearer sk_test_connect_access');
    expect(sent.headers['stripe-version']).toBe(VERSION);
    expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
  });

  it('Connect asks for read_write by default (read_only is for extensions only)', () => {
    // https://docs.stripe.com/connect/oauth-reference: "read_only can only be specified for extensions".
    const connect = c.manifest.auth.find((a) => a.type === 'oauth2');
    expect(connect?.type === 'oauth2' && connect.scopes.default).toEqual(['read_write']);
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
    for (const sent of c.requestsTo(c.routeOf('GET', '/customers'))) {
      expect(sent.headers['stripe-version']).toBe(VERSION);
    }
  });

  it('proxy: every call carries the pinned Stripe-Version, whatever version the caller names', async () => {
    const id = await connected();
    const route = c.routeOf('GET', '/balance');
    // https://docs.stripe.com/api/balance/balance_retrieve: a Balance object.
    c.vendor.on(route, { json: { object: 'balance', available: [{ amount: 0, currency: 'usd' }], livemode: false } });
    const before = c.requestsTo(route).length;
    const res = await c.t.request({
      url: `/v1/connections/${id}/proxy/balance`,
      headers: { 'stripe-version': '2020-08-27' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const sent = c.requestsTo(route)[before];
    expect(sent?.headers['stripe-version']).toBe(VERSION);
  });

  it('streams: one page of every stream, records keyed by id, the next page asked with starting_after', async () => {
    const id = await connected();
    // Every list endpoint answers https://docs.stripe.com/api/pagination: {object: "list", url, has_more, data: [...]},
    // limit 1-100, starting_after = the id of the last object of the page. One fake per stream, each citing its list.
    expect(Object.keys(lists).sort()).toEqual(c.manifest.streams.map((s) => s.name).sort());
    for (const stream of c.manifest.streams) {
      const list = lists[stream.name] as StripeList;
      const data = list.records.map((r) => ({ object: list.object, created: 1_733_390_000, livemode: false, ...r }));
      const page = { json: { object: 'list', url: `/v1${stream.path}`, has_more: true, data } };
      const first = await c.streamPage(id, stream.name, page);
      expect(first.sent.headers['stripe-version'], stream.name).toBe(VERSION);
      expect(first.query.get('limit')).toBe('100');
      expect(first.records.map((r) => r.id)).toEqual(list.records.map((r) => r.id));
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
      expect(Object.fromEntries(second.query)).toMatchObject(stream.params);
    }
    expect(c.manifest.pagination).toMatchObject({
      cursor_param: 'starting_after',
      limit_param: 'limit',
      max_limit: 100,
    });
  });

  it('streams: objects are full refresh (lists order and filter by created only); events is the change feed', () => {
    // https://docs.stripe.com/api/pagination: lists are ordered by creation, newest first; a `created` cursor never
    // sees a later refund, payment or status change, so only the event log is read incrementally.
    const cursors = Object.fromEntries(c.manifest.streams.map((s) => [s.name, s.cursor_field]));
    expect(Object.entries(cursors).filter(([, field]) => field !== undefined)).toEqual([['events', 'created']]);
  });

  it('streams: subscriptions are listed with status=all, so cancelled ones are read too', async () => {
    const id = await connected();
    // https://docs.stripe.com/api/subscriptions/list: "By default, returns a list of subscriptions that have not been
    // canceled. In order to list canceled subscriptions, specify status=canceled" - status=all lists every status.
    const page = {
      json: {
        object: 'list',
        url: '/v1/subscriptions',
        has_more: false,
        data: [
          { id: 'sub_active', object: 'subscription', status: 'active' },
          { id: 'sub_gone', object: 'subscription', status: 'canceled', canceled_at: 1_733_300_000 },
        ],
      },
    };
    const { query, sent, records } = await c.streamPage(id, 'subscriptions', page);
    expect(query.get('status')).toBe('all');
    expect(sent.url.split('?')[0]).toBe('/v1/subscriptions');
    expect(records.map((r) => r.status)).toEqual(['active', 'canceled']);
  });

  it('streams: events are read from created[gte] within the 30 days Stripe keeps them', async () => {
    const id = await connected();
    // https://docs.stripe.com/api/events/list: "List events, going back up to 30 days"; each event carries the API
    // version it was rendered with and the object as it was then.
    const stream = c.manifest.streams.find((s) => s.name === 'events');
    expect(stream?.description).toMatch(/30 days/);
    const since = Math.floor(Date.now() / 1000) - 29 * 86_400;
    const page = {
      json: {
        object: 'list',
        url: '/v1/events',
        has_more: false,
        data: [
          {
            id: 'evt_1',
            object: 'event',
            api_version: VERSION,
            created: since + 60,
            type: 'charge.refunded',
            data: { object: { id: 'ch_2', object: 'charge', refunded: true } },
          },
        ],
      },
    };
    const { query, records } = await c.streamPage(id, 'events', page, { query: { 'created[gte]': String(since) } });
    expect(query.get('created[gte]')).toBe(String(since));
    expect(records).toMatchObject([{ id: 'evt_1', type: 'charge.refunded', api_version: VERSION }]);
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
    // Deauthorizing disconnects the account: the whole grant ends, not one token.
    const connect = c.manifest.auth.find((a) => a.type === 'oauth2');
    expect(connect?.type === 'oauth2' && connect.revocation?.ends_grant).toBe(true);
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
