/**
 * Password-guessing brake for sign-in, in this node's memory.
 *
 * Failures are counted per (account, client address) and per account. The per-client limit stops one client
 * guessing; keeping it per client means a stranger cannot lock a user out from everywhere just by failing on
 * purpose. The higher per-account limit still stops a guesser spreading over many addresses. Windows are fixed
 * from the first failure; the maps are bounded, oldest entries going first, so spraying random emails cannot grow
 * them without limit.
 */
export type LockoutOptions = { perClient: number; perAccount: number; windowMs: number; maxEntries: number };

const defaults: LockoutOptions = { perClient: 10, perAccount: 100, windowMs: 15 * 60_000, maxEntries: 10_000 };

type Entry = { count: number; first: number };

export function createSignInLockout(options: Partial<LockoutOptions> = {}, now: () => number = Date.now) {
  const o = { ...defaults, ...options } satisfies LockoutOptions;
  const byClient = new Map<string, Entry>();
  const byAccount = new Map<string, Entry>();

  const live = (map: Map<string, Entry>, key: string): Entry | undefined => {
    const entry = map.get(key);
    if (entry && now() - entry.first > o.windowMs) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const bump = (map: Map<string, Entry>, key: string) => {
    const entry = live(map, key);
    if (entry) entry.count++;
    else {
      if (map.size >= o.maxEntries) map.delete(map.keys().next().value as string);
      map.set(key, { count: 1, first: now() });
    }
  };

  return {
    /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
    retryAfter(email: string, client: string): number {
      const entries = [
        [live(byClient, `${email}|${client}`), o.perClient],
        [live(byAccount, email), o.perAccount],
      ] as const;
      const blocking = entries.filter(([e, limit]) => e && e.count >= limit).map(([e]) => e as Entry);
      if (blocking.length === 0) return 0;
      const until = Math.max(...blocking.map((e) => e.first + o.windowMs));
      return Math.max(1, Math.ceil((until - now()) / 1000));
    },
    fail(email: string, client: string): void {
      bump(byClient, `${email}|${client}`);
      bump(byAccount, email);
    },
    succeed(email: string, client: string): void {
      byClient.delete(`${email}|${client}`);
    },
  };
}
