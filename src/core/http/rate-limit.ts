import { ApiError } from '../errors.js';

/**
 * Per-caller fixed-window rate limit (requests per minute), kept in this process's memory.
 *
 * Synchronous on purpose: it runs on every request, inside the same hook as authentication, and a plain Map
 * lookup costs far less than @fastify/rate-limit's asynchronous store (measured with bench/api). Only the
 * current window's counts matter, so forgetting idle callers is O(1): when a new minute starts the map is dropped
 * whole. Each node limits independently; with N nodes behind a balancer a caller gets up to N times the limit.
 */
export type RateLimitVerdict = { limit: number; remaining: number; resetSeconds: number };

const WINDOW_MS = 60_000;

export function createRateLimiter(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  let windowStart = Math.floor(now() / WINDOW_MS) * WINDOW_MS;
  let current = new Map<string, number>();

  return {
    /** Count one request for `key`; throws `rate_limited` (with Retry-After) once the limit is exceeded. */
    take(key: string, limit: number): RateLimitVerdict {
      const time = now();
      if (time - windowStart >= WINDOW_MS) {
        windowStart = Math.floor(time / WINDOW_MS) * WINDOW_MS;
        current = new Map();
      }
      const count = (current.get(key) ?? 0) + 1;
      current.set(key, count);
      const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - time) / 1000));
      if (count > limit) {
        throw new ApiError(
          'rate_limited',
          `Rate limit of ${limit} requests per minute exceeded; retry in ${resetSeconds} s.`,
          { limit },
          {
            'retry-after': String(resetSeconds),
            'x-ratelimit-limit': String(limit),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(resetSeconds),
          },
        );
      }
      return { limit, remaining: limit - count, resetSeconds };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
