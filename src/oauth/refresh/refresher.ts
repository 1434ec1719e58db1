import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from '../../catalog/registry.js';
import type { Clock } from '../../core/clock.js';
import type { Db, Queryable } from '../../core/db/port.js';
import type { Outbound } from '../../core/net/http-client.js';
import type { Vault } from '../../vault/vault.js';
import {
  classifyFailure,
  isDeadCredential,
  missingCredential,
  parseStoredFailure,
  recordFailure,
  TokenRefreshError,
} from './failures.js';
import { createTokenRequester, type TokenRequester } from './request.js';
import {
  getOAuthCredential,
  openTokens,
  releaseRefreshLease,
  takeRefreshLease,
  touchCredential,
  type OAuthCredentialRow,
} from '../tokens.js';
import type { AccessToken, FreshTokenOptions, TokenSource } from '../../connections/token-source.js';

export type RefresherDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  outbound: Outbound;
  clock: Clock;
  log: Logger;
  /** Tell every node's proxy cache that a connection changed (its state). */
  invalidate(q: Queryable, connectionId: string): Promise<void>;
};

export type RefresherOptions = {
  /** Refresh this long before expiry (SWITCHYARD_OAUTH_REFRESH_MARGIN; at most half the token's lifetime). */
  marginMs?: number;
  /** Refresh credentials not refreshed for this long (SWITCHYARD_OAUTH_IDLE_REFRESH), so refresh tokens stay alive. */
  idleMs?: number;
  /**
   * How long one node holds a credential's refresh lease; a node that dies frees it when it runs out. By default
   * longer than every attempt could take at `timeoutMs`, so a slow answer never meets a second holder.
   */
  leaseMs?: number;
  /** How often a node waiting for another node's refresh re-reads the row. */
  pollMs?: number;
  /** Attempts per refresh when the authorization server is unreachable or answers 5xx, with backoff between. */
  attempts?: number;
  backoffMs?: number;
  /** Consecutive failed refreshes (outages) after which the connection goes to `error`. */
  failureThreshold?: number;
  /** A token refreshed less than this ago is not refreshed again because a vendor refused it. */
  rejectedMinAgeMs?: number;
  /** Per token-endpoint request (SWITCHYARD_OAUTH_REFRESH_TIMEOUT): a refresh request once sent is never resent. */
  timeoutMs?: number;
};

const defaults = {
  marginMs: 5 * 60_000,
  idleMs: 7 * 86_400_000,
  leaseMs: 60_000,
  pollMs: 100,
  attempts: 3,
  backoffMs: 250,
  failureThreshold: 3,
  rejectedMinAgeMs: 10_000,
  timeoutMs: 30_000,
} satisfies Required<RefresherOptions>;

const MAX_CACHED = 10_000;
const TOUCH_EVERY_MS = 60_000;

/** When a credential's token should be refreshed: `margin` before expiry, but never in the first half of its life. */
export function refreshDueAt(
  row: Pick<OAuthCredentialRow, 'expires_at' | 'refreshed_at' | 'updated_at'>,
  marginMs: number,
) {
  if (!row.expires_at) return undefined;
  const expires = row.expires_at.getTime();
  const issued = (row.refreshed_at ?? row.updated_at).getTime();
  return expires - Math.max(0, Math.min(marginMs, (expires - issued) / 2));
}

const versionOf = (row: OAuthCredentialRow) => row.updated_at.getTime();

/**
 * OAuth access tokens for proxied calls, test calls and the background job, refreshed when due. Exactly one refresh
 * at a time per credential across every node: in this process concurrent callers share one promise; across nodes a
 * row lease (`takeRefreshLease`) admits one holder, and the others re-read the row until the holder stored the new
 * tokens (they use those) or gave up (they report its failure). The new tokens — a rotated refresh token above all,
 * since the old one is dead the moment the server answered — are stored in the transaction that releases the
 * lease. Opened tokens are cached in memory by credential id and version, so a call that needs no refresh costs
 * one row read and no decryption.
 */
