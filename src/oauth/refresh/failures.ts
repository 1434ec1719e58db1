import { insertSystemAuditEntry } from '../../audit/sql.js';
import { lockConnection, type ConnectionRow, type ConnectionState } from '../../connections/sql.js';
import { transition } from '../../connections/states.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { TestOutcome } from '../../connections/test-call.js';
import { OAuthRefusal, OAuthUnavailable } from '../protocol.js';
import { recordRefreshFailure, type OAuthCredentialRow } from '../tokens.js';
import { TokenUnavailableError } from '../../connections/token-source.js';

/**
 * Why a token refresh failed, in the terms the connection state machine needs:
 * - `revoked`: the server refused the grant (invalid_grant) → `auth_revoked`;
 * - `expired`: the refresh token itself ran out (its known expiry passed, or the server said so), or there is no
 *   refresh token and the access token expired → `auth_expired`;
 * - `refused`: any other refusal (invalid_client, unauthorized_client, no OAuth app) → `error` at once;
 * - `unavailable`: the server could not be reached or answered 5xx → `error` only after several in a row;
 * - `unconfirmed`: a refresh-token request was sent and its answer lost (a timeout, a dropped connection, a gateway's
 *   502 or 504, a node that died waiting): the vendor may have rotated the token, so nothing resends it automatically → `error` at once,
 *   until an explicit refresh or a re-authorization.
 */
export type FailureKind = 'revoked' | 'expired' | 'refused' | 'unavailable' | 'unconfirmed';
export type RefreshFailure = { kind: FailureKind; message: string; vendorStatus?: number; vendorCode?: string };

/** Every reason a failed refresh writes starts so, which is how a later successful refresh knows to undo it. */
export const REFRESH_REASON_PREFIX = 'Token refresh';

const stateFor: Record<FailureKind, ConnectionState> = {
  revoked: 'auth_revoked',
  expired: 'auth_expired',
  refused: 'error',
  unavailable: 'error',
  unconfirmed: 'error',
};

/**
 * A refresh-token request sent whose answer was lost, or one not sent because an earlier one's answer was: with
 * rotating refresh tokens and reuse detection, presenting a token the vendor already consumed revokes the grant.
 */
export class RefreshUnconfirmed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefreshUnconfirmed';
  }
}

/** The failure an error thrown by a refresh attempt stands for; undefined for the unexpected (a bug, the database). */
export function classifyFailure(error: unknown, row: OAuthCredentialRow, now: Date): RefreshFailure | undefined {
  if (error instanceof OAuthRefusal) {
    const described = error.description ? `${error.error}: ${error.description}` : error.error;
    if (error.error !== 'invalid_grant') {
      return { kind: 'refused', message: described, vendorStatus: error.status, vendorCode: error.error };
    }
    const expired =
      (row.refresh_expires_at !== null && row.refresh_expires_at <= now) || /expired/i.test(error.description ?? '');
    return {
      kind: expired ? 'expired' : 'revoked',
      message: described,
      vendorStatus: error.status,
      vendorCode: 'invalid_grant',
    };
  }
  if (error instanceof RefreshUnconfirmed) return { kind: 'unconfirmed', message: error.message };
  if (error instanceof OAuthUnavailable)
    return { kind: 'unavailable', message: error.message, vendorStatus: error.status };
  if (error instanceof ApiError && error.code === 'oauth_client_missing')
    return { kind: 'refused', message: error.detail };
  // The SSRF guard refused the token endpoint: a policy answer that repeats until the config or the allow-list
  // changes, so it is recorded like a refusal, under the guard's own code.
  if (error instanceof ApiError && error.code === 'destination_blocked')
    return { kind: 'refused', message: error.detail, vendorCode: 'destination_blocked' };
  return undefined;
}

/** What a failure is stored as (`last_refresh_error`), so that waiters on other nodes can tell what happened. */
export const storedFailure = (f: RefreshFailure) => `${f.kind}: ${f.message}`;

export function parseStoredFailure(text: string | null): RefreshFailure | undefined {
  const match = /^(revoked|expired|refused|unavailable|unconfirmed): ([\s\S]*)$/.exec(text ?? '');
  return match ? { kind: match[1] as FailureKind, message: match[2] as string } : undefined;
}

