import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Registry } from '../../catalog/registry.js';
import { authMethodOf } from '../../connections/connector-access.js';
import { resolveRecord } from '../../connections/credentials.js';
import { getConnection, type ConnectionRow } from '../../connections/sql.js';
import type { Clock } from '../../core/clock.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import type { Outbound } from '../../core/net/http-client.js';
import { publishEvent } from '../../events/publish.js';
import type { Vault } from '../../vault/vault.js';
import { resolveOAuthClient, type ResolvedClient } from '../clients/clients.js';
import {
  createOAuthProtocol,
  endpointsOf,
  OAuthRefusal,
  OAuthUnavailable,
  type Endpoints,
  type TokenSet,
} from '../protocol.js';
import { recoverAfterRefresh, RefreshUnconfirmed } from './failures.js';
import type { RefreshTrigger } from '../../connections/token-source.js';
import { markRefreshSent, openTokens, storeTokens, type OAuthCredentialRow, type StoredTokens } from '../tokens.js';

type Deps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  outbound: Outbound;
  clock: Clock;
  invalidate(q: Queryable, connectionId: string): Promise<void>;
};

export type RefreshContext = {
  connection: ConnectionRow;
  method: OAuth2Method;
  client: ResolvedClient;
  endpoints: Endpoints;
};

/**
 * One refresh, done by the lease holder: the token request, then the new tokens stored — the lease released in the
 * same transaction — with `connection.credentials_refreshed`. For the client-credentials grant a refresh is simply a
 * new token from the client, retried with backoff while the server is unreachable. A refresh-token request is
 * retried only when it provably never left (the connection was not opened) or the server answered 500 or 503
 * (a gateway's 502 or 504 counts as unanswered: the server behind it may have acted): once sent and unanswered,
 * the vendor may have rotated the token (and, with reuse detection, would revoke the whole grant
 * when the old one comes again), so it is marked sent (`markRefreshSent`) and only an explicit refresh resends it.
 * Token values never leave this module except as the returned access token: not in events, logs or the audit log.
 */
