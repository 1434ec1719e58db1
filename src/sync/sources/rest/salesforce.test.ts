import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, idsOf, type VendorConnection } from '../../../../test/fakes/connect.js';
import { SALESFORCE_OBJECTS, startSalesforceFake } from '../../../../test/fakes/salesforce.js';

// Salesforce's shipped streams read through a running app (an OAuth connection) against test/fakes/salesforce.ts.
let fake: Awaited<ReturnType<typeof startSalesforceFake>> | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

const T0 = Date.UTC(2026, 0, 1);

async function setup() {
  fake = await startSalesforceFake();
  conn = await connectVendor('salesforce', fake.url, {
    oauth: { instance_url: fake.url, api_version: 'v68.0', login_url: fake.url },
  });
  return { fake, conn };
}

describe('REST source: Salesforce', () => {
  it('reads every object in full through SOQL, following nextRecordsUrl past each 2,000-record batch', async () => {
    const { fake, conn } = await setup();
    const source = conn.source();
    for (const [stream, object] of Object.entries(SALESFORCE_OBJECTS)) {
      fake.seed(object, object === 'Account' ? 4100 : 20, T0);
      const read = await drain(source, stream, 'full');
      expect(read.error).toBeUndefined();
      expect(new Set(idsOf(read.records, 'Id'))).toEqual(new Set(fake.objects.get(object)?.map((r) => r.Id)));
    }
    const locators = fake.requests.filter((r) => r.path.includes('/query/'));
    expect(locators).toHaveLength(2);
  });

  it('reads changes with WHERE SystemModstamp >= the saved cursor, and resumes a killed read: nothing lost, nothing repeated', async () => {
    const { fake, conn } = await setup();
    fake.seed('Contact', 5000, T0);
    const source = conn.source();
    const killed = await drain(source, 'contacts', 'incremental', null, { stopAfter: 1 });
    expect(killed.records).toHaveLength(2000);
    const resumed = await drain(source, 'contacts', 'incremental', killed.state);
    const all = [...idsOf(killed.records, 'Id'), ...idsOf(resumed.records, 'Id')];
    expect(all.length).toBe(5000);
    expect(new Set(all).size).toBe(5000);
    const ids = fake.objects.get('Contact')?.map((r) => r.Id) as string[];
    fake.touch('Contact', ids[10] as string, T0 + 9_000_000);
    const next = await drain(source, 'contacts', 'incremental', resumed.state);
    expect(idsOf(next.records, 'Id')).toEqual([ids[10]]);
    const soql = fake.requests.at(-1)?.query.get('q');
    expect(soql).toBe(
      `SELECT FIELDS(STANDARD) FROM Contact WHERE SystemModstamp >= ${new Date(T0 + 4_999_000).toISOString().replace('.000', '')} ORDER BY SystemModstamp, Id`,
    );
  });

  it('ends with a clear error when the org’s daily API cap is spent (403 REQUEST_LIMIT_EXCEEDED)', async () => {
    const { fake, conn } = await setup();
    fake.seed('Lead', 2500, T0);
    fake.inject({ match: (r) => r.path.includes('/query/'), reply: fake.limitExceeded() });
    const read = await drain(conn.source(), 'leads', 'full');
    expect(read.records).toHaveLength(2000);
    expect(read.error).toMatchObject({ code: 'connection_unusable' });
    expect(String((read.error as Error).message)).toContain('REQUEST_LIMIT_EXCEEDED');
  });
});
