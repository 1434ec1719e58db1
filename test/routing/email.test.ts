import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { startMailFake, type MailFake, type MailVendor } from '../fakes/email.js';
import { createTestApp, type Json, type TestApp } from '../helpers/app.js';
import { uniqueName } from '../helpers/fixtures.js';

/**
 * email.send, a capability that acts, routed SendGrid → Brevo against both vendors' fakes through the real server:
 * a SendGrid rate limit or error sends through Brevo, once; a SendGrid call that may have sent (no answer in time, a
 * 202 without its id) is never repeated nor sent through Brevo, and the caller is told it may have been sent; a
 * connection refused before anything was sent falls over. Fusion is refused for it.
 */
let t: TestApp;
const fakes = {} as Record<MailVendor, MailFake>;
const KEYS: Record<MailVendor, string> = {
  sendgrid: 'SG.routingtest.0123456789abcdefghijklmnopqrstuvwxyz',
  brevo: 'xkeysib-0123456789abcdef0123456789abcdef-routingtest',
};

const message = {
  from: 'orders@example.com',
  to: ['ann@example.org', 'bob@example.org'],
  cc: ['carol@example.org'],
  subject: 'Your order has shipped',
  text: 'It is on its way.',
  html: '<p>It is on its way.</p>',
};

beforeAll(async () => {
  t = await createTestApp();
  for (const vendor of ['sendgrid', 'brevo'] as const) {
    fakes[vendor] = await startMailFake(vendor, { apiKey: KEYS[vendor] });
    const manifest = manifestAt(shippedManifest(vendor), fakes[vendor].url);
    await t.db.transaction(async (tx) => {
      await tx.query('delete from connectors where slug = $1', [vendor]);
      await insertCustomConnector(tx, manifest, manifestHash(manifest));
      await t.built.registry.invalidate(tx);
    });
  }
  const features = await t.request({
    method: 'PATCH',
    url: `/v1/tenants/${t.tenantId}`,
    body: { features: ['provider_routing'] },
  });
  expect(features.statusCode, features.body).toBe(200);
});
afterAll(async () => {
  for (const fake of Object.values(fakes)) await fake.close();
  await t.close();
});

async function connect(vendor: MailVendor): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector: vendor, name: uniqueName(vendor), credentials: { api_key: KEYS[vendor] }, validate: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