export function createTokenRequester(deps: Deps, o: { attempts: number; backoffMs: number; timeoutMs: number }) {
  const protocol = createOAuthProtocol(deps.outbound, { timeoutMs: o.timeoutMs });

  async function context(tenantId: string, row: OAuthCredentialRow): Promise<RefreshContext> {
    const connection = await getConnection(deps.db, tenantId, row.connection_id);
    if (!connection) throw notFound('Connection', row.connection_id);
    const connector = await deps.registry.get(connection.connector_slug);
    if (!connector)
      throw new ApiError('oauth_client_missing', `Connector ${connection.connector_slug} no longer exists.`);
    const method = authMethodOf(connector.manifest, connection.auth_method);
    if (method.type !== 'oauth2') throw new Error(`connection ${connection.id} does not use OAuth`);
    const config = await resolveRecord(deps.db, deps.vault, tenantId, connection.config);
    const client = await resolveOAuthClient(deps.db, deps.vault, tenantId, connector);
    return { connection, method, client, endpoints: endpointsOf(method, config) };
  }

  /** Retries outages only (a refusal is an answer); with `onlyUnsent`, only those where no request reached the server. */
  async function withRetries(request: () => Promise<TokenSet>, onlyUnsent = false): Promise<TokenSet> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (!(error instanceof OAuthUnavailable) || attempt >= o.attempts) throw error;
        if (onlyUnsent && error.answerLost) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, o.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2)),
        );
      }
    }
  }

  /**
   * Refresh a leased credential. 'nothing_to_refresh' when there is no refresh token and the access token is still
   * valid (the caller keeps using it); with no refresh token and an expired access token, an invalid_grant-like
   * refusal (the connection needs reauthorizing).
   */
  async function refresh(
    ctx: RefreshContext,
    row: OAuthCredentialRow,
    trigger: RefreshTrigger,
  ): Promise<TokenSet | 'nothing_to_refresh'> {
    const { method, client, endpoints, connection } = ctx;
    const stored = await openTokens(deps.db, deps.vault, connection.tenant_id, row);
    let tokens: TokenSet;
    if (method.grant === 'client_credentials') {
      const scopes = row.scopes.length ? row.scopes : method.scopes.default;
      tokens = await withRetries(() => protocol.clientCredentials(method, endpoints, client, scopes));
    } else if (stored.refresh_token) {
      const refreshToken = stored.refresh_token;
      // Known to have run out: asking would only earn the invalid_grant the server owes us.
      if (row.refresh_expires_at && row.refresh_expires_at <= deps.clock.now()) {
        throw new OAuthRefusal('invalid_grant', 'the refresh token expired', 400);
      }
      tokens = await refreshOnce(ctx, row, refreshToken, trigger);
    } else {
      if (row.expires_at && row.expires_at <= deps.clock.now()) {
        throw new OAuthRefusal('invalid_grant', 'the access token expired and the vendor issued no refresh token', 400);
      }
      if (trigger === 'manual') {
        throw new ApiError(
          'conflict',
          `${connection.name} has no refresh token: the vendor did not issue one. Reauthorize instead.`,
        );
      }
      // The idle clock restarts: there is nothing to keep alive.
      if (trigger === 'idle')
        await deps.db.query('update connection_credentials set refreshed_at = now() where id = $1', [row.id]);
      return 'nothing_to_refresh';
    }
    await store(connection, row, stored, tokens, trigger);
    return tokens;
  }

  /**
   * The refresh-token request, sent at most once unless it provably never left. A request sent earlier whose answer
   * was never recorded (`refresh_sent_at`) stops automatic refreshes: only a manual refresh sends the token again.
   */
  async function refreshOnce(
    ctx: RefreshContext,
    row: OAuthCredentialRow,
    refreshToken: string,
    trigger: RefreshTrigger,
  ): Promise<TokenSet> {
    if (row.refresh_sent_at && trigger !== 'manual') {
      throw new RefreshUnconfirmed(
        `a refresh request sent at ${row.refresh_sent_at.toISOString()} got no answer Switchyard recorded`,
      );
    }
    await markRefreshSent(deps.db, row.id, row.lease_owner ?? '');
    try {
      return await withRetries(() => protocol.refresh(ctx.method, ctx.endpoints, ctx.client, refreshToken), true);
    } catch (error) {
      if (error instanceof OAuthUnavailable && error.answerLost) {
        throw new RefreshUnconfirmed(`the refresh request was sent, but ${error.message}`);
      }
      throw error;
    }
  }

  async function store(
    connection: ConnectionRow,
    row: OAuthCredentialRow,
    previous: StoredTokens,
    tokens: TokenSet,
    trigger: RefreshTrigger,
  ): Promise<void> {
    const tenantId = connection.tenant_id;
    await deps.db.transaction(async (tx) => {
      // Stores the tokens (a response without a refresh token keeps the old one) and releases the lease.
      await storeTokens(
        tx,
        deps.vault,
        { tenantId, connectionId: connection.id, userId: row.user_id, scopesRequested: row.scopes },
        tokens,
        previous,
      );
      await publishEvent(tx, {
        tenantId,
        type: 'connection.credentials_refreshed',
        data: {
          connection_id: connection.id,
          user_id: row.user_id,
          trigger,
          expires_at: tokens.expires_at?.toISOString() ?? null,
          refresh_token_rotated: tokens.refresh_token !== undefined && tokens.refresh_token !== previous.refresh_token,
        },
      });
      if (row.user_id === null)
        await recoverAfterRefresh(tx, { tenantId, connectionId: connection.id, invalidate: deps.invalidate });
    });
  }

  return { context, refresh };
}

export type TokenRequester = ReturnType<typeof createTokenRequester>;
