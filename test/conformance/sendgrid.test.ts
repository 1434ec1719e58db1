import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// SendGrid's shipped manifest against a fake that answers as SendGrid documents (v3). Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('sendgrid');
});
afterAll(() => c.close());

const KEY = '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';
const config = { api_host: 'api.sendgrid.com' };

// https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/errors: {"errors": [{field,
// message}]}; 401 unauthorized, 403 "Too many bad requests. Temporary block", 429, 451 data residency.
const sgError = (status: number, message: string) => ({ status, json: { errors: [{ field: null, message }] } });

// https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access
const scopes = {
  json: { scopes: ['mail.send', 'suppression.read', 'stats.read', 'templates.read', 'marketing.read'] },
  headers: { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': '1764929060' },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ config, credentials: { api_key: KEY }, reply: scopes });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('sendgrid conformance', () => {
  it('test call: GET /v3/scopes with the key as a bearer token; connected', async () => {
    const { res, sent } = await c.testCall({ config, credentials: { api_key: KEY }, reply: scopes });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it.each([
    [sgError(401, 'The provided authorization grant is invalid, expired, or revoked'), 'credential_revoked'],
    // A temporary block, not a missing permission: every key may read /scopes.
    [sgError(403, 'access forbidden'), 'vendor_error'],
    // A key of an EU subuser on the global host (or the reverse).
    [sgError(451, 'Unavailable due to data residency restrictions'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ config, credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: 429 with X-RateLimit-Reset is retried through the proxy', async () => {
    const id = await connected();
    // https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    const { res, attempts } = await c.rateLimited(id, '/suppression/bounces', {
      limited: {
        ...sgError(429, 'too many requests'),
        headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      },
      ok: { json: [] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  // email.send (capabilities/email.send.yaml) through the v3 Mail Send endpoint:
  // https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
  const message = {
    from: 'orders@example.com',
    to: ['ann@example.org', 'bob@example.org'],
    bcc: ['audit@example.com'],
    subject: 'Your order has shipped',
    text: 'It is on its way.',
    html: '<p>It is on its way.</p>',
    reply_to: 'help@example.com',
  };

  it('email.send: POST /v3/mail/send with one personalization; the 202’s X-Message-Id is the message id', async () => {
    const id = await connected();
    // https://www.twilio.com/docs/sendgrid/glossary/x-message-id: 202 Accepted, the id in the X-Message-Id header.
    const { res, sent } = await c.routed(id, 'email.send', message, {
      status: 202,
      headers: { 'x-message-id': 'W86EgYT6SQKk0lRflfLRsA' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(sent!.body.toString())).toEqual({
      personalizations: [
        { to: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }], bcc: [{ email: 'audit@example.com' }] },
      ],
      from: { email: 'orders@example.com' },
      reply_to: { email: 'help@example.com' },
      subject: 'Your order has shipped',
      // https://twilio.com/docs/sendgrid/api-reference/mail-send/errors: text/plain first, then text/html.
      content: [
        { type: 'text/plain', value: 'It is on its way.' },
        { type: 'text/html', value: '<p>It is on its way.</p>' },
      ],
    });
    expect(res.data).toMatchObject({
      data: {
        message_id: 'W86EgYT6SQKk0lRflfLRsA',
        accepted: ['ann@example.org', 'bob@example.org', 'audit@example.com'],
        provider_status: 'queued',
      },
      provider: { connector: 'sendgrid' },
    });
  });

  it.each([
    // https://support.sendgrid.com/hc/en-us/articles/34677918767131 (validation errors)
    [400, 'The content value must be a string at least one character in length.', 'status'],
    // https://support.sendgrid.com/hc/en-us/articles/18322114821403: the plan's credits are used up, not a bad key.
    [401, 'Maximum credits exceeded', 'plan'],
    [401, 'The provided authorization grant is invalid, expired, or revoked', 'auth'],
  ])('email.send: %i "%s" is a %s refusal in SendGrid’s words, nothing sent', async (status, words, failure) => {
    const id = await connected();
    const { res, sent } = await c.routed(id, 'email.send', message, sgError(status, words));
    expect(sent).toBeDefined();
    expect(res.statusCode, res.body).toBe(503);
    expect(res.data).toMatchObject({ code: 'providers_unavailable' });
    expect(res.data.may_have_been_sent).toBeUndefined();
    expect(res.data.attempts).toEqual([
      expect.objectContaining({ outcome: 'failed', status, reason: `${failure}: ${words}` }),
    ]);
  });

  it('email.send: 429 with X-RateLimit-Reset is a rate limit until that reset (strict: 429 with Retry-After)', async () => {
    const id = await connected();
    // https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits
    const reset = Math.floor(Date.now() / 1000) + 30;
    const { res } = await c.routed(id, 'email.send', message, {
      ...sgError(429, 'too many requests'),
      headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    expect(res.statusCode, res.body).toBe(429);
    expect(res.data).toMatchObject({ code: 'provider_rate_limited', retry_at: new Date(reset * 1000).toISOString() });
    expect(res.data.detail).toMatch(/^sendgrid: too many requests/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(25);
  });

  it('streams: one page of every stream (offset arrays, page_token lists with _metadata.next)', async () => {
    const id = await connected();
    // https://www.twilio.com/docs/sendgrid/api-reference/bounces-api/retrieve-all-bounces: a bare array.
    const suppression = {
      json: [{ created: 1764600000, email: 'a@example.com', reason: '550 5.1.1', status: '5.1.1' }],
    };
    for (const name of ['bounces', 'blocks', 'spam_reports', 'global_unsubscribes']) {
      const page = await c.streamPage(id, name, suppression, { config, cursor: '500' });
      expect(page.query.get('limit')).toBe('500');
      expect(page.query.get('offset')).toBe('500');
      expect(page.records.map((r) => r.email)).toEqual(['a@example.com']);
    }
    // https://www.twilio.com/docs/sendgrid/api-reference/transactional-templates/retrieve-paged-transactional-templates
    const next = 'https://api.sendgrid.com/v3/templates?generations=dynamic&page_size=200&page_token=abc';
    const templates = await c.streamPage(
      id,
      'templates',
      {
        json: {
          result: [{ id: 'd-1', name: 'Welcome', updated_at: '2026-12-01 10:00:00' }],
          _metadata: { self: '', next, count: 2 },
        },
      },
      { config },
    );
    expect(templates.query.get('generations')).toBe('dynamic');
    expect(templates.query.get('page_size')).toBe('200');
    expect(templates.nextCursor).toBe(next);
    // https://www.twilio.com/docs/sendgrid/api-reference/lists/get-all-lists
    const lists = await c.streamPage(
      id,
      'marketing_lists',
      {
        json: {
          result: [{ id: 'ca7a3796-e8a8-4029-9ccb-df8937940562', name: 'Newsletter', contact_count: 123 }],
          _metadata: {
            self: '',
            next: 'https://api.sendgrid.com/v3/marketing/lists?page_size=100&page_token=abc',
            count: 2,
          },
        },
      },
      { config, limit: 100 },
    );
    expect(lists.query.get('page_size')).toBe('100');
    expect(lists.nextCursor).toContain('page_token=abc');
    // https://www.twilio.com/docs/sendgrid/api-reference/stats/retrieve-global-email-statistics
    const stats = await c.streamPage(
      id,
      'stats',
      { json: [{ date: '2026-12-01', stats: [{ metrics: { requests: 10, delivered: 9 } }] }] },
      { config },
    );
    expect(stats.records.map((r) => r.date)).toEqual(['2026-12-01']);
  });

  it('webhooks: an ECDSA-signed Event Webhook verifies with the verification key; forged or tampered refused', async () => {
    const id = await connected();
    // SendGrid signs with its private key; the account shows the public key as base64 SubjectPublicKeyInfo.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const verificationKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const { res, path } = await c.inboundSource(id, verificationKey);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'sendgrid' } });
    // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features:
    // signature = base64(ECDSA-P256-SHA256(timestamp + raw body)), DER encoded.
    const body = JSON.stringify([
      {
        email: 'a@example.com',
        timestamp: 1764929000,
        event: 'delivered',
        sg_event_id: 'ZGVsaXZlcmVkLTAtMjQ',
        sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = (key = privateKey, content = body) => ({
      'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + content), key).toString(
        'base64',
      ),
      'x-twilio-email-event-webhook-timestamp': timestamp,
    });
    const accepted = await c.deliver(path as string, body, signed());
    expect(accepted.statusCode, accepted.body).toBe(202);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const forged = await c.deliver(path as string, body, signed(other));
    expect(forged.statusCode, forged.body).toBe(401);
    const tampered = await c.deliver(path as string, body.replace('delivered', 'bounce'), signed());
    expect(tampered.statusCode, tampered.body).toBe(401);
    const unsigned = await c.deliver(path as string, body, {});
    expect(unsigned.statusCode, unsigned.body).toBe(401);
  });
});
