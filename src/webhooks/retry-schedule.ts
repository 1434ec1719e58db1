import { classifyRequestError } from '../core/net/request-failure.js';
import { parseRetryAfter } from '../core/net/retry-after.js';

/**
 * When to attempt a webhook delivery again, and what an attempt's outcome means. Pure: the dispatcher passes the
 * time and, in tests, the random source.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before each attempt, counted from the previous one: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (the Standard Webhooks / Svix schedule; about 27.5 hours in all). The first entry is the first attempt.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

export type RetryScheduleOptions = {
  /** Delay before attempt n is `delaysMs[n - 1]`; its length is the number of attempts. */
  delaysMs?: readonly number[];
  /** Each delay is moved by up to ± this fraction, so endpoints that failed together do not retry together. */
  jitter?: number;
  /** Uniform in [0, 1); injected for deterministic tests. */
  random?: () => number;
  /** A floor on the delay, e.g. from `Retry-After` or a throttle penalty (see `classifyResponse`). */
  minDelayMs?: number;
};

const scheduleDefaults = {
  delaysMs: DEFAULT_RETRY_DELAYS_MS,
  jitter: 0.2,
  random: Math.random,
  minDelayMs: 0,
} satisfies Required<RetryScheduleOptions>;

/**
 * When attempt `attemptNumber` (1-based; 1 is the first attempt) should run, given that the previous one ended at
 * `now`; `undefined` once the schedule is exhausted, i.e. the delivery has failed for good.
 *
 * @example
 * nextAttemptAt(2, new Date(), { random: () => 0.5 }); // 5 s from now, no jitter at r = 0.5
 */
export function nextAttemptAt(attemptNumber: number, now: Date, options: RetryScheduleOptions = {}): Date | undefined {
  const { delaysMs, jitter, random, minDelayMs } = { ...scheduleDefaults, ...options };
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) throw new RangeError('attemptNumber starts at 1');
  const base = delaysMs[attemptNumber - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 + jitter * (2 * random() - 1)));
  return new Date(now.getTime() + Math.max(jittered, minDelayMs, 0));
}

export type ClassifyOptions = {
  /** Extra wait after 429/502/504 or a timeout when the receiver gave no usable `Retry-After`. */
  throttlePenaltyMs?: number;
  /** `Retry-After` beyond this is clamped: a receiver cannot park a delivery for days. */
  maxRetryAfterMs?: number;
};

const classifyDefaults = {
  throttlePenaltyMs: 30 * SECOND,
  maxRetryAfterMs: HOUR,
} satisfies Required<ClassifyOptions>;

export type AttemptResult = {
  /** The response status, absent when no response arrived. */
  status?: number;
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** What the HTTP client threw, as caught. */
  error?: unknown;
};

/** What the dispatcher does after an attempt. `minDelayMs` is passed on to `nextAttemptAt`. */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'disable_endpoint'; reason: 'gone' }
  | { kind: 'throttle'; reason: 'rate_limited' | 'bad_gateway' | 'gateway_timeout' | 'timeout'; minDelayMs: number }
  | { kind: 'retry'; reason: 'redirect' | 'http_error' | 'network_error'; minDelayMs: number };

/**
 * Classifies one attempt: 2xx delivered; 410 disables the endpoint; 429, 502, 504 and timeouts throttle the
 * endpoint, waiting at least `Retry-After` (clamped) or else the penalty; 3xx is a failure (redirects are never
 * followed: the SSRF guard checked only the first address); anything else is a retryable failure that still honours
 * `Retry-After`.
 */
export function classifyResponse(
  result: AttemptResult,
  now: Date = new Date(),
  options: ClassifyOptions = {},
): AttemptOutcome {
  const { throttlePenaltyMs, maxRetryAfterMs } = { ...classifyDefaults, ...options };
  const { status } = result;
  if (status === undefined) {
    if (classifyRequestError(result.error).kind === 'timeout') {
      return { kind: 'throttle', reason: 'timeout', minDelayMs: throttlePenaltyMs };
    }
    return { kind: 'retry', reason: 'network_error', minDelayMs: 0 };
  }
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'disable_endpoint', reason: 'gone' };
  const honoured = parseRetryAfter(headerValue(result.headers, 'retry-after'), {
    now: now.getTime(),
    maxMs: maxRetryAfterMs,
  });
  const throttleReason = THROTTLE_STATUSES[status];
  if (throttleReason) return { kind: 'throttle', reason: throttleReason, minDelayMs: honoured ?? throttlePenaltyMs };
  const reason = status >= 300 && status < 400 ? 'redirect' : 'http_error';
  return { kind: 'retry', reason, minDelayMs: honoured ?? 0 };
}

const THROTTLE_STATUSES: Partial<Record<number, 'rate_limited' | 'bad_gateway' | 'gateway_timeout'>> = {
  429: 'rate_limited',
  502: 'bad_gateway',
  504: 'gateway_timeout',
};

function headerValue(
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
