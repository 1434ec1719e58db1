import type { RateLimitHints } from '../../catalog/manifest.js';
import { BlockedAddressError } from '../../core/net/ssrf.js';

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

const errorCode = (error: unknown): string | undefined =>
  (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;

/**
 * Failures to open a connection: nothing of the request left this machine, so even a POST may be sent again.
 * The SSRF guard's refusal is not one of them (it would refuse again).
 */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isConnectError(error: unknown): boolean {
  if (error instanceof BlockedAddressError) return false;
  const code = errorCode(error);
  return code !== undefined && CONNECT_ERRORS.has(code);
}

const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export function isTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return (code !== undefined && TIMEOUT_ERRORS.has(code)) || (error as Error).name === 'TimeoutError';
}

/** A short, tenant-safe description of a network failure (never an internal address: the guard's says a range). */
export function describeNetworkError(error: unknown, host: string): string {
  if (error instanceof BlockedAddressError) return error.message;
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} does not resolve.`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection.`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${host} closed the connection.`;
  if (isTimeout(error)) return `${host} did not answer in time.`;
  return `Could not reach ${host}: ${(error as Error).message}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