/** A user's own credential whose refresh token is known dead: the user has to connect again. */
export function isDeadCredential(row: OAuthCredentialRow): boolean {
  const failure = parseStoredFailure(row.last_refresh_error);
  return row.refresh_failures > 0 && (failure?.kind === 'revoked' || failure?.kind === 'expired');
}

/** The error a refresh failure answers: the proxy passes it on, the test call turns it into an outcome. */
export class TokenRefreshError extends TokenUnavailableError {
  constructor(
    readonly failure: RefreshFailure,
    connection: { id: string; name?: string },
    userLevel: boolean,
  ) {
    const { code, detail, extensions } = describeFailure(failure, connection, userLevel);
    super(code, detail, extensions);
    this.name = 'TokenRefreshError';
  }

  outcome(): TestOutcome {
    const { kind, message, vendorStatus, vendorCode } = this.failure;
    const status = vendorStatus ?? 400;
    switch (kind) {
      case 'revoked':
        return { outcome: 'credential_revoked', status, message: `Token refresh refused: ${message}` };
      case 'expired':
        return { outcome: 'credential_expired', status, message: `Token refresh refused: ${message}` };
      case 'refused':
        return {
          outcome: 'vendor_error',
          status: vendorStatus ?? null,
          vendor_code: vendorCode ?? null,
          message: `Token refresh refused: ${message}`,
        };
      case 'unavailable':
        return { outcome: 'network_error', message: `Token refresh failed: ${message}` };
      case 'unconfirmed':
        return { outcome: 'network_error', message: `Token refresh unconfirmed: ${message}` };
    }
  }
}

export const connectUrl = (connectionId: string) => `/v1/connections/${connectionId}/connect`;

/** No credential to use: at user level the caller has not connected yet; at app level the connection is broken. */
export function missingCredential(connectionId: string, userId: string | null): ApiError {
  if (userId !== null) {
    return new ApiError(
      'not_connected',
      `This connection is per user, and you have not connected your own account yet: open ${connectUrl(connectionId)}.`,
      { connect_url: connectUrl(connectionId) },
    );
  }
  return new ApiError('connection_unusable', 'The connection has no stored OAuth tokens; reauthorize it.');
}

function describeFailure(
  failure: RefreshFailure,
  connection: { id: string; name?: string },
  userLevel: boolean,
): {
  code:
    'not_connected' | 'oauth_unavailable' | 'connection_unusable' | 'destination_blocked' | 'oauth_refresh_unconfirmed';
  detail: string;
  extensions: Record<string, unknown>;
} {
  const name = connection.name ? `"${connection.name}"` : 'this connection';
  if (failure.vendorCode === 'destination_blocked') {
    return { code: 'destination_blocked', detail: failure.message, extensions: {} };
  }
  if (userLevel && (failure.kind === 'revoked' || failure.kind === 'expired')) {
    const what = failure.kind === 'revoked' ? 'was revoked' : 'has expired';
    return {
      code: 'not_connected',
      detail: `Your authorization for ${name} ${what} (${failure.message}); connect your account again.`,
      extensions: { connect_url: connectUrl(connection.id) },
    };
  }
  if (failure.kind === 'unconfirmed') {
    const next = userLevel
      ? `refresh your credential explicitly (POST /v1/connections/${connection.id}/refresh) or connect your account again (${connectUrl(connection.id)})`
      : `refresh it explicitly (POST /v1/connections/${connection.id}/refresh) or reauthorize it`;
    return {
      code: 'oauth_refresh_unconfirmed',
      detail: `The OAuth token of ${name} is not refreshed automatically: ${failure.message}. The vendor may have rotated the refresh token; ${next}.`,
      extensions: userLevel ? { connect_url: connectUrl(connection.id) } : {},
    };
  }
  if (failure.kind === 'unavailable') {
    return {
      code: 'oauth_unavailable',
      detail: `The OAuth token of ${name} could not be refreshed: ${failure.message}.`,
      extensions: {},
    };
  }
  const what =
    failure.kind === 'revoked'
      ? 'the grant was revoked'
      : failure.kind === 'expired'
        ? 'the authorization has expired'
        : 'the authorization server refused';
  return {
    code: 'connection_unusable',
    detail: `The OAuth token of ${name} could not be refreshed: ${what} (${failure.message}); reauthorize the connection.`,
    extensions: {},
  };
}

