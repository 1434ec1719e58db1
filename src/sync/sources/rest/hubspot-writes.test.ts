import { afterEach, describe, expect, it } from 'vitest';
import {
  connectVendor,
  deliverInto,
  drain,
  idsOf,
  push,
  type VendorConnection,
} from '../../../../test/fakes/connect.js';
import { startHubspotFake, type HubspotEvent, type HubspotFake } from '../../../../test/fakes/hubspot.js';
import type { FakeRequest } from '../../../../test/fakes/server.js';

// HubSpot's two-way streams written and read back through a running app against test/fakes/hubspot.ts: what a
// two-way sync sees after its own writes and a user's edits (the fake cites HubSpot's docs for each behaviour).
let fake: HubspotFake | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

let clock = Date.UTC(2026, 11, 6, 10);
async function setup() {
  fake = await startHubspotFake({ now: () => (clock += 1000) });
  conn = await connectVendor('hubspot', fake.url, { oauth: {} });
  return { fake, conn };
}

describe('HubSpot two-way streams', () => {
  it('creates and updates through the write endpoints; values come back as HubSpot stores them, changes are read incrementally', async () => {
    const { fake, conn } = await setup();
    const before = await drain(conn.source(), 'contacts', 'incremental');
    const created = await push(conn, 'contacts', [{ email: 'Ada@Example.COM', firstname: 'Ada', score: 7 }]);
    expect(created).toMatchObject({ created: 1, rejected: [] });
    const [id] = [...fake.objects.get('contacts')!.keys()];
    // Stored as HubSpot stores it: the email lower-cased, every value a string, lastmodifieddate stamped.
    expect(fake.objects.get('contacts')?.get(id!)?.properties).toMatchObject({
      email: 'ada@example.com',
      firstname: 'Ada',
      score: '7',
      lastmodifieddate: expect.any(String),
    });
    const first = await drain(conn.source(), 'contacts', 'incremental', before.state);
    expect(first.records).toEqual([
      expect.objectContaining({ id, properties: expect.objectContaining({ score: '7' }) }),
    ]);

    // A user edits it in HubSpot; our update of another field follows. Both changes are read from the cursor.
    fake.edit('contacts', id!, { lastname: 'Lovelace' });
    expect(await push(conn, 'contacts', [{ id, firstname: 'Augusta' }])).toMatchObject({ updated: 1 });
    const next = await drain(conn.source(), 'contacts', 'incremental', first.state);
    expect(next.records.at(-1)?.properties).toMatchObject({ firstname: 'Augusta', lastname: 'Lovelace' });
    expect(Date.parse(next.records.at(-1)?.updatedAt as string)).toBeGreaterThan(
      Date.parse(first.records[0]?.updatedAt as string),
    );
  });

  it('refuses what HubSpot refuses, record by record: an invalid email, a duplicate email, an unknown id', async () => {
    // The three creates go in one batch call (its refusals carry HubSpot's message alone), the lone update alone.
    const { fake, conn } = await setup();
    fake.create('contacts', { email: 'ada@example.com' });
    const outcome = await push(conn, 'contacts', [
      { email: 'not-an-email' },
      { email: 'ADA@example.com' },
      { id: '424242', firstname: 'Nobody' },
      { email: 'grace@example.com' },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^Property values were not valid: .*INVALID_EMAIL/),
      expect.stringMatching(/^Contact already exists\. Existing ID: \d+$/),
      '404: Object 424242 not found',
    ]);
  });

  it('an archived (deleted) record leaves the search and is listed with archived=true; updating it is a 404', async () => {
    const { fake, conn } = await setup();
    const deal = fake.create('deals', { dealname: 'Engine', amount: 1200 });
    fake.archive('deals', deal.id);
    const read = await drain(conn.source(), 'deals', 'incremental');
    expect(read.records).toEqual([]);
    const archived = await conn.t.request({
      url: `/v1/connections/${conn.connectionId}/proxy/crm/objects/2026-03/deals?archived=true`,
    });
    expect(archived.data.results).toEqual([expect.objectContaining({ id: deal.id, archived: true })]);
    const outcome = await push(conn, 'deals', [{ id: deal.id, amount: 1300 }]);
    expect(outcome.rejected[0]?.reason).toBe(`404: Object ${deal.id} not found`);
  });

  it('waits out a 429 on a write and writes once', async () => {
    const { fake, conn } = await setup();
    fake.inject({ match: (r) => r.method === 'POST', reply: fake.rateLimit() });
    expect(await push(conn, 'companies', [{ name: 'Analytical Engines' }])).toMatchObject({ created: 1 });
    expect(fake.objects.get('companies')?.size).toBe(1);
  });

  it('announces changes as v3-signed batches the platform accepts, at once or late, reversed and twice', async () => {
    const { fake, conn } = await setup();
    const source = await conn.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'HubSpot webhooks', connection_id: conn.connectionId, secret: 'sync-secret' },
    });
    expect(source.statusCode, source.body).toBe(201);
    const url = (source.data.source as { url: string }).url;
    const send = deliverInto(conn.t, new URL(url).pathname);
    fake.webhook({ url, secret: 'sync-secret', send });
    const contact = fake.create('contacts', { email: 'ada@example.com' });
    await fake.webhooks.settled();
    const events = fake.webhooks.delivered.flatMap((d) => JSON.parse(d.delivery.body) as HubspotEvent[]);
    expect(events.map((e) => [e.subscriptionType, e.propertyName ?? null])).toEqual([
      ['contact.creation', null],
      ['contact.propertyChange', 'email'],
    ]);
    expect(events[1]).toMatchObject({ objectId: Number(contact.id), propertyValue: 'ada@example.com' });
    expect(fake.webhooks.delivered.map((d) => d.status)).toEqual([202, 202]);

    // Held: two edits, delivered later in one batch, newest first, each batch twice.
    fake.webhook({ url, secret: 'sync-secret', send, hold: true });
    fake.edit('contacts', contact.id, { firstname: 'Ada' });
    await push(conn, 'contacts', [{ id: contact.id, firstname: 'Augusta' }]);
    expect(fake.webhooks.heldCount()).toBe(2);
    await fake.webhooks.release({ order: 'reversed', duplicate: true });
    const late = fake.webhooks.delivered.slice(2);
    expect(late.map((d) => d.status)).toEqual([202, 202]);
    expect(late[0]?.delivery.body).toBe(late[1]?.delivery.body);
    const batch = JSON.parse(late[0]?.delivery.body ?? '[]') as HubspotEvent[];
    expect(batch.map((e) => [e.propertyValue, e.changeSource])).toEqual([
      ['Augusta', 'INTEGRATION'],
      ['Ada', 'CRM_UI'],
    ]);
    expect(idsOf(batch.map((e) => ({ id: e.objectId })))).toEqual([contact.id, contact.id]);
  });
});