export function createRefresher(deps: RefresherDeps, options: RefresherOptions = {}) {
  const merged = { ...defaults, ...options };
  const o = {
    ...merged,
    leaseMs: options.leaseMs ?? Math.max(defaults.leaseMs, merged.attempts * merged.timeoutMs + 10_000),
  };
  const node = randomBytes(6).toString('hex');
  const opened = new Map<string, { version: number; token: string }>();
  const inflight = new Map<string, Promise<AccessToken>>();
  const touched = new Map<string, number>();
  const requester: TokenRequester = createTokenRequester(deps, o);

  const now = () => deps.clock.now();
  const isDue = (row: OAuthCredentialRow) => {
    const at = refreshDueAt(row, o.marginMs);
    return at !== undefined && at <= now().getTime();
  };

  function remember<K, V>(map: Map<K, V>, key: K, value: V) {
    if (map.size >= MAX_CACHED && !map.has(key)) map.delete(map.keys().next().value as K);
    map.set(key, value);
  }

  async function open(tenantId: string, row: OAuthCredentialRow): Promise<AccessToken> {
    const version = versionOf(row);
    let cached = opened.get(row.id);
    if (cached?.version !== version) {
      cached = { version, token: (await openTokens(deps.db, deps.vault, tenantId, row)).access_token };
      remember(opened, row.id, cached);
    }
    return {
      access_token: cached.token,
      credential_id: row.id,
      version,
      expires_at: row.expires_at,
      scopes: row.scopes,
    };
  }

  /** `last_used_at`, written at most once a minute per credential and node (it drives no decision here). */
  function noteUse(row: OAuthCredentialRow) {
    const at = Date.now();
    if ((touched.get(row.id) ?? 0) > at - TOUCH_EVERY_MS) return;
    remember(touched, row.id, at);
    touchCredential(deps.db, row.id).catch((error: unknown) =>
      deps.log.warn({ err: error, credentialId: row.id }, 'could not record credential use'),
    );
  }

  /**
   * A valid access token for a connection's credential (app level: `userId` null). Returns the stored one unless it
   * is due, forced or rejected; otherwise refreshes it (or waits for the refresh another caller or node is doing).
   */
  async function freshAccessToken(
    tenantId: string,
    connectionId: string,
    userId: string | null,
    options: FreshTokenOptions = {},
  ): Promise<AccessToken> {
    const row = await getOAuthCredential(deps.db, connectionId, userId);
    if (!row) throw missingCredential(connectionId, userId);
    if (options.trigger !== 'background' && options.trigger !== 'idle') noteUse(row);
    if (userId !== null && isDeadCredential(row)) {
      const failure = parseStoredFailure(row.last_refresh_error) ?? { kind: 'revoked', message: 'refused' };
      throw new TokenRefreshError(failure, { id: connectionId }, true);
    }
    if (options.rejected !== undefined) {
      const age = now().getTime() - (row.refreshed_at ?? row.updated_at).getTime();
      if (versionOf(row) !== options.rejected || age < o.rejectedMinAgeMs) return open(tenantId, row);
    } else if (!options.force && !isDue(row)) {
      return open(tenantId, row);
    }
    let pending = inflight.get(row.id);
    if (!pending) {
      pending = refreshWhenFree(tenantId, row, options).finally(() => inflight.delete(row.id));
      inflight.set(row.id, pending);
    }
    return pending;
  }

  /**
   * Take the lease and refresh, or wait for the node holding it. A token stored after `seen` answers a forced or
   * rejected refresh (it is newer than the one in question) and an expiry refresh when it is not due itself.
   */
  async function refreshWhenFree(tenantId: string, seen: OAuthCredentialRow, options: FreshTokenOptions) {
    const owner = `${node}:${randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + o.leaseMs + 5_000;
    const replaced = (row: OAuthCredentialRow) =>
      versionOf(row) !== versionOf(seen) && (options.force || options.rejected !== undefined || !isDue(row));
    const failedMeanwhile = (row: OAuthCredentialRow) =>
      row.refresh_failures > seen.refresh_failures
        ? new TokenRefreshError(
            parseStoredFailure(row.last_refresh_error) ?? { kind: 'unavailable', message: 'the refresh failed' },
            { id: row.connection_id },
            row.user_id !== null,
          )
        : undefined;
    let current = seen;
    for (;;) {
      if (replaced(current)) return open(tenantId, current);
      const failed = failedMeanwhile(current);
      if (failed) throw failed;
      const leased = await takeRefreshLease(deps.db, current.id, owner, o.leaseMs);
      if (leased) {
        // Re-checked under the lease: the holder before us may have finished between our read and our lease.
        const done = replaced(leased) ? 'replaced' : failedMeanwhile(leased);
        if (done) {
          await releaseRefreshLease(deps.db, leased.id, owner);
          if (done === 'replaced') return open(tenantId, leased);
          throw done;
        }
        return refreshUnderLease(tenantId, leased, owner, options);
      }
      if (Date.now() >= deadline) {
        throw new TokenRefreshError(
          { kind: 'unavailable', message: 'another node has been refreshing this token for too long' },
          { id: seen.connection_id },
          seen.user_id !== null,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, o.pollMs * (0.5 + Math.random())));
      current = (await getOAuthCredential(deps.db, seen.connection_id, seen.user_id)) ?? missing(seen);
    }
  }

  async function refreshUnderLease(
    tenantId: string,
    row: OAuthCredentialRow,
    owner: string,
    options: FreshTokenOptions,
  ): Promise<AccessToken> {
    let context: Awaited<ReturnType<TokenRequester['context']>> | undefined;
    try {
      context = await requester.context(tenantId, row);
      const result = await requester.refresh(
        context,
        row,
        options.trigger ?? (options.rejected !== undefined ? 'rejected' : options.force ? 'manual' : 'expiry'),
      );
      if (result === 'nothing_to_refresh') {
        await releaseRefreshLease(deps.db, row.id, owner);
        return open(tenantId, row);
      }
      const stored = (await getOAuthCredential(deps.db, row.connection_id, row.user_id)) ?? missing(row);
      remember(opened, stored.id, { version: versionOf(stored), token: result.access_token });
      return open(tenantId, stored);
    } catch (error) {
      const failure = classifyFailure(error, row, now());
      if (!failure) {
        await releaseRefreshLease(deps.db, row.id, owner).catch(() => {});
        throw error;
      }
      const recorded = await deps.db.transaction((tx) =>
        recordFailure(tx, {
          row,
          tenantId,
          owner,
          failure,
          threshold: o.failureThreshold,
          invalidate: deps.invalidate,
        }),
      );
      deps.log.warn(
        { connectionId: row.connection_id, credentialId: row.id, failure: failure.kind, failures: recorded.failures },
        `token refresh failed: ${failure.message}`,
      );
      const connection = recorded.connection ?? context?.connection ?? { id: row.connection_id };
      throw new TokenRefreshError(failure, connection, row.user_id !== null);
    }
  }

  /**
   * For the background job: refresh a credential when its token is due (trigger `background`) or when it has not
   * been refreshed for the idle period (`idle`). True when a new token was stored (by this node or another).
   */
  async function refreshIfDue(tenantId: string, connectionId: string, userId: string | null): Promise<boolean> {
    const row = await getOAuthCredential(deps.db, connectionId, userId);
    if (!row) return false;
    const idle = (row.refreshed_at ?? row.updated_at).getTime() < now().getTime() - o.idleMs;
    if (!idle && !isDue(row)) return false;
    const token = await freshAccessToken(
      tenantId,
      connectionId,
      userId,
      idle ? { force: true, trigger: 'idle' } : { trigger: 'background' },
    );
    return token.version !== versionOf(row);
  }

  const tokens: TokenSource = { freshAccessToken };
  return { ...tokens, refreshIfDue, options: o as Readonly<typeof o> };
}

export type Refresher = ReturnType<typeof createRefresher>;

function missing(row: OAuthCredentialRow): never {
  throw missingCredential(row.connection_id, row.user_id);
}
