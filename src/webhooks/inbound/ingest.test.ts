import { createHash, createHmac } from 'node:crypto';
import net from 'node:net';
import { sign as signGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from '../../../test/helpers/app.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';
import { generateHmacSecret } from '../signing.js';

/*
 * The public ingest route over real HTTP where the wire matters (slow bodies, sizes) and through inject elsewhere.
 * Signatures come from the vendors' libraries (stripe, @octokit/webhooks-methods, standardwebhooks); Slack and
 * Shopify are computed from their documented algorithms.
 */

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ config: { inbound: { bodyTimeoutMs: 300, concurrency: 4, retentionMs: 86_400_000 } } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as net.AddressInfo;
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await t.close();
});

const stripe = new Stripe('sk_test_x');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function source(body: Record<string, unknown>): Promise<{ id: string; path: string }> {
  const res = await t.request({ method: 'POST', url: '/v1/inbound/sources', body: { name: 'src', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.data.source as { id: string; url: string };
  return { id: s.id, path: new URL(s.url).pathname };
}

/**
 * Ingest has two front doors: the fast path answers the common case over HTTP before Fastify (core/http/fast-route.ts),
 * and the Fastify route answers the rest, and every request `app.inject` sends. The vendor and bad-input cases run
 * through each.
 */
const doors = ['the fast path (real HTTP)', 'the Fastify route (inject)'] as const;
let door: (typeof doors)[number] = doors[0];

type Answer = Pick<TestResponse, 'statusCode' | 'headers' | 'body' | 'data'>;

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const sent = { 'content-type': 'application/json', ...headers };
  if (door === doors[1]) return t.request({ method: 'POST', url: path, body, headers: sent, token: null });
  const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: sent });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    statusCode: res.status,
    headers: Object.fromEntries(res.headers),
    body: text,
    data: (type.includes('json') && text !== '' ? JSON.parse(text) : {}) as TestResponse['data'],
  };
}

async function eventRow(id: string) {
  const { rows } = await t.db.query<{ status: string; body: Uint8Array | null; dedup_key: string | null }>(
    'select status, body, dedup_key from inbound_events where id = $1',
    [id],
  );
  return rows[0];
}

async function rejections(sourceId: string) {
  const res = await t.request({ url: `/v1/inbound/sources/${sourceId}` });
  return res.data.rejections as { count: number; last_reason: string | null };
}

