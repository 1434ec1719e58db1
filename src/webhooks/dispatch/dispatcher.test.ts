import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../../test/helpers/app.js';
import { startReceiver, type Receiver } from '../../../test/helpers/webhook-receiver.js';
import { manualClock } from '../../core/clock.js';
import { createOutbound } from '../../core/net/http-client.js';
import { publishEvent } from '../../events/publish.js';
import { verify } from '../signing.js';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { dispatcherOptions } from '../../server/workers.js';

type Clock = ReturnType<typeof manualClock>;
type Harness = {
  t: TestApp;
  clock: Clock;
  receiver: Receiver;
  dispatcher: Dispatcher;
  endpoint(body?: Json): Promise<{ id: string; secret: string }>;
  publish(data?: Json, extra?: Json): Promise<string>;
  deliveries(endpointId: string): Promise<DeliveryRow[]>;
  attempts(endpointId: string): Promise<AttemptRow[]>;
  endpointRow(endpointId: string): Promise<Json>;
  eventsOfType(type: string): Promise<{ data: Json }[]>;
};
type DeliveryRow = {
  id: string;
  event_id: string;
  status: string;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  skip_reason: string | null;
};
type AttemptRow = {
  delivery_id: string;
  attempt_number: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  trigger: string;
};

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

const TYPE = 'invoice.paid';

async function harness(options: Partial<DispatcherOptions> = {}, extra: { allow?: 'none' } = {}): Promise<Harness> {
  // Ahead of the database's now(), so deliveries created by publishing are due on this clock at once.
  const clock = manualClock(new Date(Date.now() + 60_000));
  const t = await createTestApp({ clock });
  open.push(t);
  const receiver = await startReceiver();
  open.push(receiver);
  const outbound = extra.allow === 'none' ? createOutbound({ allow: [] }) : t.built.connections.outbound;
  const dispatcher = createDispatcher(
    { db: t.db, vault: t.built.vault, outbound, clock, log: pino({ level: 'silent' }) },
    { ...dispatcherOptions(t.config, 'test'), random: () => 0.5, ...options },
  );
  open.push({ close: () => dispatcher.stop() });
  const created = await t.request({ method: 'POST', url: '/v1/event-types', body: { name: TYPE } });
  expect(created.statusCode).toBe(201);

  return {
    t,
    clock,
    receiver,
    dispatcher,
    async endpoint(body = {}) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/webhooks/endpoints',
        body: { url: receiver.url(), ...body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { id: res.data.id as string, secret: (res.data.signing_secret as Json).secret as string };
    },
    async publish(data = { amount: 100 }, more = {}) {
      const res = await t.request({ method: 'POST', url: '/v1/events', body: { type: TYPE, data, ...more } });
      expect(res.statusCode, res.body).toBe(201);
      return res.data.id as string;
    },
    async deliveries(endpointId) {
      const { rows } = await t.db.query<DeliveryRow>(
        `select id, event_id, status, attempt_count, next_attempt_at, last_status_code, last_error, skip_reason
         from webhook_deliveries where endpoint_id = $1 order by event_id`,
        [endpointId],
      );
      return rows;
    },
    async attempts(endpointId) {
      const { rows } = await t.db.query<AttemptRow>(
        `select delivery_id, attempt_number, outcome, status_code, error, response_body, trigger
         from webhook_attempts where endpoint_id = $1 order by started_at, attempt_number`,
        [endpointId],
      );
      return rows;
    },
    async endpointRow(endpointId) {
      const { rows } = await t.db.query<Json>('select * from webhook_endpoints where id = $1', [endpointId]);
      return rows[0] as Json;
    },
    async eventsOfType(type) {
      const { rows } = await t.db.query<{ data: Json }>('select data from events where type = $1 order by id', [type]);
      return rows;
    },
  };
}

