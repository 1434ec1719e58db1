import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Twilio's shipped manifest against a fake that answers as Twilio documents (REST API 2010-04-01). Every answer
// cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('twilio');
});
afterAll(() => c.close());

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
const AUTH_TOKEN = 'your_auth_token_0123456789abcdef';
const config = { account_sid: SID, api_host: 'api.twilio.com' };

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

// https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions: {code, message, more_info, status}.
const twilioError = (status: number, code: number, message: string) => ({
  status,
  json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

// https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource
const account = {
  json: {
    sid: SID,
    friendly_name: 'My Account',
    status: 'active',
    type: 'Full',
    owner_account_sid: SID,
    date_created: 'Thu, 30 Jul 2015 20:00:00 +0000',
    uri: `/2010-04-01/Accounts/${SID}.json`,
  },
};

// https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
const messagesPage = (resource: string, records: Record<string, unknown>[], next: string | null) => ({
  json: {
    [resource]: records,
    page: 0,
    page_size: 50,
    first_page_uri: `/2010-04-01/Accounts/${SID}/Messages.json?PageSize=50&Page=0`,
    next_page_uri: next,
    previous_page_uri: null,
    uri: `/2010-04-01/Accounts/${SID}/Messages.json?PageSize=50&Page=0`,
    start: 0,
    end: 49,
  },
});
const message = {
  sid: `SM${'a'.repeat(32)}`,
  status: 'delivered',
  direction: 'outbound-api',
  from: '+15017122661',
  to: '+15558675310',
  body: 'Hi',
  price: '-0.00750',
  date_sent: 'Tue, 02 Dec 2026 10:00:00 +0000',
  date_updated: 'Tue, 02 Dec 2026 10:00:05 +0000',
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function tokenConnection(): Promise<string> {
  const { res } = await c.testCall({
    auth_method: 'basic',
    config,
    credentials: { password: AUTH_TOKEN },
    reply: account,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('twilio conformance', () => {
  it('Auth Token: GET /Accounts/{sid}.json as Basic SID:token; connected with the account sid and name', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'basic',
      config,
      credentials: { password: AUTH_TOKEN },
      reply: account,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(basic(SID, AUTH_TOKEN));
    expect(res.data).toMatchObject({
      state: 'active',
      auth_method: 'basic',
      vendor_account_id: SID,
      vendor_account_name: 'My Account',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it('Auth Token: 401 20003 "Authenticate" is credential_revoked, nothing stored', async () => {
    // https://www.twilio.com/docs/api/errors/20003
    const before = await connectionCount();
    const { res } = await c.testCall({
      auth_method: 'basic',
      config,
      credentials: { password: 'wrong' },
      reply: twilioError(401, 20003, 'Authenticate'),
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ outcome: { outcome: 'credential_revoked', status: 401 } });
    expect(await connectionCount()).toBe(before);
  });

  it('API key: its own test reads Messages.json?PageSize=1 (never /Accounts, which keys cannot read)', async () => {
    // https://twilio.com/docs/iam/api-keys/keys-in-console: Standard and Restricted keys cannot use /Accounts;
    // they get 401 20003 "Authentication Error - invalid username" there although valid.
    const route = c.routeOf('GET', `/Accounts/${SID}/Messages.json`);
    c.vendor.on(route, messagesPage('messages', [message], null));
    const before = c.requestsTo(route).length;
    const res = await c.connect({
      auth_method: 'api_key',
      config,
      credentials: { api_key_sid: KEY_SID, api_key_secret: 'key-secret' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ auth_method: 'api_key', last_test_outcome: { outcome: 'connected' } });
    const sent = c.requestsTo(route)[before];
    expect(sent?.headers.authorization).toBe(basic(KEY_SID, 'key-secret'));
    expect(new URL(sent?.url ?? '', c.vendor.url).searchParams.get('PageSize')).toBe('1');
    expect(
      c
        .requestsTo(c.routeOf('GET', `/Accounts/${SID}.json`))
        .filter((r) => r.headers.authorization === basic(KEY_SID, 'key-secret')),
    ).toEqual([]);
  });

  it.each([
    // https://www.twilio.com/docs/api/errors/20003: a wrong or deleted key (or one of another region).
    [twilioError(401, 20003, 'Authenticate'), 422, 'credential_revoked'],
    // https://twilio.com/docs/api/errors/70051: a Restricted key without the permission - valid, limited.
    [twilioError(403, 70051, 'Authorization Failed'), 201, 'connected_limited'],
  ])('API key: answer %# maps to its outcome', async (reply, status, outcome) => {
    const before = await connectionCount();
    c.vendor.on(c.routeOf('GET', `/Accounts/${SID}/Messages.json`), reply);
    const res = await c.connect({
      auth_method: 'api_key',
      config,
      credentials: { api_key_sid: KEY_SID, api_key_secret: 'key-secret' },
    });
    expect(res.statusCode, res.body).toBe(status);
    if (status === 422) {
      expect(res.data).toMatchObject({ outcome: { outcome } });
      expect(await connectionCount()).toBe(before);
    } else {
      expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome } });
    }
  });

  it('rate limit: 429 20429 is retried through the proxy', async () => {
    const id = await tokenConnection();
    // https://www.twilio.com/docs/api/errors/20429 (Retry-After on 429 is not documented; the proxy backs off).
    const { res, attempts } = await c.rateLimited(id, `/Accounts/${SID}/Calls.json`, {
      limited: { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '1' } },
      ok: messagesPage('calls', [], null),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream, PageSize sent, results under the resource name, next_page_uri', async () => {
    const id = await tokenConnection();
    const next = `/2010-04-01/Accounts/${SID}/Messages.json?PageSize=1000&Page=1&PageToken=PASM${'a'.repeat(32)}`;
    const pages: Record<string, [string, Record<string, unknown>]> = {
      messages: ['messages', message],
      // https://www.twilio.com/docs/voice/api/call-resource#read-multiple-call-resources
      calls: [
        'calls',
        { sid: `CA${'b'.repeat(32)}`, status: 'completed', start_time: 'Tue, 02 Dec 2026 10:00:00 +0000' },
      ],
      // https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource
      incoming_phone_numbers: [
        'incoming_phone_numbers',
        { sid: `PN${'c'.repeat(32)}`, phone_number: '+15017122661', date_updated: 'Tue, 02 Dec 2026 10:00:00 +0000' },
      ],
      // https://www.twilio.com/docs/usage/api/usage-record: one record per category per period, no sid.
      usage_records: [
        'usage_records',
        {
          account_sid: SID,
          category: 'sms',
          description: 'SMS',
          start_date: '2026-12-01',
          end_date: '2026-12-01',
          count: '12',
          count_unit: 'messages',
          usage: '12',
          usage_unit: 'messages',
          price: '0.09',
          price_unit: 'usd',
        },
      ],
    };
    for (const stream of c.manifest.streams) {
      const [resource, record] = pages[stream.name] ?? [];
      expect(resource, `no page for ${stream.name}`).toBeDefined();
      const page = await c.streamPage(id, stream.name, messagesPage(resource as string, [record as never], next), {
        config,
      });
      expect(page.query.get('PageSize')).toBe('1000');
      expect(page.records).toHaveLength(1);
      expect(page.nextCursor).toBe(next);
      expect(page.sent.headers.authorization).toBe(basic(SID, AUTH_TOKEN));
    }
    expect(c.manifest.streams.find((s) => s.name === 'usage_records')?.primary_key).toEqual(['category', 'start_date']);
  });

  it('webhooks: a source for an Auth Token connection verifies with the token; a forged signature is refused', async () => {
    const id = await tokenConnection();
    const res = await c.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'Twilio status callbacks', connection_id: id },
    });
    expect(res.statusCode, res.body).toBe(201);
    const source = res.data.source as { url: string; verification: { type: string } };
    expect(source.verification.type).toBe('twilio');
    expect(res.data.secret ?? null).toBeNull();
    // https://www.twilio.com/docs/usage/webhooks/webhooks-security: X-Twilio-Signature = base64(HMAC-SHA1(Auth
    // Token, full URL + every POST parameter sorted by name as name+value)).
    const params = {
      AccountSid: SID,
      From: '+15017122661',
      MessageSid: `SM${'a'.repeat(32)}`,
      MessageStatus: 'delivered',
      To: '+15558675310',
    };
    const body = new URLSearchParams(params).toString();
    const signed = (key: string) =>
      createHmac('sha1', key)
        .update(
          source.url +
            Object.entries(params)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => k + v)
              .join(''),
        )
        .digest('base64');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const path = new URL(source.url).pathname;
    const accepted = await c.deliver(path, body, { ...form, 'x-twilio-signature': signed(AUTH_TOKEN) });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path, body, { ...form, 'x-twilio-signature': signed('someone-elses-token') });
    expect(forged.statusCode, forged.body).toBe(401);
  });

  it('webhooks: an API-key connection verifies with its optional Auth Token; without one the secret is asked for', async () => {
    c.vendor.on(c.routeOf('GET', `/Accounts/${SID}/Messages.json`), messagesPage('messages', [], null));
    const withToken = await c.connect({
      auth_method: 'api_key',
      config,
      credentials: { api_key_sid: KEY_SID, api_key_secret: 'key-secret', password: AUTH_TOKEN },
    });
    expect(withToken.statusCode, withToken.body).toBe(201);
    const made = await c.inboundSource(withToken.data.id as string, undefined as never);
    expect(made.res.statusCode, made.res.body).toBe(201);
    const url = (made.res.data.source as { url: string }).url;
    const body = 'MessageSid=SM1&MessageStatus=sent';
    const sig = createHmac('sha1', AUTH_TOKEN).update(`${url}MessageSidSM1MessageStatussent`).digest('base64');
    const ok = await c.deliver(made.path as string, body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': sig,
    });
    expect(ok.statusCode, ok.body).toBe(202);

    const keyOnly = await c.connect({
      auth_method: 'api_key',
      config,
      credentials: { api_key_sid: KEY_SID, api_key_secret: 'key-secret' },
    });
    expect(keyOnly.statusCode, keyOnly.body).toBe(201);
    const refused = await c.inboundSource(keyOnly.data.id as string, undefined as never);
    expect(refused.res.statusCode, refused.res.body).toBe(400);
    expect(refused.res.body).toMatch(/Auth Token/);
  });
});
