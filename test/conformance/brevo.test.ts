import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Brevo's shipped manifest against a fake that answers as Brevo documents (API v3). Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('brevo');
});
afterAll(() => c.close());

const KEY = 'xkeysib-0123456789abcdef0123456789abcdef-AbCdEfGhIjKlMnOp';

// https://developers.brevo.com/reference/get-account: organization_id, user_id, email, companyName, plan, relay, ...
const account = {
  json: {
    organization_id: '5f8d3e2a1b4c',
    user_id: 1234567,
    enterprise: false,
    email: 'ann@example.com',
    firstName: 'Ann',
    lastName: 'Admin',
    companyName: 'Acme',
    address: { street: '1 Main St', city: 'Paris', zipCode: '75001', country: 'France' },
    plan: [{ type: 'free', creditsType: 'sendLimit', credits: 300 }],
    relay: { enabled: true, data: { userName: 'ann@example.com', relay: 'smtp-relay.brevo.com', port: 587 } },
  },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ credentials: { api_key: KEY }, reply: account });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('brevo conformance', () => {
  it('test call: GET /account with the api-key header; connected with the organisation id and company', async () => {
    const { res, sent } = await c.testCall({ credentials: { api_key: KEY }, reply: account });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers['api-key']).toBe(KEY);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '5f8d3e2a1b4c',
      vendor_account_name: 'Acme',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // https://developers.brevo.com/docs/how-it-works (errors: {code, message}; 401 unauthorized "Key not found")
    [{ status: 401, json: { code: 'unauthorized', message: 'Key not found' } }, 'credential_revoked'],
    // A 200 that is not an account (no email) is not a success.
    [{ status: 200, json: {} }, 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: 429 with the x-sib-ratelimit headers (no Retry-After) is retried after the reset', async () => {
    const id = await connected();
    // https://developers.brevo.com/docs/limit-headers: x-sib-ratelimit-limit / -remaining / -reset (seconds).
    const headers = { 'x-sib-ratelimit-limit': '100', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '1' };
    const { res, attempts } = await c.rateLimited(id, '/contacts', {
      limited: {
        status: 429,
        headers,
        json: { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' },
      },
      ok: { json: { contacts: [], count: 0 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  // email.send (capabilities/email.send.yaml): https://developers.brevo.com/reference/sendtransacemail
  const message = {
    from: 'orders@example.com',
    to: ['ann@example.org'],
    cc: ['bob@example.org'],
    subject: 'Your order has shipped',
    text: 'It is on its way.',
  };

  it('email.send: POST /v3/smtp/email with the api-key header; the 201’s messageId is the message id', async () => {
    const id = await connected();
    const messageId = '<202612061500.123456789012@smtp-relay.mailin.fr>';
    const { res, sent } = await c.routed(id, 'email.send', message, { status: 201, json: { messageId } });
    expect(res.statusCode, res.body).toBe(200);
    expect(sent?.headers['api-key']).toBe(KEY);
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    // No htmlContent: a text-only message is accepted (https://github.com/anymail/django-anymail/pull/483).
    expect(JSON.parse(sent!.body.toString())).toEqual({
      sender: { email: 'orders@example.com' },
      to: [{ email: 'ann@example.org' }],
      cc: [{ email: 'bob@example.org' }],
      subject: 'Your order has shipped',
      textContent: 'It is on its way.',
    });
    expect(res.data).toMatchObject({
      data: { message_id: messageId, accepted: ['ann@example.org', 'bob@example.org'] },
      provider: { connector: 'brevo' },
    });
  });

  it('email.send: a 400 {code, message} is refused with Brevo’s message, nothing sent', async () => {
    const id = await connected();
    // https://github.com/getbrevo/brevo-ruby/issues/8
    const { res } = await c.routed(id, 'email.send', message, {
      status: 400,
      json: { code: 'missing_parameter', message: 'Either of htmlContent or textContent is required' },
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.data.attempts).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        status: 400,
        reason: 'status: HTTP 400: Either of htmlContent or textContent is required',
      }),
    ]);
  });

  it('email.send: 429 with x-sib-ratelimit-reset (seconds) is a rate limit until that reset', async () => {
    const id = await connected();
    // https://developers.brevo.com/docs/limit-headers (the 429 body's wording is unconfirmed)
    const { res } = await c.routed(id, 'email.send', message, {
      status: 429,
      headers: { 'x-sib-ratelimit-limit': '1000', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '40' },
      json: { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' },
    });
    expect(res.statusCode, res.body).toBe(429);
    expect(res.data).toMatchObject({ code: 'provider_rate_limited' });
    expect(res.data.detail).toMatch(/^brevo: The expected rate limit is exceeded\./);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(35);
  });

  it('streams: one page of every stream, limit and offset sent, records under the resource name', async () => {
    const id = await connected();
    const pages: Record<string, unknown> = {
      // https://developers.brevo.com/reference/get-contacts
      contacts: {
        contacts: [
          {
            id: 42,
            email: 'a@example.com',
            emailBlacklisted: false,
            smsBlacklisted: false,
            createdAt: '2026-01-01T10:00:00.000+01:00',
            modifiedAt: '2026-12-02T10:00:00.000+01:00',
            listIds: [2],
            attributes: { FIRSTNAME: 'A' },
          },
        ],
        count: 1,
      },
      // https://developers.brevo.com/reference/get-lists
      lists: {
        lists: [{ id: 2, name: 'Newsletter', totalBlacklisted: 0, totalSubscribers: 10, folderId: 1 }],
        count: 1,
      },
      // https://developers.brevo.com/reference/get-attributes: not paginated
      attributes: {
        attributes: [
          { name: 'FIRSTNAME', category: 'normal', type: 'text' },
          { name: 'FIRSTNAME', category: 'transactional', type: 'text' },
        ],
      },
      // https://developers.brevo.com/reference/get-email-campaigns (limit max 100 since the pagination change)
      email_campaigns: { campaigns: [{ id: 7, name: 'December', modifiedAt: '2026-12-01T10:00:00.000Z' }], count: 1 },
      // https://developers.brevo.com/reference/get-email-event-report
      transactional_events: {
        events: [
          {
            email: 'a@example.com',
            date: '2026-12-02T10:00:00.000+01:00',
            subject: 'Hi',
            messageId: '<202612021000.1234@smtp-relay.mailin.fr>',
            event: 'delivered',
            tag: 'welcome',
            from: 'no-reply@acme.com',
          },
          {
            email: 'a@example.com',
            date: '2026-12-02T10:05:00.000+01:00',
            subject: 'Hi',
            messageId: '<202612021000.1234@smtp-relay.mailin.fr>',
            event: 'opened',
            from: 'no-reply@acme.com',
          },
        ],
      },
      // https://developers.brevo.com/reference/get-smtp-templates
      smtp_templates: { templates: [{ id: 3, name: 'Welcome', modifiedAt: '2026-12-01T10:00:00.000Z' }], count: 1 },
    };
    for (const stream of c.manifest.streams) {
      const page = await c.streamPage(id, stream.name, { json: pages[stream.name] }, { limit: 50, cursor: '50' });
      expect(page.records.length, stream.name).toBeGreaterThan(0);
      expect(page.sent.headers['api-key']).toBe(KEY);
      if (page.pagination?.style === 'offset') {
        expect(page.query.get('limit')).toBe('50');
        expect(page.query.get('offset')).toBe('50');
      } else {
        expect(page.query.get('offset')).toBeNull();
      }
      // Records that share a name or a messageId are told apart by the rest of the key.
      const keys = page.records.map((r) => JSON.stringify(stream.primary_key.map((k) => r[k])));
      expect(new Set(keys).size).toBe(page.records.length);
    }
    expect(c.manifest.streams.find((s) => s.name === 'email_campaigns')?.pagination?.max_limit).toBe(100);
  });

  it('webhooks: deliveries carry the Basic credentials of the notify URL; missing or wrong ones are refused', async () => {
    const id = await connected();
    // https://developers.brevo.com/docs/secured-webhooks: no signature; a notify URL https://user:pass@host/...
    // makes Brevo send Authorization: Basic base64(user:pass).
    const { res, path } = await c.inboundSource(id, 'hookuser:hookpass');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'basic_auth' } });
    const body = JSON.stringify({
      event: 'delivered',
      email: 'a@example.com',
      id: 123,
      date: '2026-12-02 10:00:00',
      ts: 1764666000,
      'message-id': '<202612021000.1234@smtp-relay.mailin.fr>',
      ts_event: 1764666000,
      subject: 'Hi',
      tag: 'welcome',
    });
    const accepted = await c.deliver(path as string, body, { authorization: 'Basic aG9va3VzZXI6aG9va3Bhc3M=' });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const wrong = await c.deliver(path as string, body, {
      authorization: `Basic ${Buffer.from('hookuser:guess').toString('base64')}`,
    });
    expect(wrong.statusCode, wrong.body).toBe(401);
    const missing = await c.deliver(path as string, body, {});
    expect(missing.statusCode, missing.body).toBe(401);
  });
});
