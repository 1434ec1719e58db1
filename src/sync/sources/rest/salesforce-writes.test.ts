import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, push, type VendorConnection } from '../../../../test/fakes/connect.js';
import { startSalesforceFake, type SalesforceFake } from '../../../../test/fakes/salesforce.js';

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
    const { conn } = await setup();
    const outcome = await push(conn, 'opportunities', [
      { Name: 'Engine No. 2', StageName: 'Prospecting' },
      { Id: '006000000000404AAA', Name: 'Ghost' },
      { Name: 'Engine No. 3', StageName: 'Prospecting', CloseDate: '2027-01-31' },
    ]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      '400: Required fields are missing: [CloseDate]',
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
