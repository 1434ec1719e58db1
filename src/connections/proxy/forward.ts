import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RateLimitHints } from '../../catalog/manifest/manifest.js';
import { classifyRequestError, type RequestFailure } from '../../core/net/request-failure.js';
import { parseRetryAfter } from '../../core/net/retry-after.js';
import type { RateBudget } from './rate-budget.js';
import { backoffMs, parseReset, sleep } from './retry.js';

export type VendorResponse = Dispatcher.ResponseData;

/** One proxied call as it will be attempted: where, what, and when to try again. */
export type ForwardPlan = {
  dispatcher: Dispatcher;
  origin: string;
  method: Dispatcher.HttpMethod;
  /** Path and query for each attempt, and its headers (authentication that signs each call runs per attempt). */
  prepare():
    | Promise<{ path: string; headers: Record<string, string | string[]> }>
    | {
        path: string;
        headers: Record<string, string | string[]>;
      };
  body: Buffer | AsyncIterable<Buffer> | undefined;
  timeoutMs: number;
  /** Retries allowed after the first attempt (0 for a streamed body). */
  retries: number;
  /** Retry on the statuses in `retryOn` and on network errors (idempotent methods, or asked for explicitly). */
  retryResponses: boolean;
  retryOn: ReadonlySet<number>;
  /** The longest single wait (backoff, Retry-After, budget reset) worth making; beyond it the answer stands. */
  maxWaitMs: number;
  budget: { store: RateBudget; key: string; hints: RateLimitHints } | undefined;
  /** Aborts the request in flight and any wait between attempts (a sync run cancelled). */
  signal?: AbortSignal;
};

/** The call failed without a response to pass on; `retries` were made before giving up. */
export class ForwardError extends Error {
  constructor(
    readonly error: unknown,
    readonly retries: number,
  ) {
    super((error as Error).message);
    this.name = 'ForwardError';
  }
}

/** The first value of a header that may have been sent more than once. */
export const firstValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * How long to wait before retrying a response: the vendor's Retry-After when given; for a rate-limit status, the
 * manifest's reset header; otherwise exponential backoff with full jitter.
 */
export function waitBeforeRetry(response: VendorResponse, retry: number, hints: RateLimitHints | undefined): number {
  const now = Date.now();
  const retryAfter = parseRetryAfter(firstValue(response.headers[hints?.retry_after ?? 'retry-after']), { now });
  if (retryAfter !== undefined) return retryAfter;
  if (hints?.reset && hints.error_statuses.includes(response.statusCode)) {
    const resetAt = parseReset(firstValue(response.headers[hints.reset.header.toLowerCase()]), hints.reset.format, now);
    if (resetAt !== undefined) return Math.max(0, resetAt - now);
  }
  return backoffMs(retry);
}

/**
 * Send the call, retrying what may be retried: connection failures before anything was sent (any method), and —
 * for idempotent methods or when the caller asked — network errors and the retryable statuses. A retried response's
 * body is discarded; the last response is returned with its body unread, to be streamed to the caller.
 */
export async function forward(plan: ForwardPlan): Promise<{ response: VendorResponse; retries: number }> {
  const budget = plan.budget;
  for (let retries = 0; ; retries++) {
    plan.signal?.throwIfAborted();
    if (budget) await budget.store.acquire(budget.key, plan.maxWaitMs);
    let response: VendorResponse;
    try {
      const { path, headers } = await plan.prepare();
      response = await plan.dispatcher.request({
        origin: plan.origin,
        path,
        method: plan.method,
        headers,
        // undici sends async iterables as chunked bodies (documented), though its request() types list Readable only.
        body: (plan.body ?? null) as Buffer | Readable | null,
        headersTimeout: plan.timeoutMs,
        bodyTimeout: plan.timeoutMs,
        ...(plan.signal ? { signal: plan.signal } : {}),
      });
    } catch (error) {
      budget?.store.release(budget.key, budget.hints);
      if (retries >= plan.retries || !mayRetry(classifyRequestError(error), plan.retryResponses)) {
        throw new ForwardError(error, retries);
      }
      await sleep(Math.min(backoffMs(retries), plan.maxWaitMs), plan.signal);
      continue;
    }
    budget?.store.release(budget.key, budget.hints, { status: response.statusCode, headers: response.headers });
    if (retries >= plan.retries || !plan.retryResponses || !plan.retryOn.has(response.statusCode)) {
      return { response, retries };
    }
    const wait = Math.max(
      waitBeforeRetry(response, retries, budget?.hints),
      budget ? budget.store.waitFor(budget.key) : 0,
    );
    if (wait > plan.maxWaitMs) return { response, retries };
    await response.body.dump();
    await sleep(wait, plan.signal);
  }
}

/**
 * A connection that never opened may be tried again whatever the method: nothing of the request left this machine
 * (but the guard and a TLS handshake would refuse the same way again). Once sent, only when the caller allowed it
 * (an idempotent method, or asked), and not after a timeout: the caller's timeout is what it is prepared to wait for
 * an answer. Refusals of ours (the guard, a body limit, a missing secret) and cancellations are never retried.
 */
function mayRetry(failure: RequestFailure, retryResponses: boolean): boolean {
  if (!failure.sent) return failure.kind === 'dns' || failure.kind === 'connect' || failure.kind === 'timeout';
  return retryResponses && (failure.kind === 'reset' || failure.kind === 'network');
}
