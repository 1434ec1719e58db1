import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { startFakeVendor } from './helpers/fake-vendor.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

/*
 * The product's backend learns of its end users' attempts through its webhooks: with the dispatcher running as in
 * production, a failed try through a connect session arrives as connection.auth_failed and the success as
 * connection.created, both naming the end user.
 */

let t: TestApp;
let receiver: Receiver;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  receiver = await startReceiver();
  vendor = await startFakeVendor({
    'GET /me': (req) =>
      req.headers['x-api-key'] === 'sk-good-7f3a9' ? { json: { id: 'acct_1' } } : { status: 401, json: {} },
  });
  await t.built.workers.dispatcher.start();
});
afterEach(async () => {
  await t.built.workers.dispatcher.stop(1000);
  await receiver.close();
  await vendor.close();
  await t.close();
});

describe('connect session attempts reach the product’s webhooks', () => {
  it('connection.auth_failed for the failed try, connection.created for the success, each with the end user', async () => {
    const endpoint = await t.request({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: receiver.url('/product'), event_types: ['connection.created', 'connection.auth_failed'] },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    const session = await t.request({
      method: 'POST',
      url: '/v1/connect/sessions',
      body: {
        end_user: { id: 'u-9', email: 'nine@example.com' },
        connectors: [{ connector: 'generic_rest', config: { base_url: vendor.url, test_path: '/me' } }],
        allowed_origins: ['http://127.0.0.1:5173'],
      },
    });
    const headers = { 'switchyard-connect-session': session.data.token as string };
    const attempt = (key: string) =>
      t.request({
        method: 'POST',
        url: '/v1/connect/connections',
        token: null,
        headers,
        body: { connector: 'generic_rest', auth_method: 'api_key', credentials: { api_key: key } },
      });
    expect((await attempt('bad')).statusCode).toBe(422);
    const made = await attempt('sk-good-7f3a9');
    expect(made.statusCode, made.body).toBe(201);

    await receiver.waitFor(2);
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b.data]));
    expect(byType['connection.auth_failed']).toMatchObject({
      connector: 'generic_rest',
      end_user: { id: 'u-9', email: 'nine@example.com' },
      error: { code: 'connection_test_failed' },
      outcome: { outcome: 'credential_revoked' },
    });
    expect(byType['connection.created']).toMatchObject({
      connection_id: made.data.id,
      end_user: { id: 'u-9' },
      connect_session_id: session.data.id,
    });
    expect(receiver.received.map((r) => r.body).join()).not.toContain('sk-good-7f3a9');
  });
});