describe.each(doors)('inbound ingest: vendor signatures, through %s', (through) => {
  beforeAll(() => {
    door = through;
  });

  it('Stripe: valid, tampered, wrong secret, stale and future timestamps; the event id deduplicates retries', async () => {
    const secret = 'whsec_stripe_test_secret';
    const s = await source({ verification: { type: 'stripe' }, secret });
    const body = JSON.stringify({ id: 'evt_123', type: 'invoice.paid', data: { object: { amount: 4200 } } });
    const header = (payload: string, opts: { secret?: string; timestamp?: number } = {}) =>
      stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? secret, timestamp: opts.timestamp });

    const ok = await post(s.path, body, { 'stripe-signature': header(body) });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.data).toMatchObject({ status: 'processed', duplicate_of: null });
    const stored = await eventRow(ok.data.id as string);
    expect(Buffer.from(stored?.body as Uint8Array).toString('utf8')).toBe(body);
    expect(stored?.dedup_key).toBe('evt_123');
    const logged = await t.request({ url: `/v1/inbound/events/${ok.data.id}` });
    expect(logged.data).toMatchObject({ event_type: 'invoice.paid', status: 'processed' });

    const retry = await post(s.path, body, { 'stripe-signature': header(body) });
    expect(retry.statusCode).toBe(202);
    expect(retry.data).toMatchObject({ status: 'duplicate', duplicate_of: ok.data.id });

    const tampered = body.replace('4200', '1');
    expectProblem(await post(s.path, tampered, { 'stripe-signature': header(body) }), 401, 'signature_invalid');
    expectProblem(
      await post(s.path, body, { 'stripe-signature': header(body, { secret: 'whsec_other' }) }),
      401,
      'signature_invalid',
    );
    expectProblem(
      await post(s.path, body, { 'stripe-signature': header(body, { timestamp: nowSeconds() - 301 }) }),
      401,
      'timestamp_out_of_tolerance',
    );
    expectProblem(
      await post(s.path, body, { 'stripe-signature': header(body, { timestamp: nowSeconds() + 301 }) }),
      401,
      'timestamp_out_of_tolerance',
    );
    expectProblem(await post(s.path, body), 401, 'signature_invalid');
    expect(await rejections(s.id)).toMatchObject({ count: 5 });
    // Rejected requests are logged without their bodies.
    const log = await t.request({ url: `/v1/inbound/events?source_id=${s.id}&status=rejected` });
    const rejected = log.data.data as { preview: string | null; rejection: string; body_size: number }[];
    expect(rejected).toHaveLength(5);
    expect(rejected.map((r) => r.rejection).sort()).toEqual([
      'bad_signature',
      'bad_signature',
      'future_timestamp',
      'missing_signature',
      'stale_timestamp',
    ]);
    for (const r of rejected) expect(r.preview).toBeNull();
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from inbound_events where source_id = $1 and status = 'rejected' and body is not null`,
      [s.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('GitHub (@octokit/webhooks-methods): X-GitHub-Delivery deduplicates, X-GitHub-Event is the type', async () => {
    const secret = 'github-secret';
    const s = await source({ verification: { type: 'github' }, secret });
    const body = JSON.stringify({ action: 'opened', number: 7 });
    const headers = {
      'x-hub-signature-256': await signGithub(secret, body),
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-event': 'pull_request',
    };
    const ok = await post(s.path, body, headers);
    expect(ok.statusCode, ok.body).toBe(202);
    const again = await post(s.path, body, headers);
    expect(again.data).toMatchObject({ status: 'duplicate', duplicate_of: ok.data.id });
    expectProblem(
      await post(s.path, body, { ...headers, 'x-hub-signature-256': await signGithub('wrong', body) }),
      401,
      'signature_invalid',
    );
    const detail = await t.request({ url: `/v1/inbound/events/${ok.data.id}` });
    expect(detail.data).toMatchObject({ event_type: 'pull_request', dedup_key: headers['x-github-delivery'] });
  });

  it('Standard Webhooks (standardwebhooks): webhook-id deduplicates; a replayed id after the window is new', async () => {
    const secret = generateHmacSecret();
    const s = await source({ verification: { type: 'standard_webhooks' }, secret, dedup_window_seconds: 60 });
    const body = JSON.stringify({ type: 'user.created', data: { id: 1 } });
    const sign = (id: string) => {
      const at = new Date();
      return {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, body),
      };
    };
    const first = await post(s.path, body, sign('msg_1'));
    expect(first.statusCode, first.body).toBe(202);
    expect((await post(s.path, body, sign('msg_1'))).data.status).toBe('duplicate');
    expect((await post(s.path, body, sign('msg_2'))).data.status).toBe('processed');
    // The window passes (the claim's expiry is moved into the past rather than waiting a minute).
    await t.db.query(`update inbound_dedup set expires_at = now() - interval '1 second' where source_id = $1`, [s.id]);
    const later = await post(s.path, body, sign('msg_1'));
    expect(later.data).toMatchObject({ status: 'processed', duplicate_of: null });
    expect((await t.request({ url: `/v1/inbound/events/${first.data.id}` })).data.event_type).toBe('user.created');
  });

  it('Slack (v0, 5 min) and Shopify (base64) signed per their documentation; a custom dedup path', async () => {
    const slackSecret = 'slack-signing-secret';
    const slack = await source({
      verification: { type: 'slack' },
      secret: slackSecret,
      dedup_key: { from: 'body', path: '$.event_id' },
      event_type_from: { from: 'body', path: '$.event.type' },
    });
    const body = JSON.stringify({ event_id: 'Ev123', event: { type: 'app_mention' } });
    const ts = String(nowSeconds());
    const sig = `v0=${createHmac('sha256', slackSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const ok = await post(slack.path, body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(
      (await post(slack.path, body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig })).data.status,
    ).toBe('duplicate');
    const stale = String(nowSeconds() - 400);
    const staleSig = `v0=${createHmac('sha256', slackSecret).update(`v0:${stale}:${body}`).digest('hex')}`;
    expectProblem(
      await post(slack.path, body, { 'x-slack-request-timestamp': stale, 'x-slack-signature': staleSig }),
      401,
      'timestamp_out_of_tolerance',
    );
    expect((await t.request({ url: `/v1/inbound/events/${ok.data.id}` })).data.event_type).toBe('app_mention');

    const shopifySecret = 'shopify-secret';
    const shopify = await source({ verification: { type: 'shopify' }, secret: shopifySecret });
    const order = JSON.stringify({ id: 820982911946154500, total: '10.00' });
    const hmac = createHmac('sha256', shopifySecret).update(order).digest('base64');
    const headers = {
      'x-shopify-hmac-sha256': hmac,
      'x-shopify-webhook-id': 'b54557e4',
      'x-shopify-topic': 'orders/create',
    };
    const got = await post(shopify.path, order, headers);
    expect(got.statusCode, got.body).toBe(202);
    expect((await post(shopify.path, order, headers)).data.status).toBe('duplicate');
    expectProblem(await post(shopify.path, order.replace('10', '99'), headers), 401, 'signature_invalid');
  });

  it('basic auth, API key header and IP allow-list; credentials are never stored with the event', async () => {
    const basic = await source({ verification: { type: 'basic_auth', username: 'hook' }, secret: 'pa55word' });
    const auth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    const ok = await post(basic.path, '{}', { authorization: auth('hook', 'pa55word') });
    expect(ok.statusCode, ok.body).toBe(202);
    expectProblem(await post(basic.path, '{}', { authorization: auth('hook', 'nope') }), 401, 'invalid_credentials');

    const keyed = await source({ verification: { type: 'api_key_header', header: 'X-Api-Key' }, secret: 'key-123456' });
    const withKey = await post(keyed.path, '{}', { 'x-api-key': 'key-123456', cookie: 'a=b' });
    expect(withKey.statusCode, withKey.body).toBe(202);
    const detail = await t.request({ url: `/v1/inbound/events/${withKey.data.id}` });
    const headers = detail.data.headers as Record<string, string>;
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    const basicDetail = await t.request({ url: `/v1/inbound/events/${ok.data.id}` });
    expect((basicDetail.data.headers as Record<string, string>).authorization).toBeUndefined();
    const { rows } = await t.db.query<{ headers: unknown }>('select headers from inbound_events');
    expect(JSON.stringify(rows)).not.toContain('key-123456');
    expect(JSON.stringify(rows)).not.toContain(Buffer.from('hook:pa55word').toString('base64'));

    const elsewhere = await source({ verification: { type: 'none', ip_allow: ['10.0.0.0/8'] } });
    const refused = await post(elsewhere.path, '{}');
    expectProblem(refused, 403, 'ip_not_allowed');
    const local = await source({ verification: { type: 'none', ip_allow: ['127.0.0.0/8', '::1/128'] } });
    expect((await post(local.path, '{}')).statusCode).toBe(202);
  });

  it('Google push channels: an empty POST without Content-Type, X-Goog-Channel-Token checked and never stored', async () => {
    // https://developers.google.com/workspace/calendar/api/guides/push: notifications carry no body; the
    // X-Goog-* headers are the message and X-Goog-Channel-Token holds the token given to watch.
    const s = await source({ verification: { type: 'google_channel' }, secret: 'channel-token-123456' });
    const notify = (token: string) =>
      t.request({
        method: 'POST',
        url: s.path,
        token: null,
        headers: { 'x-goog-channel-token': token, 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' },
      });
    const ok = await notify('channel-token-123456');
    expect(ok.statusCode, ok.body).toBe(202);
    const detail = await t.request({ url: `/v1/inbound/events/${ok.data.id}` });
    const headers = detail.data.headers as Record<string, string>;
    expect(headers['x-goog-resource-state']).toBe('exists');
    expect(headers['x-goog-channel-token']).toBeUndefined();
    expectProblem(await notify('someone-else'), 401, 'invalid_credentials');
    // Other schemes still refuse an empty body.
    const keyed = await source({ verification: { type: 'api_key_header', header: 'X-Api-Key' }, secret: 'key-123456' });
    expectProblem(await post(keyed.path, '', { 'x-api-key': 'key-123456' }), 400, 'body_empty');
  });
});

