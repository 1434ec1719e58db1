import { z } from 'zod';

/**
 * The one catalogue of error codes. Every error the API answers has a stable `code` from here, an HTTP status and
 * a title; the body is RFC 9457 problem details. Add codes here, never inline elsewhere; `GET /docs/errors`
 * lists them. Codes are snake_case and never renamed once shipped.
 */
export const errorCatalogue = {
  // Request shape
  validation_failed: { status: 400, title: 'The request did not pass validation' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  unsupported_media_type: { status: 415, title: 'The request body has an unsupported content type' },
  body_too_large: { status: 413, title: 'The request body is larger than the limit' },
  route_not_found: { status: 404, title: 'No such endpoint' },
  method_not_allowed: { status: 405, title: 'The endpoint does not support this method' },
  // Identity and access
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'The credentials are not valid' },
  token_expired: { status: 401, title: 'The token has expired' },
  connect_session_invalid: {
    status: 401,
    title: 'The connect session is unknown, has expired or was already used',
  },
  connect_origin_refused: { status: 403, title: 'The page is not on an origin the connect session allows' },
  forbidden: { status: 403, title: 'The caller lacks a required capability' },
  csrf_failed: { status: 403, title: 'The CSRF token is missing or does not match' },
  privilege_escalation: { status: 403, title: 'Cannot grant, or act on, capabilities the caller does not hold' },
  tenant_disabled: { status: 403, title: 'The tenant is disabled' },
  rate_limited: { status: 429, title: 'Too many requests' },
  // Resources
  not_found: { status: 404, title: 'The resource does not exist' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  already_exists: { status: 409, title: 'A resource with this identity already exists' },
  in_use: { status: 409, title: 'The resource is still referenced' },
  // Vault
  master_key_mismatch: { status: 500, title: 'The master key cannot unwrap the stored data keys' },
  secret_reference_invalid: { status: 400, title: 'A secret reference does not name an existing secret' },
  // Outbound requests
  // Policy, not an outage: a non-public address, or a connection string that could point the driver elsewhere (a
  // socket path, several hosts, a parameter that names another destination or reads server files).
  destination_blocked: {
    status: 422,
    title: 'The destination is not allowed: a non-public network address or a connection string the guard refuses',
  },
  // Connectors and connections
  connector_unavailable: { status: 409, title: 'The connector cannot be connected (coming soon or retired)' },
  connector_maintenance: { status: 503, title: 'The connector is temporarily unavailable for maintenance' },
  connection_test_failed: { status: 422, title: 'The connection test failed; nothing was saved' },
  connection_paused: { status: 409, title: 'The connection is paused' },
  connection_unusable: { status: 409, title: 'The connection cannot be used until its credentials are fixed' },
  oauth_flow_required: { status: 400, title: 'This auth method is connected through the OAuth flow' },
  upstream_unreachable: { status: 502, title: 'The vendor could not be reached' },
  upstream_timeout: { status: 504, title: 'The vendor did not answer in time' },
  rate_budget_exhausted: { status: 429, title: 'The vendor rate limit for this connection is used up' },
  capability_not_served: { status: 422, title: "The connection's connector does not serve this capability" },
  oauth_client_missing: { status: 409, title: 'No OAuth app is configured for this connector' },
  oauth_state_invalid: { status: 400, title: 'The authorization flow is unknown, expired or already used' },
  oauth_refused: { status: 400, title: 'The authorization server refused the request' },
  oauth_unavailable: { status: 502, title: 'The authorization server could not be reached' },
  oauth_refresh_unconfirmed: {
    status: 409,
    title: 'A token refresh was sent but its answer was lost; refresh explicitly or reauthorize',
  },
  not_connected: { status: 409, title: 'You have not connected your own account to this connection yet' },
  scope_insufficient: { status: 403, title: 'The connection was not granted a scope this call needs' },
  // Events and outbound webhooks
  event_type_invalid: { status: 422, title: 'The event type is not a registered, active type of this tenant' },
  event_payload_invalid: { status: 422, title: 'The event data does not match its type’s JSON Schema' },
  idempotency_conflict: { status: 409, title: 'The idempotency key was used with a different request' },
  delivery_in_flight: { status: 409, title: 'An attempt of this delivery is in flight' },
  endpoint_disabled: { status: 409, title: 'The webhook endpoint is disabled' },
  time_range_invalid: { status: 422, title: 'The time range is empty, reversed or too fine' },
  replay_too_large: { status: 422, title: 'The replay covers more deliveries than one request may' },
  // Inbound webhooks (POST /hooks/{token})
  signature_invalid: { status: 401, title: 'The webhook signature is missing or does not verify' },
  timestamp_out_of_tolerance: { status: 401, title: 'The webhook timestamp is outside the accepted window' },
  ip_not_allowed: { status: 403, title: 'Requests from this address are not allowed' },
  body_empty: { status: 400, title: 'The request body is empty' },
  body_timeout: { status: 408, title: 'The request body did not arrive in time' },
  inbound_event_not_replayable: { status: 409, title: 'This inbound event cannot be replayed' },
  // Syncs
  schedule_invalid: { status: 422, title: 'The schedule is not a valid cron expression in an IANA time zone' },
  mapping_invalid: { status: 422, title: 'A field mapping names a field the source lacks, or cannot be applied' },
  stream_unknown: { status: 422, title: 'The source has no such stream, table or model' },
  source_unavailable: { status: 422, title: 'The sync source or target could not be read' },
  sync_running: { status: 409, title: 'The sync is running; cancel it or wait for it to finish' },
  sync_disabled: { status: 409, title: 'The sync is disabled' },
  upload_offset_mismatch: { status: 409, title: 'The upload is at another offset; resume from the offset given' },
  range_not_satisfiable: { status: 416, title: 'The requested byte range is outside the file' },
  files_quota_exceeded: { status: 413, title: 'The tenant’s files would pass its storage quota' },
  link_expired: { status: 410, title: 'The shared link has expired' },
  file_unreadable: { status: 422, title: 'The file is not what its format says, or is broken at the place given' },
  import_not_undoable: { status: 409, title: 'This import cannot be undone' },
  // Provider routing
  feature_not_enabled: { status: 403, title: 'The tenant’s subscription does not include this feature' },
  provider_rate_limited: { status: 429, title: 'The provider’s rate limit or quota is used up' },
  queue_deadline_exceeded: { status: 429, title: 'The rate-limit window did not reset before the request’s deadline' },
  providers_unavailable: { status: 503, title: 'No provider of the route could answer' },
  no_data: { status: 404, title: 'No provider has data for this query' },
  // Server
  storage_not_supported: { status: 422, title: 'The connection’s connector has no storage to browse' },
  storage_throttled: {
    status: 429,
    title: 'The storage vendor is throttling this connection; retry after the wait given',
  },
  storage_item_changed: { status: 412, title: 'The file changed at the vendor while it was read' },
  storage_vendor_error: { status: 502, title: 'The storage vendor answered with an error' },
  storage_hash_mismatch: { status: 422, title: 'The downloaded bytes do not match the vendor’s hash' },
  storage_export_too_large: { status: 422, title: 'The vendor-native document is larger than the vendor exports' },

  internal_error: { status: 500, title: 'An unexpected error occurred' },
  not_ready: { status: 503, title: 'The server is not ready' },
  service_unavailable: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export type FieldError = { path: string; message: string };

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

/** The zod schema of a problem body, used for every documented error response in openapi.json. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable `code`.' });

/**
 * An expected failure that becomes a problem response. Throw it from handlers; anything else thrown is
 * unexpected and answers 500 `internal_error` without leaking its message.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string = errorCatalogue[code].title,
    readonly extensions: Record<string, unknown> & { errors?: FieldError[] } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = errorCatalogue[code].status;
  }
}

export function problem(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const entry = errorCatalogue[code];
  return { type: `/docs/errors#${code}`, title: entry.title, status: entry.status, detail, code, ...extensions };
}

export const notFound = (what: string, id: string) => new ApiError('not_found', `${what} ${id} does not exist`);

/** Normalise anything thrown into an Error (graphile's coerceError). */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
