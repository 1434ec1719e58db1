import { afterEach, describe, expect, it } from 'vitest';
import { SyncError } from '../../engine/types.js';
import { connectVendor, drain, idsOf, type VendorConnection } from '../../../../test/fakes/connect.js';
import { HUBSPOT_TYPES, startHubspotFake } from '../../../../test/fakes/hubspot.js';

// HubSpot's shipped streams read through a running app against test/fakes/hubspot.ts (which cites the docs).
let fake: Awaited<ReturnType<typeof startHubspotFake>> | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

const T0 = Date.UTC(2026, 0, 1);

async function setup() {
  fake = await startHubspotFake();
  conn = await connectVendor('hubspot', fake.url, { auth_method: 'bearer', credentials: { token: 'sk-service-key' } });
  return { fake, conn };
}

describe('REST source: HubSpot', () => {
  it('reads every object stream in full, 100 a page with the `after` token, each request authenticated', async () => {
    const { fake, conn } = await setup();
    for (const type of HUBSPOT_TYPES) fake.seed(type, 230, T0);
    const source = conn.source();
    for (const type of HUBSPOT_TYPES) {
      const read = await drain(source, type, 'full');
      expect(read.error).toBeUndefined();
      expect(new Set(idsOf(read.records))).toEqual(new Set(fake.objects.get(type)?.keys()));
      expect(read.records).toHaveLength(230);
      expect(read.batches).toHaveLength(3);
      // The full read ends knowing the highest cursor, so an incremental read can follow it.
      expect(read.state).toMatchObject({ cursor: new Date(T0 + 229_000).toISOString() });
    }
    const list = fake.requests.filter((r) => r.method === 'GET');
    expect(list.every((r) => r.headers.authorization === 'Bearer sk-service-key')).toBe(true);
    expect(list.map((r) => r.query.get('limit'))).toContain('100');
  });

  it('reads changes through the search endpoint from the saved cursor (GTE, epoch ms), skipping keys already read there', async () => {
    const { fake, conn } = await setup();
    fake.seed('contacts', 50, T0);
    const source = conn.source();
    const first = await drain(source, 'contacts', 'full');
    const ids = [...(fake.objects.get('contacts')?.keys() ?? [])];
    // Two changes after the cursor, one at exactly the cursor (committed late), and the record read at the cursor.
    fake.touch('contacts', ids[3] as string, T0 + 60_000);
    fake.touch('contacts', ids[4] as string, T0 + 61_000);
    fake.touch('contacts', ids[5] as string, T0 + 49_000);
    const next = await drain(source, 'contacts', 'incremental', first.state);
    expect(next.error).toBeUndefined();
    expect(idsOf(next.records)).toEqual([ids[5], ids[3], ids[4]]);
    const search = fake.requests.filter((r) => r.path.endsWith('/search'));
    const body = JSON.parse(search[0]?.body.toString() ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(T0 + 49_000) }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(next.state).toEqual({
      cursor: new Date(T0 + 61_000).toISOString(),
      keys_at_cursor: [JSON.stringify([ids[4]])],
    });
    // Nothing changed since: nothing read, the checkpoint stays.
    const again = await drain(source, 'contacts', 'incremental', next.state);
    expect(again.records).toEqual([]);
  });

  it('queries again from the last cursor when the search would pass its 10,000-result cap', async () => {
    const { fake, conn } = await setup();
    fake.seed('deals', 10_300, T0);
    const read = await drain(conn.source(), 'deals', 'incremental');
    expect(read.error).toBeUndefined();
    expect(new Set(idsOf(read.records)).size).toBe(10_300);
    expect(read.records).toHaveLength(10_300);
    expect(
      fake.requests.some((r) => r.path.endsWith('/search') && Number(JSON.parse(r.body.toString()).after) >= 10_000),
    ).toBe(false);
    const bounds = fake.requests
      .filter((r) => r.path.endsWith('/search') && !JSON.parse(r.body.toString()).after)
      .map(
        (r) =>
          (JSON.parse(r.body.toString()) as { filterGroups: { filters: { value: string }[] }[] }).filterGroups[0]
            ?.filters[0]?.value,
      );
    expect(bounds).toEqual([String(Date.UTC(1970, 0, 1)), String(T0 + 9_999_000)]);
  });

  it('waits out a 429 mid-read and loses nothing', async () => {
    const { fake, conn } = await setup();
    fake.seed('companies', 250, T0);
    fake.inject({ match: (r) => r.query.get('after') === '100', reply: fake.rateLimit() });
    const read = await drain(conn.source(), 'companies', 'full');
    expect(read.error).toBeUndefined();
    expect(read.records).toHaveLength(250);
    expect(fake.requests.filter((r) => r.query.get('after') === '100')).toHaveLength(2);
  });

  it('ends with vendor_bad_response on garbage mid-read, and the checkpoint before it still resumes', async () => {
    const { fake, conn } = await setup();
    fake.seed('tickets', 250, T0);
    fake.inject({
      match: (r) => r.query.get('after') === '200',
      reply: { status: 200, headers: { 'content-type': 'application/json' }, body: '<html>upstream error' },
    });
    const read = await drain(conn.source(), 'tickets', 'full');
    expect(read.error).toBeInstanceOf(SyncError);
    expect((read.error as SyncError).code).toBe('vendor_bad_response');
    expect(read.records).toHaveLength(200);
    expect(read.state).toEqual({ next: { token: '200' }, seen: expect.any(Object) });
    const rest = await drain(conn.source(), 'tickets', 'full', read.state);
    expect(new Set([...idsOf(read.records), ...idsOf(rest.records)]).size).toBe(250);
    expect(rest.records).toHaveLength(50);
  });

  it('ends with a retryable vendor_timeout when the vendor stops answering', async () => {
    const { fake, conn } = await setup();
    fake.seed('products', 150, T0);
    for (let i = 0; i < 5; i++) fake.inject({ match: (r) => r.query.get('after') === '100', stall: true });
    const read = await drain(conn.source({ timeoutMs: 300 }), 'products', 'full');
    expect(read.error).toMatchObject({ code: 'vendor_timeout', retryable: true });
    expect(read.records).toHaveLength(100);
  });

  it('resumes an incremental read killed mid-way from its checkpoint: nothing lost, nothing repeated', async () => {
    const { fake, conn } = await setup();
    // Groups of three records share each timestamp, so pages end inside groups.
    fake.seed('line_items', 600, T0, 0);
    for (const [i, id] of [...(fake.objects.get('line_items')?.keys() ?? [])].entries()) {
      fake.touch('line_items', id, T0 + Math.floor(i / 3) * 1000);
    }
    const killed = await drain(conn.source(), 'line_items', 'incremental', null, { stopAfter: 2 });
    expect(killed.records).toHaveLength(400);
    const resumed = await drain(conn.source(), 'line_items', 'incremental', killed.state);
    // The cursor stays before the group the kill cut (its keys ride along to be skipped).
    expect(killed.state).toMatchObject({
      cursor: new Date(T0 + 132_000).toISOString(),
      open_group: { cursor: new Date(T0 + 133_000).toISOString() },
    });
    const all = [...idsOf(killed.records), ...idsOf(resumed.records)];
    expect(new Set(all).size).toBe(600);
    expect(all).toHaveLength(600);
  });

  it('stops at once with connection_paused when the connection is paused', async () => {
    const { fake, conn } = await setup();
    fake.seed('contacts', 5, T0);
    const paused = await conn.t.request({ method: 'POST', url: `/v1/connections/${conn.connectionId}/pause` });
    expect(paused.statusCode, paused.body).toBe(200);
    const read = await drain(conn.source(), 'contacts', 'full');
    expect(read.error).toMatchObject({ code: 'connection_paused' });
    expect(fake.requests).toHaveLength(0);
  });
});