describe.each(doors)('inbound ingest: bad input, through %s', (through) => {
  beforeAll(() => {
    door = through;
  });

  it('empty body, invalid JSON, wrong media type, form bodies when accepted, and unknown tokens', async () => {
    const s = await source({ verification: { type: 'none' } });
    expectProblem(await post(s.path, ''), 400, 'body_empty');
    expectProblem(await post(s.path, '{"a":'), 400, 'malformed_json');
    expectProblem(
      await post(s.path, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
    expect(await rejections(s.id)).toMatchObject({ count: 3, last_reason: 'unsupported_media_type' });

    const forms = await source({
      verification: { type: 'none' },
      content_types: ['application/x-www-form-urlencoded', 'application/*+json'],
    });
    expect(
      (await post(forms.path, 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode,
    ).toBe(202);
    expect((await post(forms.path, '{"x":1}', { 'content-type': 'application/vnd.api+json' })).statusCode).toBe(202);
    expectProblem(
      await post(forms.path, 'not json', { 'content-type': 'application/vnd.api+json' }),
      400,
      'malformed_json',
    );

    // Unknown, malformed and deleted tokens answer the same 404, and the API's credentials are not a way in.
    const bodies = new Set<string>();
    for (const path of ['/hooks/hook_AAAAAAAAAAAAAAAAAAAAAAAAAAA', '/hooks/x', `${s.path}x`]) {
      const res = await t.request({
        method: 'POST',
        url: path,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 404, 'not_found');
      bodies.add(res.data.detail as string);
    }
    await t.request({ method: 'DELETE', url: `/v1/inbound/sources/${s.id}` });
    const gone = await post(s.path, '{}');
    expectProblem(gone, 404, 'not_found');
    bodies.add(gone.data.detail as string);
    expect(bodies.size).toBe(1);
  });

  it('over real HTTP: an oversized body is refused with 413 (declared or streamed), a slow body with 408', async () => {
    const s = await source({ verification: { type: 'none' }, max_body_bytes: 1024 });
    const big = JSON.stringify({ pad: 'x'.repeat(2000) });
    const declared = await fetch(`${base}${s.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { code: string }).code).toBe('body_too_large');
    // Chunked: no Content-Length, the limit is found while reading.
    const streamed = await fetch(`${base}${s.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(600)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await streamed.arrayBuffer();

    // Slow loris: headers promise 100 bytes, 10 arrive, then nothing. The server answers 408 and closes.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
        socket.write(
          `POST ${s.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"slow":1`,
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('body_timeout');
    expect(await rejections(s.id)).toMatchObject({ count: 3, last_reason: 'body_timeout' });
    // Nothing of those bodies was kept.
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from inbound_events where source_id = $1 and body is not null`,
      [s.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('over real HTTP: a body that arrived within the timeout is read, though the process was too busy to read it then', async () => {
    const s = await source({ verification: { type: 'none' } });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
        socket.write(
          `POST ${s.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{"a"`,
        );
        // The server is reading the body, its 300 ms timeout running. The rest arrives now; then this process (the
        // server's) is held up past the timeout, in the loop's check phase, so that the next turn of the loop starts
        // with the timers, before the socket is read.
        setTimeout(() => {
          setImmediate(() => {
            socket.write(':1}');
            const until = Date.now() + 600;
            while (Date.now() < until);
          });
        }, 150);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 202/);
    expect(await rejections(s.id)).toMatchObject({ count: 0 });
  });

  it('stores the raw bytes exactly, including non-UTF-8 bodies, and shows them base64 on request', async () => {
    const s = await source({ verification: { type: 'none' }, content_types: ['application/octet-stream'] });
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x41]);
    const res = await fetch(`${base}${s.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const detail = await t.request({ url: `/v1/inbound/events/${id}?include_body=true` });
    expect(detail.data).toMatchObject({ body_encoding: 'base64', body: bytes.toString('base64'), body_size: 4 });
    const hash = createHash('sha256').update(bytes).digest('hex');
    const row = await eventRow(id);
    expect(
      createHash('sha256')
        .update(Buffer.from(row?.body as Uint8Array))
        .digest('hex'),
    ).toBe(hash);
  });

  it('an event type or dedup key read from the body holding a NUL or a lone surrogate is stored with U+FFFD', async () => {
    const s = await source({
      verification: { type: 'none' },
      event_type_from: { from: 'body', path: '$.type' },
      dedup_key: { from: 'body', path: '$.id' },
    });
    // Text columns refuse NUL: every retry of the vendor's got a 400, nothing stored. A lone surrogate became U+FFFD
    // already when encoded.
    const body = '{"type":"order\\u0000paid","id":"evt\\ud800\\u0000"}';
    const res = await post(s.path, body);
    expect(res.statusCode, res.body).toBe(202);
    const logged = await t.request({ url: `/v1/inbound/events/${res.data.id as string}` });
    expect(logged.data).toMatchObject({ event_type: 'order\uFFFDpaid' });
    expect((await eventRow(res.data.id as string))?.dedup_key).toBe('evt\uFFFD\uFFFD');
    // The raw bytes are kept as sent, and a retry is recognised as the same delivery.
    expect(Buffer.from((await eventRow(res.data.id as string))?.body as Uint8Array).toString('utf8')).toBe(body);
    expect((await post(s.path, body)).data).toMatchObject({ status: 'duplicate', duplicate_of: res.data.id });
  });

  it('many concurrent requests (group commit) are each stored once; duplicates within one batch are caught', async () => {
    const s = await source({ verification: { type: 'none' }, dedup_key: { from: 'header', path: 'X-Id' } });
    const sends = Array.from({ length: 60 }, (_, i) =>
      fetch(`${base}${s.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-id': `id-${i % 40}` },
        body: JSON.stringify({ i }),
      }).then(async (r) => ({ status: r.status, data: (await r.json()) as { id: string; status: string } })),
    );
    const results = await Promise.all(sends);
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(results.filter((r) => r.data.status === 'processed')).toHaveLength(40);
    expect(results.filter((r) => r.data.status === 'duplicate')).toHaveLength(20);
    const { rows } = await t.db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from inbound_events where source_id = $1 group by status order by status`,
      [s.id],
    );
    expect(rows).toEqual([
      { status: 'duplicate', n: 20 },
      { status: 'processed', n: 40 },
    ]);
    const keys = await t.db.query<{ n: number }>(
      `select count(distinct dedup_key)::int as n from inbound_events where source_id = $1 and status = 'processed'`,
      [s.id],
    );
    expect(keys.rows[0]?.n).toBe(40);
  });
});

describe('inbound ingest: the fast path', () => {
  it('answers the common case before Fastify, with the same headers, metrics and access log; Fastify answers what it declines', async () => {
    // Count what reaches the Fastify route's handler (register.ts calls the declared handler at each request).
    const route = t.built.routes.find((r) => r.operationId === 'receiveInboundWebhook');
    if (!route) throw new Error('no ingest route');
    const handler = route.handler;
    let viaFastify = 0;
    route.handler = (call) => {
      viaFastify++;
      return handler(call);
    };
    try {
      const secret = 'whsec_fast_path_secret_0123456789';
      const s = await source({
        verification: { type: 'generic_hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' },
        secret,
        dedup_key: { from: 'header', path: 'X-Delivery-Id' },
      });
      const body = JSON.stringify({ type: 'order.paid', id: 1 });
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      const send = (path: string, headers: Record<string, string> = {}, payload = body) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          body: payload,
          headers: { 'content-type': 'application/json', 'x-signature': signature, ...headers },
        });

      const ok = await send(s.path, { 'x-delivery-id': 'd-1', 'x-request-id': 'vendor-trace-1' });
      expect(ok.status).toBe(202);
      expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(ok.headers.get('x-request-id')).toBe('vendor-trace-1');
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
      const accepted = (await ok.json()) as { id: string; status: string; duplicate_of: null };
      expect(Object.keys(accepted)).toEqual(['id', 'status', 'duplicate_of']);
      expect(accepted).toMatchObject({ status: 'processed', duplicate_of: null });
      const again = await send(s.path, { 'x-delivery-id': 'd-1' });
      expect(await again.json()).toMatchObject({ status: 'duplicate', duplicate_of: accepted.id });
      const minted = again.headers.get('x-request-id') ?? '';
      expect(minted).toMatch(/^req_/);
      // A refused signature is stored as rejected and answered as problem details, still before Fastify.
      const refused = await send(s.path, { 'x-signature': '00' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await refused.json()).toMatchObject({
        code: 'signature_invalid',
        instance: s.path,
        request_id: refused.headers.get('x-request-id'),
      });
      expect(viaFastify).toBe(0);
      // The server in front of Fastify keeps Fastify's own settings: idle keep-alive connections last 72 s, not 5.
      expect(t.app.server.keepAliveTimeout).toBe(72_000);
      expect(t.app.server.requestTimeout).toBe(0);

      // One access-log line and one metrics sample per request, under the route's name.
      const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.request_id === minted);
      expect(line).toMatchObject({
        msg: 'request completed',
        route: '/hooks/:token',
        url: '/hooks/[redacted]',
        status: 202,
        method: 'POST',
      });
      const metrics = await t.request({ url: '/metrics' });
      expect(metrics.body).toMatch(/route="\/hooks\/:token",status="202"/);
      expect(metrics.body).toMatch(/route="\/hooks\/:token",status="401"/);

      // Declined before the body is read: an unknown token, a media type the source refuses, a query, a trailing
      // slash. Fastify's route answers them as before.
      expect((await send('/hooks/hook_AAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      expect((await send(s.path, { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await send(`${s.path}?from=vendor`, { 'x-delivery-id': 'd-2' })).status).toBe(202);
      expect((await send(`${s.path}/`, { 'x-delivery-id': 'd-3' })).status).toBe(202);
      expect(viaFastify).toBe(4);
      const rows = await t.db.query<{ status: string; n: number }>(
        'select status, count(*)::int as n from inbound_events where source_id = $1 group by status order by status',
        [s.id],
      );
      expect(rows.rows).toEqual([
        { status: 'duplicate', n: 1 },
        { status: 'processed', n: 3 },
        { status: 'rejected', n: 2 },
      ]);
    } finally {
      route.handler = handler;
    }
  });
});
