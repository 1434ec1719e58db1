import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, deliverInto, drain, push, type VendorConnection } from '../../../../test/fakes/connect.js';
import type { FakeRequest } from '../../../../test/fakes/server.js';
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
    // The two creates go in one insert call (its 207 carries Zoho's per-record message alone), the lone update to
    // PUT /Contacts/{id}.
    const { conn } = await setup();
    const outcome = await push(conn, 'contacts', [
      { Email: 'x@example.com' },
      { id: '4150868000009999999', Last_Name: 'Ghost' },
      { Last_Name: 'Hopper' },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      'required field not found',
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

// Zoho's multi-record insert and update (the shipped manifest's write.batch), which the fake answers as Zoho documents
// them (see the fake's header): results in the records' order, 207 when some were refused, 400 when none was written.
const calls = (f: ZohoFake, method: string, path: string, from = 0) =>
  f.requests.slice(from).filter((r) => r.method === method && r.path === path);
const dataOf = (r: FakeRequest) => (JSON.parse(r.body.toString()) as { data: Record<string, unknown>[] }).data;
const row = (f: ZohoFake, module: string, id: string | undefined) => f.modules.get(module)?.find((r) => r.id === id);

describe('Zoho CRM batch writes', () => {
  it('inserts and updates in batches: one call per kind, ids in the records’ order, stamped and announced as single writes are', async () => {
    const { fake, conn } = await setup();
    const notes: { operation: string; ids: string[] }[] = [];
    fake.webhook({
      url: 'http://hooks.invalid/zoho',
      secret: 'zoho-channel-token-0123',
      send: (d) => {
        notes.push(JSON.parse(d.body) as { operation: string; ids: string[] });
        return Promise.resolve(202);
      },
    });
    const start = await drain(conn.source(), 'contacts', 'incremental');
    const created = await push(conn, 'contacts', [
      { Last_Name: 'Lovelace', Email: 'ada@example.com' },
      { Last_Name: 'Hopper' },
      { Last_Name: 'Somerville', First_Name: 'Mary' },
    ]);
    expect(created).toMatchObject({ created: 3, updated: 0, rejected: [] });
    const inserts = calls(fake, 'POST', '/crm/v8/Contacts');
    expect(inserts.map(dataOf)).toEqual([
      [
        { Last_Name: 'Lovelace', Email: 'ada@example.com' },
        { Last_Name: 'Hopper' },
        { Last_Name: 'Somerville', First_Name: 'Mary' },
      ],
    ]);
    const ids = created.ids ?? [];
    expect(ids.map((id) => row(fake, 'Contacts', id)?.Last_Name)).toEqual(['Lovelace', 'Hopper', 'Somerville']);
    const first = await drain(conn.source(), 'contacts', 'incremental', start.state);
    expect(first.records.map((r) => r.id)).toEqual(ids);
    expect(first.records[0]?.Modified_Time).toMatch(/\+05:30$/);

    // Two updates in one PUT /Contacts (each carrying its id), the lone insert alone.
    const before = fake.requests.length;
    const mixed = await push(conn, 'contacts', [
      { id: ids[0], First_Name: 'Ada' },
      { Last_Name: 'Johnson' },
      { id: ids[2], Phone: '+91 80 4000 0000' },
    ]);
    expect(mixed).toMatchObject({ created: 1, updated: 2, rejected: [] });
    expect(mixed.ids).toEqual([ids[0], expect.any(String), ids[2]]);
    expect(calls(fake, 'PUT', '/crm/v8/Contacts', before).map(dataOf)).toEqual([
      [
        { id: ids[0], First_Name: 'Ada' },
        { id: ids[2], Phone: '+91 80 4000 0000' },
      ],
    ]);
    expect(calls(fake, 'POST', '/crm/v8/Contacts', before).map((r) => dataOf(r).length)).toEqual([1]);
    const next = await drain(conn.source(), 'contacts', 'incremental', first.state);
    expect(next.records.filter((r) => r.id === ids[0] || r.id === ids[2])).toEqual([
      expect.objectContaining({ id: ids[0], First_Name: 'Ada', Last_Name: 'Lovelace' }),
      expect.objectContaining({ id: ids[2], Phone: '+91 80 4000 0000' }),
    ]);
    // Each record written is announced, as a one-record write announces it (the update batch and the lone insert go
    // at once: their notifications come in either order).
    await fake.webhooks.settled();
    const announced = notes.map((n) => [n.operation, n.ids[0]]);
    expect(announced.slice(0, 3)).toEqual([
      ['insert', ids[0]],
      ['insert', ids[1]],
      ['insert', ids[2]],
    ]);
    expect(announced.slice(3)).toHaveLength(3);
    expect(announced.slice(3)).toEqual(
      expect.arrayContaining([
        ['update', ids[0]],
        ['update', ids[2]],
        ['insert', mixed.ids?.[1]],
      ]),
    );
  });

  it('a 207 rejects exactly the records Zoho refused, each with its message; the others are written', async () => {
    const { fake, conn } = await setup();
    const ada = fake.create('Contacts', { Last_Name: 'Lovelace' });
    const records = [
      { Email: 'no-name@example.com' },
      { Last_Name: 'Hopper' },
      { Last_Name: 'Stamped', Modified_Time: '2026-01-01T00:00:00+05:30' },
      { id: ada.id, First_Name: 'Ada' },
      { id: '4150868000009999999', Last_Name: 'Ghost' },
      { id: ada.id, Last_Name: '' },
    ];
    const outcome = await push(conn, 'contacts', records);
    expect(outcome).toMatchObject({ created: 1, updated: 1 });
    expect(outcome.rejected.map((r) => [records.indexOf(r.record as (typeof records)[number]), r.reason])).toEqual([
      [0, 'required field not found'],
      [2, 'invalid data'],
      [4, 'the id given seems to be invalid'],
      [5, 'required field not found'],
    ]);
    const ids = outcome.ids ?? [];
    expect(ids.map((id) => (id === undefined ? undefined : row(fake, 'Contacts', id)?.Last_Name))).toEqual([
      undefined,
      'Hopper',
      undefined,
      'Lovelace',
      undefined,
      undefined,
    ]);
    expect(row(fake, 'Contacts', ada.id)?.First_Name).toBe('Ada');
    expect(fake.modules.get('Contacts')).toHaveLength(2);
    expect(calls(fake, 'POST', '/crm/v8/Contacts')).toHaveLength(1);
    expect(calls(fake, 'PUT', '/crm/v8/Contacts')).toHaveLength(1);
  });

  it('a batch Zoho refuses whole (400, nothing written) sends each record again alone, so each gets its own answer', async () => {
    const { fake, conn } = await setup();
    const outcome = await push(conn, 'deals', [{ Deal_Name: 'Engine' }, { Stage: 'Qualification' }]);
    expect(outcome).toMatchObject({ created: 0 });
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      '400: required field not found',
      '400: required field not found',
    ]);
    expect(calls(fake, 'POST', '/crm/v8/Deals').map((r) => dataOf(r).length)).toEqual([2, 1, 1]);
    expect(fake.modules.get('Deals')).toHaveLength(0);
  });

  it('splits more than 100 records into calls of at most 100 (Zoho refuses more)', async () => {
    const { fake, conn } = await setup();
    const refused = await fetch(`${fake.url}/crm/v8/Deals`, {
      method: 'POST',
      headers: { authorization: 'Zoho-oauthtoken sync-access', 'content-type': 'application/json' },
      body: JSON.stringify({
        data: Array.from({ length: 101 }, (_, i) => ({ Deal_Name: `D${i}`, Stage: 'Qualification' })),
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      data: [
        {
          code: 'LIMIT_EXCEEDED',
          details: { maximum_length: 100, api_name: 'data' },
          message: 'count of records in your request exceeds the limit',
          status: 'error',
        },
      ],
    });
    expect(fake.modules.get('Deals')).toHaveLength(0);

    const names = Array.from({ length: 250 }, (_, i) => `Deal ${i}`);
    const created = await push(
      conn,
      'deals',
      names.map((Deal_Name) => ({ Deal_Name, Stage: 'Qualification' })),
    );
    expect(created).toMatchObject({ created: 250, rejected: [] });
    const inserts = calls(fake, 'POST', '/crm/v8/Deals').slice(1);
    expect(inserts.map((r) => dataOf(r).length).sort()).toEqual([100, 100, 50]);
    expect(created.ids?.map((id) => row(fake, 'Deals', id)?.Deal_Name)).toEqual(names);

    const updated = await push(
      conn,
      'deals',
      (created.ids ?? []).map((id) => ({ id, Amount: 1200 })),
    );
    expect(updated).toMatchObject({ updated: 250, rejected: [] });
    expect(calls(fake, 'PUT', '/crm/v8/Deals')).toHaveLength(3);
    expect(fake.modules.get('Deals')?.every((d) => d.Amount === 1200)).toBe(true);
  });

  it('a 5xx after retries ends the write, retryable; a batch insert is not sent twice', async () => {
    const { fake, conn } = await setup();
    const a = fake.create('Accounts', { Account_Name: 'A' });
    const b = fake.create('Accounts', { Account_Name: 'B' });
    const down = {
      status: 500,
      json: { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
    };
    for (let i = 0; i < 4; i++)
      fake.inject({ match: (r) => r.method === 'PUT' && r.path === '/crm/v8/Accounts', reply: down });
    await expect(
      push(conn, 'accounts', [
        { id: a.id, Website: 'a.example' },
        { id: b.id, Website: 'b.example' },
      ]),
    ).rejects.toMatchObject({ code: 'vendor_unavailable', retryable: true });
    // An update sets values, so it is retried (3 times) like an idempotent call.
    expect(calls(fake, 'PUT', '/crm/v8/Accounts')).toHaveLength(4);
    expect(row(fake, 'Accounts', a.id)?.Website).toBeUndefined();

    fake.inject({ match: (r) => r.method === 'POST' && r.path === '/crm/v8/Accounts', reply: down });
    await expect(push(conn, 'accounts', [{ Account_Name: 'C' }, { Account_Name: 'D' }])).rejects.toMatchObject({
      code: 'vendor_unavailable',
      retryable: true,
    });
    expect(calls(fake, 'POST', '/crm/v8/Accounts')).toHaveLength(1);
    expect(fake.modules.get('Accounts')).toHaveLength(2);
  });
});
