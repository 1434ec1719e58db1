import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, push, type VendorConnection } from '../../../../test/fakes/connect.js';
import { startSalesforceFake, type SalesforceFake } from '../../../../test/fakes/salesforce.js';
import type { FakeRequest } from '../../../../test/fakes/server.js';

// Salesforce's two-way streams written and read back through a running app against test/fakes/salesforce.ts.
let fake: SalesforceFake | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

let clock = Date.UTC(2026, 11, 6, 10);
async function setup() {
  fake = await startSalesforceFake({ now: () => (clock += 1000) });
  conn = await connectVendor('salesforce', fake.url, {
    oauth: { login_url: fake.url, instance_url: fake.url, api_version: 'v68.0' },
  });
  return { fake, conn };
}

describe('Salesforce two-way streams', () => {
  it('creates (201 {id}) and updates (204) sObjects; Email reads back lower-cased; changes come through queryAll', async () => {
    const { fake, conn } = await setup();
    const start = await drain(conn.source(), 'contacts', 'incremental');
    expect(await push(conn, 'contacts', [{ LastName: 'Lovelace', Email: 'Ada@Example.com' }])).toMatchObject({
      created: 1,
      rejected: [],
    });
    const first = await drain(conn.source(), 'contacts', 'incremental', start.state);
    const Id = first.records[0]?.Id as string;
    expect(Id).toMatch(/^003/);
    expect(first.records[0]).toMatchObject({ LastName: 'Lovelace', Email: 'ada@example.com', IsDeleted: false });

    fake.edit('Contact', Id, { Phone: '(415) 555-1212' });
    expect(await push(conn, 'contacts', [{ Id, FirstName: 'Ada' }])).toMatchObject({ updated: 1 });
    const next = await drain(conn.source(), 'contacts', 'incremental', first.state);
    expect(next.records.at(-1)).toMatchObject({ Id, FirstName: 'Ada', Phone: '(415) 555-1212' });
  });

  it('refuses record by record: a missing required field, an Id in the body, an unknown Id', async () => {
    // The two creates go in one sObject Collections call (its refusals carry Salesforce's message alone), the lone
    // update to its own sObject.
    const { conn } = await setup();
    const outcome = await push(conn, 'opportunities', [
      { Name: 'Engine No. 2', StageName: 'Prospecting' },
      { Id: '006000000000404AAA', Name: 'Ghost' },
      { Name: 'Engine No. 3', StageName: 'Prospecting', CloseDate: '2027-01-31' },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      'Required fields are missing: [CloseDate]',
      '404: The requested resource does not exist',
    ]);
  });

  it('a deleted record is read again through queryAll with IsDeleted = true (the delete signal); updating it fails', async () => {
    const { fake, conn } = await setup();
    const Id = fake.create('Account', { Name: 'Analytical Engines' });
    const first = await drain(conn.source(), 'accounts', 'incremental');
    fake.remove('Account', Id);
    const next = await drain(conn.source(), 'accounts', 'incremental', first.state);
    expect(next.records).toEqual([expect.objectContaining({ Id, IsDeleted: true })]);
    const outcome = await push(conn, 'accounts', [{ Id, Name: 'Gone' }]);
    expect(outcome.rejected[0]?.reason).toBe('404: entity is deleted');
  });
});

// sObject Collections (the shipped manifest's write.batch), which the fake answers as Salesforce documents them (see
// the fake's header).
const COLLECTIONS = '/services/data/v68.0/composite/sobjects';
type Sent = { allOrNone: boolean; records: Record<string, unknown>[] };
const calls = (f: SalesforceFake, method: string, path: string, from = 0) =>
  f.requests.slice(from).filter((r) => r.method === method && r.path === path);
const sentOf = (r: FakeRequest) => JSON.parse(r.body.toString()) as Sent;
const row = (f: SalesforceFake, object: string, id: string | undefined) =>
  f.objects.get(object)?.find((r) => r.Id === id);

