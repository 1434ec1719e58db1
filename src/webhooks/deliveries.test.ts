import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectData, type JsonBody, type QueryParams } from '../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, expectProblem } from '../../test/helpers/fixtures.js';
import { manualClock } from '../core/clock.js';
import { maintenanceTasks } from '../server/maintenance.js';
import { purgeDeliveries } from './deliveries/retention.js';

/**
 * The delivery operations API. The dispatcher does not run in createTestApp, so deliveries come from publishing
 * (fan-out) and their outcomes are fabricated with SQL.
 */
let t: TestApp;
const clock = manualClock(new Date());

beforeEach(async () => {
  clock.set(new Date());
  t = await createTestApp({ clock });
  for (const name of ['order.created', 'order.paid']) {
    await expectData(t.api.POST('/v1/event-types', { body: { name } }), 201);
  }
});
afterEach(async () => {
  await t.close();
});

async function createEndpoint(body: Partial<JsonBody<'/v1/webhooks/endpoints', 'post'>> = {}): Promise<string> {
  const endpoint = await expectData(
    t.api.POST('/v1/webhooks/endpoints', { body: { url: 'https://example.com/hook', ...body } }),
    201,
  );
  return endpoint.id;
}

async function publish(type = 'order.created', data: Record<string, unknown> = {}): Promise<string> {
  return (await expectData(t.api.POST('/v1/events', { body: { type, data } }), 201)).id;
}

const disableEndpoint = (id: string) =>
  expectData(t.api.PATCH('/v1/webhooks/endpoints/{id}', { params: { path: { id } }, body: { enabled: false } }));

async function deliveryOf(eventId: string, endpointId: string): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>(
    'select id from webhook_deliveries where event_id = $1 and endpoint_id = $2',
    [eventId, endpointId],
  );
  expect(rows, `delivery of ${eventId} to ${endpointId}`).toHaveLength(1);
  return rows[0]?.id ?? '';
}

/** Fabricate what the dispatcher would have recorded. */
async function setDelivery(id: string, fields: Record<string, unknown>): Promise<void> {
  const names = Object.keys(fields);
  const sets = names.map((name, i) => `${name} = $${i + 2}`).join(', ');
  await t.db.query(`update webhook_deliveries set ${sets} where id = $1`, [id, ...names.map((n) => fields[n])]);
}

let attemptSeq = 0;
async function insertAttempt(
  deliveryId: string,
  fields: { number: number; duration_ms?: number; status?: number | null; body?: string; truncated?: boolean },
): Promise<string> {
  const id = `att_test${String(++attemptSeq).padStart(6, '0')}`;
  await t.db.query(
    `insert into webhook_attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, trigger, started_at,
       duration_ms, outcome, status_code, error, response_headers, response_body, response_truncated, request_url)
     select $1, d.id, d.tenant_id, d.endpoint_id, $2::int, 'scheduled', now() + make_interval(secs => $2::int), $3::int,
       case when $4::int between 200 and 299 then 'delivered' else 'failed' end, $4::int,
       case when $4::int between 200 and 299 then null else 'HTTP ' || $4::int end,
       '{"content-type": "text/plain"}'::jsonb, $5::text, $6::boolean, 'https://example.com/hook'
     from webhook_deliveries d where d.id = $7`,
    [
      id,
      fields.number,
      fields.duration_ms ?? 100,
      fields.status ?? 500,
      fields.body ?? 'nope',
      fields.truncated ?? false,
      deliveryId,
    ],
  );
  return id;
}

const list = (query: QueryParams<'/v1/webhooks/deliveries'> = {}) =>
  expectData(t.api.GET('/v1/webhooks/deliveries', { params: { query } }));
