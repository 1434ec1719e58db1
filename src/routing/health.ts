import type { Clock } from '../core/clock.js';
import { channels } from '../core/db/channels.js';
import type { Db, Queryable } from '../core/db/port.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import type { RouteSettings } from './model.js';
import { claimProbe, clearLimit, closeBreaker, getHealth, markLimited, openBreaker, type HealthRow } from './sql.js';

/** What a provider's health says about using it now. */
export type ProviderStatus = {
  breaker: { state: 'closed' | 'open' | 'half_open'; opened_at: string | null; probe_at: string | null };
  /** The vendor's window or quota is spent until then (epoch ms), with its words. */
  limit: {
    until: number;
    meaning: 'retry_after_reset' | 'quota_exhausted';
    scope: string | null;
    reason: string;
  } | null;
  last_failure: string | null;
};

const WINDOW_BUCKETS = 10;

/** Per node, per connection: recent outcomes for the breaker's failure rate, and calls and retries for the budget. */
type Counters = {
  consecutive: number;
  /** One bucket a second for the breaker's window: [second, ok, failed]. */
  outcomes: [number, number, number][];
  /** Ten one-second buckets of [second, calls, retries] for the retry budget. */
  budget: [number, number, number][];
};

/**
 * Each connection's health as routes see it: a circuit breaker and the vendor's last rate-limit signal. The state that
 * decides (open or closed, limited until when) is a row in `provider_health`, shared by every route and node and read
 * through a cache that every change invalidates on all nodes; the counting that leads to a change (consecutive
 * failures, the failure rate over a window, the retry budget) is kept per node, in memory, as a load balancer keeps
 * it. An open breaker lets one request through once its probe is due (half-open), on one node: the one that claims
 * the probe in the database.
 */
