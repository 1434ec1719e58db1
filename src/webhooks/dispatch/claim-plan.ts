import type { Db } from '../../core/db/port.js';
import {
  claimDeliveries,
  dueEndpoints,
  skipDisabled,
  takeProbe,
  type ClaimedDelivery,
  type ClaimLimit,
  type DueEndpoint,
} from './claim.js';

const MAX_CLAIM_PER_ENDPOINT = 100;

export type ClaimPlanOptions = {
  /** Attempts in flight on this node to one endpoint (1 for an endpoint with FIFO ordering). */
  endpointConcurrency: number;
  leaseMs: number;
};

/**
 * What the dispatcher claims, endpoint by endpoint:
 * - caps attempts in flight per endpoint, so a slow or dead endpoint holds only its own slots;
 * - applies each endpoint's rate limit (per node) and FIFO lanes (one delivery in flight per lane, cluster-wide);
 * - skips an endpoint whose breaker is open or that is throttled, except for one half-open probe.
 *
 * Discovery (which endpoints have due work) costs an index probe per endpoint; it runs when the worker was woken (a
 * notification, the poll, the start). Between, finished attempts free slots and the pass claims more for the
 * endpoints whose last claim came back full (`active`): a busy endpoint is fed without rediscovering every endpoint
 * per attempt. `freed` is called when capacity comes back that no attempt's end announces (a rate-limit token).
 */
export function createClaimPlan(db: Db, options: ClaimPlanOptions, freed: () => void) {
  const perEndpoint = new Map<string, number>();
  const holding = new Set<ClaimedDelivery>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const active = new Map<string, DueEndpoint>();
  // What the last discovery said of each endpoint with work, kept while its attempts run: a FIFO lane opens when
  // its head finishes, which no notification announces, so the finished attempt puts its endpoint back in `active`.
  const known = new Map<string, DueEndpoint>();
  // What the claim in progress asked of each endpoint (one claim at a time: the worker runs one pass at a time).
  const limits = new Map<string, ClaimLimit>();

  async function discover(now: Date): Promise<void> {
    const due = await dueEndpoints(db, now);
    active.clear();
    for (const id of known.keys()) if (!perEndpoint.has(id)) known.delete(id);
    for (const endpoint of due) {
      active.set(endpoint.id, endpoint);
      known.set(endpoint.id, endpoint);
    }
    const disabled = due.filter((e) => !e.enabled).map((e) => e.id);
    if (disabled.length > 0) await skipDisabled(db, disabled, now);
    for (const id of disabled) active.delete(id);
  }

  async function claimLimit(endpoint: DueEndpoint, now: Date, free: number): Promise<ClaimLimit> {
    const busy = perEndpoint.get(endpoint.id) ?? 0;
    const cap = endpoint.ordering === 'endpoint' ? 1 : options.endpointConcurrency;
    // Half-open: one probe, cluster-wide, and only when nothing of this endpoint is in flight here.
    const halfOpen = endpoint.circuit_open_until !== null;
    let limit = halfOpen ? (busy > 0 ? 0 : 1) : Math.min(cap - busy, free, MAX_CLAIM_PER_ENDPOINT);
    if (limit > 0 && endpoint.rate_limit_per_second !== null) limit = takeTokens(endpoint, now, limit);
    if (limit <= 0) return { limit: 0, probe: false };
    if (halfOpen && !(await takeProbe(db, endpoint.id, now, new Date(now.getTime() + options.leaseMs))))
      return { limit: 0, probe: false };
    return { limit, probe: halfOpen };
  }

  /** A token bucket per endpoint (per node): `rate` tokens a second, bursts up to one second's worth. */
  function takeTokens(endpoint: DueEndpoint, now: Date, wanted: number): number {
    const rate = endpoint.rate_limit_per_second as number;
    const bucket = buckets.get(endpoint.id) ?? { tokens: rate, at: now.getTime() };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now.getTime() - bucket.at) / 1000) * rate);
    bucket.at = now.getTime();
    const taken = Math.min(wanted, Math.floor(bucket.tokens));
    bucket.tokens -= taken;
    buckets.set(endpoint.id, bucket);
    if (taken < wanted) {
      // Come back when the next token is there.
      const wait = Math.ceil(((1 - (bucket.tokens % 1)) / rate) * 1000);
      setTimeout(freed, wait).unref();
    }
    return taken;
  }

  /** The endpoint's slot: held while the request is out, and until the outcome is stored unless it may go sooner. */
  function release(delivery: ClaimedDelivery): void {
    if (!holding.delete(delivery)) return;
    const left = (perEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
    if (left > 0) perEndpoint.set(delivery.endpoint_id, left);
    else perEndpoint.delete(delivery.endpoint_id);
    freed();
  }

  return {
    /** Claim up to `free` due deliveries (the worker's `claim`). */
    async claim(free: number, now: Date, woken: boolean): Promise<ClaimedDelivery[]> {
      if (woken) await discover(now);
      limits.clear();
      if (active.size === 0) return [];
      for (const endpoint of shuffle([...active.values()])) {
        if (free <= 0) break;
        const limit = await claimLimit(endpoint, now, free);
        if (limit.limit > 0) {
          limits.set(endpoint.id, limit);
          free -= limit.limit;
        }
      }
      return claimDeliveries(db, limits, now, new Date(now.getTime() + options.leaseMs));
    },
    /** The claim came back: hold each delivery's endpoint slot; answer whether more may be due. */
    claimed(deliveries: ClaimedDelivery[]): boolean {
      const counts = new Map<string, number>();
      for (const d of deliveries) {
        holding.add(d);
        perEndpoint.set(d.endpoint_id, (perEndpoint.get(d.endpoint_id) ?? 0) + 1);
        counts.set(d.endpoint_id, (counts.get(d.endpoint_id) ?? 0) + 1);
      }
      // An endpoint whose claim came back short has nothing more due (until the next discovery); a full claim means
      // more may be due: look again once this pass is done (slots permitting).
      let more = false;
      for (const [id, { limit }] of limits) {
        if ((counts.get(id) ?? 0) < limit) active.delete(id);
        else more = true;
      }
      return more;
    },
    release,
    /** An attempt finished: its slot goes, and a FIFO lane may have opened. */
    settled(delivery: ClaimedDelivery): void {
      release(delivery);
      const endpoint = known.get(delivery.endpoint_id);
      if (endpoint && endpoint.ordering !== 'none') active.set(endpoint.id, endpoint);
    },
    /** Whether an endpoint keeps no order (a success may give its slot back before it is stored). */
    unordered: (endpointId: string): boolean => known.get(endpointId)?.ordering === 'none',
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