// HubSpot's batch endpoints (the shipped manifest's write.batch), which the fake answers as HubSpot documents them
// (see the fake's header).
type Input = { id?: string; properties: Record<string, unknown>; objectWriteTraceId?: string };
const calls = (f: HubspotFake, path: string, from = 0) => f.requests.slice(from).filter((r) => r.path === path);
const inputsOf = (r: FakeRequest) => (JSON.parse(r.body.toString()) as { inputs: Input[] }).inputs;
const contact = (f: HubspotFake, id: string | undefined) => f.objects.get('contacts')?.get(id ?? '');

describe('HubSpot batch writes', () => {
  it('creates and updates in batches: one call per kind, ids in the records’ order, values and webhooks as for single writes', async () => {
    const { fake, conn } = await setup();
    const events: HubspotEvent[] = [];
    fake.webhook({
      url: 'http://hooks.invalid/hubspot',
      secret: 'sync-secret',
      send: (d) => {
        events.push(...(JSON.parse(d.body) as HubspotEvent[]));
        return Promise.resolve(204);
      },
    });
    const created = await push(conn, 'contacts', [
      { properties: { email: 'Ada@Example.COM', firstname: 'Ada' } },
      { properties: { email: 'grace@example.com', firstname: 'Grace', score: 7 } },
      { properties: { email: 'mary@example.com', firstname: 'Mary' } },
    ]);
    expect(created).toMatchObject({ created: 3, updated: 0, rejected: [] });
    const [batch] = calls(fake, '/crm/objects/2026-03/contacts/batch/create');
    expect(calls(fake, '/crm/objects/2026-03/contacts')).toEqual([]);
    expect(inputsOf(batch!)).toEqual([
      { properties: { email: 'Ada@Example.COM', firstname: 'Ada' }, associations: [], objectWriteTraceId: '0' },
      {
        properties: { email: 'grace@example.com', firstname: 'Grace', score: 7 },
        associations: [],
        objectWriteTraceId: '1',
      },
      { properties: { email: 'mary@example.com', firstname: 'Mary' }, associations: [], objectWriteTraceId: '2' },
    ]);
    // Each record's id is the one HubSpot gave the contact it sent; stored as HubSpot stores it.
    const ids = created.ids ?? [];
    expect(ids.map((id) => contact(fake, id)?.properties.email)).toEqual([
      'ada@example.com',
      'grace@example.com',
      'mary@example.com',
    ]);
    expect(contact(fake, ids[1])?.properties).toMatchObject({ score: '7', lastmodifieddate: expect.any(String) });

    const before = fake.requests.length;
    const stamped = contact(fake, ids[0])?.updatedAt as string;
    const mixed = await push(conn, 'contacts', [
      { id: ids[0], properties: { firstname: 'Augusta' } },
      { properties: { email: 'lin@example.com' } },
      { id: ids[2], properties: { lastname: 'Somerville' } },
    ]);
    expect(mixed).toMatchObject({ created: 1, updated: 2, rejected: [] });
    expect(mixed.ids).toEqual([ids[0], expect.any(String), ids[2]]);
    // The two updates in one batch call; the lone create on the single endpoint.
    const updates = calls(fake, '/crm/objects/2026-03/contacts/batch/update', before);
    expect(updates.map(inputsOf)).toEqual([
      [
        { id: ids[0], properties: { firstname: 'Augusta' }, objectWriteTraceId: '0' },
        { id: ids[2], properties: { lastname: 'Somerville' }, objectWriteTraceId: '1' },
      ],
    ]);
    expect(calls(fake, '/crm/objects/2026-03/contacts', before).map((r) => r.method)).toEqual(['POST']);
    expect(Date.parse(contact(fake, ids[0])?.updatedAt as string)).toBeGreaterThan(Date.parse(stamped));

    await fake.webhooks.settled();
    const changed = events.filter((e) => e.subscriptionType === 'contact.propertyChange');
    expect(changed.filter((e) => e.propertyName === 'firstname').map((e) => e.propertyValue)).toEqual([
      'Ada',
      'Grace',
      'Mary',
      'Augusta',
    ]);
    expect(events.filter((e) => e.subscriptionType === 'contact.creation')).toHaveLength(4);
    expect(changed.every((e) => e.changeSource === 'INTEGRATION')).toBe(true);
  });

  it('a 207 rejects exactly the inputs HubSpot names, with its message; the others are written and counted', async () => {
    const { fake, conn } = await setup();
    const ada = fake.create('contacts', { email: 'ada@example.com' });
    const grace = fake.create('contacts', { email: 'grace@example.com' });
    const records = [
      { properties: { email: 'not-an-email' } },
      { properties: { email: 'mary@example.com' } },
      { properties: { email: 'ADA@example.com' } },
      { properties: { email: 'lin@example.com' } },
      { properties: { email: 'Lin@example.com' } },
      { id: grace.id, properties: { firstname: 'Grace' } },
      { id: '424242', properties: { firstname: 'Nobody' } },
      { id: ada.id, properties: { email: 'broken@' } },
    ];
    const outcome = await push(conn, 'contacts', records);
    expect(outcome).toMatchObject({ created: 2, updated: 1 });
    expect(outcome.rejected.map((r) => [records.indexOf(r.record as (typeof records)[number]), r.reason])).toEqual([
      [0, expect.stringMatching(/^Property values were not valid: .*INVALID_EMAIL/)],
      [2, `Contact already exists. Existing ID: ${ada.id}`],
      [4, expect.stringMatching(/^Contact already exists\. Existing ID: \d+$/)],
      [6, 'Object 424242 not found'],
      [7, expect.stringMatching(/^Property values were not valid: .*broken@/)],
    ]);
    // Written: the new contacts and Grace's update, each with its id; nothing for the refused ones.
    const ids = outcome.ids ?? [];
    expect(ids.map((id) => (id === undefined ? undefined : contact(fake, id)?.properties.email))).toEqual([
      undefined,
      'mary@example.com',
      undefined,
      'lin@example.com',
      undefined,
      'grace@example.com',
      undefined,
      undefined,
    ]);
    expect(contact(fake, grace.id)?.properties.firstname).toBe('Grace');
    expect(contact(fake, ada.id)?.properties.email).toBe('ada@example.com');
    expect(fake.objects.get('contacts')?.size).toBe(4);
    // One call per kind, each answered 207 Multi-Status.
    expect(calls(fake, '/crm/objects/2026-03/contacts/batch/create')).toHaveLength(1);
    expect(calls(fake, '/crm/objects/2026-03/contacts/batch/update')).toHaveLength(1);
  });

  it('splits more than 100 records into calls of at most 100 (HubSpot refuses more)', async () => {
    const { fake, conn } = await setup();
    const refused = await fetch(`${fake.url}/crm/objects/2026-03/deals/batch/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: Array.from({ length: 101 }, () => ({ properties: { dealname: 'x' } })) }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      category: 'VALIDATION_ERROR',
      message: expect.stringContaining('maximum number of inputs supported in a batch is 100'),
    });
    expect(fake.objects.get('deals')?.size).toBe(0);

    const created = await push(
      conn,
      'deals',
      Array.from({ length: 250 }, (_, i) => ({ properties: { dealname: `Deal ${i}` } })),
    );
    expect(created).toMatchObject({ created: 250, rejected: [] });
    const creates = calls(fake, '/crm/objects/2026-03/deals/batch/create').slice(1);
    expect(creates.map((r) => inputsOf(r).length).sort()).toEqual([100, 100, 50]);
    // Every record got its own deal's id, in order.
    expect(created.ids?.map((id) => fake.objects.get('deals')?.get(id ?? '')?.properties.dealname)).toEqual(
      Array.from({ length: 250 }, (_, i) => `Deal ${i}`),
    );

    const updated = await push(
      conn,
      'deals',
      (created.ids ?? []).map((id) => ({ id, properties: { amount: 10 } })),
    );
    expect(updated).toMatchObject({ updated: 250, rejected: [] });
    expect(calls(fake, '/crm/objects/2026-03/deals/batch/update')).toHaveLength(3);
    expect([...(fake.objects.get('deals')?.values() ?? [])].every((d) => d.properties.amount === '10')).toBe(true);
  });

  it('a refusal of the whole call sends each record again on its own, so each gets its own answer', async () => {
    const { fake, conn } = await setup();
    // As HubSpot answers a batch it refuses whole (nothing written, one input's message).
    fake.inject({
      match: (r) => r.path.endsWith('/companies/batch/create'),
      reply: {
        status: 400,
        json: {
          status: 'error',
          message: 'Invalid input JSON',
          correlationId: 'c0ffee00',
          category: 'VALIDATION_ERROR',
        },
      },
    });
    const outcome = await push(conn, 'companies', [
      { properties: { name: 'Analytical' } },
      { properties: { name: 'Engines' } },
    ]);
    expect(outcome).toMatchObject({ created: 2, rejected: [] });
    expect(calls(fake, '/crm/objects/2026-03/companies').map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(outcome.ids?.map((id) => fake.objects.get('companies')?.get(id ?? '')?.properties.name)).toEqual([
      'Analytical',
      'Engines',
    ]);
  });

  it('never counts an input the answer leaves out: an update is sent again alone, a create is rejected', async () => {
    const { fake, conn } = await setup();
    const a = fake.create('contacts', { email: 'a@example.com' });
    const b = fake.create('contacts', { email: 'b@example.com' });
    // Integrators report a 207 with no results and no errors for a batch update; nothing is known to be written.
    const empty = { status: 207, json: { status: 'COMPLETE', results: [], numErrors: 0, errors: [] } };
    fake.inject({ match: (r) => r.path.endsWith('/batch/update'), reply: empty });
    fake.inject({ match: (r) => r.path.endsWith('/batch/create'), reply: empty });
    const outcome = await push(conn, 'contacts', [
      { id: a.id, properties: { firstname: 'A' } },
      { id: b.id, properties: { firstname: 'B' } },
      { properties: { email: 'c@example.com' } },
      { properties: { email: 'd@example.com' } },
    ]);
    expect(outcome).toMatchObject({ updated: 2, created: 0 });
    expect(outcome.ids).toEqual([a.id, b.id, undefined, undefined]);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('names no outcome for this record; it may have been created'),
      expect.stringContaining('names no outcome for this record; it may have been created'),
    ]);
    expect(calls(fake, `/crm/objects/2026-03/contacts/${a.id}`).map((r) => r.method)).toEqual(['PATCH']);
    expect(contact(fake, b.id)?.properties.firstname).toBe('B');
  });

  it('a 5xx after retries fails the write, retryable; a batch create is not sent twice', async () => {
    const { fake, conn } = await setup();
    const a = fake.create('deals', { dealname: 'A' });
    const b = fake.create('deals', { dealname: 'B' });
    const down = { status: 503, json: { status: 'error', message: 'Service Unavailable', category: 'INTERNAL_ERROR' } };
    for (let i = 0; i < 4; i++) fake.inject({ match: (r) => r.path.endsWith('/batch/update'), reply: down });
    await expect(
      push(conn, 'deals', [
        { id: a.id, properties: { amount: 1 } },
        { id: b.id, properties: { amount: 2 } },
      ]),
    ).rejects.toMatchObject({ code: 'vendor_unavailable', retryable: true });
    // An update sets values, so it is retried (3 times) like an idempotent call.
    expect(calls(fake, '/crm/objects/2026-03/deals/batch/update')).toHaveLength(4);
    expect(fake.objects.get('deals')?.get(a.id)?.properties.amount).toBeUndefined();

    fake.inject({ match: (r) => r.path.endsWith('/batch/create'), reply: down });
    await expect(
      push(conn, 'deals', [{ properties: { dealname: 'C' } }, { properties: { dealname: 'D' } }]),
    ).rejects.toMatchObject({ code: 'vendor_unavailable', retryable: true });
    expect(calls(fake, '/crm/objects/2026-03/deals/batch/create')).toHaveLength(1);
    expect(fake.objects.get('deals')?.size).toBe(2);
  });
});
