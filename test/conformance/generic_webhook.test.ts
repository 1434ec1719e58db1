import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// The Generic Webhook connector has no vendor: its manifest promises Switchyard's own receiving conventions
// (connectors/generic_webhook.yaml; docs/connector-audit/generic_webhook.md). The sender here signs as the manifest
// declares (hmac), and as the other schemes a source may choose are specified: Standard Webhooks
// (https://www.standardwebhooks.com, spec 1.0.0), HTTP Basic (RFC 7617) and a shared token header.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('generic_webhook');
});
afterAll(() => c.close());

const SECRET = '0123456789abcdef0123456789abcdef';
const body = JSON.stringify({ type: 'order.created', id: 'ord_1' });
const now = () => String(Math.floor(Date.now() / 1000));
const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

async function connected(): Promise<string> {
  const res = await c.connect({ auth_method: 'none', credentials: { signing_secret: SECRET } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('generic_webhook conformance', () => {
  it('test: nothing to call; the connection is active and unverified, saying why', async () => {
    const before = c.vendor.requests.length;
    const res = await c.connect({ auth_method: 'none', credentials: { signing_secret: SECRET } });
    expect(res.statusCode, res.body).toBe(201);
    expect(c.vendor.requests.length).toBe(before);
    expect(res.data).toMatchObject({
      state: 'active',
      last_test_outcome: { outcome: 'unverified', message: expect.stringMatching(/first verified delivery/) },
    });
  });

  it('receives only: no destination URL, base URL or streams claim a sending half', () => {
    expect(c.manifest.config).toEqual([]);
    expect(c.manifest.base_url).toBeUndefined();
    expect(c.manifest.streams).toEqual([]);
  });

  it('hmac (the preset): X-Signature sha256=<hex HMAC of "{timestamp}.{body}"> accepted; forged, stale or altered refused', async () => {
    const id = await connected();
    const { res, path } = await c.inboundSource(id, SECRET);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({
      verification: {
        type: 'generic_hmac',
        header: 'X-Signature',
        prefix: 'sha256=',
        timestamp_header: 'X-Timestamp',
        tolerance_seconds: 300,
      },
    });
    const signed = (secret: string, ts: string, content = body) => ({
      'x-timestamp': ts,
      'x-signature': `sha256=${hmacHex(secret, `${ts}.${content}`)}`,
      'x-delivery-id': 'dlv_0001',
      'x-event-type': 'order.created',
    });
    const ts = now();
    const accepted = await c.deliver(path as string, body, signed(SECRET, ts));
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, { ...signed('someone-else', ts), 'x-delivery-id': 'dlv_2' });
    expect(forged.statusCode, forged.body).toBe(401);
    // The audit's worked example (docs/connector-audit/generic_webhook.md): right signature, timestamp 1764931200 —
    // more than 300 s ago, so stale.
    const stale = await c.deliver(path as string, body, {
      'x-timestamp': '1764931200',
      'x-signature': 'sha256=aeac623ef56a4e9a695a9eba4b364b6f8b98f69fbd432d2a0b90b6a3e3c3cd6e',
      'x-delivery-id': 'dlv_3',
    });
    expect(stale.statusCode, stale.body).toBe(401);
    const altered = await c.deliver(path as string, body.replace('ord_1', 'ord_2'), {
      ...signed(SECRET, ts),
      'x-delivery-id': 'dlv_4',
    });
    expect(altered.statusCode, altered.body).toBe(401);
  });

  it('standard_webhooks: webhook-signature v1,<base64 HMAC of "id.timestamp.body"> with a whsec_ secret', async () => {
    const id = await connected();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const { res, path } = await c.inboundSource(id, secret, { verification: { type: 'standard_webhooks' } });
    expect(res.statusCode, res.body).toBe(201);
    const sign = (key: string, msgId: string, ts: string) =>
      `v1,${createHmac('sha256', Buffer.from(key.replace(/^whsec_/, ''), 'base64'))
        .update(`${msgId}.${ts}.${body}`)
        .digest('base64')}`;
    const ts = now();
    const msgId = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const accepted = await c.deliver(path as string, body, {
      'webhook-id': msgId,
      'webhook-timestamp': ts,
      'webhook-signature': sign(secret, msgId, ts),
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, {
      'webhook-id': 'msg_other',
      'webhook-timestamp': ts,
      'webhook-signature': sign('whsec_c29tZW9uZSBlbHNlJ3Mga2V5', 'msg_other', ts),
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });

  it('basic: Authorization: Basic base64(user:password) (RFC 7617) accepted; a wrong password refused', async () => {
    const id = await connected();
    const { res, path } = await c.inboundSource(id, 'sender:s3cret-pass', { verification: { type: 'basic_auth' } });
    expect(res.statusCode, res.body).toBe(201);
    const basic = (userPass: string) => ({ authorization: `Basic ${Buffer.from(userPass).toString('base64')}` });
    expect((await c.deliver(path as string, body, basic('sender:s3cret-pass'))).statusCode).toBe(202);
    expect((await c.deliver(path as string, body, basic('sender:guess'))).statusCode).toBe(401);
  });

  it('token: a shared token in a header accepted; a wrong or missing one refused', async () => {
    const id = await connected();
    const token = 'tok_conformance_0123456789abcdef';
    const { res, path } = await c.inboundSource(id, token, {
      verification: { type: 'api_key_header', header: 'X-Webhook-Token' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await c.deliver(path as string, body, { 'x-webhook-token': token })).statusCode).toBe(202);
    expect((await c.deliver(path as string, body, { 'x-webhook-token': 'tok_wrong' })).statusCode).toBe(401);
    expect((await c.deliver(path as string, body, {})).statusCode).toBe(401);
  });
});
