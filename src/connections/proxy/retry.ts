import type { RateLimitHints } from '../../catalog/manifest/manifest.js';

/** Methods whose repetition has the effect of one call (RFC 9110 §9.2.2). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export const BACKOFF_BASE_MS = 200;
export const BACKOFF_CAP_MS = 10_000;

/** Exponential backoff with full jitter (AWS architecture blog): a random wait in [0, min(cap, base·2^n)). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry));
}

/** A rate-limit reset header in the format the manifest declares, as an epoch time in milliseconds. */
export function parseReset(
  value: string | undefined,
  format: NonNullable<RateLimitHints['reset']>['format'],
  now: number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (format === 'http_date') {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : at;
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  switch (format) {
    case 'epoch_seconds':
      return n * 1000;
    case 'epoch_ms':
      return n;
    case 'seconds':
      return now + n * 1000;
    case 'milliseconds':
      return now + n;
  }
}

/** Wait `ms`; with a signal, end early (rejecting with its reason) when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise<void>((resolve) => setTimeout(resolve, ms));
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
