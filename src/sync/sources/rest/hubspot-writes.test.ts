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
