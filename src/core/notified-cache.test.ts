import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { channels } from './db/channels.js';
import { createNotifiedCache, type NotifiedCacheOptions } from './notified-cache.js';

const open: { stop?(): Promise<void>; drop?(): Promise<void> }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const item of open.splice(0).reverse()) await (item.stop ?? item.drop)?.call(item);
});

async function setup() {
  const testDb = await createTestDb();
  open.push(testDb);
  return testDb;
}

/** A started cache: two of them on one database stand for two nodes (each hears every notification). */
async function cacheOn<V>(testDb: TestDb, options: Partial<NotifiedCacheOptions<V>> = {}) {
  const cache = createNotifiedCache<V>(testDb.db, {
    channel: channels.eventTypeChanged,
    ttlMs: 60_000,
    max: 100,
    ...options,
  });
  await cache.start();
  open.push(cache);
  return cache;
}

/** Long enough for a notification to arrive: only to check that one did not. */
const heard = () => sleep(100);

describe('notified cache', () => {
  it('keeps a value for its TTL, a miss for the miss TTL, and at most `max` entries, dropping the oldest', async () => {
    const testDb = await setup();
    const cache = await cacheOn<string | undefined>(testDb, { ttlMs: 50, missTtlMs: 20, max: 2 });
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    let loads = 0;
    const load = (value: string | undefined) => async () => {
      loads++;
      return value;
    };
    expect(await cache.get('a', load('A'))).toBe('A');
    expect(await cache.get('a', load('other'))).toBe('A');
    expect(cache.peek('a')?.value).toBe('A');
    expect(await cache.get('gone', load(undefined))).toBeUndefined();
    expect(cache.peek('gone')).toEqual({ value: undefined, expiresAt: expect.any(Number) });
    now += 30;
    expect(cache.peek('gone')).toBeUndefined();
    expect(cache.peek('a')?.value).toBe('A');
    now += 30;
    expect(cache.peek('a')).toBeUndefined();
    expect(loads).toBe(2);

    cache.set('x', 'X');
    cache.set('y', 'Y');
    cache.set('x', 'X2'); // a fresh write makes `x` the youngest
    cache.set('z', 'Z');
    expect([cache.peek('x')?.value, cache.peek('y')?.value, cache.peek('z')?.value]).toEqual(['X2', undefined, 'Z']);

    const noMisses = await cacheOn<string | undefined>(testDb);
    await noMisses.get('gone', load(undefined));
    expect(noMisses.peek('gone')).toBeUndefined();
  });

  it('forgets a key, or everything, on every node once the invalidating transaction commits', async () => {
    const testDb = await setup();
    const here = await cacheOn<string>(testDb);
    const there = await cacheOn<string>(testDb);
    for (const cache of [here, there]) for (const key of ['a', 'b']) cache.set(key, key.toUpperCase());

    await testDb.db.transaction(async (tx) => {
      await here.invalidate(tx, 'a');
      // Forgotten here at once; the other node hears of it on commit only.
      expect(here.peek('a')).toBeUndefined();
      await heard();
      expect(there.peek('a')?.value).toBe('A');
    });
    await expect.poll(() => there.peek('a')).toBeUndefined();
    expect(there.peek('b')?.value).toBe('B');
    // This node hears its own notification at the commit and again from the server (listeners are idempotent):
    // let the second copy pass before setting values again.
    await heard();

    // A rolled-back change tells no one.
    here.set('a', 'A');
    there.set('a', 'A');
    await expect(
      testDb.db.transaction(async (tx) => {
        await here.invalidate(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await heard();
    expect(there.peek('a')?.value).toBe('A');

    await testDb.db.transaction((tx) => here.invalidate(tx));
    await expect.poll(() => [there.peek('a'), there.peek('b')]).toEqual([undefined, undefined]);

    // Stopped, a cache hears nothing more (and starts again empty).
    await there.stop();
    there.set('a', 'A');
    await testDb.db.transaction((tx) => here.invalidate(tx, 'a'));
    await heard();
    expect(there.peek('a')?.value).toBe('A');
  });

  it('clears on its other channels, and matches payloads that are not keys', async () => {
    const testDb = await setup();
    const bySource = await cacheOn<{ source: string } | undefined>(testDb, {
      channel: channels.inboundSourceChanged,
      clearOn: [channels.authInvalidate],
      missTtlMs: 60_000,
      matches: (source, _key, value) => value === undefined || value.source === source,
    });
    const fill = () => {
      bySource.set('token-1', { source: 'src_1' });
      bySource.set('token-2', { source: 'src_1' });
      bySource.set('token-3', { source: 'src_2' });
      bySource.set('unknown', undefined);
    };
    const keys = () => ['token-1', 'token-2', 'token-3', 'unknown'].filter((k) => bySource.peek(k) !== undefined);
    fill();
    await testDb.db.transaction((tx) => testDb.db.notify(tx, channels.inboundSourceChanged, 'src_1'));
    await expect.poll(keys).toEqual(['token-3']);
    fill();
    await testDb.db.transaction((tx) => testDb.db.notify(tx, channels.authInvalidate, 'anything'));
    await expect.poll(keys).toEqual([]);
  });

  it('does not keep what a load read before an invalidation overtook it', async () => {
    const testDb = await setup();
    const cache = await cacheOn<string>(testDb);
    let release!: () => void;
    const slow = cache.load('a', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'stale';
    });
    await testDb.db.transaction((tx) => cache.invalidate(tx, 'a'));
    release();
    // The caller that asked still gets what was read; nobody after it does.
    expect(await slow).toBe('stale');
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('a', async () => 'fresh')).toBe('fresh');
    expect(cache.peek('a')?.value).toBe('fresh');
  });
});
