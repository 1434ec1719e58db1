import { ApiError } from '../../../core/errors.js';
import { SyncError } from '../../engine/types.js';

/** What a proxy refusal or failure means for a run: a stable code, and whether a later attempt may succeed. */
const FROM_PROXY: Record<string, { code: string; retryable: boolean }> = {
  connection_paused: { code: 'connection_paused', retryable: false },
  connection_unusable: { code: 'connection_unusable', retryable: false },
  not_connected: { code: 'connection_unusable', retryable: false },
  scope_insufficient: { code: 'connection_unusable', retryable: false },
  oauth_unavailable: { code: 'vendor_unavailable', retryable: true },
  oauth_refresh_unconfirmed: { code: 'connection_unusable', retryable: false },
  not_found: { code: 'connection_not_found', retryable: false },
  conflict: { code: 'connection_unusable', retryable: false },
  connector_maintenance: { code: 'connector_maintenance', retryable: true },
  destination_blocked: { code: 'destination_blocked', retryable: false },
  upstream_timeout: { code: 'vendor_timeout', retryable: true },
  upstream_unreachable: { code: 'vendor_unavailable', retryable: true },
  rate_budget_exhausted: { code: 'vendor_rate_limited', retryable: true },
  validation_failed: { code: 'vendor_bad_response', retryable: false },
};

/** A proxy ApiError as the SyncError that ends the run; anything else (a cancellation, a bug) passes unchanged. */
export function toSyncError(error: unknown, what: string): unknown {
  if (!(error instanceof ApiError)) return error;
  const mapped = FROM_PROXY[error.code] ?? { code: error.code, retryable: false };
  return new SyncError(mapped.code, `${what}: ${error.detail}`, mapped.retryable);
}

/** The vendor's own words from an error answer, shortened: a JSON message field when there is one. */
export function vendorMessage(body: Buffer): string {
  const text = body.toString('utf8').slice(0, 2000);
  try {
    const json = JSON.parse(text) as unknown;
    const pick = (v: unknown): string | undefined => {
      if (typeof v === 'string') return v;
      if (Array.isArray(v)) return pick(v[0]);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const said = pick(o.message) ?? pick(o.error) ?? pick(o.errors) ?? pick(o.detail) ?? pick(o.data);
        const code = [o.errorCode, o.code, o.category].find((c) => typeof c === 'string');
        return said && code ? `${said} (${String(code)})` : (said ?? (code as string | undefined));
      }
      return undefined;
    };
    return (pick(json) ?? text).slice(0, 500);
  } catch {
    return text.slice(0, 500);
  }
}

/** A vendor answer that is not a page: the status decides whether the run may try again later. */
export function statusError(status: number, body: Buffer, what: string): SyncError {
  const message = `${what}: the vendor answered ${status}: ${vendorMessage(body)}`;
  if (status === 401 || status === 403) return new SyncError('connection_unusable', message);
  if (status === 429) return new SyncError('vendor_rate_limited', message, true);
  if (status >= 500) return new SyncError('vendor_unavailable', message, true);
  if (status === 408) return new SyncError('vendor_timeout', message, true);
  return new SyncError('vendor_refused', message);
}
