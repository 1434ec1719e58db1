import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../../core/errors.js';

/** Per-call instructions to the proxy, sent as `Switchyard-*` request headers (never forwarded to the vendor). */
export type CallOptions = {
  /** Retries after the first attempt: `Switchyard-Retries`, 0–5, default 2; 0 disables. */
  retries: number;
  /** The caller asked for retries explicitly, which also allows them for POST and PATCH. */
  retriesExplicit: boolean;
  /** Vendor statuses that are retried: `Switchyard-Retry-On: 429,503`, default 429, 500, 502, 503, 504. */
  retryOn: ReadonlySet<number>;
  /** Per attempt, for the vendor's response headers and between body chunks: `Switchyard-Timeout` in seconds. */
  timeoutMs: number;
  /** Scopes the call needs (`Switchyard-Required-Scopes: a b`); refused with scope_insufficient when not granted. */
  requiredScopes: string[];
};

export const MAX_RETRIES = 5;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_ON: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 300_000;

const defaults: CallOptions = {
  retries: DEFAULT_RETRIES,
  retriesExplicit: false,
  retryOn: DEFAULT_RETRY_ON,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  requiredScopes: [],
};

function invalid(header: string, message: string): ApiError {
  return new ApiError('validation_failed', `${header}: ${message}`, {
    errors: [{ path: `headers.${header.toLowerCase()}`, message }],
  });
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** Read the `Switchyard-*` call options; a malformed one answers 400 rather than being ignored. */
export function callOptions(headers: IncomingHttpHeaders): CallOptions {
  const retries = single(headers['switchyard-retries']);
  const retryOn = single(headers['switchyard-retry-on']);
  const timeout = single(headers['switchyard-timeout']);
  const scopes = single(headers['switchyard-required-scopes']);
  if (retries === undefined && retryOn === undefined && timeout === undefined && scopes === undefined) return defaults;
  const out = { ...defaults };
  if (scopes !== undefined) out.requiredScopes = scopes.split(/[\s,]+/).filter(Boolean);
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries.trim()) || Number(retries) > MAX_RETRIES)
      throw invalid('Switchyard-Retries', `a whole number from 0 to ${MAX_RETRIES}`);
    out.retries = Number(retries);
    out.retriesExplicit = true;
  }
  if (retryOn !== undefined) {
    const statuses = retryOn.split(',').map((s) => s.trim());
    if (statuses.some((s) => !/^[45]\d\d$/.test(s)))
      throw invalid('Switchyard-Retry-On', 'a comma-separated list of 4xx and 5xx statuses, e.g. 429,503');
    out.retryOn = new Set(statuses.map(Number));
  }
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!/^\d+(\.\d+)?$/.test(timeout.trim()) || seconds <= 0 || seconds * 1000 > MAX_TIMEOUT_MS)
      throw invalid('Switchyard-Timeout', `seconds, more than 0 and at most ${MAX_TIMEOUT_MS / 1000}`);
    out.timeoutMs = Math.round(seconds * 1000);
  }
  return out;
}
