import type { RateLimitHints } from '../../catalog/manifest/manifest.js';
import { parseRetryAfter } from '../../core/net/retry-after.js';
import { matchRateSignal, toSignal, type VendorAnswerLike } from './rate-signals.js';
import { parseReset, sleep } from './retry.js';

type Budget = {
  /** Requests the vendor said are left in its window (undefined: it has not said). */
  remaining: number | undefined;
  /** The window's size, to refill `remaining` when the window resets. */
  limit: number | undefined;
  /** When the vendor's window resets (epoch ms). */
  resetAt: number | undefined;
  /** Requests sent and not yet answered: they will spend budget the last response did not count yet. */
  inFlight: number;
};

/** The connection's vendor budget is spent until `retryAfterMs` from now, beyond what the caller may wait. */
export class BudgetExhaustedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('rate budget exhausted');
    this.name = 'BudgetExhaustedError';
  }
}

const empty = (): Budget => ({ remaining: undefined, limit: undefined, resetAt: undefined, inFlight: 0 });

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

const count = (value: string | undefined) => {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number(value);
};

/**
 * A client-side rate budget per connection, fed by the vendor's own rate-limit headers (the manifest's
 * `rate_limit`): after each response it remembers how many requests the vendor says are left and when its window
 * resets; before a request, when nothing is left (counting requests still in flight) and the reset is ahead, the
 * caller waits for the reset if that is soon enough, and is refused otherwise — instead of spending a call the vendor
 * would answer with 429, or worse, count against a penalty.
 *
 * The budget is in memory, per node: several nodes each keep their own view, learnt from the responses they see.
 * The vendor stays the authority (its 429s are retried with its Retry-After); this only avoids calls known to fail.
 */
export function createRateBudget(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  // One entry per connection proxied through this node (with rate-limit hints), a few numbers each.
  const budgets = new Map<string, Budget>();

  /** Milliseconds before a request on `key` may go (0: now). Refills the budget when its window has reset. */
  function waitFor(key: string): number {
    const budget = budgets.get(key);
    if (!budget || budget.remaining === undefined || budget.resetAt === undefined) return 0;
    const t = now();
    if (budget.resetAt <= t) {
      budget.remaining = budget.limit;
      budget.resetAt = undefined;
      return 0;
    }
    return budget.remaining - budget.inFlight > 0 ? 0 : budget.resetAt - t;
  }

  function learn(key: string, hints: RateLimitHints, response: VendorAnswerLike): void {
    const t = now();
    const remaining = hints.remaining ? count(header(response.headers, hints.remaining)) : undefined;
    let resetAt = hints.reset
      ? parseReset(header(response.headers, hints.reset.header), hints.reset.format, t)
      : undefined;
    let left = remaining;
    if (hints.error_statuses.includes(response.status)) {
      const retryAfter = parseRetryAfter(header(response.headers, hints.retry_after), { now: t });
      if (retryAfter !== undefined) {
        left = 0;
        resetAt = t + retryAfter;
      }
    }
    const hit = matchRateSignal(hints, response);
    if (hit && hit.signal.meaning !== 'plan_refused') {
      left = 0;
      resetAt = Math.max(resetAt ?? 0, toSignal(hints, hit, response, t).resetAt);
    }
    if (left === undefined) return;
    let budget = budgets.get(key);
    if (!budget) budgets.set(key, (budget = empty()));
    budget.remaining = left;
    budget.resetAt = resetAt;
    budget.limit = (hints.limit ? count(header(response.headers, hints.limit)) : undefined) ?? budget.limit;
  }

  return {
    waitFor,

    /**
     * Take a place in the budget, waiting for the vendor's window to reset when that is at most `maxWaitMs` away;
     * throws BudgetExhaustedError otherwise. Every acquire is paired with one `release`.
     */
    async acquire(key: string, maxWaitMs: number): Promise<void> {
      for (let wait = waitFor(key); wait > 0; wait = waitFor(key)) {
        if (wait > maxWaitMs) throw new BudgetExhaustedError(wait);
        await sleep(wait);
      }
      let budget = budgets.get(key);
      if (!budget) budgets.set(key, (budget = empty()));
      budget.inFlight++;
    },

    /**
     * The request's answer arrived (or it failed): no longer in flight; learn from the vendor's headers and signals.
     * A status the manifest lists as a rate-limit error with a Retry-After spends the budget until then, and so does
     * a signal of the manifest's `rate_limit.signals` until its reset (its body words only where the body is given).
     */
    release(key: string, hints: RateLimitHints | undefined, response?: VendorAnswerLike): void {
      const budget = budgets.get(key);
      if (budget && budget.inFlight > 0) budget.inFlight--;
      if (hints && response) learn(key, hints, response);
    },

    /** Learn from an answer read whole after its release (a buffered call): its body may carry a signal. */
    learn(key: string, hints: RateLimitHints | undefined, response: VendorAnswerLike): void {
      if (hints) learn(key, hints, response);
    },
  };
}

export type RateBudget = ReturnType<typeof createRateBudget>;