export function createProviderHealth(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const cache = createNotifiedCache<HealthRow | undefined>(db, {
    channel: channels.providerHealthChanged,
    ttlMs: 30_000,
    missTtlMs: 30_000,
    max: 10_000,
  });
  const counters = new Map<string, Counters>();

  const countersOf = (connectionId: string): Counters => {
    let c = counters.get(connectionId);
    if (!c) {
      if (counters.size >= 10_000) counters.delete(counters.keys().next().value as string);
      counters.set(connectionId, (c = { consecutive: 0, outcomes: [], budget: [] }));
    }
    return c;
  };

  /** The bucket of this second in a list of [second, a, b] buckets, dropping those older than `keep` seconds. */
  function bucket(list: [number, number, number][], keep: number): [number, number, number] {
    const second = Math.floor(clock.now().getTime() / 1000);
    while (list.length > 0 && (list[0] as [number, number, number])[0] <= second - keep) list.shift();
    let last = list[list.length - 1];
    if (!last || last[0] !== second) list.push((last = [second, 0, 0]));
    return last;
  }

  // A healthy provider has no row: the kept miss (undefined) is an answer too, not a reason to ask again.
  const read = (connectionId: string) => {
    const hit = cache.peek(connectionId);
    return hit ? hit.value : cache.load(connectionId, () => getHealth(db, connectionId));
  };

  async function change(connectionId: string, write: (tx: Queryable) => Promise<unknown>) {
    await db.transaction(async (tx) => {
      await write(tx);
      await cache.invalidate(tx, connectionId);
    });
  }

  function statusOf(row: HealthRow | undefined, now: number): ProviderStatus {
    if (!row) return { breaker: { state: 'closed', opened_at: null, probe_at: null }, limit: null, last_failure: null };
    const open = row.breaker === 'open';
    const probing = open && row.probe_until !== null && row.probe_until.getTime() > now;
    return {
      breaker: {
        state: !open ? 'closed' : probing || (row.probe_at?.getTime() ?? 0) <= now ? 'half_open' : 'open',
        opened_at: row.opened_at?.toISOString() ?? null,
        probe_at: row.probe_at?.toISOString() ?? null,
      },
      limit:
        row.limited_until && row.limited_until.getTime() > now && row.limit_meaning
          ? {
              until: row.limited_until.getTime(),
              meaning: row.limit_meaning,
              scope: row.limit_scope,
              reason: row.limit_reason ?? '',
            }
          : null,
      last_failure: row.last_failure,
    };
  }

  return {
    /** The provider's health now (cached; a change on any node is seen at once). */
    async status(connectionId: string): Promise<ProviderStatus & { probeDue: boolean }> {
      const row = await read(connectionId);
      const now = clock.now().getTime();
      const status = statusOf(row, now);
      const probeDue =
        row?.breaker === 'open' &&
        (row.probe_at?.getTime() ?? 0) <= now &&
        (row.probe_until === null || row.probe_until.getTime() <= now);
      return { ...status, probeDue };
    },

    /** Take the half-open probe of an open breaker for one request (on one node); false when another has it. */
    async claimProbe(connectionId: string, timeoutMs: number): Promise<boolean> {
      const now = clock.now();
      let won = false;
      await change(connectionId, async (tx) => {
        won = await claimProbe(tx, connectionId, now, new Date(now.getTime() + timeoutMs + 5_000));
      });
      return won;
    },

    /** A call went through (an answer, even an empty one). A probe's success closes the breaker. */
    async succeeded(connectionId: string, probe: boolean): Promise<void> {
      const c = countersOf(connectionId);
      c.consecutive = 0;
      bucket(c.outcomes, 3600)[1]++;
      if (probe) await change(connectionId, (tx) => closeBreaker(tx, connectionId));
    },

    /**
     * A call failed (an error status, a timeout, a malformed or truncated answer). Opens the breaker after
     * `consecutive_failures` in a row or when the failure rate over the window passes the threshold with enough calls;
     * a failed probe keeps it open for another cooldown. Answers whether the breaker is open now.
     */
    async failed(
      tenantId: string,
      connectionId: string,
      breaker: RouteSettings['breaker'],
      reason: string,
      probe: boolean,
    ): Promise<boolean> {
      const c = countersOf(connectionId);
      c.consecutive++;
      bucket(c.outcomes, 3600)[2]++;
      const since = Math.floor(clock.now().getTime() / 1000) - breaker.window_seconds;
      let ok = 0;
      let failed = 0;
      for (const [second, o, f] of c.outcomes)
        if (second > since) {
          ok += o;
          failed += f;
        }
      const trips =
        probe ||
        c.consecutive >= breaker.consecutive_failures ||
        (ok + failed >= breaker.min_requests && failed / (ok + failed) >= breaker.failure_rate);
      if (!trips) return false;
      c.consecutive = 0;
      c.outcomes.length = 0;
      const probeAt = new Date(clock.now().getTime() + breaker.cooldown_seconds * 1000);
      await change(connectionId, (tx) => openBreaker(tx, tenantId, connectionId, probeAt, reason.slice(0, 500)));
      return true;
    },

    /** The vendor said its window or quota is spent: the provider is skipped by every route until it resets. */
    async limited(
      tenantId: string,
      connectionId: string,
      limit: { until: number; meaning: 'retry_after_reset' | 'quota_exhausted'; scope?: string; reason: string },
    ): Promise<void> {
      await change(connectionId, (tx) =>
        markLimited(tx, tenantId, connectionId, {
          until: new Date(limit.until),
          meaning: limit.meaning,
          scope: limit.scope ?? null,
          reason: limit.reason.slice(0, 500),
        }),
      );
    },

    /** An operator's reset: the breaker closes and the limit mark goes (the vendor decides again on the next call). */
    async reset(connectionId: string): Promise<void> {
      counters.delete(connectionId);
      await change(connectionId, async (tx) => {
        await closeBreaker(tx, connectionId);
        await clearLimit(tx, connectionId);
      });
    },

    /** Count a first attempt toward the retry budget. */
    called(connectionId: string): void {
      bucket(countersOf(connectionId).budget, WINDOW_BUCKETS)[1]++;
    },

    /**
     * Whether a retry fits the budget: retries over the last ten seconds stay within `percent` of the calls, plus one
     * a second (so a quiet provider may still be retried), as Envoy's and tower's retry budgets do; spends it if so.
     */
    retryAllowed(connectionId: string, percent: number): boolean {
      const list = countersOf(connectionId).budget;
      const current = bucket(list, WINDOW_BUCKETS);
      let calls = 0;
      let retries = 0;
      for (const [, c, r] of list) {
        calls += c;
        retries += r;
      }
      if (retries + 1 > WINDOW_BUCKETS + (calls * percent) / 100) return false;
      current[2]++;
      return true;
    },

    statusOf,
    start: cache.start,
    stop: cache.stop,
  };
}

export type ProviderHealth = ReturnType<typeof createProviderHealth>;
