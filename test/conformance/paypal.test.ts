import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// PayPal's shipped manifest against a fake that answers as PayPal documents (REST APIs; the OpenAPI specifications
// at github.com/paypal/paypal-rest-api-specifications). Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('paypal');
});
afterAll(() => c.close());

const ACCESS = 'A21AAFEpH4PsADK7qSS7pSRsgzfENtu-Q1ysgEDVDESseMHBYXVJYE8ovjj68elIDy8nF26AwPhfXTIeWAZHSLIsQkSYz9ifg';
const config = { api_host: 'api-m.sandbox.paypal.com' };

// https://developer.paypal.com/api/rest/responses/ (error_401 / error_403 in the OpenAPI specifications)
const apiError = (status: number, name: string, message: string, details?: unknown[]) => ({
  status,
  json: { name, message, debug_id: '90957fca61718', ...(details ? { details } : {}) },
});

// https://developer.paypal.com/docs/api/webhooks/v1/#webhooks_list
const webhooks = {
  json: {
    webhooks: [
      {
        id: '40Y916089Y8324740',
        url: 'https://example.test/hook',
        event_types: [{ name: 'PAYMENT.CAPTURE.COMPLETED', description: 'A payment capture completes.' }],
      },
    ],
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection({ access_token: ACCESS, token_type: 'bearer', extra: {} }, undefined, config);
  return id;
}

const testRoute = () => c.routeOf('GET', '/v1/notifications/webhooks');
const retest = (id: string) => c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });

