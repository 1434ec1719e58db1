import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Square's shipped manifest against a fake that answers as Square documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('square');
});
afterAll(() => c.close());

const TOKEN = 'EAAAEOuLQObrVwJvCvoio3pYRBdYtu5Yr0qtMSTjBiTA3wdZ8_ZJ';
const config = { host: 'connect.squareupsandbox.com', square_version: '2026-09-16' };

// https://developer.squareup.com/reference/square/merchants-api/retrieve-merchant (merchant_id "me")
const merchant = {
  json: {
    merchant: {
      id: 'DM7VKY8Q63GNP',
      business_name: 'Apple A Day',
      country: 'US',
      language_code: 'en-US',
      currency: 'USD',
      status: 'ACTIVE',
      main_location_id: '9A65CGC72ZQG1',
      created_at: '2021-12-10T19:25:52.484Z',
    },
  },
};

// https://developer.squareup.com/docs/build-basics/handling-errors: {"errors": [{category, code, detail}]};
// codes from https://developer.squareup.com/reference/square/enums/ErrorCode.
const squareError = (status: number, category: string, code: string, detail: string) => ({
  status,
  json: { errors: [{ category, code, detail }] },
});

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'bearer', config, credentials: { token: TOKEN }, reply: merchant });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('square conformance', () => {
  it('test call: GET /v2/merchants/me with Square-Version; connected with the merchant id and business name', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'bearer',
      config,
      credentials: { token: TOKEN },
      reply: merchant,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['square-version']).toBe('2026-09-16');
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'DM7VKY8Q63GNP',
      vendor_account_name: 'Apple A Day',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    [
      squareError(401, 'AUTHENTICATION_ERROR', 'ACCESS_TOKEN_EXPIRED', 'The access token has expired.'),
      'credential_expired',
    ],
    [
      squareError(401, 'AUTHENTICATION_ERROR', 'ACCESS_TOKEN_REVOKED', 'The access token has been revoked.'),
      'credential_revoked',
    ],
    [
      squareError(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'This request could not be authorized.'),
      'credential_revoked',
    ],
    [
      squareError(
        403,
        'AUTHENTICATION_ERROR',
        'INSUFFICIENT_SCOPES',
        'The merchant has not given your application sufficient permissions to do that. The application must request MERCHANT_PROFILE_READ.',
      ),
      'scope_insufficient',
    ],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'bearer', config, credentials: { token: TOKEN }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: 429 RATE_LIMITED (no headers) is retried through the proxy', async () => {
    const id = await connected();
    // https://developer.squareup.com/reference/square/objects/ErrorCategory: RATE_LIMIT_ERROR / RATE_LIMITED; no
    // rate-limit or Retry-After headers are documented ("exponential backoff ... with jitter").
    const { res, attempts } = await c.rateLimited(id, '/locations', {
      limited: squareError(429, 'RATE_LIMIT_ERROR', 'RATE_LIMITED', 'Rate limited'),
      ok: { json: { locations: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream, per location where Square lists per location, cursor in the answer', async () => {
    const id = await connected();
    const cursor = 'GQTFp1ZlXdpoW4o6eGiZhbjosiDFf0';
    const body = (sent: { body: Buffer }) => JSON.parse(sent.body.toString()) as Record<string, unknown>;

    // https://developer.squareup.com/reference/square/payments/ListPayments: limit <= 100, location_id (default:
    // the main location), cursor; results $.payments, next $.cursor (absent on the last page).
    const payments = await c.streamPage(
      id,
      'payments',
      {
        json: {
          payments: [
            {
              id: 'GQTFp1ZlXdpoW4o6eGiZhbjosiDFf',
              created_at: '2026-11-30T18:20:18.411Z',
              updated_at: '2026-11-30T18:20:19.103Z',
              amount_money: { amount: 100, currency: 'USD' },
              status: 'COMPLETED',
              location_id: '9A65CGC72ZQG1',
            },
          ],
          cursor,
        },
      },
      { config, parent: { id: '9A65CGC72ZQG1' } },
    );
    expect(Object.fromEntries(payments.query)).toMatchObject({
      sort_field: 'UPDATED_AT',
      sort_order: 'ASC',
      location_id: '9A65CGC72ZQG1',
      limit: '100',
    });
    expect(payments.sent.headers['square-version']).toBe('2026-09-16');
    expect(payments.nextCursor).toBe(cursor);
    const second = await c.streamPage(
      id,
      'payments',
      { json: { payments: [] } },
      {
        config,
        parent: { id: '9A65CGC72ZQG1' },
        cursor,
      },
    );
    expect(second.query.get('cursor')).toBe(cursor);
    expect(second.nextCursor).toBeUndefined();

    // https://developer.squareup.com/reference/square/refunds-api/list-payment-refunds
    const refunds = await c.streamPage(
      id,
      'refunds',
      { json: { refunds: [{ id: 'R1', status: 'COMPLETED', updated_at: '2026-11-30T18:20:19.103Z' }] } },
      { config, parent: { id: '9A65CGC72ZQG1' } },
    );
    expect(refunds.query.get('location_id')).toBe('9A65CGC72ZQG1');

    // https://developer.squareup.com/reference/square/orders-api/search-orders: a JSON body; cursor in the answer.
    const orders = await c.streamPage(
      id,
      'orders',
      {
        json: {
          orders: [{ id: 'CAISENgvlJ6jLWAzERDzjyHVybY', location_id: '9A65CGC72ZQG1', state: 'COMPLETED' }],
          cursor,
        },
      },
      { config },
    );
    expect(orders.sent.method).toBe('POST');
    expect(body(orders.sent)).toMatchObject({ limit: 1000, query: { sort: { sort_field: 'UPDATED_AT' } } });
    expect(orders.nextCursor).toBe(cursor);

    // https://developer.squareup.com/reference/square/customers-api/list-customers
    const customers = await c.streamPage(
      id,
      'customers',
      { json: { customers: [{ id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4' }] } },
      { config },
    );
    expect(customers.query.get('limit')).toBe('100');

    // https://developer.squareup.com/reference/square/catalog-api/list-catalog: no limit parameter.
    const catalog = await c.streamPage(
      id,
      'catalog_objects',
      {
        json: {
          objects: [{ type: 'ITEM', id: 'W62UWFY35CWMYGVWK6TWJDNI', version: 1700000000000, is_deleted: false }],
          cursor,
        },
      },
      { config },
    );
    expect(catalog.query.get('limit')).toBeNull();
    expect(catalog.nextCursor).toBe(cursor);

    // https://developer.squareup.com/reference/square/locations-api/list-locations: not paginated.
    const locations = await c.streamPage(
      id,
      'locations',
      { json: { locations: [{ id: '9A65CGC72ZQG1', name: 'Main' }] } },
      { config },
    );
    expect(locations.records).toHaveLength(1);

    // https://developer.squareup.com/reference/square/team-api/search-team-members: limit <= 200 in the body.
    const team = await c.streamPage(
      id,
      'team_members',
      { json: { team_members: [{ id: 'TMoK_ogh6rH1o4dV', status: 'ACTIVE' }] } },
      { config },
    );
    expect(body(team.sent)).toEqual({ limit: 200 });
  });

  it('revocation: POST /oauth2/revoke with Authorization: Client <secret> and {client_id, access_token}', async () => {
    // https://developer.squareup.com/reference/square/o-auth/revoke-token: 200 {"success": true}; revokes every
    // access token of the seller for the application.
    c.vendor.on('POST /oauth2/revoke', { json: { success: true } });
    const { id, client } = await c.oauthConnection(
      { access_token: TOKEN, refresh_token: 'EQAAEsecret', token_type: 'bearer', extra: {} },
      undefined,
      config,
    );
    const before = c.requestsTo('POST /oauth2/revoke').length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked', revoked: 1 });
    const sent = c.requestsTo('POST /oauth2/revoke')[before];
    expect(sent?.headers.authorization).toBe(`Client ${client.client_secret}`);
    expect(JSON.parse(sent?.body.toString() ?? '{}')).toEqual({ client_id: client.client_id, access_token: TOKEN });
  });

  it('revocation: a 401 UNAUTHORIZED (wrong application secret) is not counted as revoked', async () => {
    c.vendor.on(
      'POST /oauth2/revoke',
      squareError(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'This request could not be authorized.'),
    );
    const { id } = await c.oauthConnection({ access_token: TOKEN, token_type: 'bearer', extra: {} }, undefined, config);
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).toBe('vendor_refused');
  });

  it('webhooks: signed over notification URL + body with the signature key; forged refused', async () => {
    const id = await connected();
    const key = 'sq_signature_key';
    const { res, path } = await c.inboundSource(id, key);
    expect(res.statusCode, res.body).toBe(201);
    const url = (res.data.source as { url: string }).url;
    // https://developer.squareup.com/docs/webhooks/step3validate: x-square-hmacsha256-signature =
    // base64(HMAC-SHA256(signature key, notification URL + raw body)).
    const body =
      '{"merchant_id":"DM7VKY8Q63GNP","type":"payment.updated","event_id":"5c3c2a6e-0000-4000-8000-000000000001","created_at":"2026-12-05T10:00:00Z","data":{"type":"payment","id":"GQTF","object":{"payment":{"id":"GQTF","status":"COMPLETED"}}}}';
    const sign = (k: string, u: string) =>
      createHmac('sha256', k)
        .update(u + body)
        .digest('base64');
    // The audit's vector for this key, URL and body.
    expect(sign(key, 'https://example.test/hooks/sq')).toBe('M5a8pyB/OiL9acGSngZ4RIVh/tZ4B0dL709OSa8y++w=');
    const accepted = await c.deliver(path as string, body, {
      'x-square-hmacsha256-signature': sign(key, url),
      'square-environment': 'Sandbox',
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, { 'x-square-hmacsha256-signature': sign('other-key', url) });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