function reasonFor(failure: RefreshFailure, failures: number, connectionId: string): string {
  switch (failure.kind) {
    case 'revoked':
      return `${REFRESH_REASON_PREFIX} refused: the grant was revoked (${failure.message}); reauthorize.`;
    case 'expired':
      return `${REFRESH_REASON_PREFIX} refused: the authorization has expired (${failure.message}); reauthorize.`;
    case 'refused':
      return failure.vendorCode === 'destination_blocked'
        ? `${REFRESH_REASON_PREFIX} blocked: ${failure.message}`
        : `${REFRESH_REASON_PREFIX} refused by the authorization server: ${failure.message}`;
    case 'unavailable':
      return `${REFRESH_REASON_PREFIX} failed ${failures} times in a row: ${failure.message}`;
    case 'unconfirmed':
      return `${REFRESH_REASON_PREFIX} unconfirmed: ${failure.message}. The vendor may have rotated the refresh token, so it is not sent again automatically; refresh explicitly (POST /v1/connections/${connectionId}/refresh) or reauthorize.`;
  }
}

/**
 * Record a failed refresh (releasing the lease) and, for an app-level credential, move the connection to the
 * state the failure means — at once for a refusal, after `threshold` consecutive outages — with its history entry,
 * `connection.state_changed` event and a system audit entry, in one transaction. A paused connection stays paused
 * (pause is a manual override); one `testing` is left to the test in flight, which records the outcome itself.
 * A user's credential changes no connection state: it is marked dead and audited, and its user connects again.
 */
export async function recordFailure(
  tx: Queryable,
  c: {
    row: OAuthCredentialRow;
    tenantId: string;
    owner: string;
    failure: RefreshFailure;
    threshold: number;
    invalidate(q: Queryable, connectionId: string): Promise<void>;
  },
): Promise<{ failures: number; connection?: ConnectionRow }> {
  const { row, failure } = c;
  const answered = failure.kind !== 'unconfirmed';
  const failures = await recordRefreshFailure(tx, row.id, c.owner, storedFailure(failure), answered);
  // Outages count towards the threshold; an unconfirmed refresh needs someone's decision at once.
  if (failure.kind === 'unavailable' && failures < c.threshold) return { failures };
  const locked = await lockConnection(tx, c.tenantId, row.connection_id);
  if (!locked) return { failures };
  const reason = reasonFor(failure, failures, row.connection_id);
  if (row.user_id !== null) {
    if (failure.kind === 'revoked' || failure.kind === 'expired') {
      await insertSystemAuditEntry(tx, {
        tenantId: c.tenantId,
        action: 'connection.refresh_failed',
        targetType: 'connection',
        targetId: row.connection_id,
        outcome: 'failure',
        diff: { user_id: row.user_id, failure: failure.kind, reason },
      });
    }
    return { failures, connection: locked };
  }
  const to = stateFor[failure.kind];
  if (locked.state === to || locked.state === 'paused' || locked.state === 'testing') {
    return { failures, connection: locked };
  }
  const updated = await transition(tx, locked, to, reason, { type: 'system', id: null });
  await insertSystemAuditEntry(tx, {
    tenantId: c.tenantId,
    action: 'connection.refresh_failed',
    targetType: 'connection',
    targetId: row.connection_id,
    outcome: 'failure',
    diff: { from: locked.state, to, reason, failures },
  });
  await c.invalidate(tx, row.connection_id);
  return { failures, connection: updated };
}

/**
 * After a successful refresh: a connection that a failed refresh had put in `error` is `active` again (seed 003:
 * "refresh succeeds → active"). Other states are someone else's observation and stay.
 */
export async function recoverAfterRefresh(
  tx: Queryable,
  c: { tenantId: string; connectionId: string; invalidate(q: Queryable, connectionId: string): Promise<void> },
): Promise<void> {
  const locked = await lockConnection(tx, c.tenantId, c.connectionId);
  if (!locked || locked.state !== 'error' || !locked.state_reason?.startsWith(REFRESH_REASON_PREFIX)) return;
  await transition(tx, locked, 'active', null, { type: 'system', id: null });
  await insertSystemAuditEntry(tx, {
    tenantId: c.tenantId,
    action: 'connection.refresh',
    targetType: 'connection',
    targetId: c.connectionId,
    outcome: 'success',
    diff: { from: 'error', to: 'active' },
  });
  await c.invalidate(tx, c.connectionId);
}