describe('paypal conformance', () => {
  it('client credentials: the token is fetched with HTTP Basic and grant_type=client_credentials, then tested', async () => {
    // https://developer.paypal.com/api/rest/authentication/: POST /v1/oauth2/token, Basic client_id:secret.
    c.vendor.on('POST /v1/oauth2/token', {
      json: {
        scope:
          'https://uri.paypal.com/services/reporting/search/read https://uri.paypal.com/services/applications/webhooks',
        access_token: ACCESS,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: 32400,
        nonce: '2026-12-05T10:00:00Z',
      },
    });
    c.vendor.on(testRoute(), webhooks);
    const client = {
      client_id: 'AYSq3RDGsmBLJE-otTkBtM-jBRd1TCQwFf9RGfwddNXWz0uFU9ztymylOhRS',
      client_secret: 'EGnHDxD_qRPdaLdZz8iCr8N7_MzF-YHPTkjs6NKYQvQSBngp4PTTVWkPZRbL',
    };
    const put = await c.t.request({ method: 'PUT', url: '/v1/oauth/clients/paypal', body: client });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const res = await c.connect({ auth_method: 'oauth2', config });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const token = c.requestsTo('POST /v1/oauth2/token').at(-1);
    // The pair is form-encoded before base64 (RFC 6749 §2.3.1), so '-' and '_' in PayPal's ids travel as %2D and
    // %5F; PayPal's examples show the raw pair (curl -u), and whether it decodes the encoded form is unconfirmed.
    const basic = (token?.headers.authorization ?? '').replace(/^Basic /, '');
    const [user, pass] = Buffer.from(basic, 'base64').toString().split(':');
    expect([decodeURIComponent(user ?? ''), decodeURIComponent(pass ?? '')]).toEqual([
      client.client_id,
      client.client_secret,
    ]);
    expect(new URLSearchParams(token?.body.toString()).get('grant_type')).toBe('client_credentials');
    expect(c.requestsTo(testRoute()).at(-1)?.headers.authorization).toBe(`Bearer ${ACCESS}`);
  });

  it.each([
    // An expired app token (credential_expired by the manifest): the platform gets a new one with the app's client
    // credentials at once and tests again; refused the same way with a token issued moments ago, what the app lacks
    // is access, not a newer token.
    [
      { status: 401, json: { error: 'invalid_token', error_description: 'Access Token not found in cache' } },
      'scope_insufficient',
    ],
    [
      apiError(
        401,
        'AUTHENTICATION_FAILURE',
        'Authentication failed due to missing authorization header, or invalid authentication credentials.',
      ),
      'credential_revoked',
    ],
    [
      apiError(403, 'NOT_AUTHORIZED', 'Authorization failed due to insufficient permissions.', [
        {
          issue: 'PERMISSION_DENIED',
          description: 'You do not have permission to access or perform operations on this resource.',
        },
      ]),
      'scope_insufficient',
    ],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    const id = await connected();
    await c.ageToken(id); // a mid-life token without a refresh token: the answer is read as the manifest maps it
    c.vendor.on(testRoute(), reply);
    const res = await retest(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.last_test_outcome, res.body).toMatchObject({ outcome, status: reply.status });
  });

  it('rate limit: 429 RATE_LIMIT_REACHED (no documented headers) is retried through the proxy', async () => {
    const id = await connected();
    // https://developer.paypal.com/api/rest/reference/rate-limiting/
    const { res, attempts } = await c.rateLimited(id, '/v1/catalogs/products', {
      limited: apiError(429, 'RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.'),
      ok: { json: { products: [], total_items: 0, total_pages: 0 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream, page and page_size sent, the resource’s own list and page count', async () => {
    const id = await connected();
    // https://developer.paypal.com/docs/api/transaction-search/v1/: page_size 1-500, page 1-based, total_pages.
    const tx = (code: string) => ({
      transaction_info: {
        paypal_account_id: '6STWC2LSUYYYE',
        transaction_id: '5TY05013RG002845M',
        transaction_event_code: code,
        transaction_initiation_date: '2026-11-02T10:11:12+0000',
        transaction_updated_date: '2026-11-02T10:11:12+0000',
        transaction_amount: { currency_code: 'USD', value: '465.00' },
        transaction_status: 'S',
      },
    });
    const transactions = await c.streamPage(
      id,
      'transactions',
      {
        json: {
          transaction_details: [tx('T0006'), tx('T1105')],
          account_number: 'XZXSPECPDZHZU',
          page: 1,
          total_items: 3,
          total_pages: 2,
        },
      },
      { config, cursor: '1' },
    );
    expect(transactions.query.get('page_size')).toBe('500');
    expect(transactions.query.get('page')).toBe('1');
    expect(transactions.pagination).toMatchObject({ total_pages_path: '$.total_pages', first_page: 1 });
    // One transaction id with a balance and a non-balance record: two records under the composite key.
    const keys = transactions.records.map((r) =>
      transactions.stream.primary_key
        .map((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], r))
        .join('|'),
    );
    expect(new Set(keys).size).toBe(2);

    // https://developer.paypal.com/api/customer-disputes/v1/disputes-list: page_size 1-50, results $.items.
    const disputes = await c.streamPage(
      id,
      'disputes',
      { json: { items: [{ dispute_id: 'PP-D-27803', status: 'UNDER_REVIEW', update_time: '2026-12-01T10:00:00Z' }] } },
      { config },
    );
    expect(disputes.query.get('page_size')).toBe('50');

    // https://developer.paypal.com/docs/api/invoicing/v2/#invoices_list
    const invoices = await c.streamPage(
      id,
      'invoices',
      { json: { items: [{ id: 'INV2-Z56S-5LLA-Q52L-CPZ5' }], total_pages: 1 } },
      { config, limit: 100 },
    );
    expect(invoices.query.get('total_required')).toBe('true');

    // https://developer.paypal.com/docs/api/subscriptions/v1/#plans_list and catalog-products/v1/#products_list:
    // page_size <= 20, total_required=true gives total_pages.
    for (const [name, list] of [
      ['plans', 'plans'],
      ['products', 'products'],
    ] as const) {
      const page = await c.streamPage(
        id,
        name,
        {
          json: {
            [list]: [{ id: name === 'plans' ? 'P-5ML4271244454362WXNWU5NQ' : 'PROD-XYAB12ABSB7868434' }],
            total_items: 3,
            total_pages: 2,
          },
        },
        { config },
      );
      expect(page.query.get('page_size')).toBe('20');
      expect(page.query.get('total_required')).toBe('true');
      expect(page.records).toHaveLength(1);
    }

    const hooks = await c.streamPage(id, 'webhooks', webhooks, { config });
    expect(hooks.records.map((r) => r.id)).toEqual(['40Y916089Y8324740']);
  });

  it('webhooks: not claimed (no scheme verifies PayPal’s certificate signatures), so no source is made by default', async () => {
    expect(c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.features).not.toContain('webhooks');
    const id = await connected();
    const { res } = await c.inboundSource(id, 'unused');
    expect(res.statusCode, res.body).toBe(400);
  });

  it('revocation: none is declared (client-credentials tokens expire); disconnect records not_supported', async () => {
    const id = await connected();
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).toBe('not_supported');
  });
});
