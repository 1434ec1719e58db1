import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function connect(connector: string, credentials: Record<string, string>, extra: Json = {}): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector, credentials, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

async function sourceFor(connectionId: string): Promise<{ url: string; secret: string | null }> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: { name: 'Orders', connection_id: connectionId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { url: (res.data.source as { url: string }).url, secret: res.data.secret as string | null };
}

/** What the generic_webhook preset verifies: X-Signature sha256=<hex HMAC of "timestamp.body">. */
function deliver(url: string, secret: string, body = '{"id": "ord_1"}') {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return t.request({
    method: 'POST',
    url: new URL(url).pathname,
    body,
    token: null,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': ts,
      'x-signature': `sha256=${signature}`,
      'x-delivery-id': `dlv_${Math.random()}`,
    },
  });
}

const webhooksOf = async (id: string) => (await t.request({ url: `/v1/connections/${id}` })).data.webhooks;
const listed = async (id: string) =>
  ((await t.request({ url: '/v1/connections?limit=50' })).data.data as { id: string; webhooks: unknown }[]).find(
    (c) => c.id === id,
  )?.webhooks;

describe('inbound activity of connections', () => {
  it('a receive-only connection waits for its first accepted event; a rejected request does not end the wait', async () => {
    const id = await connect('generic_webhook', {});
    expect(await webhooksOf(id)).toEqual({ receive_only: true, last_event_at: null });

    // The connection holds no secret: the source generates one and shows it once.
    const source = await sourceFor(id);
    expect(source.secret).toEqual(expect.any(String));
    const forged = await deliver(source.url, 'someone-else');
    expect(forged.statusCode).toBe(401);
    expect(await webhooksOf(id)).toEqual({ receive_only: true, last_event_at: null });
    expect(await listed(id)).toEqual({ receive_only: true, last_event_at: null });

    const accepted = await deliver(source.url, source.secret as string);
    expect(accepted.statusCode, accepted.body).toBe(202);
    const after = (await webhooksOf(id)) as { last_event_at: string | null };
    expect(after.last_event_at).toEqual(expect.any(String));
    expect(await listed(id)).toEqual(after);
  });

  it('a source made for a generic webhook connection verifies with the secret the connection holds', async () => {
    const secret = '0123456789abcdef0123456789abcdef';
    const id = await connect('generic_webhook', { signing_secret: secret });
    const source = await sourceFor(id);
    expect(source.secret).toBeNull(); // not new: never shown
    expect((await deliver(source.url, secret)).statusCode).toBe(202);
  });

  it('a connector with an API and webhooks is not receive-only; one without webhooks has none', async () => {
    const withApi = await connect(
      'twilio',
      { password: 'twilio-auth-token-1' },
      { auth_method: 'basic', config: { account_sid: `AC${'a'.repeat(32)}` }, validate: false },
    );
    expect(await webhooksOf(withApi)).toEqual({ receive_only: false, last_event_at: null });
    const rest = await connect(
      'generic_rest',
      { token: 'a-token' },
      { auth_method: 'bearer', config: { base_url: 'https://example.com' }, validate: false },
    );
    expect(await webhooksOf(rest)).toBeNull();
  });
});
