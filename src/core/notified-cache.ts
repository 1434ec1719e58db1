import type { Channel } from './db/channels.js';
import type { Db, Queryable } from './db/port.js';

export type NotifiedCacheOptions<V> = {
  /**
   * Announces changes to every node on commit. A payload names what changed (by default the key of the entry), an
   * empty payload means everything.
   */
  channel: Channel;
  /** Further channels on which everything is forgotten, whatever their payload. */
  clearOn?: readonly Channel[];
  /** An entry is served this long without a reload: it bounds what a missed notification leaves stale. */
  ttlMs: number;
  /** How long an `undefined` value (a miss) is kept; 0 (the default): misses are not kept. */
  missTtlMs?: number;
  /** Entries at most; the oldest goes first. */
  max: number;
  /** Whether a payload concerns an entry, for payloads that are not keys (scans every entry). */
  matches?: (payload: string, key: string, value: V) => boolean;
};

export type NotifiedCache<V> = ReturnType<typeof createNotifiedCache<V>>;

type Entry<V> = { readonly value: V; readonly expiresAt: number };

/**
 * A per-node cache of what the database holds, kept right across nodes by LISTEN/NOTIFY: the transaction that changes
 * a cached thing calls `invalidate(tx, payload)`, which forgets the entry here at once and, once the transaction
 * commits, on every node (this one included, which also covers a reload that raced the commit). Notifications can be
 * lost (a PostgreSQL listener reconnecting), so entries also expire after `ttlMs`.
 *
 * A load that began before an invalidation answers what it read but does not keep it: it may be stale.
 */
export function createNotifiedCache<V>(db: Db, options: NotifiedCacheOptions<V>) {
  const entries = new Map<string, Entry<V>>();
  const missTtlMs = options.missTtlMs ?? 0;
  const unlisten: (() => Promise<void>)[] = [];
  let generation = 0;

  /** The entry of `key` while it is fresh; synchronous, for callers whose cached path must not wait. */
  function peek(key: string): Entry<V> | undefined {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt > performance.now()) return entry;
    entries.delete(key);
    return undefined;
  }

  function set(key: string, value: V): void {
    const ttlMs = value === undefined ? missTtlMs : options.ttlMs;
    // Deleted first, so that the map's order stays the order of age and the first key is the oldest.
    entries.delete(key);
    if (ttlMs <= 0) return;
    if (entries.size >= options.max) entries.delete(entries.keys().next().value as string);
    entries.set(key, { value, expiresAt: performance.now() + ttlMs });
  }

  /** Read with `loader` and keep the value, unless an invalidation came meanwhile. */
  async function load(key: string, loader: () => Promise<V>): Promise<V> {
    const started = generation;
    const value = await loader();
    if (started === generation) set(key, value);
    return value;
  }

  /** Forget here what a notification with this payload names. */
  function forget(payload: string): void {
    generation++;
    if (payload === '') return entries.clear();
    const matches = options.matches;
    if (!matches) {
      entries.delete(payload);
      return;
    }
    for (const [key, entry] of entries) if (matches(payload, key, entry.value)) entries.delete(key);
  }

  function clear(): void {
    generation++;
    entries.clear();
  }

  return {
    peek,
    set,
    load,
    /** The fresh value of `key`, or `loader`'s (kept). */
    get(key: string, loader: () => Promise<V>): Promise<V> {
      const hit = peek(key);
      return hit ? Promise.resolve(hit.value) : load(key, loader);
    },
    forget,
    clear,
    /** Call in the transaction that makes the change: forgets here now, and on every node when `q` commits. */
    async invalidate(q: Queryable, payload = ''): Promise<void> {
      forget(payload);
      await db.notify(q, options.channel, payload);
    },
    async start(): Promise<void> {
      unlisten.push(await db.listen(options.channel, forget));
      for (const channel of options.clearOn ?? []) unlisten.push(await db.listen(channel, clear));
    },
    async stop(): Promise<void> {
      for (const off of unlisten.splice(0)) await off();
      clear();
    },
  };
}
