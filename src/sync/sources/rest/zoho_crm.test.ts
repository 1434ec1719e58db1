import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, idsOf, type VendorConnection } from '../../../../test/fakes/connect.js';
import { ZOHO_MODULES, startZohoFake } from '../../../../test/fakes/zoho.js';

// Zoho CRM's shipped streams read through a running app (an OAuth connection) against test/fakes/zoho.ts.
let fake: Awaited<ReturnType<typeof startZohoFake>> | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

const T0 = Date.UTC(2026, 4, 1);

async function setup() {
  fake = await startZohoFake();
  conn = await connectVendor('zoho_crm', fake.url, { oauth: { dc: 'zoho.com', api_domain: fake.url } });
  return { fake, conn };
}

describe('REST source: Zoho CRM', () => {
  it('reads every module in full with page_token past 2,000 records (200 a page, the fields it needs), and users by page', async () => {
    const { fake, conn } = await setup();
    const source = conn.source();
    for (const [stream, module] of Object.entries({ ...ZOHO_MODULES, users: 'users' })) {
      fake.seed(module, module === 'Leads' ? 2300 : 250, T0);
      const read = await drain(source, stream, 'full');
      expect(read.error).toBeUndefined();
      expect(new Set(idsOf(read.records))).toEqual(new Set(fake.modules.get(module)?.map((r) => r.id)));
      expect(read.records).toHaveLength(fake.modules.get(module)?.length as number);
    }
    expect(fake.requests.filter((r) => r.path === '/crm/v8/users').map((r) => r.query.get('page'))).toEqual(['1', '2']);
  });

  it('reads changes with If-Modified-Since (moved back a second: Zoho’s bound is exclusive); nothing changed answers 304', async () => {
    const { fake, conn } = await setup();
    fake.seed('Deals', 30, T0);
    const source = conn.source();
    const first = await drain(source, 'deals', 'incremental');
    expect(first.records).toHaveLength(30);
    const unchanged = await drain(source, 'deals', 'incremental', first.state);
    expect(unchanged.records).toEqual([]);
    const ids = fake.modules.get('Deals')?.map((r) => r.id) as string[];
    fake.touch('Deals', ids[2] as string, T0 + 3_600_000);
    const next = await drain(source, 'deals', 'incremental', first.state);
    expect(idsOf(next.records)).toEqual([ids[2]]);
    const last = fake.requests.at(-1);
    expect(last?.headers['if-modified-since']).toBe(new Date(T0 + 28_000).toISOString().replace('.000', ''));
    expect(last?.query.get('sort_by')).toBe('Modified_Time');
    expect(last?.query.get('sort_order')).toBe('asc');
  });

  it('retries TOO_MANY_REQUESTS (429) mid-read and loses nothing', async () => {
    const { fake, conn } = await setup();
    fake.seed('Contacts', 450, T0);
    fake.inject({ match: (r) => r.query.has('page_token'), reply: fake.tooMany() });
    const read = await drain(conn.source(), 'contacts', 'full');
    expect(read.error).toBeUndefined();
    expect(read.records).toHaveLength(450);
  });
});