const ids = (items: { id: string }[]) => items.map((i) => i.id);
const detailOf = (id: string) => t.api.GET('/v1/webhooks/deliveries/{id}', { params: { path: { id } } });
const retry = (id: string) => t.api.POST('/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } } });
const replay = (body: JsonBody<'/v1/webhooks/replay', 'post'>) => t.api.POST('/v1/webhooks/replay', { body });
const stats = (query: QueryParams<'/v1/webhooks/stats'> = {}) =>
  expectData(t.api.GET('/v1/webhooks/stats', { params: { query } }));
/** A replay's counts, after checking it names itself with a replay id. */
function withoutId<R extends { id: string }>(data: R): Omit<R, 'id'> {
  const { id, ...rest } = data;
  expect(id).toMatch(/^rpl_/);
  return rest;
}

describe('delivery log', () => {
  it('lists newest first with filters and cursor paging', async () => {
    const all = await createEndpoint();
    const paid = await createEndpoint({ event_types: ['order.paid'] });
    const created = [await publish(), await publish(), await publish()];
    const paidEvents = [await publish('order.paid'), await publish('order.paid')];
    await setDelivery(await deliveryOf(created[0] ?? '', all), { status: 'failed', last_error: 'HTTP 500' });
    await setDelivery(await deliveryOf(paidEvents[0] ?? '', paid), { status: 'delivered' });

    const everything = await list();
    expect(everything.data).toHaveLength(7);
    expect(ids(everything.data)).toEqual([...ids(everything.data)].sort().reverse());
    expect(everything.next_cursor).toBeNull();
    expect(everything.data[0]).toMatchObject({
      event_id: paidEvents[1],
      event_type: 'order.paid',
      status: 'pending',
      attempt_count: 0,
      last_status_code: null,
      delivered_at: null,
    });

    // Pages of 3: 3 + 3 + 1, no duplicates, the same order.
    const pages: { id: string }[] = [];
    let cursor: string | null = null;
    let rounds = 0;
    do {
      const p = await list({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(p.data.length).toBeLessThanOrEqual(3);
      pages.push(...p.data);
      cursor = p.next_cursor;
      rounds++;
    } while (cursor);
    expect(rounds).toBe(3);
    expect(ids(pages)).toEqual(ids(everything.data));

    expect((await list({ endpoint_id: paid })).data.map((d) => d.event_id)).toEqual([...paidEvents].reverse());
    expect((await list({ event_type: 'order.paid' })).data).toHaveLength(4);
    expect((await list({ event_type: 'order.paid,order.created' })).data).toHaveLength(7);
    const finished = await list({ status: 'failed,delivered' });
    expect(finished.data.map((d) => [d.status, d.event_id]).sort()).toEqual(
      [
        ['delivered', paidEvents[0]],
        ['failed', created[0]],
      ].sort(),
    );
    expect(finished.data.find((d) => d.status === 'failed')?.last_error).toBe('HTTP 500');
    expect((await list({ status: 'failed', endpoint_id: paid })).data).toHaveLength(0);

    // q: an event id (both its deliveries), its prefix, or a delivery id.
    const byEvent = await list({ q: paidEvents[1] });
    expect(byEvent.data.map((d) => d.endpoint_id).sort()).toEqual([all, paid].sort());
    const prefix = (paidEvents[1] ?? '').slice(0, -2);
    expect(ids((await list({ q: prefix })).data)).toEqual(expect.arrayContaining(ids(byEvent.data)));
    const one = byEvent.data[0]?.id ?? '';
    expect(ids((await list({ q: one })).data)).toEqual([one]);
    expect((await list({ q: 'evt_nothing_like_this' })).data).toHaveLength(0);

    // since / until on created_at.
    const old = await deliveryOf(created[1] ?? '', all);
    await setDelivery(old, { created_at: new Date('2025-01-01T00:00:00Z') });
    expect(ids((await list({ until: '2025-06-01T00:00:00Z' })).data)).toEqual([old]);
    expect(ids((await list({ since: '2025-06-01T00:00:00Z' })).data)).not.toContain(old);
    expect((await list({ since: '2025-06-01T00:00:00Z' })).data).toHaveLength(6);
  });

  it("refuses bad filters and hides another tenant's deliveries", async () => {
    const endpoint = await createEndpoint();
    const delivery = await deliveryOf(await publish(), endpoint);
    expectProblem(await t.request({ url: '/v1/webhooks/deliveries?status=bogus' }), 400, 'validation_failed');
    expectProblem(await t.request({ url: '/v1/webhooks/deliveries?status=failed,' }), 400, 'validation_failed');
    expectProblem(await t.request({ url: '/v1/webhooks/deliveries?since=yesterday' }), 400, 'validation_failed');
    expectProblem(await detailOf('dlv_unknown'), 404, 'not_found');

    const other = await t.otherTenant();
    const theirs = t.apiAs(other.token);
    expectProblem(
      await theirs.GET('/v1/webhooks/deliveries/{id}', { params: { path: { id: delivery } } }),
      404,
      'not_found',
    );
    expect((await expectData(theirs.GET('/v1/webhooks/deliveries'))).data).toEqual([]);
    expectProblem(
      await theirs.POST('/v1/webhooks/deliveries/{id}/retry', { params: { path: { id: delivery } } }),
      404,
      'not_found',
    );
    clock.set(new Date(Date.now() + 1000));
    expect((await expectData(theirs.GET('/v1/webhooks/stats'))).overall).toMatchObject({ total: 0 });
    expect((await stats()).overall).toMatchObject({ total: 1, pending: 1 });
  });
});

describe('delivery detail', () => {
  it('shows attempts oldest first without bodies, the event, and one attempt with its body', async () => {
    const endpoint = await createEndpoint();
    const eventId = await publish('order.created', { order: 42 });
    const delivery = await deliveryOf(eventId, endpoint);
    const first = await insertAttempt(delivery, { number: 1, status: 503, body: 'busy', duration_ms: 120 });
    const second = await insertAttempt(delivery, { number: 2, status: 200, body: 'x'.repeat(100), truncated: true });
    await setDelivery(delivery, { status: 'delivered', attempt_count: 2, last_status_code: 200 });

    const res = await expectData(detailOf(delivery));
    expect(res).toMatchObject({ id: delivery, status: 'delivered', attempt_count: 2, last_status_code: 200 });
    expect(res.event).toMatchObject({ id: eventId, type: 'order.created', data: { order: 42 } });
    const { attempts } = res;
    expect(ids(attempts)).toEqual([first, second]);
    expect(attempts[0]).toMatchObject({
      attempt_number: 1,
      status_code: 503,
      outcome: 'failed',
      duration_ms: 120,
      response_headers: { 'content-type': 'text/plain' },
    });
    expect(attempts[0]).not.toHaveProperty('response_body');

    const attempt = (id: string, attemptId: string) =>
      t.api.GET('/v1/webhooks/deliveries/{id}/attempts/{attemptId}', { params: { path: { id, attemptId } } });
    expect(await expectData(attempt(delivery, second))).toMatchObject({
      id: second,
      delivery_id: delivery,
      status_code: 200,
      response_body: 'x'.repeat(100),
      response_truncated: true,
      response_headers: { 'content-type': 'text/plain' },
    });

    // An attempt is found only under its own delivery.
    const otherDelivery = await deliveryOf(await publish(), endpoint);
    expectProblem(await attempt(otherDelivery, second), 404, 'not_found');
    expectProblem(await attempt(delivery, 'att_none'), 404, 'not_found');
  });
});

describe('manual retry', () => {
  it('makes a finished delivery due now, keeps its attempts, and refuses one in flight or on a disabled endpoint', async () => {
    const endpoint = await createEndpoint();
    const delivery = await deliveryOf(await publish(), endpoint);
    await insertAttempt(delivery, { number: 1, status: 500 });
    await setDelivery(delivery, {
      status: 'failed',
      attempt_count: 1,
      schedule_attempt: 5,
      next_attempt_at: null,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    clock.advance(60_000);

    const res = await retry(delivery);
    expect(await expectData(res, 202)).toMatchObject({
      id: delivery,
      status: 'pending',
      next_trigger: 'manual',
      next_attempt_at: clock.now().toISOString(),
      attempt_count: 1,
      last_error: 'HTTP 500',
    });
    const { rows } = await t.db.query<{ schedule_attempt: number }>(
      'select schedule_attempt from webhook_deliveries where id = $1',
      [delivery],
    );
    expect(rows[0]?.schedule_attempt).toBe(0);
    expect((await expectData(detailOf(delivery))).attempts).toHaveLength(1);
    const [entry] = await auditOf(t, res);
    expect(entry).toMatchObject({ action: 'webhook_delivery.retry', target_id: delivery, outcome: 'success' });

    // A skipped delivery can be retried too; the skip reason goes.
    await setDelivery(delivery, { status: 'skipped', skip_reason: 'filtered' });
    expect(await expectData(retry(delivery), 202)).toMatchObject({ status: 'pending', skip_reason: null });

    await setDelivery(delivery, { status: 'dispatched' });
    expectProblem(await retry(delivery), 409, 'delivery_in_flight');

    await setDelivery(delivery, { status: 'failed' });
    await disableEndpoint(endpoint);
    const disabled = await retry(delivery);
    expectProblem(disabled, 409, 'endpoint_disabled');
    expect(disabled.error?.detail).toMatch(/enable it first/);
    expect((await expectData(detailOf(delivery))).status).toBe('failed');

    expectProblem(await retry('dlv_none'), 404, 'not_found');
  });
});

describe('replay', () => {
  it('a dry run counts exactly what the real run then does; include_missing reaches a newer endpoint', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const early = await createEndpoint();
    const off = await createEndpoint();
    const events = [await publish(), await publish(), await publish('order.paid')];
    for (const e of events) await setDelivery(await deliveryOf(e, early), { status: 'failed', attempt_count: 3 });
    await setDelivery(await deliveryOf(events[0] ?? '', off), { status: 'failed' });
    await setDelivery(await deliveryOf(events[1] ?? '', off), { status: 'delivered' });
    await disableEndpoint(off);
    // Subscribed after the events were published: they have no delivery to it.
    const late = await createEndpoint({ event_types: ['order.created'] });
    // `until` defaults to the clock's now: after the events.
    clock.set(new Date(Date.now() + 1000));

    const body = { since, include_missing: true };
    const dry = await replay({ ...body, dry_run: true });
    const dryRun = await expectData(dry);
    expect(withoutId(dryRun)).toEqual({ dry_run: true, deliveries: 3, missing: 2, skipped_disabled: 1 });
    const untouched = await list({ status: 'failed' });
    expect(untouched.data).toHaveLength(4);

    const real = await replay(body);
    const replayed = await expectData(real, 202);
    expect(withoutId(replayed)).toEqual({ dry_run: false, requeued: 3, created: 2, skipped_disabled: 1 });
    expect((await auditOf(t, real))[0]).toMatchObject({
      action: 'webhook_delivery.replay',
      target_type: 'webhook_replay',
      target_id: replayed.id,
      status_code: 202,
      outcome: 'success',
      diff: { requeued: 3, created: 2, skipped_disabled: 1, include_missing: true },
    });
    expect((await auditOf(t, dry))[0]).toMatchObject({ status_code: 200, target_id: dryRun.id });

    const requeued = (await list({ endpoint_id: early })).data;
    expect(requeued.map((d) => [d.status, d.next_trigger, d.next_attempt_at])).toEqual(
      events.map(() => ['pending', 'replay', clock.now().toISOString()]),
    );
    expect(requeued.every((d) => d.attempt_count === 3)).toBe(true);
    const created = (await list({ endpoint_id: late })).data;
    expect(created.map((d) => [d.event_id, d.status, d.next_trigger])).toEqual([
      [events[1], 'pending', 'replay'],
      [events[0], 'pending', 'replay'],
    ]);
    // The disabled endpoint's delivery is left as it was.
    expect((await list({ endpoint_id: off, status: 'failed' })).data).toHaveLength(1);

    // Nothing left to do: a second dry run says so.
    const again = await expectData(replay({ ...body, dry_run: true }));
    expect(withoutId(again)).toEqual({ dry_run: true, deliveries: 0, missing: 0, skipped_disabled: 1 });

    // Other statuses, scoped to an endpoint and a type.
    const delivered = await expectData(
      replay({ since, endpoint_id: off, statuses: ['delivered'], event_types: ['order.created'], dry_run: true }),
    );
    expect(withoutId(delivered)).toEqual({ dry_run: true, deliveries: 0, missing: 0, skipped_disabled: 1 });
    const pendingEarly = await expectData(
      replay({ since, endpoint_id: early, statuses: ['pending'], event_types: ['order.paid'], dry_run: true }),
    );
    expect(pendingEarly).toMatchObject({ deliveries: 1, missing: 0 });
  });

  it('leaves deliveries in flight and events outside the range alone, and validates the range', async () => {
    const endpoint = await createEndpoint();
    const inFlight = await deliveryOf(await publish(), endpoint);
    await setDelivery(inFlight, { status: 'dispatched' });
    const since = new Date(Date.now() - 60_000).toISOString();
    clock.set(new Date(Date.now() + 1000));
    const res = await expectData(replay({ since, statuses: ['pending', 'delivered', 'failed', 'skipped'] }), 202);
    expect(withoutId(res)).toEqual({ dry_run: false, requeued: 0, created: 0, skipped_disabled: 0 });

    const failed = await deliveryOf(await publish(), endpoint);
    await setDelivery(failed, { status: 'failed' });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const later = await replay({ since: future, until: new Date(Date.now() + 7_200_000).toISOString(), dry_run: true });
    expect(await expectData(later)).toMatchObject({ deliveries: 0, missing: 0 });

    expectProblem(await replay({ since: future, until: since }), 422, 'time_range_invalid');
    expectProblem(await replay({ since: future }), 422, 'time_range_invalid');
    // A status that cannot be replayed and a body without `since` are outside the declared types: sent untyped.
    const badStatus = await t.request({
      method: 'POST',
      url: '/v1/webhooks/replay',
      body: { since, statuses: ['dispatched'] },
    });
    expectProblem(badStatus, 400, 'validation_failed');
    expectProblem(await t.request({ method: 'POST', url: '/v1/webhooks/replay', body: {} }), 400, 'validation_failed');
    expectProblem(await replay({ since, endpoint_id: 'ep_none' }), 404, 'not_found');
    expect((await list({ status: 'failed' })).data).toHaveLength(1);
  });
  it('refuses a replay of more than 100,000 deliveries, asking for a narrower range', async () => {
    await createEndpoint({ event_types: ['order.created'] });
    const since = new Date(Date.now() - 60_000);
    await t.db.query(
      `insert into events (id, tenant_id, type, data, created_at)
       select 'evt_bulk' || lpad(g::text, 6, '0'), $1, 'order.created', '{}'::jsonb, $2
       from generate_series(1, 100001) g`,
      [t.tenantId, new Date(since.getTime() + 1000)],
    );
    const body = { since: since.toISOString(), until: new Date().toISOString(), include_missing: true };
    for (const dryRun of [true, false]) {
      const res = await replay({ ...body, dry_run: dryRun });
      expectProblem(res, 422, 'replay_too_large');
      expect(res.error?.detail).toMatch(/100001 deliveries.*Narrow the time range/);
    }
    expect((await list()).data).toHaveLength(0);
  });
});

describe('stats', () => {
  const base = new Date('2026-03-01T10:00:00Z');
  const at = (minutes: number, ms = 0) => new Date(base.getTime() + minutes * 60_000 + ms);

  it('counts, rates, latencies and retries on known deliveries, per endpoint and per bucket', async () => {
    const a = await createEndpoint();
    const b = await createEndpoint({ event_types: ['order.paid'] });
    const created = [await publish(), await publish(), await publish(), await publish()];
    const paid = await publish('order.paid');
    const fixtures: [string, Record<string, unknown>][] = [
      [created[0] ?? '', { status: 'delivered', attempt_count: 1, created_at: at(5), delivered_at: at(5, 1000) }],
      [created[1] ?? '', { status: 'delivered', attempt_count: 2, created_at: at(70), delivered_at: at(70, 3000) }],
      [created[2] ?? '', { status: 'failed', attempt_count: 3, created_at: at(75) }],
      [created[3] ?? '', { status: 'pending', attempt_count: 0, created_at: at(130) }],
      [paid, { status: 'delivered', attempt_count: 1, created_at: at(10), delivered_at: at(10, 500) }],
    ];
    const deliveries: string[] = [];
    for (const [event, fields] of fixtures) {
      const id = await deliveryOf(event, a);
      deliveries.push(id);
      await setDelivery(id, fields);
    }
    const skipped = await deliveryOf(paid, b);
    await setDelivery(skipped, { status: 'skipped', skip_reason: 'filtered', created_at: at(20) });
    // Attempt durations 100…500 on endpoint A: avg 300, p95 (interpolated) 480.
    for (const [i, ms] of [100, 200, 300, 400, 500].entries())
      await insertAttempt(deliveries[i % 3] ?? '', { number: i + 1, duration_ms: ms });
    // Outside the range: not counted.
    await setDelivery(await deliveryOf(await publish(), a), { status: 'failed', attempt_count: 9, created_at: at(-1) });
    await setDelivery(await deliveryOf(await publish(), a), { status: 'delivered', created_at: at(180) });

    const range = { since: base.toISOString(), until: at(180).toISOString() };
    const res = await stats({ ...range, bucket: '1h' });
    expect(res.bucket_seconds).toBe(3600);
    expect(res.overall).toEqual({
      total: 6,
      delivered: 3,
      failed: 1,
      pending: 1,
      skipped: 1,
      success_rate: 0.75,
      avg_delivery_ms: 1500,
      p95_delivery_ms: 2800,
      avg_attempt_ms: 300,
      p95_attempt_ms: 480,
      retries: 3,
      // The fabricated attempts started now, outside the range: attempt counters cover attempts started in it.
      attempts: 0,
      attempts_delivered: 0,
      attempts_failed: 0,
      attempt_success_rate: null,
    });
    const perEndpoint = res.per_endpoint;
    expect(perEndpoint.map((e) => e.endpoint_id)).toEqual([a, b]);
    expect(perEndpoint[0]).toMatchObject({
      url: 'https://example.com/hook',
      total: 5,
      delivered: 3,
      failed: 1,
      success_rate: 0.75,
      retries: 3,
      avg_attempt_ms: 300,
    });
    expect(perEndpoint[1]).toMatchObject({
      total: 1,
      skipped: 1,
      success_rate: null,
      avg_delivery_ms: null,
      p95_attempt_ms: null,
    });
    expect(res.series).toEqual([
      { start: at(0).toISOString(), delivered: 2, failed: 0, total: 3 },
      { start: at(60).toISOString(), delivered: 1, failed: 1, total: 2 },
      { start: at(120).toISOString(), delivered: 0, failed: 0, total: 1 },
    ]);

    const onlyB = await stats({ ...range, endpoint_id: b });
    expect(onlyB.overall).toMatchObject({ total: 1, skipped: 1 });
    expect(onlyB.per_endpoint).toHaveLength(1);
  });

  it('defaults to the last 24 hours in at most 48 buckets, and refuses a bad range', async () => {
    clock.set(new Date('2026-03-02T12:00:00Z'));
    const res = await stats();
    expect(res).toMatchObject({
      since: '2026-03-01T12:00:00.000Z',
      until: '2026-03-02T12:00:00.000Z',
      bucket_seconds: 1800,
    });
    expect(res.series).toHaveLength(48);
    expect(res.overall).toMatchObject({ total: 0, success_rate: null, retries: 0 });
    const week = await stats({ since: '2026-02-23T12:00:00Z' });
    expect(week.series.length).toBeLessThanOrEqual(48);

    const reversed = '/v1/webhooks/stats?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z';
    expectProblem(await t.request({ url: reversed }), 422, 'time_range_invalid');
    expectProblem(await t.request({ url: '/v1/webhooks/stats?bucket=1s' }), 422, 'time_range_invalid');
    expectProblem(await t.request({ url: '/v1/webhooks/stats?bucket=hourly' }), 400, 'validation_failed');
  });
});

describe('retention', () => {
  it('purges only finished deliveries older than the cutoff, with their attempts', async () => {
    const endpoint = await createEndpoint();
    const events = [await publish(), await publish(), await publish(), await publish(), await publish()];
    const [oldDelivered, oldFailed, oldPending, newDelivered, oldSkipped] = await Promise.all(
      events.map((e) => deliveryOf(e, endpoint)),
    );
    const old = new Date(Date.now() - 40 * 86_400_000);
    await setDelivery(oldDelivered ?? '', { status: 'delivered', created_at: old });
    await setDelivery(oldFailed ?? '', { status: 'failed', created_at: old });
    await setDelivery(oldPending ?? '', { status: 'pending', created_at: old });
    await setDelivery(oldSkipped ?? '', { status: 'skipped', created_at: old });
    await setDelivery(newDelivered ?? '', { status: 'delivered' });
    await insertAttempt(oldFailed ?? '', { number: 1 });
    await insertAttempt(newDelivered ?? '', { number: 1, status: 200 });

    const task = maintenanceTasks({ webhookRetentionMs: 30 * 86_400_000 }).find(
      (x) => x.name === 'webhooks.purge_deliveries',
    );
    expect(task?.everyMs).toBe(3_600_000);
    expect(await task?.run(t.db, clock)).toBe(3);
    expect(ids((await list()).data).sort()).toEqual([oldPending, newDelivered].sort());
    const { rows } = await t.db.query<{ delivery_id: string }>('select delivery_id from webhook_attempts');
    expect(rows.map((r) => r.delivery_id)).toEqual([newDelivered]);
    expect(await purgeDeliveries(t.db, new Date())).toBe(1);
  });
});
