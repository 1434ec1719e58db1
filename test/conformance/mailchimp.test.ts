import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Mailchimp's shipped manifest against a fake that answers as Mailchimp documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('mailchimp');
});
afterAll(() => c.close());

const KEY = '0123456789abcdef0123456789abcdef-us19';
const config = { dc: 'us19' };

// https://mailchimp.com/developer/marketing/api/root/list-api-root-resources/: GET /3.0/ answers the account
// (account_id, account_name, email, role, ...).
const root = {
  status: 200,
  json: {
    account_id: '8d3a3db4d97663a9074efcc16',
    login_id: '103047845',
    account_name: "Freddie's Jokes",
    email: 'freddie@freddiesjokes.com',
    role: 'owner',
    pricing_plan_type: 'monthly',
    total_subscribers: 1498,
    _links: [],
  },
};

// https://mailchimp.com/developer/marketing/docs/errors/: application/problem+json {type, title, status, detail,
// instance}.
const problem = (status: number, title: string, detail: string) => ({
  status,
  headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  body: JSON.stringify({
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title,
    status,
    detail,
    instance: '4e7e0b3b-6a5d-4a4f-8f3c-0b2f0d1c2e3a',
  }),
});

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'basic', credentials: { api_key: KEY }, config, reply: root });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('mailchimp conformance', () => {
  it('test call: GET /3.0/ with the key as the Basic password; connected with the account id and name', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'basic',
      credentials: { api_key: KEY },
      config,
      reply: root,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/3.0/');
    const [, password] = Buffer.from(String(sent.headers.authorization).replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    expect(password).toBe(KEY);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '8d3a3db4d97663a9074efcc16',
      vendor_account_name: "Freddie's Jokes",
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // A dead key, or the wrong data centre (the same answer): 401 "API Key Invalid".
    [
      problem(
        401,
        'API Key Invalid',
        "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
      ),
      'credential_revoked',
      'API Key Invalid',
    ],
    // 403 is no scope problem (keys have none): User Disabled, Forbidden, Wrong Datacenter → the vendor's error.
    [problem(403, 'User Disabled', 'This account has been disabled.'), 'vendor_error', 'User Disabled'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome, title) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'basic', credentials: { api_key: KEY }, config, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    if (outcome === 'vendor_error') expect(res.data.outcome).toMatchObject({ vendor_code: title });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: 429 "Too Many Requests" (10 simultaneous connections, no headers) is retried through the proxy', async () => {
    const id = await connected();
    // https://mailchimp.com/developer/marketing/docs/errors/ (429 Too Many Requests); no Retry-After documented.
    const { res, attempts } = await c.rateLimited(
      id,
      '/lists',
      {
        limited: problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'),
        ok: { json: { lists: [], total_items: 0, _links: [] } },
      },
      config,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream (count 1000, offset); members and segments per audience, keyed with list_id', async () => {
    const id = await connected();
    // https://mailchimp.com/developer/marketing/docs/methods-parameters/#pagination: count (max 1000) + offset,
    // total_items; each collection under its own name.
    for (const stream of c.manifest.streams) {
      const results = stream.pagination?.results_path?.replace('$.', '') as string;
      const record = { id: `${stream.name}-1`, list_id: 'a6b5da1054', last_changed: '2026-11-20T10:00:00+00:00' };
      const page = { json: { [results]: [record], total_items: 3, _links: [] } };
      const parent = stream.parent ? { parent: { id: 'a6b5da1054' } } : {};
      const first = await c.streamPage(id, stream.name, page, { config, ...parent });
      expect(first.sent.url.split('?')[0]).toBe(
        stream.parent ? `/3.0/lists/a6b5da1054/${stream.name}` : `/3.0/${stream.name}`,
      );
      expect(first.query.get('count')).toBe('1000');
      expect(first.records.map((r) => r.id)).toEqual([`${stream.name}-1`]);
      if (stream.parent) expect(stream.primary_key).toEqual(['list_id', 'id']);
      const second = await c.streamPage(id, stream.name, page, { cursor: '1000', config, ...parent });
      expect(second.query.get('offset')).toBe('1000');
    }
  });

  it('revocation: none documented — OAuth declares no revocation, tokens never expire', () => {
    const oauth = c.manifest.auth.find((a) => a.type === 'oauth2');
    expect(oauth).toMatchObject({ type: 'oauth2' });
    expect(oauth && 'revocation' in oauth ? oauth.revocation : undefined).toBeUndefined();
    expect(oauth && 'revocation_url' in oauth ? oauth.revocation_url : undefined).toBeUndefined();
  });

  it('webhooks: the URL check answered, unsigned form posts accepted at the source’s URL with their type', async () => {
    const id = await connected();
    const res = await c.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      // Nothing but the connection: the manifest says Mailchimp posts forms, so the source accepts them by default.
      body: { name: 'Mailchimp webhooks', connection_id: id },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({
      verification: { type: 'none' },
      handshake: 'get_ok',
      content_types: ['application/x-www-form-urlencoded'],
    });
    const path = new URL((res.data.source as { url: string }).url).pathname;
    // https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/: Mailchimp checks the URL when the
    // webhook is saved (a GET per the API reference, an empty POST per some guides: both get a 2xx), then POSTs
    // form-encoded events (type, fired_at "Y-m-d H:i:s", data[...]).
    const check = await c.t.request({ url: path, token: null });
    expect(check.statusCode, check.body).toBe(200);
    for (const contentType of [null, 'application/x-www-form-urlencoded']) {
      const emptyPost = await c.deliver(path, '', {}, { contentType });
      expect(emptyPost.statusCode, emptyPost.body).toBe(200);
    }
    // A URL check is not an event: nothing stored, nothing counted as rejected.
    const stored = await c.t.db.query('select status from inbound_events');
    expect(stored.rows).toEqual([]);
    const body =
      'type=subscribe&fired_at=2026-12-05+10%3A30%3A00&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054' +
      '&data%5Bemail%5D=api%40mailchimp.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BFNAME%5D=Mailchimp';
    const accepted = await c.deliver(path, body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const event = await c.t.request({ url: `/v1/inbound/events/${accepted.data.id as string}` });
    expect(event.data).toMatchObject({ event_type: 'subscribe' });
    const guessed = await c.deliver(
      path.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')),
      body,
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect([401, 404]).toContain(guessed.statusCode);
  });
});
