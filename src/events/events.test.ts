import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectData, type JsonBody, type QueryParams } from '../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  const res = await t.request({
    method: 'POST',
    url: '/v1/event-types',
    body: {
      name: 'invoice.paid',
      schema: {
        type: 'object',
        required: ['invoice_id', 'amount'],
        properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 0 } },
      },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect((await t.request({ method: 'POST', url: '/v1/event-types', body: { name: 'note.added' } })).statusCode).toBe(
    201,
  );
});
afterEach(async () => {
  await t.close();
});

/** Publish through the untyped client: most of what these tests send is meant to be refused. */
const publish = (body: unknown, token?: string) =>
  t.request({ method: 'POST', url: '/v1/events', body, ...(token ? { token } : {}) });

/** Publish a valid request through the typed client. */
const publishTyped = (body: JsonBody<'/v1/events', 'post'>, token?: string) =>
  (token ? t.apiAs(token) : t.api).POST('/v1/events', { body });
const listEvents = (query: QueryParams<'/v1/events'>) => expectData(t.api.GET('/v1/events', { params: { query } }));
const idsOf = (page: { data: { id: string }[] }) => page.data.map((e) => e.id);

describe('publishing events', () => {
  it('publishes an event matching its type’s schema into the outbox', async () => {
    const res = await publish({ type: 'invoice.paid', data: { invoice_id: 'in_1', amount: 1200 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'invoice.paid',
      data: { invoice_id: 'in_1', amount: 1200 },
      source: 'api',
      idempotency_key: null,
    });
    const { rows } = await t.db.query('select tenant_id, type, source from events where id = $1', [res.data.id]);
    expect(rows).toEqual([{ tenant_id: t.tenantId, type: 'invoice.paid', source: 'api' }]);
    expect(await auditOf(t, res)).toMatchObject([{ action: 'event.publish', target_id: res.data.id }]);
    // A type without a schema takes any object.
    expect((await publish({ type: 'note.added', data: { anything: [1, 2] } })).statusCode).toBe(201);
  });

  it('refuses malformed requests, unknown, archived and platform types, and data off the schema, writing nothing', async () => {
    const before = await rowCounts(t, ['events']);
    expectProblem(await publish({ type: 'invoice.paid' }), 400, 'validation_failed');
    expectProblem(await publish({ type: 'invoice.paid', data: [1] }), 400, 'validation_failed');
    expectProblem(await publish({ type: 'invoice.paid', data: 'x' }), 400, 'validation_failed');
    expectProblem(await publish({ type: 'Invoice', data: {} }), 400, 'validation_failed');
    expectProblem(await publish({ type: 'invoice.paid', data: {}, extra: true }), 400, 'validation_failed');
    const malformed = await t.request({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expectProblem(malformed, 400, 'malformed_json');

    const unknown = await publish({ type: 'invoice.voided', data: {} });
    expectProblem(unknown, 422, 'event_type_invalid');
    expect(unknown.data.detail).toContain('invoice.voided');
    expectProblem(await publish({ type: 'connection.created', data: {} }), 422, 'event_type_invalid');

    // jsonb cannot hold a NUL character, in a value or a key: refused as any request's text is, naming where.
    for (const [data, path] of [
      [{ text: 'a \u0000 b' }, 'body.data.text'],
      [{ ['k\u0000']: 1 }, 'body.data.k\uFFFD'],
      [{ list: [{ deep: '\u0000' }] }, 'body.data.list.0.deep'],
    ] as const) {
      const nul = await publish({ type: 'note.added', data });
      expectProblem(nul, 400, 'validation_failed');
      expect(nul.data.errors).toEqual([{ path, message: expect.stringContaining('NUL') }]);
    }

    const mismatch = await publish({ type: 'invoice.paid', data: { invoice_id: 7, amount: -1 } });
    expectProblem(mismatch, 422, 'event_payload_invalid');
    expect(mismatch.data.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'body.data/invoice_id',
          message: expect.stringContaining('#/properties/invoice_id/type'),
        }),
        expect.objectContaining({ path: 'body.data/amount', message: expect.stringContaining('minimum') }),
      ]),
    );
    const missing = await publish({ type: 'invoice.paid', data: { invoice_id: 'in_1' } });
    expectProblem(missing, 422, 'event_payload_invalid');
    expect(missing.data.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('amount') })]);

    await t.request({ method: 'DELETE', url: '/v1/event-types/note.added' });
    expectProblem(await publish({ type: 'note.added', data: {} }), 422, 'event_type_invalid');
    expect(await rowCounts(t, ['events'])).toEqual(before);
  });

  it('sees a type’s new schema and its archiving at once, though publishing caches types', async () => {
    const ok = { type: 'invoice.paid', data: { invoice_id: 'in_1', amount: 5 } };
    expect((await publish(ok)).statusCode).toBe(201);
    const patched = await t.request({
      method: 'PATCH',
      url: '/v1/event-types/invoice.paid',
      body: { schema: { type: 'object', required: ['currency'] } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expectProblem(await publish(ok), 422, 'event_payload_invalid');
    expect((await t.request({ method: 'DELETE', url: '/v1/event-types/invoice.paid' })).statusCode).toBe(200);
    expectProblem(await publish({ ...ok, data: { currency: 'EUR' } }), 422, 'event_type_invalid');
  });

  it('honours an idempotency key for 24 hours: same body → the original event, different body → 409', async () => {
    const body = { type: 'invoice.paid', data: { invoice_id: 'in_1', amount: 5 }, idempotency_key: 'k-1' };
    const first = await expectData(publishTyped(body), 201);
    const again = await expectData(publishTyped({ ...body, data: { amount: 5, invoice_id: 'in_1' } }), 200);
    expect(again).toEqual(first);

    const conflict = await publishTyped({ ...body, data: { invoice_id: 'in_1', amount: 6 } });
    expectProblem(conflict, 409, 'idempotency_conflict');
    expect(conflict.error?.detail).toContain(first.id);
    expectProblem(await publishTyped({ ...body, type: 'note.added' }), 409, 'idempotency_conflict');
    const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from events where type = $1', [
      'invoice.paid',
    ]);
    expect(rows[0]?.n).toBe(1);

    // Another tenant's key space is its own.
    const other = await t.otherTenant();
    await t.apiAs(other.token).POST('/v1/event-types', { body: { name: 'invoice.paid' } });
    await expectData(publishTyped(body, other.token), 201);

    // 24 hours later the key names a new event; the old one stays.
    await t.db.query(`update events set created_at = now() - interval '24 hours 1 second' where id = $1`, [first.id]);
    const later = await expectData(publishTyped({ ...body, data: { invoice_id: 'in_2', amount: 1 } }), 201);
    expect(later.id).not.toBe(first.id);
    await expectData(t.api.GET('/v1/events/{id}', { params: { path: { id: first.id } } }));
    expect((await expectData(publishTyped({ ...body, data: { invoice_id: 'in_2', amount: 1 } }))).id).toBe(later.id);
  });

  it('stores events published at once together, each with its own answer, audit entry and deliveries', async () => {
    await expectData(
      t.api.POST('/v1/webhooks/endpoints', {
        body: { url: 'https://hooks.example.test/in', event_types: ['invoice.paid'] },
      }),
      201,
    );
    const before = await rowCounts(t, ['events', 'webhook_deliveries']);
    // 30 plain events, two requests racing with one new idempotency key, and one the payload check refuses.
    const keyed = { type: 'invoice.paid', data: { invoice_id: 'in_k', amount: 1 }, idempotency_key: 'race' };
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        publish({ type: i % 2 ? 'invoice.paid' : 'note.added', data: { invoice_id: `in_${i}`, amount: i } }),
      ),
      publish(keyed),
      publish(keyed),
      publish({ type: 'invoice.paid', data: { invoice_id: 1 } }),
    ]);
    const plain = answers.slice(0, 30);
    for (const res of plain) expect(res.statusCode, res.body).toBe(201);
    expect(new Set(plain.map((r) => r.data.id)).size).toBe(30);
    plain.forEach((res, i) => expect(res.data.data).toEqual({ invoice_id: `in_${i}`, amount: i }));

    const [a, b] = answers.slice(30, 32) as [(typeof answers)[0], (typeof answers)[0]];
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.data.id).toBe(b.data.id);

    const refused = answers[32] as (typeof answers)[0];
    expectProblem(refused, 422, 'event_payload_invalid');

    // Every request has exactly one audit entry, naming its own event with the status it was answered with.
    for (const res of answers.slice(0, 32)) {
      const entries = await auditOf(t, res);
      expect(entries).toMatchObject([{ action: 'event.publish', target_id: res.data.id, status_code: res.statusCode }]);
    }
    expect(await auditOf(t, refused)).toMatchObject([{ action: 'event.publish', outcome: 'failure' }]);

    // 31 new events; the 16 of type invoice.paid (15 plain, one keyed) have a delivery each.
    expect(await rowCounts(t, ['events', 'webhook_deliveries'])).toEqual({
      events: (before.events ?? 0) + 31,
      webhook_deliveries: (before.webhook_deliveries ?? 0) + 16,
    });
  });
});

