import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';
import { pushRecord, readChanges } from './two-way.js';

// Pipedrive's shipped manifest against a fake that answers as Pipedrive documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('pipedrive');
});
afterAll(() => c.close());

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

// The fake's own address plays the company domain (https://{company}.pipedrive.com), as api_domain.
const config = () => ({ api_domain: c.vendor.url });

// https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser: GET /api/v1/users/me answers
// {success: true, data: {id, name, email, company_id, company_name, company_domain, ...}}.
const me = {
  status: 200,
  json: {
    success: true,
    data: {
      id: 123,
      name: 'Martin',
      email: 'martin@acme.com',
      company_id: 5678,
      company_name: 'Acme',
      company_domain: 'acme',
      active_flag: true,
      is_admin: 1,
    },
  },
};

// https://pipedrive.readme.io/docs/core-api-concepts-responses: errors are {success: false, error, errorCode,
// error_info}; 401 "unauthorized access".
const pipedriveError = (status: number, error: string) => ({
  status,
  json: { success: false, error, errorCode: status, error_info: 'Please check developers.pipedrive.com' },
});

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({
    auth_method: 'api_key',
    credentials: { api_token: TOKEN },
    config: config(),
    reply: me,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('pipedrive conformance', () => {
  it('test call: GET /api/v1/users/me with the token in x-api-token (never the query); connected, company', async () => {
    // https://pipedrive.readme.io/docs/core-api-concepts-authentication: the API token is sent in the x-api-token
    // header.
    const { res, sent } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_token: TOKEN },
      config: config(),
      reply: me,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/api/v1/users/me');
    expect(sent.headers['x-api-token']).toBe(TOKEN);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '5678',
      vendor_account_name: 'Acme',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // An unknown or regenerated token: 401 "unauthorized access"
    // (https://pipedrive.readme.io/docs/core-api-concepts-http-status-codes).
    [pipedriveError(401, 'unauthorized access'), 'credential_revoked'],
    // An OAuth app without the scope the URL needs: 403 "Scope and URL mismatch" (wording unconfirmed;
    // https://pipedrive.readme.io/docs/marketplace-scopes-and-permissions-explanations).
    [pipedriveError(403, 'Scope and URL mismatch'), 'scope_insufficient'],
    // Anything else is Pipedrive's error, its errorCode kept.
    [pipedriveError(500, 'Internal server error'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_token: TOKEN },
      config: config(),
      reply,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: {success: false} on a 200 is not a connection', async () => {
    const { res } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_token: TOKEN },
      config: config(),
      reply: { status: 200, json: { success: false, error: 'unknown' } },
    });
    expect(res.statusCode, res.body).toBe(422);
  });

  it('rate limit: a 429 with Retry-After is retried through the proxy; the x-ratelimit-* headers are declared', async () => {
    const id = await connected();
    // https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting: x-ratelimit-limit / -remaining / -reset
    // (seconds) on every answer, 429 with Retry-After once the 2-second burst window is spent.
    const limited = {
      status: 429,
      headers: {
        'x-ratelimit-limit': '40',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1',
        'retry-after': '1',
      },
      json: { success: false, error: 'Too Many Requests', errorCode: 429 },
    };
    const { res, attempts } = await c.rateLimited(
      id,
      '/v2/deals',
      {
        limited,
        ok: {
          headers: { 'x-ratelimit-limit': '40', 'x-ratelimit-remaining': '39', 'x-ratelimit-reset': '2' },
          json: { success: true, data: [], additional_data: { next_cursor: null } },
        },
      },
      config(),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    // Through the proxy the token travels in the header too, never as ?api_token=.
    const sent = c.requestsTo('GET /api/v2/deals').at(-1);
    expect(sent?.headers['x-api-token']).toBe(TOKEN);
    expect(sent?.url).not.toContain('api_token');
    expect(c.manifest.rate_limit).toMatchObject({
      remaining: 'x-ratelimit-remaining',
      limit: 'x-ratelimit-limit',
      reset: { header: 'x-ratelimit-reset', format: 'seconds' },
    });
  });

  it('streams: one page of every stream — v2 by cursor, v1 leads by start, v1 users whole', async () => {
    const id = await connected();
    for (const stream of c.manifest.streams) {
      if (stream.name === 'users') {
        // https://developers.pipedrive.com/docs/api/v1/Users#getUsers: every user in one answer, {success, data}.
        const page = await c.streamPage(
          id,
          'users',
          { json: { success: true, data: [{ id: 123, name: 'Martin', modified: '2026-12-02 10:00:00' }] } },
          { config: config() },
        );
        expect(page.sent.url).toBe('/api/v1/users');
        expect(page.records.map((r) => r.id)).toEqual([123]);
        continue;
      }
      if (stream.name === 'leads') {
        // https://developers.pipedrive.com/docs/api/v1/Leads#getLeads with offset paging
        // (https://pipedrive.readme.io/docs/core-api-concepts-pagination): start + limit, answer
        // additional_data.pagination {start, limit, more_items_in_collection, next_start}.
        const page = await c.streamPage(
          id,
          'leads',
          {
            json: {
              success: true,
              data: [
                { id: 'adf21080-0e10-11eb-879b-05d71fb426ec', title: 'Lead', update_time: '2026-12-02T10:00:00Z' },
              ],
              additional_data: {
                pagination: { start: 0, limit: 500, more_items_in_collection: true, next_start: 500 },
              },
            },
          },
          { config: config() },
        );
        expect(page.sent.url.split('?')[0]).toBe('/api/v1/leads');
        expect(page.query.get('limit')).toBe('500');
        expect(page.nextCursor).toBe(500);
        const next = await c.streamPage(
          id,
          'leads',
          { json: { success: true, data: [], additional_data: { pagination: { more_items_in_collection: false } } } },
          { cursor: '500', config: config() },
        );
        expect(next.query.get('start')).toBe('500');
        continue;
      }
      // https://pipedrive.readme.io/docs/core-api-concepts-pagination: v2 lists take cursor + limit (max 500) and
      // answer additional_data.next_cursor, null on the last page
      // (https://developers.pipedrive.com/docs/api/v1/Deals#getDeals, v2).
      const cursor = 'eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ';
      const first = await c.streamPage(
        id,
        stream.name,
        {
          json: {
            success: true,
            data: [{ id: 1, title: 'New deal', add_time: '2026-01-04T10:44:11Z', update_time: '2026-12-02T13:21:10Z' }],
            additional_data: { next_cursor: cursor },
          },
        },
        { config: config() },
      );
      expect(first.sent.url.split('?')[0]).toBe(`/api${stream.path}`);
      expect(stream.path).toMatch(/^\/v2\//);
      expect(first.query.get('limit')).toBe('500');
      expect(first.nextCursor).toBe(cursor);
      const last = await c.streamPage(
        id,
        stream.name,
        { json: { success: true, data: [], additional_data: { next_cursor: null } } },
        { cursor, config: config() },
      );
      expect(last.query.get('cursor')).toBe(cursor);
      expect(last.nextCursor).toBeNull();
    }
  });

  it('revocation: disconnect revokes the refresh token with HTTP Basic client auth, counted on Pipedrive’s 200', async () => {
    // https://pipedrive.readme.io/docs/app-uninstallation: POST https://oauth.pipedrive.com/oauth/revoke,
    // Authorization: Basic base64(client_id:client_secret), form token + token_type_hint=refresh_token.
    c.vendor.on('POST /oauth/revoke', { status: 200, body: '' });
    const { id, client } = await c.oauthConnection(
      { access_token: 'v1u:access', refresh_token: 'v1u:refresh-me', token_type: 'Bearer', extra: {} },
      undefined,
      config(),
    );
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /oauth/revoke').at(-1);
    expect(sent?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
    );
    const form = Object.fromEntries(new URLSearchParams(sent?.body.toString()));
    expect(form).toMatchObject({ token: 'v1u:refresh-me', token_type_hint: 'refresh_token' });
    expect(form.client_secret).toBeUndefined();
  });

  it('revocation: a refused revoke is not counted as revoked', async () => {
    c.vendor.on('POST /oauth/revoke', { status: 400, json: { error: 'invalid_client' } });
    const { id } = await c.oauthConnection(
      { access_token: 'v1u:access', refresh_token: 'v1u:unknown', token_type: 'Bearer', extra: {} },
      undefined,
      config(),
    );
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: a delivery with the HTTP Basic pair set on the webhook is accepted, another pair refused', async () => {
    const id = await connected();
    const { res, path } = await c.inboundSource(id, 'hookuser:hookpass');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'basic_auth' } });
    // https://pipedrive.readme.io/docs/guide-for-webhooks-v2: http_auth_user / http_auth_password set on the webhook
    // come back as Authorization: Basic on every delivery; v2 body {meta, data, previous}
    // (https://pipedrive.readme.io/docs/webhooks-v2-migration-guide).
    const body = JSON.stringify({
      meta: {
        action: 'change',
        entity: 'deal',
        entity_id: '1',
        id: 'a1b2c3d4-0000-4000-8000-000000000001',
        company_id: '5678',
        user_id: '123',
        timestamp: '2026-12-02T13:21:10.000Z',
        attempt: 1,
        version: '2.0',
        webhook_id: '42',
      },
      data: { id: 1, title: 'New deal', status: 'open' },
      previous: { status: 'lost' },
    });
    const basic = (pair: string) => ({ authorization: `Basic ${Buffer.from(pair).toString('base64')}` });
    const accepted = await c.deliver(path as string, body, basic('hookuser:hookpass'));
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, basic('hookuser:guess'));
    expect(forged.statusCode, forged.body).toBe(401);
    const unsigned = await c.deliver(path as string, body, {});
    expect(unsigned.statusCode, unsigned.body).toBe(401);
  });

  it.each([
    [
      'persons',
      { name: 'Ada Lovelace', emails: [{ value: 'ada@example.com', primary: true, label: 'work' }] },
      { first_name: 'Ada', last_name: 'Lovelace' },
    ],
    ['deals', { title: 'Engine No. 2', value: 1200, currency: 'EUR' }, { status: 'open' }],
  ])('two-way %s: v2 create, update and refusal as Pipedrive answers them', async (stream, fields, extra) => {
    const id = await connected();
    // https://developers.pipedrive.com/docs/api/v1/Persons (API v2 tab): POST /api/v2/persons and PATCH
    // /api/v2/persons/{id} -> 200 {success: true, data: <the item, RFC 3339 times>}; deals the same.
    const item = { id: 17, ...fields, ...extra, add_time: '2026-12-06T10:00:00Z', update_time: '2026-12-06T10:00:00Z' };
    const created = await pushRecord(c, id, stream, fields, { json: { success: true, data: item } }, config());
    expect(created.outcome).toMatchObject({ created: 1, rejected: [] });
    expect(created.sent).toMatchObject({ method: 'POST', url: `/api/v2/${stream}` });
    expect(created.body).toEqual(fields);
    expect(created.id).toBe('17');
    const updated = await pushRecord(
      c,
      id,
      stream,
      { id: 17, ...fields },
      { json: { success: true, data: item } },
      config(),
    );
    expect(updated.outcome).toMatchObject({ updated: 1, rejected: [] });
    expect(updated.sent).toMatchObject({ method: 'PATCH', url: `/api/v2/${stream}/17` });
    expect(updated.body).toEqual(fields);
    // https://pipedrive.readme.io/docs/core-api-concepts-responses: {success: false, error, error_info}.
    const refused = await pushRecord(
      c,
      id,
      stream,
      { id: 99, ...fields },
      pipedriveError(404, 'Item not found'),
      config(),
    );
    expect(refused.outcome.rejected[0]?.reason).toBe('404: Item not found');
  });

  it.each(['persons', 'deals'])(
    'two-way %s: changes with updated_since (RFC 3339, >=) sorted by update_time ascending',
    async (stream) => {
      const id = await connected();
      const read = await readChanges(
        c,
        id,
        stream,
        '2026-12-01T00:00:00.000Z',
        {
          json: {
            success: true,
            data: [{ id: 17, update_time: '2026-12-06T10:00:00Z' }],
            additional_data: { next_cursor: null },
          },
        },
        config(),
      );
      expect(read.sent.url.split('?')[0]).toBe(`/api/v2/${stream}`);
      expect(Object.fromEntries(read.query)).toMatchObject({
        updated_since: '2026-12-01T00:00:00Z',
        sort_by: 'update_time',
        sort_direction: 'asc',
        limit: '500',
      });
      expect(read.records.map((r) => r.id)).toEqual([17]);
      expect(read.state).toMatchObject({ cursor: '2026-12-06T10:00:00Z' });
    },
  );
});