/** A fallback route SendGrid → Brevo on new connections (their breakers, limits and budgets fresh). */
async function route(body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/routes',
    body: {
      name: uniqueName('mail').replaceAll('_', '-'),
      capability: 'email.send',
      strategy: 'fallback',
      on_rate_limit: 'fallback',
      retry: { attempts: 0 },
      timeout_ms: 1000,
      providers: [{ connection_id: await connect('sendgrid') }, { connection_id: await connect('brevo') }],
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.name as string;
}

const send = (name: string, query: Record<string, unknown> = message) =>
  t.request({ method: 'POST', url: `/v1/routes/${name}/query`, body: { query } });

const outcomes = (data: Json) => (data.attempts as { connector: string; outcome: string }[]).map((a) => a.outcome);

/** Messages each vendor accepted during `run`. */
async function delivered<T>(run: () => Promise<T>): Promise<{ result: T; sendgrid: number; brevo: number }> {
  const before = { sendgrid: fakes.sendgrid.sent.length, brevo: fakes.brevo.sent.length };
  const result = await run();
  return {
    result,
    sendgrid: fakes.sendgrid.sent.length - before.sendgrid,
    brevo: fakes.brevo.sent.length - before.brevo,
  };
}

describe('email.send routed SendGrid → Brevo', () => {
  it('sends through SendGrid: the message as SendGrid reads it, its X-Message-Id as the record', async () => {
    const name = await route();
    const { result: res, sendgrid, brevo } = await delivered(() => send(name));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['switchyard-provider']).toBe('sendgrid');
    const sent = fakes.sendgrid.sent.at(-1)!;
    expect(res.data.data).toEqual({
      message_id: sent.id,
      accepted: ['ann@example.org', 'bob@example.org', 'carol@example.org'],
      provider_status: 'queued',
    });
    expect(sent).toMatchObject({ ...message, bcc: [] });
    expect([sendgrid, brevo]).toEqual([1, 0]);
  });

  it('SendGrid rate-limited (429, X-RateLimit-Reset a minute away): sent once, through Brevo', async () => {
    const name = await route();
    fakes.sendgrid.rateLimitNext(60);
    const { result: res, sendgrid, brevo } = await delivered(() => send(name));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.provider).toMatchObject({ connector: 'brevo' });
    expect(outcomes(res.data)).toEqual(['rate_limited', 'ok']);
    expect((res.data.attempts as Json[])[0]).toMatchObject({ reason: 'too many requests' });
    expect(res.data.data).toMatchObject({ message_id: fakes.brevo.sent.at(-1)!.id });
    expect([sendgrid, brevo]).toEqual([0, 1]);
    // SendGrid stays skipped until its reset: the next message goes straight to Brevo.
    const next = await delivered(() => send(name));
    expect(outcomes(next.result.data)).toEqual(['rate_limited', 'ok']);
    expect((next.result.data.attempts as Json[])[0]).toMatchObject({ latency_ms: 0 });
    expect([next.sendgrid, next.brevo]).toEqual([0, 1]);
  });

  it('SendGrid answers 500 (it did not accept the message): sent once, through Brevo', async () => {
    const name = await route();
    fakes.sendgrid.failNext(500);
    const { result: res, sendgrid, brevo } = await delivered(() => send(name));
    expect(res.statusCode, res.body).toBe(200);
    expect(outcomes(res.data)).toEqual(['failed', 'ok']);
    expect([sendgrid, brevo]).toEqual([0, 1]);
  });

  it('SendGrid does not answer in time: not sent again nor through Brevo; 503 says it may have been sent', async () => {
    const name = await route({ timeout_ms: 500 });
    fakes.sendgrid.stallNext();
    const calls = { sendgrid: fakes.sendgrid.calls(), brevo: fakes.brevo.calls() };
    const res = await send(name);
    expect(res.statusCode, res.body).toBe(503);
    expect(res.data).toMatchObject({ code: 'providers_unavailable', may_have_been_sent: true });
    expect(res.data.detail).toMatch(/^sendgrid may have acted on this email\.send call .*not repeated/);
    expect(outcomes(res.data)).toEqual(['timeout']);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(fakes.sendgrid.calls() - calls.sendgrid).toBe(1);
    expect(fakes.brevo.calls() - calls.brevo).toBe(0);
    await t.built.routing.calls.flush();
    const log = await t.request({ url: `/v1/routes/${name}/calls` });
    expect(log.data.data).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: expect.stringMatching(/may have acted/) }),
    ]);
  });

  it('SendGrid accepts (202) but without X-Message-Id: not sent through Brevo, even with retries allowed', async () => {
    const name = await route({ retry: { attempts: 2 } });
    fakes.sendgrid.acceptWithoutIdNext();
    const { result: res, sendgrid, brevo } = await delivered(() => send(name));
    expect(res.statusCode, res.body).toBe(503);
    expect(res.data).toMatchObject({ code: 'providers_unavailable', may_have_been_sent: true });
    expect(res.data.attempts).toEqual([
      expect.objectContaining({ connector: 'sendgrid', outcome: 'failed', status: 202 }),
    ]);
    expect([sendgrid, brevo]).toEqual([1, 0]);
  });

  it('a query without a body, or with a bad address, is refused before any provider is asked', async () => {
    const name = await route();
    const calls = fakes.sendgrid.calls() + fakes.brevo.calls();
    const { text: _text, html: _html, ...bodiless } = message;
    const res = await send(name, bodiless);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.errors).toEqual([{ path: 'query', message: 'needs one of text, html' }]);
    const bad = await send(name, { ...message, to: ['not an address'] });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.data.errors).toEqual([expect.objectContaining({ path: 'query.to.0' })]);
    expect(fakes.sendgrid.calls() + fakes.brevo.calls()).toBe(calls);
  });

  it('a route may not fuse email.send; single and fallback are allowed', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/routes',
      body: {
        name: uniqueName('fused').replaceAll('_', '-'),
        capability: 'email.send',
        strategy: 'fusion',
        on_rate_limit: 'fallback',
        providers: [{ connection_id: await connect('sendgrid') }, { connection_id: await connect('brevo') }],
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data).toMatchObject({ code: 'validation_failed' });
    expect(res.data.errors).toEqual([
      {
        path: 'strategy',
        message: 'email.send answers cannot be fused (one provider acts on each call): use single or fallback',
      },
    ]);
    const name = await route({ strategy: 'single' });
    const patched = await t.request({ method: 'PATCH', url: `/v1/routes/${name}`, body: { strategy: 'fusion' } });
    expect(patched.statusCode, patched.body).toBe(400);
  });

  // Last: SendGrid's fake stops, so its port refuses connections.
  it('SendGrid refuses the connection (nothing sent): sent once, through Brevo', async () => {
    const name = await route();
    await fakes.sendgrid.close();
    const { result: res, sendgrid, brevo } = await delivered(() => send(name));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.provider).toMatchObject({ connector: 'brevo' });
    expect(outcomes(res.data)).toEqual(['failed', 'ok']);
    expect((res.data.attempts as Json[])[0]).toMatchObject({ reason: expect.stringMatching(/refused the connection/) });
    expect([sendgrid, brevo]).toEqual([0, 1]);
  });
});
