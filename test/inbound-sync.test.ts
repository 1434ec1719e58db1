import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

/*
 * `response_mode: "sync"` through the real server with the background processor running, as in production: the
 * request must run its event's rules itself and answer their result, instead of losing the claim to the processor
 * (which the commit of every ingest wakes) and answering 202.
 */

let t: TestApp;
let receiver: Receiver;
let base: string;
beforeEach(async () => {
  t = await createTestApp();
  receiver = await startReceiver();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  await t.built.workers.inboundProcessor.start();
});
afterEach(async () => {
  await t.built.workers.inboundProcessor.stop(1000);
  await receiver.close();
  await t.close();
});

async function syncSource(path: string, extra: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: {
      name: 'sync',
      verification: { type: 'none' },
      response_mode: 'sync',
      rules: [{ name: 'ask', actions: [{ type: 'forward', url: receiver.url(path) }] }],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.data.source as { url: string }).url.replace(/^https?:\/\/[^/]+/, base);
}

const send = async (url: string, payload: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, data: (await res.json()) as Record<string, unknown> };
};

describe(`synchronous inbound sources`, () => {
  it('answer 200 with the rules’ results, each event forwarded once, one request after another or together', async () => {
    receiver.always('/answer', { status: 200, body: '{"reply":"hi"}' });
    const url = await syncSource('/answer');
    const expected = {
      status: 'processed',
      matched_rules: ['ask'],
      error: null,
      results: [{ rule: 'ask', type: 'forward', ok: true, status: 200, response: '{"reply":"hi"}' }],
    };
    for (let i = 0; i < 5; i++) {
      const res = await send(url, { i });
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      expect(res.data).toMatchObject(expected);
    }
    const together = await Promise.all([5, 6, 7, 8, 9].map((i) => send(url, { i })));
    for (const res of together) {
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      expect(res.data).toMatchObject(expected);
    }
    expect(receiver.at('/answer')).toHaveLength(10);
    const { rows } = await t.db.query<{ status: string; attempts: number }>(
      'select status, attempts from inbound_events',
    );
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === 'processed' && r.attempts === 1)).toBe(true);
  });

  it('answer 200 for a payload holding a lone UTF-16 surrogate: conditions and publish see U+FFFD', async () => {
    expect((await t.request({ method: 'POST', url: '/v1/event-types', body: { name: 'note.sent' } })).statusCode).toBe(
      201,
    );
    const url = await syncSource('/unused', {
      rules: [
        {
          name: 'notes',
          condition: '$.payload.note like_regex "^a.b$"',
          actions: [{ type: 'publish', event_type: 'note.sent' }],
        },
      ],
    });
    // JSON text that PostgreSQL's jsonb refuses as it is: the escape of a high surrogate with no low one after it.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":"a\\ud800b"}',
    });
    const data = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(data)).toBe(200);
    expect(data).toMatchObject({ status: 'processed', matched_rules: ['notes'], results: [{ ok: true }] });
    const { rows } = await t.db.query<{ data: unknown }>(`select data from events where type = 'note.sent'`);
    expect(rows.map((r) => r.data)).toEqual([{ note: 'a\ufffdb' }]);
  });

  it('answer 202 when the rules outlast sync_timeout_ms; the event then completes in the background', async () => {
    receiver.always('/slow', { hang: true });
    const url = await syncSource('/slow', { sync_timeout_ms: 300 });
    const res = await send(url, { slow: true });
    expect(res.status).toBe(202);
    expect(res.data).toMatchObject({ status: 'received' });
    receiver.release();
    const detail = async () => (await t.request({ url: `/v1/inbound/events/${res.data.id as string}` })).data;
    await expect.poll(async () => (await detail()).status).toBe('processed');
    expect(await detail()).toMatchObject({ attempts: 1 });
    expect(receiver.at('/slow')).toHaveLength(1);
  });
});
