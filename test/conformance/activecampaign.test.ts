import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// ActiveCampaign's shipped manifest against a fake that answers as ActiveCampaign documents. Every answer cites its
// page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('activecampaign');
});
afterAll(() => c.close());

const KEY = '123abc-def-ghi';
// The fake plays the account's API URL (https://youraccount.api-us1.com).
const config = () => ({ api_url: c.vendor.url });

// https://developers.activecampaign.com/docs/authentication: GET /api/3/users/me with the Api-Token header answers
// {user: {id, username, firstName, lastName, email, links}}.
const me = {
  status: 200,
  json: {
    user: { id: '1', username: 'admin', firstName: 'Ann', lastName: 'Admin', email: 'ann@example.com', links: {} },
  },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply: me });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('activecampaign conformance', () => {
  it('test call: GET /api/3/users/me with the Api-Token header; connected with the user id and email', async () => {
    const { res, sent } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply: me });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/api/3/users/me');
    expect(sent.headers['api-token']).toBe(KEY);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '1',
      vendor_account_name: 'ann@example.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // An invalid key: 403 {"message": "No Result found for User with id 0"} (wording unconfirmed;
    // https://developers.activecampaign.com/docs/authentication); 401 is mapped the same.
    [{ status: 403, json: { message: 'No Result found for User with id 0' } }, 'credential_revoked'],
    [{ status: 401, json: { message: 'Unauthorized' } }, 'credential_revoked'],
    // A 200 without a user is not an account.
    [{ status: 200, json: { message: 'ok' } }, 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: 429 with Retry-After is retried through the proxy; RateLimit-* headers declared', async () => {
    const id = await connected();
    // https://developers.activecampaign.com/reference/rate-limits.md: 5 requests/s per account; 429 with Retry-After
    // (seconds); RateLimit-Limit and RateLimit-Remaining on every answer.
    const { res, attempts } = await c.rateLimited(
      id,
      '/contacts',
      {
        limited: {
          status: 429,
          headers: { 'retry-after': '1', 'ratelimit-limit': '5', 'ratelimit-remaining': '0' },
          body: 'Too Many Requests',
        },
        ok: {
          headers: { 'ratelimit-limit': '5', 'ratelimit-remaining': '4' },
          json: { contacts: [], meta: { total: '0' } },
        },
      },
      config(),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(c.manifest.rate_limit).toMatchObject({ remaining: 'ratelimit-remaining', limit: 'ratelimit-limit' });
  });

  it('streams: one page of every stream, results under the resource name, limit 100 and offset', async () => {
    const id = await connected();
    for (const stream of c.manifest.streams) {
      // https://developers.activecampaign.com/reference/pagination.md: limit (default 20, max 100) + zero-based
      // offset; the records under the resource's name and the total in meta.total.
      const page = {
        json: {
          [stream.name]: [
            { id: '1', cdate: '2026-01-01T10:00:00-06:00', udate: '2026-12-02T10:00:00-06:00', links: {} },
          ],
          meta: { total: '1520', page_input: { limit: 100, offset: 0 } },
        },
      };
      const first = await c.streamPage(id, stream.name, page, { config: config() });
      expect(first.sent.url.split('?')[0]).toBe(`/api/3/${stream.name}`);
      expect(first.query.get('limit')).toBe('100');
      expect(first.records.map((r) => r.id)).toEqual(['1']);
      const second = await c.streamPage(id, stream.name, page, { cursor: '100', config: config() });
      expect(second.query.get('offset')).toBe('100');
    }
  });

  it('webhooks: unsigned form posts, accepted only at the source’s own unguessable URL', async () => {
    const id = await connected();
    const res = await c.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      // Nothing but the connection: the manifest says ActiveCampaign posts forms, so the source accepts them.
      body: { name: 'ActiveCampaign webhooks', connection_id: id },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({
      verification: { type: 'none' },
      content_types: ['application/x-www-form-urlencoded'],
    });
    const path = new URL((res.data.source as { url: string }).url).pathname;
    // https://developers.activecampaign.com/page/webhooks: form-encoded (type, date_time, initiated_by, contact[...]),
    // no signature; the URL is the only secret.
    const body = 'type=subscribe&date_time=2026-12-02T10%3A00%3A00-06%3A00&initiated_by=admin&list=1&contact%5Bid%5D=1';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const accepted = await c.deliver(path, body, form);
    expect(accepted.statusCode, accepted.body).toBe(202);
    const guessed = await c.deliver(
      path.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')),
      body,
      form,
    );
    expect([401, 404]).toContain(guessed.statusCode);
  });
});