function headersOf(received: { headers: Record<string, string | string[] | undefined> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(received.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

describe('webhook dispatcher', () => {
  it('delivers a published event signed per Standard Webhooks, with custom headers, and logs the attempt', async () => {
    const h = await harness();
    const ep = await h.endpoint({ headers: { 'X-Team': 'billing' } });
    const eventId = await h.publish({ amount: 250, currency: 'EUR' });
    await h.dispatcher.drain();

    expect(h.receiver.received).toHaveLength(1);
    const got = h.receiver.received[0]!;
    expect(got.headers['webhook-id']).toBe(eventId);
    expect(got.headers['x-team']).toBe('billing');
    expect(got.headers['content-type']).toBe('application/json');
    // The reference library accepts our signature over the exact bytes sent (its clock is the real one: the
    // attempt's timestamp is a minute ahead, inside the 5-minute tolerance).
    const payload = new Webhook(ep.secret).verify(got.body, headersOf(got)) as Json;
    expect(payload).toMatchObject({ type: TYPE, data: { amount: 250, currency: 'EUR' } });
    expect(typeof payload.timestamp).toBe('string');

    const [delivery] = await h.deliveries(ep.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempt_count: 1, last_status_code: 200 });
    const [attempt] = await h.attempts(ep.id);
    expect(attempt).toMatchObject({
      outcome: 'delivered',
      status_code: 200,
      response_body: 'ok',
      trigger: 'scheduled',
    });
  });

  it('records an attempt whose answer holds a NUL character (kept as U+FFFD), delivered or failed', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    // A text column refuses NUL: the attempt stayed in_flight and the delivery went out again after its lease.
    h.receiver.queue('/hook', { status: 500, body: 'no\u0000pe' }, { status: 200, body: 'o\u0000k' });
    await h.publish();
    await h.dispatcher.drain();
    h.clock.advance(5000);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(2);
    expect(await h.deliveries(ep.id)).toMatchObject([{ status: 'delivered', attempt_count: 2 }]);
    expect((await h.attempts(ep.id)).map((a) => [a.outcome, a.status_code, a.response_body])).toEqual([
      ['failed', 500, 'no\uFFFDpe'],
      ['delivered', 200, 'o\uFFFDk'],
    ]);
  });

  it('signs with ed25519 (v1a) when the endpoint asks, verifiable with its whpk_ public key', async () => {
    const h = await harness();
    const res = await h.t.request({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: h.receiver.url(), signing: 'ed25519' },
    });
    const publicKey = (res.data.signing_secret as Json).public_key as string;
    await h.publish();
    await h.dispatcher.drain();
    const got = h.receiver.received[0]!;
    expect(got.headers['webhook-signature']).toMatch(/^v1a,/);
    expect(
      verify({ headers: headersOf(got), body: got.body, secrets: [{ secret: publicKey }], now: h.clock.now() }),
    ).toEqual({ ok: true });
    expect(
      verify({ headers: headersOf(got), body: `${got.body} `, secrets: [{ secret: publicKey }], now: h.clock.now() }),
    ).toMatchObject({ ok: false });
  });

  it('signs with the old and the new secret during a rotation; both verify with standardwebhooks', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    const rotated = await h.t.request({
      method: 'POST',
      url: `/v1/webhooks/endpoints/${ep.id}/secrets/rotate`,
      body: { expire_old_in_seconds: 3600 },
    });
    expect(rotated.statusCode).toBe(200);
    const newSecret = (rotated.data.signing_secret as Json).secret as string;
    await h.publish();
    await h.dispatcher.drain();
    const got = h.receiver.received[0]!;
    expect(got.headers['webhook-signature']?.toString().split(' ')).toHaveLength(2);
    expect(() => new Webhook(ep.secret).verify(got.body, headersOf(got))).not.toThrow();
    expect(() => new Webhook(newSecret).verify(got.body, headersOf(got))).not.toThrow();
    expect(() =>
      new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(got.body, headersOf(got)),
    ).toThrow();
  });

  it('retries a 500 on the schedule, keeping every attempt, and delivers with the same webhook-id', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    h.receiver.queue('/hook', { status: 500, body: 'boom' }, { status: 503 });
    await h.publish();
    await h.dispatcher.drain();
    let [d] = await h.deliveries(ep.id);
    expect(d).toMatchObject({ status: 'pending', attempt_count: 1, last_status_code: 500, last_error: 'HTTP 500' });
    // Second attempt 5 s later (no jitter at r = 0.5): not a millisecond before.
    expect(d!.next_attempt_at!.getTime() - h.clock.now().getTime()).toBe(5000);
    h.clock.advance(4999);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(1);
    h.clock.advance(1);
    await h.dispatcher.drain();
    [d] = await h.deliveries(ep.id);
    expect(d).toMatchObject({ status: 'pending', attempt_count: 2, last_status_code: 503 });
    expect(d!.next_attempt_at!.getTime() - h.clock.now().getTime()).toBe(5 * 60_000);
    h.clock.advance(5 * 60_000);
    await h.dispatcher.drain();
    [d] = await h.deliveries(ep.id);
    expect(d).toMatchObject({ status: 'delivered', attempt_count: 3, last_error: null });
    const attempts = await h.attempts(ep.id);
    expect(attempts.map((a) => [a.attempt_number, a.outcome, a.status_code])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);
    expect(attempts[0]!.response_body).toBe('boom');
    expect(new Set(h.receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('disables the endpoint on 410 Gone and skips what comes after', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    h.receiver.queue('/hook', { status: 410 });
    await h.publish();
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id))[0]).toMatchObject({ status: 'failed', last_status_code: 410 });
    expect(await h.endpointRow(ep.id)).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    const disabled = await h.eventsOfType('endpoint.disabled');
    expect(disabled.map((e) => e.data)).toEqual([expect.objectContaining({ endpoint_id: ep.id, reason: 'gone' })]);
    // No delivery.exhausted for a 410: the endpoint is gone, not the delivery exhausted.
    expect(await h.eventsOfType('delivery.exhausted')).toHaveLength(0);

    await h.publish();
    await h.dispatcher.drain();
    const after = await h.deliveries(ep.id);
    expect(after[1]).toMatchObject({ status: 'skipped', skip_reason: 'endpoint_disabled', attempt_count: 0 });
    expect(h.receiver.received).toHaveLength(1);
  });

  it('throttles the whole endpoint on 429, honouring Retry-After', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    h.receiver.queue('/hook', { status: 429, headers: { 'retry-after': '120' } });
    await h.publish();
    await h.dispatcher.drain();
    const [d] = await h.deliveries(ep.id);
    expect(d).toMatchObject({ status: 'pending', last_status_code: 429 });
    expect(d!.next_attempt_at!.getTime() - h.clock.now().getTime()).toBe(120_000);
    // Another event is held back too: the endpoint asked for a pause.
    await h.publish();
    h.clock.advance(60_000);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(1);
    h.clock.advance(60_000);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(3);
    expect((await h.deliveries(ep.id)).map((x) => x.status)).toEqual(['delivered', 'delivered']);
    expect((await h.attempts(ep.id))[0]).toMatchObject({ outcome: 'throttled', status_code: 429 });
  });

  it('treats a timeout as throttling with the penalty, and a connection reset as a failure', async () => {
    const h = await harness({ timeoutMs: 300 });
    const slow = await h.endpoint({ url: h.receiver.url('/slow') });
    const reset = await h.endpoint({ url: h.receiver.url('/reset') });
    h.receiver.queue('/slow', { hang: true });
    h.receiver.queue('/reset', { reset: true });
    await h.publish();
    await h.dispatcher.drain();
    const [timedOut] = await h.attempts(slow.id);
    expect(timedOut).toMatchObject({ outcome: 'throttled', status_code: null, error: 'timed out after 300 ms' });
    const [slowDelivery] = await h.deliveries(slow.id);
    // The 5 s retry is pushed out to the 30 s throttle penalty.
    expect(slowDelivery!.next_attempt_at!.getTime() - h.clock.now().getTime()).toBe(30_000);
    const [wasReset] = await h.attempts(reset.id);
    expect(wasReset).toMatchObject({ outcome: 'failed', status_code: null });
    expect(wasReset!.error).toMatch(/ECONNRESET|closed/);
    h.receiver.release();
    h.clock.advance(30_000);
    await h.dispatcher.drain();
    expect((await h.deliveries(slow.id))[0]!.status).toBe('delivered');
    expect((await h.deliveries(reset.id))[0]!.status).toBe('delivered');
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    h.receiver.queue('/hook', { status: 307, headers: { location: h.receiver.url('/elsewhere') } });
    await h.publish();
    await h.dispatcher.drain();
    expect(h.receiver.at('/elsewhere')).toHaveLength(0);
    expect((await h.attempts(ep.id))[0]).toMatchObject({ outcome: 'failed', status_code: 307 });
    expect((await h.deliveries(ep.id))[0]).toMatchObject({ status: 'pending', last_error: 'redirect (not followed)' });
  });

  it('fails a delivery once the schedule is exhausted and publishes delivery.exhausted', async () => {
    const h = await harness({ retryDelaysMs: [0, 1000] });
    const ep = await h.endpoint();
    const other = await h.endpoint({ url: h.receiver.url('/other') });
    h.receiver.always('/hook', { status: 500 });
    const eventId = await h.publish();
    await h.dispatcher.drain();
    h.clock.advance(1000);
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id))[0]).toMatchObject({ status: 'failed', attempt_count: 2 });
    const exhausted = await h.eventsOfType('delivery.exhausted');
    expect(exhausted.map((e) => e.data)).toEqual([
      expect.objectContaining({ endpoint_id: ep.id, event_id: eventId, attempts: 2, last_error: 'HTTP 500' }),
    ]);
    // The operational event is delivered to the other endpoint, never to the one it is about.
    await h.dispatcher.drain();
    expect(h.receiver.at('/other').map((r) => JSON.parse(r.body).type)).toEqual([TYPE, 'delivery.exhausted']);
    expect((await h.deliveries(ep.id)).length).toBe(1);
    expect(other.id).toBeTruthy();
  });

  it('opens the circuit after consecutive failures, probes half-open, and recovers', async () => {
    // One at a time, so that the breaker decides every claim after the first (attempts already in flight finish).
    const h = await harness({ breakerThreshold: 2, breakerCooldownMs: 10_000, endpointConcurrency: 1 });
    const ep = await h.endpoint();
    h.receiver.always('/hook', { status: 500 });
    await h.publish();
    await h.publish();
    await h.publish();
    await h.dispatcher.drain();
    // Two failures open the breaker; the third delivery waits without an attempt.
    expect(h.receiver.received).toHaveLength(2);
    let row = await h.endpointRow(ep.id);
    expect(row).toMatchObject({ consecutive_failures: 2, circuit_opens: 1 });
    const view = await h.t.request({ url: `/v1/webhooks/endpoints/${ep.id}` });
    expect(view.data.health).toMatchObject({ circuit: 'open', consecutive_failures: 2 });
    expect((await h.deliveries(ep.id))[2]).toMatchObject({ status: 'pending', attempt_count: 0 });

    // After the cool-down exactly one probe goes out; it succeeds, the circuit closes, the rest follow.
    h.receiver.always('/hook', { status: 200 });
    h.clock.advance(10_000);
    await h.dispatcher.drain();
    row = await h.endpointRow(ep.id);
    expect(row).toMatchObject({ consecutive_failures: 0, circuit_opens: 0, circuit_open_until: null });
    const recovered = await h.eventsOfType('endpoint.recovered');
    expect(recovered.map((e) => e.data)).toEqual([expect.objectContaining({ endpoint_id: ep.id })]);
    h.clock.advance(5000);
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id)).map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('reopens the circuit for longer when the half-open probe fails', async () => {
    const h = await harness({ breakerThreshold: 1, breakerCooldownMs: 10_000, endpointConcurrency: 1 });
    const ep = await h.endpoint();
    h.receiver.always('/hook', { status: 500 });
    await h.publish();
    await h.publish();
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(1);
    h.clock.advance(10_000);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(2);
    const row = await h.endpointRow(ep.id);
    expect(row.circuit_opens).toBe(2);
    expect((row.circuit_open_until as Date).getTime() - h.clock.now().getTime()).toBe(20_000);
  });

  it('opens the circuit once for failures in flight together, and escalates only when the probe fails', async () => {
    const h = await harness({
      concurrency: 50,
      endpointConcurrency: 20,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
      breakerMaxCooldownMs: 600_000,
    });
    const ep = await h.endpoint();
    h.receiver.always('/hook', { status: 500 });
    for (let i = 0; i < 20; i++) await h.publish({ i });
    await h.dispatcher.start();
    // Twenty attempts out at once, all failing: the fifth opens the breaker, the fifteen after it change nothing.
    await h.receiver.waitFor(20);
    const health = async () => {
      const view = await h.t.request({ url: `/v1/webhooks/endpoints/${ep.id}` });
      return view.data.health as Json;
    };
    await vi.waitFor(async () => expect((await health()).consecutive_failures).toBe(20));
    const opened = await health();
    expect(opened.circuit).toBe('open');
    expect(Date.parse(opened.circuit_open_until as string) - h.clock.now().getTime()).toBe(30_000);

    // After the cool-down one probe goes out; it fails, and the circuit opens for twice as long.
    h.clock.advance(30_000);
    await h.receiver.waitFor(21);
    await vi.waitFor(async () => expect((await health()).consecutive_failures).toBe(21));
    const reopened = await health();
    expect(reopened.circuit).toBe('open');
    expect(Date.parse(reopened.circuit_open_until as string) - h.clock.now().getTime()).toBe(60_000);
    expect(h.receiver.received).toHaveLength(21);
  });

  it('leaves a disabled tenant’s deliveries pending, retries unspent, and sends them once it is enabled again', async () => {
    const h = await harness();
    const other = await h.t.otherTenant('acme');
    const as = (token: string) => (req: { method?: 'POST' | 'PATCH' | 'GET'; url: string; body?: Json }) =>
      h.t.request({ ...req, token });
    const acme = as(other.token);
    expect((await acme({ method: 'POST', url: '/v1/event-types', body: { name: TYPE } })).statusCode).toBe(201);
    const acmeEndpoint = await acme({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: h.receiver.url('/acme') },
    });
    expect(acmeEndpoint.statusCode).toBe(201);
    const published = await acme({ method: 'POST', url: '/v1/events', body: { type: TYPE, data: { n: 1 } } });
    expect(published.statusCode).toBe(201);
    const disable = (disabled: boolean) =>
      h.t.request({ method: 'PATCH', url: `/v1/tenants/${other.tenantId}`, body: { disabled } });
    expect((await disable(true)).statusCode).toBe(200);
    // Its keys can no longer publish; nothing is stored.
    const refused = await acme({ method: 'POST', url: '/v1/events', body: { type: TYPE, data: { n: 2 } } });
    expect(refused.statusCode).toBe(403);
    expect(refused.data.code).toBe('tenant_disabled');

    // Another tenant's delivery, due at the same time, goes out on the same pass.
    const ours = await h.endpoint();
    await h.publish();
    await h.dispatcher.start();
    await vi.waitFor(async () => expect((await h.deliveries(ours.id))[0]?.status).toBe('delivered'));
    const [waiting] = await h.deliveries(acmeEndpoint.data.id as string);
    expect(waiting).toMatchObject({ status: 'pending', attempt_count: 0 });
    expect(h.receiver.at('/acme')).toHaveLength(0);
    expect(await h.attempts(acmeEndpoint.data.id as string)).toEqual([]);

    expect((await disable(false)).statusCode).toBe(200);
    await h.receiver.waitFor(2);
    expect(h.receiver.at('/acme').map((r) => r.headers['webhook-id'])).toEqual([published.data.id]);
    await vi.waitFor(async () => {
      const delivery = await acme({ url: `/v1/webhooks/deliveries?endpoint_id=${acmeEndpoint.data.id as string}` });
      expect((delivery.data.data as Json[]).map((d) => [d.status, d.attempt_count])).toEqual([['delivered', 1]]);
    });
  });

  it('stats show attempts failing and the circuit open while deliveries still look 100% successful', async () => {
    const h = await harness({ breakerThreshold: 5, endpointConcurrency: 1 });
    const ep = await h.endpoint();
    const health = async () =>
      (await h.t.request({ url: `/v1/webhooks/endpoints/${ep.id}` })).data.health as { consecutive_failures: number };
    for (let i = 0; i < 3; i++) await h.publish({ i });
    await h.dispatcher.start();
    await vi.waitFor(async () =>
      expect((await h.deliveries(ep.id)).map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']),
    );
    // The receiver breaks: five attempts fail, the breaker opens; the deliveries wait for their retries.
    h.receiver.always('/hook', { status: 500, body: 'database down' });
    for (let i = 0; i < 6; i++) await h.publish({ i });
    await vi.waitFor(async () => expect((await health()).consecutive_failures).toBe(5));

    const until = new Date(h.clock.now().getTime() + 60_000).toISOString();
    const res = await h.t.request({ url: `/v1/webhooks/stats?until=${until}` });
    expect(res.statusCode, res.body).toBe(200);
    // Delivery counters: nothing has exhausted its retries, so still 100%.
    expect(res.data.overall).toMatchObject({ delivered: 3, failed: 0, pending: 6, success_rate: 1 });
    // Attempt counters say what the receiver is doing now.
    expect(res.data.overall).toMatchObject({
      attempts: 8,
      attempts_delivered: 3,
      attempts_failed: 5,
      attempt_success_rate: 3 / 8,
    });
    const [row] = res.data.per_endpoint as Json[];
    expect(row).toMatchObject({
      endpoint_id: ep.id,
      success_rate: 1,
      attempt_success_rate: 3 / 8,
      circuit: 'open',
      consecutive_failures: 5,
      failing_since: expect.any(String),
      last_failure: { outcome: 'failed', status_code: 500, error: 'HTTP 500', attempt_number: 1 },
    });
    const recent = res.data.recent_failures as Json[];
    expect(recent).toHaveLength(5);
    expect(recent.every((f) => f.endpoint_id === ep.id && f.status_code === 500)).toBe(true);
  });

  it('disables an endpoint that has done nothing but fail for the disable period', async () => {
    const h = await harness({ disableAfterMs: 3_600_000, breakerThreshold: 100 });
    const ep = await h.endpoint();
    h.receiver.always('/hook', { status: 500 });
    await h.publish();
    await h.dispatcher.drain();
    h.clock.advance(3_600_000);
    await h.publish();
    await h.dispatcher.drain();
    expect(await h.endpointRow(ep.id)).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    expect((await h.eventsOfType('endpoint.disabled')).map((e) => e.data.reason)).toEqual(['failing']);
  });

  it('applies the payload filter: events it excludes are skipped', async () => {
    const h = await harness();
    const ep = await h.endpoint({ filter: '$.data.amount > 100 && $.type starts with "invoice."' });
    await h.publish({ amount: 50 });
    await h.publish({ amount: 150 });
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id)).map((d) => [d.status, d.skip_reason])).toEqual([
      ['skipped', 'filtered'],
      ['delivered', null],
    ]);
    expect(h.receiver.received.map((r) => JSON.parse(r.body).data.amount)).toEqual([150]);
    const bad = await h.t.request({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: h.receiver.url(), filter: '$.data.amount' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.data).toMatchObject({ code: 'validation_failed', detail: expect.stringMatching(/condition/) });
  });

  it('keeps FIFO order per endpoint: a failing head holds the lane', async () => {
    const h = await harness();
    const ep = await h.endpoint({ ordering: 'endpoint' });
    h.receiver.queue('/hook', { status: 500 });
    expect((await h.endpointRow(ep.id)).ordering).toBe('endpoint');
    const first = await h.publish({ n: 1 });
    await h.publish({ n: 2 });
    await h.publish({ n: 3 });
    await h.dispatcher.drain();
    expect(h.receiver.received.map((r) => r.headers['webhook-id'])).toEqual([first]);
    h.clock.advance(5000);
    await h.dispatcher.drain();
    expect(h.receiver.received.map((r) => JSON.parse(r.body).data.n)).toEqual([1, 1, 2, 3]);
  });

  it('keeps FIFO order per ordering key, lanes independent of each other', async () => {
    const h = await harness();
    const ep = await h.endpoint({ ordering: 'key' });
    h.receiver.queue('/hook', { status: 500 });
    // a1 goes out alone, so it is the one that meets the 500 (lanes are sent concurrently, in no fixed order).
    await h.publish({ n: 'a1' }, { ordering_key: 'a' });
    await h.dispatcher.drain();
    await h.publish({ n: 'b1' }, { ordering_key: 'b' });
    await h.publish({ n: 'a2' }, { ordering_key: 'a' });
    await h.dispatcher.drain();
    const order = () => h.receiver.received.map((r) => JSON.parse(r.body).data.n);
    // a1 failed and holds lane a; lane b is free.
    expect(order()).toEqual(['a1', 'b1']);
    h.clock.advance(5000);
    await h.dispatcher.drain();
    expect(order().slice(2)).toEqual(['a1', 'a2']);
    expect((await h.deliveries(ep.id)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('caps attempts in flight per endpoint, so a hung endpoint does not hold up another', async () => {
    const h = await harness({ endpointConcurrency: 2, timeoutMs: 5000 });
    const hung = await h.endpoint({ url: h.receiver.url('/hung') });
    const fine = await h.endpoint({ url: h.receiver.url('/fine') });
    h.receiver.always('/hung', { hang: true });
    for (let i = 0; i < 5; i++) await h.publish({ i });
    await h.dispatcher.start();
    await h.receiver.waitFor(2 + 5);
    expect(h.receiver.at('/fine')).toHaveLength(5);
    expect(h.receiver.at('/hung')).toHaveLength(2);
    await vi.waitFor(() => expect(h.dispatcher.inFlight()).toBe(2));
    h.receiver.always('/hung', { status: 200 });
    h.receiver.release();
    await h.dispatcher.stop();
    await h.dispatcher.drain();
    expect((await h.deliveries(hung.id)).every((d) => d.status === 'delivered')).toBe(true);
    expect((await h.deliveries(fine.id)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('holds an endpoint to its rate limit', async () => {
    const h = await harness();
    const ep = await h.endpoint({ rate_limit_per_second: 2 });
    for (let i = 0; i < 5; i++) await h.publish({ i });
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(2);
    h.clock.advance(1000);
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(4);
    h.clock.advance(1000);
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('applies the SSRF guard on every attempt', async () => {
    const h = await harness({}, { allow: 'none' });
    const ep = await h.endpoint();
    await h.publish();
    await h.dispatcher.drain();
    expect(h.receiver.received).toHaveLength(0);
    const [attempt] = await h.attempts(ep.id);
    expect(attempt!.outcome).toBe('blocked');
    expect(attempt!.error).toMatch(/^destination_blocked: .*loopback/i);
  });

  it('delivers platform events written in another feature’s transaction', async () => {
    const h = await harness();
    const ep = await h.endpoint({ event_types: ['connection.created'] });
    await h.t.db.transaction((tx) =>
      publishEvent(tx, { tenantId: h.t.tenantId, type: 'connection.created', data: { connection_id: 'conn_1' } }),
    );
    await h.publish();
    await h.dispatcher.drain();
    expect((await h.deliveries(ep.id)).length).toBe(1);
    expect(JSON.parse(h.receiver.received[0]!.body)).toMatchObject({
      type: 'connection.created',
      data: { connection_id: 'conn_1' },
    });
  });

  it('sends again, with the same webhook-id, a delivery whose lease expired with its node', async () => {
    const h = await harness();
    const ep = await h.endpoint();
    const eventId = await h.publish();
    // A node claimed it and died: dispatched, lease in the past.
    await h.t.db.query(
      `update webhook_deliveries set status = 'dispatched', attempt_count = 1, lease_until = $1 where endpoint_id = $2`,
      [new Date(h.clock.now().getTime() - 1), ep.id],
    );
    await h.dispatcher.drain();
    expect(h.receiver.received.map((r) => r.headers['webhook-id'])).toEqual([eventId]);
    expect((await h.deliveries(ep.id))[0]).toMatchObject({ status: 'delivered', attempt_count: 2 });
  });

  it('feeds a FIFO lane as its deliveries finish, without waiting for the poll', async () => {
    const h = await harness({ pollMs: 60_000 });
    await h.endpoint({ ordering: 'key' });
    for (let n = 1; n <= 4; n++) await h.publish({ n }, { ordering_key: 'lane' });
    await h.dispatcher.start();
    // One at a time, in order; each finished attempt opens the lane for the next (the poll is a minute away).
    await h.receiver.waitFor(4);
    expect(h.receiver.received.map((r) => JSON.parse(r.body).data.n)).toEqual([1, 2, 3, 4]);
  });

  it('wakes on publish when started (LISTEN/NOTIFY or the in-process signal)', async () => {
    const h = await harness({ pollMs: 60_000 });
    await h.endpoint();
    await h.dispatcher.start();
    // The clock stands still and the poll is a minute away: only the insert trigger's notification can wake it.
    await h.publish();
    await h.receiver.waitFor(1);
    expect(h.receiver.received).toHaveLength(1);
  });
});
