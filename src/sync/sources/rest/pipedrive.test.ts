import { afterEach, describe, expect, it } from 'vitest';
import { connectVendor, drain, idsOf, type VendorConnection } from '../../../../test/fakes/connect.js';
import { PIPEDRIVE_V2, startPipedriveFake } from '../../../../test/fakes/pipedrive.js';

// Pipedrive's shipped streams read through a running app (API-token connection) against test/fakes/pipedrive.ts.
let fake: Awaited<ReturnType<typeof startPipedriveFake>> | undefined;
let conn: VendorConnection | undefined;
afterEach(async () => {
  await conn?.t.close();
  await fake?.close();
  conn = fake = undefined;
});

const T0 = Date.UTC(2026, 2, 1);

async function setup() {
  fake = await startPipedriveFake();
  conn = await connectVendor('pipedrive', fake.url, {
    auth_method: 'api_key',
    credentials: { api_token: 'pd-token' },
    config: { api_domain: fake.url },
  });
  return { fake, conn };
}

describe('REST source: Pipedrive', () => {
  it('reads every stream in full: v2 cursors (500 a page), v1 leads by start/next_start, users in one answer', async () => {
    const { fake, conn } = await setup();
    const source = conn.source();
    for (const entity of [...PIPEDRIVE_V2, 'leads', 'users']) {
      fake.seed(entity, entity === 'users' ? 7 : 1200, T0);
      const read = await drain(source, entity, 'full');
      expect(read.error).toBeUndefined();
      expect(idsOf(read.records).sort()).toEqual(
        fake.entities
          .get(entity)
          ?.map((r) => String(r.id))
          .sort(),
      );
    }
    expect(fake.requests.filter((r) => r.path === '/api/v2/deals').map((r) => r.query.get('limit'))).toEqual([
      '500',
      '500',
      '500',
    ]);
    expect(fake.requests.filter((r) => r.path === '/api/v1/leads').map((r) => r.query.get('start'))).toEqual([
      null,
      '500',
      '1000',
    ]);
  });

  it('reads changes with updated_since (RFC 3339) sorted by update_time ascending, from the saved cursor', async () => {
    const { fake, conn } = await setup();
    fake.seed('persons', 40, T0);
    const source = conn.source();
    const first = await drain(source, 'persons', 'incremental');
    expect(first.records).toHaveLength(40);
    fake.touch('persons', 7, T0 + 100_000);
    const next = await drain(source, 'persons', 'incremental', first.state, { lookbackSeconds: 10 });
    // The lookback re-reads the last 10 s (upserted by the target); the record read at the cursor (40) is skipped.
    expect(idsOf(next.records)).toEqual(['30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '7']);
    const sent = fake.requests.at(-1)?.query;
    expect(sent?.get('updated_since')).toBe(new Date(T0 + 39_000 - 10_000).toISOString().replace('.000', ''));
    expect(sent?.get('sort_by')).toBe('update_time');
    expect(sent?.get('sort_direction')).toBe('asc');
  });

  it('waits out a 429 with Retry-After mid-read and loses nothing', async () => {
    const { fake, conn } = await setup();
    fake.seed('organizations', 1100, T0);
    fake.inject({ match: (r) => r.query.has('cursor'), reply: fake.rateLimit() });
    const read = await drain(conn.source(), 'organizations', 'full');
    expect(read.error).toBeUndefined();
    expect(read.records).toHaveLength(1100);
  });
});
