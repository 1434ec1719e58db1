import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, idsOf, type VendorConnection } from '../../../../test/fakes/connect.js';
import { STRIPE_LISTS, startStripeFake } from '../../../../test/fakes/stripe.js';
import { createRestPushTarget } from '../../targets/rest-push.js';

// Stripe's shipped streams read (and customers pushed) through a running app against test/fakes/stripe.ts.
let fake: Awaited<ReturnType<typeof startStripeFake>> | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

const T0 = Date.UTC(2026, 10, 1) / 1000;

async function setup() {
  fake = await startStripeFake();
  conn = await connectVendor('stripe', fake.url, { auth_method: 'bearer', credentials: { api_key: 'sk_test_sync' } });
  return { fake, conn };
}

describe('REST source: Stripe', () => {
  it('reads every list in full, 100 a page with starting_after = the last id, until has_more is false', async () => {
    const { fake, conn } = await setup();
    const source = conn.source();
    for (const name of Object.keys(STRIPE_LISTS)) {
      fake.seed(name, 201, T0);
      const read = await drain(source, name, 'full');
      expect(read.error).toBeUndefined();
      expect(new Set(idsOf(read.records))).toEqual(new Set(fake.lists.get(name)?.map((r) => r.id)));
      expect(read.records).toHaveLength(201);
    }
    const subs = fake.requests.find((r) => r.path === '/v1/subscriptions');
    expect(subs?.query.get('status')).toBe('all');
    expect(fake.requests.every((r) => r.query.get('limit') === '100')).toBe(true);
    expect(fake.requests.every((r) => r.headers['stripe-version'] === '2026-09-30.endive')).toBe(true);
  });

  it('reads events incrementally with created[gte]; newest-first, so it checkpoints only at its end', async () => {
    const { fake, conn } = await setup();
    fake.seed('events', 150, T0);
    const source = conn.source();
    const first = await drain(source, 'events', 'incremental');
    expect(first.records).toHaveLength(150);
    expect(first.batches.slice(0, -1).every((b) => b.state === undefined)).toBe(true);
    expect(first.state).toMatchObject({ cursor: T0 + 149 });
    fake.seed('events', 30, T0 + 149);
    const next = await drain(source, 'events', 'incremental', first.state);
    expect(next.records).toHaveLength(30);
    expect(fake.requests.at(-1)?.query.get('created[gte]')).toBe(String(T0 + 149));
    expect(next.state).toMatchObject({ cursor: T0 + 149 + 29 });
  });

  it('waits out a 429 (Stripe-Should-Retry) mid-read', async () => {
    const { fake, conn } = await setup();
    fake.seed('charges', 150, T0);
    fake.inject({ match: (r) => r.query.has('starting_after'), reply: fake.rateLimit() });
    const read = await drain(conn.source(), 'charges', 'full');
    expect(read.error).toBeUndefined();
    expect(read.records).toHaveLength(150);
  });

  it('pushes customers: creates and updates form-encoded with an Idempotency-Key, rejects what Stripe refuses, and a repeat creates nothing twice', async () => {
    const { fake, conn } = await setup();
    fake.seed('customers', 1, T0);
    const existing = fake.lists.get('customers')?.[0]?.id as string;
    const target = createRestPushTarget({
      call: conn.t.built.proxy.call,
      tenantId: conn.t.tenantId,
      connectionId: conn.connectionId,
      manifest: conn.manifest,
    });
    const open = () =>
      target.open({
        name: 'customers',
        primaryKey: ['email'],
        fields: [],
        fullRefresh: false,
        executionId: 'exec_push_1',
        deletion: { mode: 'none', maxDeleteShare: 1 },
        signal: new AbortController().signal,
        log: () => {},
      });
    const records = [
      { email: 'ada@example.com', name: 'Ada', metadata: { source: 'switchyard' } },
      { email: 'not-an-email', name: 'Broken' },
      { id: existing, email: 'grace@example.com', name: 'Grace' },
    ];
    const outcome = await (await open()).write(records);
    expect(outcome).toMatchObject({ created: 1, updated: 1 });
    expect(outcome.rejected).toEqual([{ record: records[1], reason: '400: Invalid email address: not-an-email' }]);
    const created = fake.lists.get('customers')?.find((c) => c.email === 'ada@example.com');
    expect(created).toMatchObject({ name: 'Ada', 'metadata[source]': 'switchyard' });
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => /^sy-[0-9a-f]{48}$/.test(String(r.headers['idempotency-key'])))).toBe(true);
    expect(posts[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(posts[2]?.path).toBe(`/v1/customers/${existing}`);
    // The same run resumed sends the same writes again: Stripe replays them, nothing is created twice.
    await (await open()).write([records[0] as Record<string, unknown>]);
    expect(fake.lists.get('customers')?.filter((c) => c.email === 'ada@example.com')).toHaveLength(1);
    expect(fake.requests.at(-1)?.headers['idempotency-key']).toBe(posts[0]?.headers['idempotency-key']);
  });
});
