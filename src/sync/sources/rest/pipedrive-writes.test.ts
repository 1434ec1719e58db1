import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, deliverInto, drain, push, type VendorConnection } from '../../../../test/fakes/connect.js';
import { startPipedriveFake, type PipedriveFake } from '../../../../test/fakes/pipedrive.js';

// Pipedrive's two-way streams written and read back through a running app against test/fakes/pipedrive.ts.
let fake: PipedriveFake | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

let clock = Date.UTC(2026, 11, 6, 10);
async function setup() {
  fake = await startPipedriveFake({ now: () => (clock += 1000) });
  conn = await connectVendor('pipedrive', fake.url, {
    auth_method: 'api_key',
    credentials: { api_token: 'pd-token' },
    config: { api_domain: fake.url },
  });
  return { fake, conn };
}

describe('Pipedrive two-way streams', () => {
  it('creates and updates persons (v2 POST / PATCH); the name is split as Pipedrive answers it; changes are read by updated_since', async () => {
    const { fake, conn } = await setup();
    const start = await drain(conn.source(), 'persons', 'incremental');
    const emails = [{ value: 'ada@example.com', primary: true, label: 'work' }];
    expect(await push(conn, 'persons', [{ name: 'Ada Lovelace', emails }])).toMatchObject({ created: 1 });
    const first = await drain(conn.source(), 'persons', 'incremental', start.state);
    expect(first.records).toEqual([
      expect.objectContaining({ name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', emails }),
    ]);
    const id = first.records[0]?.id as number;
    fake.edit('persons', id, { phones: [{ value: '+44 20 7946 0000', primary: true, label: 'work' }] });
    expect(await push(conn, 'persons', [{ id, name: 'Augusta Ada King' }])).toMatchObject({ updated: 1 });
    const next = await drain(conn.source(), 'persons', 'incremental', first.state);
    expect(next.records.at(-1)).toMatchObject({
      first_name: 'Augusta',
      last_name: 'Ada King',
      phones: [expect.anything()],
    });
  });

  it('refuses record by record: a deal without a title, a value sent as a string, an unknown id', async () => {
    const { conn } = await setup();
    const outcome = await push(conn, 'deals', [
      { value: 100 },
      { title: 'Engine', value: '1200' },
      { id: 999, title: 'Ghost' },
      { title: 'Engine', value: 1200 },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      '400: Validation failed: title: Required',
      '400: Validation failed: value: Expected number, received string',
      '404: deal not found',
    ]);
  });

  it('a deleted deal leaves the list; the delete reaches the platform as a v2 webhook with HTTP Basic', async () => {
    const { fake, conn } = await setup();
    const source = await conn.t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'Pipedrive webhooks', connection_id: conn.connectionId, secret: 'hookuser:hookpass' },
    });
    expect(source.statusCode, source.body).toBe(201);
    const url = (source.data.source as { url: string }).url;
    fake.webhook({ url, secret: 'hookuser:hookpass', send: deliverInto(conn.t, new URL(url).pathname), hold: true });
    const deal = fake.create('deals', { title: 'Engine', value: 1200 });
    fake.edit('deals', deal.id as number, { value: 1300 });
    fake.remove('deals', deal.id as number);
    expect((await drain(conn.source(), 'deals', 'incremental')).records).toEqual([]);
    await fake.webhooks.release({ order: 'reversed' });
    const bodies = fake.webhooks.delivered.map(
      (d) => JSON.parse(d.delivery.body) as { meta: Record<string, unknown>; previous: unknown },
    );
    expect(bodies.map((b) => b.meta.action)).toEqual(['delete', 'change', 'create']);
    expect(bodies[1]).toMatchObject({
      meta: { entity: 'deal', entity_id: String(deal.id), version: '2.0' },
      previous: { value: 1200 },
    });
    expect(fake.webhooks.delivered.map((d) => d.status)).toEqual([202, 202, 202]);
  });
});