describe('reading events', () => {
  it('lists newest first with type, source and time filters and a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await expectData(
        publishTyped({ type: 'invoice.paid', data: { invoice_id: `in_${i}`, amount: i } }),
        201,
      );
      ids.push(res.id);
    }
    await expectData(publishTyped({ type: 'note.added', data: {} }), 201);
    await t.db.query(
      `insert into events (id, tenant_id, type, data) values ('evt_platform', $1, 'connection.created', '{}')`,
      [t.tenantId],
    );

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; next_cursor: string | null } = await listEvents({
        type: 'invoice.paid',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(...idsOf(page));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual([...ids].reverse());

    expect((await listEvents({ type: 'invoice.paid,note.added' })).data).toHaveLength(6);
    expect(idsOf(await listEvents({ source: 'platform' }))).toEqual(['evt_platform']);

    await t.db.query(`update events set created_at = now() - interval '2 days' where id = $1`, [ids[0]]);
    const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    expect(idsOf(await listEvents({ type: 'invoice.paid', since }))).not.toContain(ids[0]);
    expect(idsOf(await listEvents({ until: since }))).toEqual([ids[0]]);

    // Filters the API must refuse, as they would arrive.
    expectProblem(await t.request({ url: '/v1/events?since=yesterday' }), 400, 'validation_failed');
    expectProblem(await t.request({ url: '/v1/events?source=web' }), 400, 'validation_failed');
    expectProblem(await t.request({ url: '/v1/events?cursor=nonsense' }), 400, 'validation_failed');
  });

  it('reads one event; another tenant’s event is 404', async () => {
    const published = await expectData(publishTyped({ type: 'note.added', data: { a: 1 } }), 201);
    const read = (token: string) => t.apiAs(token).GET('/v1/events/{id}', { params: { path: { id: published.id } } });
    expect(await expectData(read(t.adminToken))).toEqual(published);
    const other = await t.otherTenant();
    expectProblem(await read(other.token), 404, 'not_found');
    expect((await expectData(t.apiAs(other.token).GET('/v1/events'))).data).toEqual([]);
  });
});
