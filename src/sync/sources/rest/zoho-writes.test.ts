import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, deliverInto, drain, push, type VendorConnection } from '../../../../test/fakes/connect.js';
import { startZohoFake, type ZohoFake } from '../../../../test/fakes/zoho.js';

// Zoho CRM's two-way stream (contacts) written and read back through a running app against test/fakes/zoho.ts.
let fake: ZohoFake | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

let clock = Date.UTC(2026, 11, 6, 10);
async function setup() {
  fake = await startZohoFake({ now: () => (clock += 1000) });
  conn = await connectVendor('zoho_crm', fake.url, { oauth: { dc: 'zoho.eu', api_domain: fake.url } });
  return { fake, conn };
}

describe('Zoho CRM two-way streams', () => {
  it('creates and updates contacts with {data: [record]}; changes are read with If-Modified-Since', async () => {
    const { fake, conn } = await setup();
    fake.seed('Contacts', 1, clock - 60_000);
    const start = await drain(conn.source(), 'contacts', 'incremental');
    expect(await push(conn, 'contacts', [{ Last_Name: 'Lovelace', Email: 'ada@example.com' }])).toMatchObject({
      created: 1,
      rejected: [],
    });
    const first = await drain(conn.source(), 'contacts', 'incremental', start.state);
    const created = first.records.find((r) => r.Last_Name === 'Lovelace');
    expect(created?.Modified_Time).toMatch(/\+05:30$/);
    fake.edit('Contacts', created?.id as string, { Phone: '+91 80 4000 0000' });
    expect(await push(conn, 'contacts', [{ id: created?.id, First_Name: 'Ada' }])).toMatchObject({ updated: 1 });
    const next = await drain(conn.source(), 'contacts', 'incremental', first.state);
    expect(next.records.at(-1)).toMatchObject({ id: created?.id, First_Name: 'Ada', Phone: '+91 80 4000 0000' });
  });

  it('refuses record by record with Zoho’s per-record message: a missing Last_Name, an unknown id', async () => {
    const { conn } = await setup();
    const outcome = await push(conn, 'contacts', [
      { Email: 'x@example.com' },
      { id: '4150868000009999999', Last_Name: 'Ghost' },
      { Last_Name: 'Hopper' },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      '400: required field not found',
      '400: the id given seems to be invalid',
    ]);
  });

  it('a deleted contact is listed by /Contacts/deleted and announced with the channel token the platform checks', async () => {
    const { fake, conn } = await setup();
    const source = await conn.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'Zoho notifications', connection_id: conn.connectionId, secret: 'zoho-channel-token-0123' },
    });
    expect(source.statusCode, source.body).toBe(201);
    const url = (source.data.source as { url: string }).url;
    fake.webhook({ url, secret: 'zoho-channel-token-0123', send: deliverInto(conn.t, new URL(url).pathname) });
    const contact = fake.create('Contacts', { Last_Name: 'Lovelace' });
    fake.remove('Contacts', contact.id);
    await fake.webhooks.settled();
    const notes = fake.webhooks.delivered.map((d) => JSON.parse(d.delivery.body) as Record<string, unknown>);
    expect(notes.map((n) => [n.operation, n.ids])).toEqual([
      ['insert', [contact.id]],
      ['delete', [contact.id]],
    ]);
    expect(fake.webhooks.delivered.map((d) => d.status)).toEqual([202, 202]);
    const deleted = await conn.t.request({
      url: `/v1/connections/${conn.connectionId}/proxy/Contacts/deleted?type=all`,
    });
    expect(deleted.data.data).toEqual([expect.objectContaining({ id: contact.id, type: 'recycle' })]);
  });
});
