import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../helpers/fake-vendor.js';
import { expectVendorSaw, startSdkProxy, type SdkSetup } from './harness.js';

// stripe-node pointed at the proxy (the recipe in the README, "Vendor SDKs through the proxy"), against a fake that
// answers as Stripe documents. The connection holds the real secret key; the SDK only ever holds a Switchyard key.

/**
 * The README's recipe. stripe-node takes a host, port and protocol but no path prefix, and sends every call to
 * `/v1/<resource>`: a custom HTTP client (the SDK's own Node client, wrapped) puts the proxy's path in front instead
 * of `/v1` — the connection's base URL already ends in `/v1`. It also gives Switchyard's own refusals (RFC 9457
 * problem details: a missing scope, a paused connection) Stripe's error envelope; stripe-node looks only for an
 * `error` key and would otherwise return such an answer as if it were the object asked for.
 */
function stripeThroughSwitchyard(switchyardUrl: string, connectionId: string, switchyardKey: string): Stripe {
  const base = new URL(switchyardUrl);
  const prefix = `/v1/connections/${connectionId}/proxy`;
  const node = Stripe.createNodeHttpClient();
  const httpClient: Stripe.HttpClient = {
    getClientName: () => 'switchyard',
    async makeRequest(host, port, path, method, headers, body, protocol, timeout) {
      const proxied = path.replace(/^\/v1(?=[/?]|$)/, prefix);
      const res = await node.makeRequest(host, port, proxied, method, headers, body, protocol, timeout);
      const problem = String(res.getHeaders()['content-type']).startsWith('application/problem+json');
      return problem ? asStripeError(res) : res;
    },
  };
  return new Stripe(switchyardKey, {
    host: base.hostname,
    port: base.port || (base.protocol === 'https:' ? 443 : 80),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    httpClient,
  });
}

/** Switchyard's problem document `{code, detail, …}` as Stripe's `{error: {type, code, message, …}}`. */
const asStripeError = (res: Stripe.HttpClientResponse): Stripe.HttpClientResponse => ({
  getStatusCode: () => res.getStatusCode(),
  getHeaders: () => res.getHeaders(),
  getRawResponse: () => res.getRawResponse(),
  toStream: (done) => res.toStream(done),
  toJSON: async () => {
    const problem = (await res.toJSON()) as { code: string; detail: string };
    return { error: { ...problem, type: 'switchyard_error', message: problem.detail } };
  },
});

const SECRET_KEY = 'sk_test_51VendorSecretKeyHeldBySwitchyard';
// The manifest's pinned version (connectors/stripe.yaml), which the proxy sends whatever the SDK asked for.
const MANIFEST_VERSION = '2026-09-30.endive';

let s: SdkSetup;
let stripe: Stripe;
beforeAll(async () => {
  s = await startSdkProxy('stripe', { auth_method: 'bearer', credentials: { api_key: SECRET_KEY } });
  stripe = stripeThroughSwitchyard(s.url, s.connectionId, s.token);

  // https://docs.stripe.com/api/customers/list and https://docs.stripe.com/api/pagination: newest first,
  // limit + starting_after=<last id>, {object: "list", url, has_more, data}.
  const customers = [1, 2, 3, 4, 5].map((n) => ({ id: `cus_${n}`, object: 'customer', email: `c${n}@example.com` }));
  s.vendor.on('GET /v1/customers', (req) => {
    const q = new URL(req.url, s.vendor.url).searchParams;
    const limit = Number(q.get('limit') ?? 10);
    const after = q.get('starting_after');
    const from = after ? customers.findIndex((c) => c.id === after) + 1 : 0;
    const data = customers.slice(from, from + limit);
    return { json: { object: 'list', url: '/v1/customers', has_more: from + limit < customers.length, data } };
  });
  // https://docs.stripe.com/api/customers/create: a form-encoded POST answered with the Customer.
  s.vendor.on('POST /v1/customers', (req) => {
    const form = new URLSearchParams(req.body.toString());
    return {
      json: { id: 'cus_new', object: 'customer', email: form.get('email'), name: form.get('name') },
    };
  });
  // https://docs.stripe.com/api/errors: a declined card is 402 {"error": {"type": "card_error", "code":
  // "card_declined", "decline_code", "message", "doc_url", …}}.
  s.vendor.on('POST /v1/payment_intents', {
    status: 402,
    headers: { 'request-id': 'req_declined' },
    json: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        doc_url: 'https://docs.stripe.com/error-codes/card-declined',
      },
    },
  });
});
afterAll(() => s.close());

const sinceNow = () => s.vendor.requests.length;
const form = (r: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(r?.body.toString()));

describe('stripe-node through the proxy', () => {
  it('lists with auto-pagination (starting_after); Stripe gets the real key and the manifest’s Stripe-Version', async () => {
    const from = sinceNow();
    const all = await stripe.customers.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']);
    const seen = s.received(from);
    expect(seen.map((r) => r.url)).toEqual([
      '/v1/customers?limit=2',
      '/v1/customers?limit=2&starting_after=cus_2',
      '/v1/customers?limit=2&starting_after=cus_4',
    ]);
    expectVendorSaw(seen, `Bearer ${SECRET_KEY}`, s.token);
    // The SDK pins its own version; the manifest's constant header wins (the connector is verified against it).
    expect(Stripe.API_VERSION).not.toBe(MANIFEST_VERSION);
    for (const r of seen) expect(r.headers['stripe-version']).toBe(MANIFEST_VERSION);
    // The SDK's own identification goes through untouched.
    expect(seen[0]?.headers['user-agent']).toMatch(/^Stripe\/v1 NodeBindings\//);
    expect(JSON.parse(String(seen[0]?.headers['x-stripe-client-user-agent']))).toMatchObject({ lang: 'node' });
  });

  it('creates with a form-encoded POST and the SDK’s Idempotency-Key', async () => {
    const from = sinceNow();
    const customer = await stripe.customers.create(
      { email: 'ada@example.com', name: 'Ada Lovelace', metadata: { source: 'sdk' } },
      { idempotencyKey: 'create-ada-1' },
    );
    expect(customer).toMatchObject({ id: 'cus_new', email: 'ada@example.com', name: 'Ada Lovelace' });
    const [sent] = s.received(from);
    expectVendorSaw(s.received(from), `Bearer ${SECRET_KEY}`, s.token);
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v1/customers');
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent?.headers['idempotency-key']).toBe('create-ada-1');
    expect(form(sent)).toEqual({ email: 'ada@example.com', name: 'Ada Lovelace', 'metadata[source]': 'sdk' });
  });

  it('a declined card comes back as the SDK’s StripeCardError, with Stripe’s code and request id', async () => {
    const error = await stripe.paymentIntents
      .create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      requestId: 'req_declined',
    });
  });

  it('a refusal of Switchyard’s own is thrown as a Stripe error carrying Switchyard’s code', async () => {
    // No such connection: 404 not_found, answered by Switchyard before any vendor is asked.
    const from = sinceNow();
    const elsewhere = stripeThroughSwitchyard(s.url, 'conn_doesnotexist', s.token);
    const missing = await elsewhere.customers.retrieve('cus_1').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'not_found', rawType: 'switchyard_error' });
    // A key Switchyard does not know: 401, as Stripe's own authentication error.
    const stranger = stripeThroughSwitchyard(s.url, s.connectionId, 'syk_not_a_key');
    const refused = await stranger.customers.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(refused).toMatchObject({ statusCode: 401, code: 'invalid_credentials' });
    expect(s.received(from)).toEqual([]);
  });
});