describe('Salesforce batch writes (sObject Collections)', () => {
  it('creates and updates in batches: one call per kind, each record typed, ids in the records’ order, stored as single writes store them', async () => {
    const { fake, conn } = await setup();
    const start = await drain(conn.source(), 'contacts', 'incremental');
    const created = await push(conn, 'contacts', [
      { LastName: 'Lovelace', Email: 'Ada@Example.COM' },
      { LastName: 'Hopper', Email: 'grace@example.com' },
      { LastName: 'Somerville' },
    ]);
    expect(created).toMatchObject({ created: 3, updated: 0, rejected: [] });
    const [batch] = calls(fake, 'POST', COLLECTIONS);
    expect(calls(fake, 'POST', '/services/data/v68.0/sobjects/Contact')).toEqual([]);
    expect(sentOf(batch!)).toEqual({
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'Lovelace', Email: 'Ada@Example.COM' },
        { attributes: { type: 'Contact' }, LastName: 'Hopper', Email: 'grace@example.com' },
        { attributes: { type: 'Contact' }, LastName: 'Somerville' },
      ],
    });
    // Each record's id is the one Salesforce gave the contact it sent; the email stored lower-cased.
    const ids = created.ids ?? [];
    expect(ids.map((id) => row(fake, 'Contact', id)?.LastName)).toEqual(['Lovelace', 'Hopper', 'Somerville']);
    expect(row(fake, 'Contact', ids[0])?.Email).toBe('ada@example.com');
    const first = await drain(conn.source(), 'contacts', 'incremental', start.state);
    expect(first.records.map((r) => r.Id)).toEqual(ids);

    // Two updates in one PATCH (each with its id, no Id field), the lone create on its single endpoint.
    const before = fake.requests.length;
    const mixed = await push(conn, 'contacts', [
      { Id: ids[0], FirstName: 'Ada' },
      { LastName: 'Johnson' },
      { Id: ids[2], Email: 'MARY@example.com' },
    ]);
    expect(mixed).toMatchObject({ created: 1, updated: 2, rejected: [] });
    expect(mixed.ids).toEqual([ids[0], expect.stringMatching(/^003/), ids[2]]);
    expect(calls(fake, 'PATCH', COLLECTIONS, before).map((r) => sentOf(r).records)).toEqual([
      [
        { attributes: { type: 'Contact' }, id: ids[0], FirstName: 'Ada' },
        { attributes: { type: 'Contact' }, id: ids[2], Email: 'MARY@example.com' },
      ],
    ]);
    expect(calls(fake, 'POST', '/services/data/v68.0/sobjects/Contact', before)).toHaveLength(1);
    expect(row(fake, 'Contact', ids[2])?.Email).toBe('mary@example.com');
    // The updates stamped SystemModstamp: the next incremental read sees them.
    const next = await drain(conn.source(), 'contacts', 'incremental', first.state);
    expect(next.records.filter((r) => r.Id === ids[0] || r.Id === ids[2])).toEqual([
      expect.objectContaining({ Id: ids[0], FirstName: 'Ada', LastName: 'Lovelace' }),
      expect.objectContaining({ Id: ids[2], Email: 'mary@example.com' }),
    ]);
  });

  it('a partial failure rejects exactly the records Salesforce refused, each with its message; the others are written', async () => {
    const { fake, conn } = await setup();
    const engine = fake.create('Opportunity', { Name: 'Engine', StageName: 'Prospecting', CloseDate: '2027-01-31' });
    const gone = fake.create('Opportunity', { Name: 'Gone', StageName: 'Prospecting', CloseDate: '2027-01-31' });
    fake.remove('Opportunity', gone);
    const records = [
      { Name: 'No. 2', StageName: 'Prospecting' },
      { Name: 'No. 3', StageName: 'Prospecting', CloseDate: '2027-02-28' },
      { Name: 'No. 4', StageName: 'Prospecting', CloseDate: '2027-03-31', SystemModstamp: '2026-01-01T00:00:00Z' },
      { Id: engine, StageName: 'Closed Won' },
      { Id: '006000000000404AAA', Name: 'Ghost' },
      { Id: gone, Name: 'Back' },
      { Id: engine, Name: '' },
    ];
    const outcome = await push(conn, 'opportunities', records);
    expect(outcome).toMatchObject({ created: 1, updated: 1 });
    expect(outcome.rejected.map((r) => [records.indexOf(r.record as (typeof records)[number]), r.reason])).toEqual([
      [0, 'Required fields are missing: [CloseDate]'],
      [2, expect.stringMatching(/^Unable to create\/update fields: SystemModstamp/)],
      [4, 'The requested resource does not exist'],
      [5, 'entity is deleted'],
      [6, 'Required fields are missing: [Name]'],
    ]);
    const ids = outcome.ids ?? [];
    expect(ids.map((id) => (id === undefined ? undefined : row(fake, 'Opportunity', id)?.Name))).toEqual([
      undefined,
      'No. 3',
      undefined,
      'Engine',
      undefined,
      undefined,
      undefined,
    ]);
    expect(row(fake, 'Opportunity', engine)?.StageName).toBe('Closed Won');
    expect(fake.objects.get('Opportunity')?.filter((r) => !r.IsDeleted)).toHaveLength(2);
    // One call per kind, each answered 200 with a SaveResult per record.
    expect(calls(fake, 'POST', COLLECTIONS)).toHaveLength(1);
    expect(calls(fake, 'PATCH', COLLECTIONS)).toHaveLength(1);
  });

  it('splits more than 200 records into calls of at most 200 (Salesforce refuses more)', async () => {
    const { fake, conn } = await setup();
    const refused = await fetch(`${fake.url}${COLLECTIONS}`, {
      method: 'POST',
      headers: { authorization: 'Bearer sync-access', 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: false,
        records: Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `A${i}` })),
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([
      {
        errorCode: 'EXCEEDED_ID_LIMIT',
        message: 'record limit reached. cannot submit more than 200 records into this call',
      },
    ]);
    expect(fake.objects.get('Account')).toHaveLength(0);

    const names = Array.from({ length: 450 }, (_, i) => `Account ${i}`);
    const created = await push(
      conn,
      'accounts',
      names.map((Name) => ({ Name })),
    );
    expect(created).toMatchObject({ created: 450, rejected: [] });
    const creates = calls(fake, 'POST', COLLECTIONS).slice(1);
    expect(creates.map((r) => sentOf(r).records.length).sort()).toEqual([200, 200, 50]);
    expect(created.ids?.map((id) => row(fake, 'Account', id)?.Name)).toEqual(names);

    const updated = await push(
      conn,
      'accounts',
      (created.ids ?? []).map((Id) => ({ Id, Industry: 'Engines' })),
    );
    expect(updated).toMatchObject({ updated: 450, rejected: [] });
    expect(calls(fake, 'PATCH', COLLECTIONS)).toHaveLength(3);
    expect(fake.objects.get('Account')?.every((a) => a.Industry === 'Engines')).toBe(true);
  });

  it('a request Salesforce refuses whole (400) sends each record again on its own, so each gets its own answer', async () => {
    const { fake, conn } = await setup();
    // An org configured below v42.0 has no sObject Collections; a malformed request is 400 [{message, errorCode}].
    fake.inject({
      match: (r) => r.path === COLLECTIONS,
      reply: { status: 400, json: [{ message: 'Unexpected character', errorCode: 'JSON_PARSER_ERROR' }] },
    });
    const outcome = await push(conn, 'accounts', [{ Name: 'Analytical' }, { Website: 'engines.example' }]);
    expect(outcome).toMatchObject({ created: 1 });
    expect(outcome.rejected.map((r) => r.reason)).toEqual(['400: Required fields are missing: [Name]']);
    expect(calls(fake, 'POST', '/services/data/v68.0/sobjects/Account')).toHaveLength(2);
    expect(row(fake, 'Account', outcome.ids?.[0])?.Name).toBe('Analytical');
  });

  it('a 5xx after retries ends the write, retryable; a batch create is not sent twice', async () => {
    const { fake, conn } = await setup();
    const a = fake.create('Account', { Name: 'A' });
    const b = fake.create('Account', { Name: 'B' });
    const down = { status: 503, json: [{ message: 'Server Unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
    for (let i = 0; i < 4; i++)
      fake.inject({ match: (r) => r.method === 'PATCH' && r.path === COLLECTIONS, reply: down });
    await expect(
      push(conn, 'accounts', [
        { Id: a, Industry: 'Engines' },
        { Id: b, Industry: 'Looms' },
      ]),
    ).rejects.toMatchObject({ code: 'vendor_unavailable', retryable: true });
    // An update sets values, so it is retried (3 times) like an idempotent call.
    expect(calls(fake, 'PATCH', COLLECTIONS)).toHaveLength(4);
    expect(row(fake, 'Account', a)?.Industry).toBeUndefined();

    fake.inject({ match: (r) => r.method === 'POST' && r.path === COLLECTIONS, reply: down });
    await expect(push(conn, 'accounts', [{ Name: 'C' }, { Name: 'D' }])).rejects.toMatchObject({
      code: 'vendor_unavailable',
      retryable: true,
    });
    expect(calls(fake, 'POST', COLLECTIONS)).toHaveLength(1);
    expect(fake.objects.get('Account')).toHaveLength(2);
  });
});
