import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createSecret, expectProblem } from '../../../test/helpers/fixtures.js';
import { startReceiver, type Receiver } from '../../../test/helpers/webhook-receiver.js';
import { manualClock } from '../../core/clock.js';
import { INBOUND_RETRY_SCHEDULE_MS } from './process/processor.js';

/*
 * Routing: rules over stored events, run by the processor the test drives (`drain`) with a hand-moved clock, so
 * retries come due without sleeping.
 */

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let receiver: Receiver;
beforeEach(async () => {
  clock = manualClock(new Date());
  t = await createTestApp({ clock });
  receiver = await startReceiver();
  for (const name of ['order.created', 'order.other']) {
    const res = await t.request({ method: 'POST', url: '/v1/event-types', body: { name } });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterEach(async () => {
  await t.built.workers.inboundProcessor.stop(1000);
  await receiver.close();
  await t.close();
});

type Detail = {
  status: string;
  matched_rules: string[];
  results: {
    rule: string;
    type: string;
    ok: boolean;
    status: number | null;
    event_id: string | null;
    error: string | null;
  }[];
  error: string | null;
  attempts: number;
};

async function source(body: Record<string, unknown>): Promise<{ id: string; path: string }> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: { name: 'src', verification: { type: 'none' }, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.data.source as { id: string; url: string };
  return { id: s.id, path: new URL(s.url).pathname };
}

async function receive(path: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await t.request({
    method: 'POST',
    url: path,
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
    token: null,
  });
  expect([200, 202], res.body).toContain(res.statusCode);
  return res;
}

async function detail(id: string): Promise<Detail> {
  const res = await t.request({ url: `/v1/inbound/events/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.data as unknown as Detail;
}

async function drain() {
  await t.built.workers.inboundProcessor.drain();
}

async function published(type?: string) {
  const { rows } = await t.db.query<{ id: string; type: string; data: Record<string, unknown> }>(
    `select id, type, data from events where source = 'api' and ($1::text is null or type = $1) order by id`,
    [type ?? null],
  );
  return rows;
}

describe('inbound routing', () => {
  it('matches rules in order by event type and JSON-path condition over payload and headers; first match wins', async () => {
    const s = await source({
      event_type_from: { from: 'header', path: 'X-Event' },
      rules: [
        {
          name: 'big orders',
          event_types: ['order.*'],
          condition: '$.payload.total > 100 && $.headers."x-shop" == "eu"',
          actions: [{ type: 'publish', event_type: 'order.created' }],
          continue: true,
        },
        {
          name: 'all orders',
          event_types: ['order.created'],
          actions: [{ type: 'publish', event_type: 'order.other' }],
        },
        { name: 'never reached', actions: [{ type: 'publish', event_type: 'order.other' }] },
      ],
    });
    const big = await receive(s.path, { total: 250 }, { 'x-event': 'order.created', 'x-shop': 'eu' });
    const small = await receive(s.path, { total: 5 }, { 'x-event': 'order.created', 'x-shop': 'eu' });
    const text = await receive(s.path, { total: 'lots' }, { 'x-event': 'order.created', 'x-shop': 'eu' });
    const other = await receive(s.path, { total: 1 }, { 'x-event': 'refund.created' });
    await drain();

    expect(await detail(big.data.id as string)).toMatchObject({
      status: 'processed',
      matched_rules: ['big orders', 'all orders'],
    });
    expect((await detail(small.data.id as string)).matched_rules).toEqual(['all orders']);
    // A condition that does not apply to this payload (a string compared with a number) is false, not an error.
    expect(await detail(text.data.id as string)).toMatchObject({ status: 'processed', matched_rules: ['all orders'] });
    expect((await detail(other.data.id as string)).matched_rules).toEqual(['never reached']);
    expect((await published('order.created')).map((e) => e.data)).toEqual([{ total: 250 }]);
    expect(await published('order.other')).toHaveLength(4);
  });

  it('publishes as a Switchyard event that outbound webhooks deliver, exactly once per processing', async () => {
    const endpoint = await t.request({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: receiver.url('/out'), event_types: ['order.created'] },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    const s = await source({ rules: [{ name: 'all', actions: [{ type: 'publish', event_type: 'order.created' }] }] });
    const got = await receive(s.path, { id: 'o-1' });
    await drain();
    const d = await detail(got.data.id as string);
    expect(d.results).toMatchObject([{ type: 'publish', ok: true, event_id: expect.stringMatching(/^evt_/) }]);
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from webhook_deliveries where event_id = $1 and endpoint_id = $2`,
      [d.results[0]?.event_id, endpoint.data.id],
    );
    expect(rows[0]?.n).toBe(1);
    await drain();
    expect(await published()).toHaveLength(1);
  });

  it('a publish the API would refuse fails with the API’s reason, the rest of the event stays stored', async () => {
    const s = await source({ rules: [{ name: 'all', actions: [{ type: 'publish', event_type: 'order.created' }] }] });
    // jsonb cannot store a NUL character; the API refuses such data, so the rule's publish does too, in words.
    const nul = await receive(s.path, { note: 'a\u0000b' });
    await drain();
    expect((await t.request({ method: 'DELETE', url: '/v1/event-types/order.created' })).statusCode).toBe(200);
    const archived = await receive(s.path, { note: 'fine' });
    await drain();
    expect(await detail(nul.data.id as string)).toMatchObject({
      status: 'failed',
      results: [{ type: 'publish', ok: false, error: expect.stringMatching(/holds a NUL character/) }],
    });
    expect(await detail(archived.data.id as string)).toMatchObject({
      status: 'failed',
      results: [{ type: 'publish', ok: false, error: 'Event type order.created is archived.' }],
    });
    expect(await published()).toEqual([]);
  });

  it('a lone UTF-16 surrogate in the payload reaches conditions and publish as U+FFFD; the raw body is kept', async () => {
    const s = await source({
      rules: [
        {
          name: 'flagged',
          condition: '$.payload.note starts with "a"',
          actions: [{ type: 'publish', event_type: 'order.created' }],
        },
      ],
    });
    // Legal JSON text, not Unicode: jsonb refuses the escape "\ud800" with no low surrogate after it.
    const raw = '{"note":"a\\ud800b","key\\udc00":"literal \\\\ud800 text"}';
    const res = await t.request({
      method: 'POST',
      url: s.path,
      body: raw,
      headers: { 'content-type': 'application/json' },
      token: null,
    });
    expect(res.statusCode, res.body).toBe(202);
    await drain();
    expect(await detail(res.data.id as string)).toMatchObject({
      status: 'processed',
      matched_rules: ['flagged'],
      results: [{ type: 'publish', ok: true }],
    });
    expect((await published('order.created')).map((e) => e.data)).toEqual([
      { note: 'a\ufffdb', 'key\ufffd': 'literal \\ud800 text' },
    ]);
    const { rows } = await t.db.query<{ body: Buffer }>('select body from inbound_events where id = $1', [res.data.id]);
    expect(rows[0]?.body.toString('utf8')).toBe(raw);
  });

  it('forwards the raw body through the SSRF guard with resolved secret headers, retrying failures on schedule', async () => {
    const secretName = await createSecret(t, 'forward-token-123');
    receiver.queue('/fwd', { status: 500, body: 'boom' }, { status: 503 }, { status: 202, body: 'thanks' });
    const s = await source({
      rules: [
        {
          name: 'relay',
          actions: [
            { type: 'publish', event_type: 'order.created' },
            {
              type: 'forward',
              url: receiver.url('/fwd'),
              headers: { Authorization: `Bearer {{secrets.${secretName}}}` },
            },
          ],
        },
      ],
    });
    const body = { id: 'o-2', note: 'raw' };
    const got = await receive(s.path, body, { 'x-extra': 'kept' });
    await drain();
    let d = await detail(got.data.id as string);
    expect(d).toMatchObject({ status: 'received', attempts: 1 });
    expect(d.error).toContain('HTTP 500');
    expect(receiver.at('/fwd')).toHaveLength(1);
    const first = receiver.at('/fwd')[0];
    expect(first?.body).toBe(JSON.stringify(body));
    expect(first?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer forward-token-123',
      'x-switchyard-event-id': got.data.id,
      'x-switchyard-source-id': s.id,
    });
    // The publish succeeded on the first attempt and is not repeated by the retries.
    expect(await published()).toHaveLength(1);

    clock.advance((INBOUND_RETRY_SCHEDULE_MS[0] as number) - 1);
    await drain();
    expect(receiver.at('/fwd')).toHaveLength(1); // not due yet
    clock.advance(1);
    await drain();
    expect(receiver.at('/fwd')).toHaveLength(2);
    clock.advance(INBOUND_RETRY_SCHEDULE_MS[1] as number);
    await drain();
    d = await detail(got.data.id as string);
    expect(d).toMatchObject({ status: 'processed', attempts: 3, error: null });
    expect(d.results.find((r) => r.type === 'forward')).toMatchObject({ ok: true, status: 202 });
    expect(await published()).toHaveLength(1);
    // The secret's value is in no log line and no stored result.
    expect(t.logs.join('\n')).not.toContain('forward-token-123');
    const { rows } = await t.db.query('select results, headers from inbound_events');
    expect(JSON.stringify(rows)).not.toContain('forward-token-123');
  });

  it('fails at once on a 4xx, and after the last retry on repeated 5xx', async () => {
    receiver.always('/reject', { status: 400, body: 'no' });
    receiver.always('/down', { status: 500 });
    const rejecting = await source({
      rules: [{ name: 'r', actions: [{ type: 'forward', url: receiver.url('/reject') }] }],
    });
    const down = await source({ rules: [{ name: 'd', actions: [{ type: 'forward', url: receiver.url('/down') }] }] });
    const a = await receive(rejecting.path, { a: 1 });
    const b = await receive(down.path, { b: 1 });
    await drain();
    expect(await detail(a.data.id as string)).toMatchObject({ status: 'failed', error: 'r / forward: HTTP 400' });
    for (const delay of INBOUND_RETRY_SCHEDULE_MS) {
      clock.advance(delay);
      await drain();
    }
    expect(await detail(b.data.id as string)).toMatchObject({
      status: 'failed',
      attempts: INBOUND_RETRY_SCHEDULE_MS.length + 1,
    });
    expect(receiver.at('/down')).toHaveLength(INBOUND_RETRY_SCHEDULE_MS.length + 1);
  });

  it('synchronous sources answer with the rules’ results, or 202 when they take longer than the timeout', async () => {
    receiver.always('/sync', { status: 200, body: '{"reply":"hi"}' });
    const s = await source({
      response_mode: 'sync',
      rules: [{ name: 'ask', actions: [{ type: 'forward', url: receiver.url('/sync') }] }],
    });
    const res = await receive(s.path, { q: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({
      status: 'processed',
      matched_rules: ['ask'],
      results: [{ type: 'forward', ok: true, status: 200, response: '{"reply":"hi"}' }],
    });

    receiver.always('/slow', { hang: true });
    const slow = await source({
      response_mode: 'sync',
      sync_timeout_ms: 200,
      rules: [{ name: 'slow', actions: [{ type: 'forward', url: receiver.url('/slow'), timeout_ms: 5000 }] }],
    });
    const late = await receive(slow.path, { q: 2 });
    expect(late.statusCode).toBe(202);
    expect(late.data).toMatchObject({ status: 'received' });
    receiver.release();
    await drain();
    expect((await detail(late.data.id as string)).status).toBe('processed');
  });
});

describe('inbound event log and replay', () => {
  it('filters by source, status, type and time; pages with a cursor; previews the payload', async () => {
    const a = await source({ event_type_from: { from: 'body', path: '$.type' } });
    const b = await source({});
    for (let i = 0; i < 5; i++) await receive(a.path, { type: i % 2 ? 'order.created' : 'refund.created', i });
    await receive(b.path, { other: true });
    clock.advance(1); // the manual clock stands still: these six share one receive time
    const sinceA = clock.now().toISOString();
    clock.advance(60_000);
    await receive(b.path, { later: true });
    await drain();

    const all = await t.request({ url: '/v1/inbound/events?limit=3' });
    expect(all.data.data).toHaveLength(3);
    const next = await t.request({ url: `/v1/inbound/events?limit=3&cursor=${all.data.next_cursor}` });
    expect(next.data.data).toHaveLength(3);
    const last = await t.request({ url: `/v1/inbound/events?limit=3&cursor=${next.data.next_cursor}` });
    expect(last.data).toMatchObject({ next_cursor: null });
    expect((last.data.data as unknown[]).length).toBe(1);

    const ofA = await t.request({ url: `/v1/inbound/events?source_id=${a.id}&type=order.*` });
    expect((ofA.data.data as { event_type: string }[]).map((e) => e.event_type)).toEqual([
      'order.created',
      'order.created',
    ]);
    const preview = (ofA.data.data as { preview: string }[])[0]?.preview;
    expect(JSON.parse(preview as string)).toEqual({ type: 'order.created', i: 3 });
    const processed = await t.request({ url: `/v1/inbound/events?status=processed,failed&until=${sinceA}` });
    expect((processed.data.data as unknown[]).length).toBe(6);
    const bad = await t.request({ url: '/v1/inbound/events?status=lost' });
    expectProblem(bad, 400, 'validation_failed');
    expectProblem(await t.request({ url: '/v1/inbound/events/whie_missing' }), 404, 'not_found');
  });

  it('replays one event or a range through the rules (publishing again); duplicates and rejections are refused', async () => {
    const s = await source({
      dedup_key: { from: 'header', path: 'X-Id' },
      rules: [{ name: 'all', actions: [{ type: 'publish', event_type: 'order.created' }] }],
    });
    const first = await receive(s.path, { n: 1 }, { 'x-id': 'one' });
    const dup = await receive(s.path, { n: 1 }, { 'x-id': 'one' });
    const second = await receive(s.path, { n: 2 }, { 'x-id': 'two' });
    await t.request({ method: 'POST', url: s.path, body: '{', headers: { 'content-type': 'application/json' } });
    await drain();
    expect(await published()).toHaveLength(2);

    const replay = await t.request({ method: 'POST', url: `/v1/inbound/events/${first.data.id}/replay` });
    expect(replay.statusCode, replay.body).toBe(202);
    await drain();
    expect(await published()).toHaveLength(3);
    expect((await t.request({ url: `/v1/inbound/events/${first.data.id}` })).data.replays).toBe(1);

    const notDup = await t.request({ method: 'POST', url: `/v1/inbound/events/${dup.data.id}/replay` });
    expectProblem(notDup, 409, 'inbound_event_not_replayable');
    expect(notDup.data.detail).toContain(first.data.id as string);
    const rejected = await t.request({ url: `/v1/inbound/events?status=rejected` });
    const rejectedId = (rejected.data.data as { id: string }[])[0]?.id;
    expectProblem(
      await t.request({ method: 'POST', url: `/v1/inbound/events/${rejectedId}/replay` }),
      409,
      'inbound_event_not_replayable',
    );

    const range = {
      since: new Date(clock.now().getTime() - 3_600_000).toISOString(),
      until: new Date(clock.now().getTime() + 1000).toISOString(),
      source_id: s.id,
    };
    const dry = await t.request({ method: 'POST', url: '/v1/inbound/replay', body: { ...range, dry_run: true } });
    expect(dry.data).toMatchObject({ dry_run: true, count: 2, replay_id: expect.stringMatching(/^rpl_/) });
    expect(await published()).toHaveLength(3);
    const real = await t.request({ method: 'POST', url: '/v1/inbound/replay', body: range });
    expect(real.data).toMatchObject({ dry_run: false, count: 2 });
    await drain();
    expect(await published()).toHaveLength(5);
    expect((await detail(second.data.id as string)).status).toBe('processed');
    const reversed = await t.request({
      method: 'POST',
      url: '/v1/inbound/replay',
      body: { since: range.until, until: range.since },
    });
    expectProblem(reversed, 422, 'time_range_invalid');
  });
});
