import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/helpers/db.js';
import { newId } from '../../../core/ids.js';
import { createIngestWriter, type IngestRow } from './writer.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await t.db.query(`insert into tenants (id, name, slug) values ('ten_w', 'Writer', 'writer')`);
  await t.db.query(
    `insert into inbound_sources (id, tenant_id, name, token_hash, token_sealed, verification)
     values ('whs_w', 'ten_w', 'writer', 'hash', '\\x00'::bytea, '{"type": "none"}')`,
  );
});
afterEach(async () => {
  await t.drop();
});

const row = (overrides: Partial<IngestRow> = {}): IngestRow => ({
  id: newId('whie'),
  tenantId: 'ten_w',
  sourceId: 'whs_w',
  receivedAt: new Date(),
  status: 'processed',
  eventType: 'order.created',
  dedupKey: null,
  dedupWindowSeconds: 3600,
  remoteAddress: '127.0.0.1',
  contentType: 'application/json',
  headers: { 'x-id': 'a' },
  body: Buffer.from('{}'),
  bodySize: 2,
  rejection: null,
  ...overrides,
});

describe('ingest writer', () => {
  // Writes issued together form one batch, one statement whatever its size: both sizes must store the same thing.
  it.each([1, 150])('stores a batch of %i exactly: bytes, headers, times, dedup and rejections', async (size) => {
    const writer = createIngestWriter(t.db);
    await writer.write(row({ dedupKey: 'seen-before' }));
    const awkward = { 'x-note': 'tab\there, newline\nthere, backslash \\ and \\N', 'x-emoji': '🚀 ünïcødé' };
    const binary = Buffer.from([0x00, 0xff, 0x5c, 0x09, 0x0a, 0x4e]);
    const rows = Array.from({ length: size }, (_, i) =>
      row({
        dedupKey: i === 0 ? 'seen-before' : `key-${i % 100}`,
        headers: awkward,
        body: i % 2 ? binary : Buffer.from(JSON.stringify({ i })),
        bodySize: i % 2 ? binary.length : JSON.stringify({ i }).length,
        eventType: i % 3 ? 'order.created' : null,
        receivedAt: new Date(Date.now() - i),
      }),
    );
    const rejected = row({ status: 'rejected', body: null, bodySize: 10, rejection: 'bad_signature', dedupKey: null });
    const results = await Promise.all([...rows, rejected].map((r) => writer.write(r)));

    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.get(rows[0]?.id as string)).toMatchObject({ status: 'duplicate' });
    expect(byId.get(rejected.id)).toMatchObject({ status: 'rejected', duplicateOf: null });
    for (const [i, r] of rows.entries()) {
      if (i === 0) continue;
      // key-0 first appears at row 100 (row 0 carries the key seen before); every other repeat is a duplicate.
      const repeat = i > 100;
      expect(byId.get(r.id)?.status, `row ${i}`).toBe(repeat ? 'duplicate' : 'processed');
      if (repeat) expect(byId.get(r.id)?.duplicateOf).toBe(rows[i - 100]?.id);
    }

    const stored = await t.db.query<{
      id: string;
      status: string;
      headers: Record<string, string>;
      body: Uint8Array | null;
      received_at: Date;
      event_type: string | null;
      rejection: string | null;
    }>(`select id, status, headers, body, received_at, event_type, rejection from inbound_events`);
    expect(stored.rows).toHaveLength(size + 2);
    const storedById = new Map(stored.rows.map((r) => [r.id, r]));
    for (const [i, r] of rows.entries()) {
      const s = storedById.get(r.id);
      expect(s?.headers).toEqual(awkward);
      expect(Buffer.from(s?.body as Uint8Array).equals(r.body as Buffer), `body of row ${i}`).toBe(true);
      expect(s?.received_at.toISOString()).toBe(r.receivedAt.toISOString());
      expect(s?.event_type).toBe(r.eventType);
    }
    expect(storedById.get(rejected.id)).toMatchObject({ status: 'rejected', body: null, rejection: 'bad_signature' });
    const counted = await t.db.query<{ rejected_count: number }>(`select rejected_count from inbound_sources`);
    expect(counted.rows[0]?.rejected_count).toBe(1);
  });

  it('stores nothing of a batch the database refuses, and fails every write in it', async () => {
    const writer = createIngestWriter(t.db);
    // PostgreSQL text cannot hold NUL: the one bad row fails its whole batch, which must leave no trace.
    const batch = Array.from({ length: 20 }, (_, i) => row({ dedupKey: `k${i}` }));
    batch.push(row({ headers: { 'x-bad': 'nul\u0000here' } }));
    const outcomes = await Promise.allSettled(batch.map((r) => writer.write(r)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect((await t.db.query(`select 1 from inbound_events`)).rows).toEqual([]);
    expect((await t.db.query(`select 1 from inbound_dedup`)).rows).toEqual([]);
    // The writer keeps working afterwards, on both paths.
    expect(await writer.write(row({ dedupKey: 'k0' }))).toMatchObject({ status: 'processed' });
    const again = await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(row({ dedupKey: `n${i}` }))));
    expect(again.every((r) => r.status === 'processed')).toBe(true);
  });
});
