import type { Logger } from 'pino';
import type { Registry } from '../catalog/registry.js';
import { authMethodOf } from '../connections/connector-access.js';
import { resolveRecord } from '../connections/credentials.js';
import type { Outbound } from '../connections/outbound.js';
import type { ConnectionRow } from '../connections/sql.js';
import type { Db } from '../core/db/port.js';
import type { Vault } from '../vault/vault.js';
import { resolveOAuthClient } from './clients.js';
import { createOAuthProtocol, endpointsOf, OAuthRefusal } from './protocol.js';
import { openTokens, type OAuthCredentialRow } from './tokens.js';

export type RevocationOutcome = 'revoked' | 'vendor_refused' | 'unreachable' | 'not_supported' | 'nothing_to_revoke';

export type RevocationReport = {
  outcome: RevocationOutcome;
  /** Tokens sent to the revocation endpoint, and how many the vendor confirmed. */
  tokens: number;
  revoked: number;
  /** The first refusal or failure, as the vendor or the network put it (never a token). */
  detail?: string;
};

/**
 * RFC 7009 revocation before a connection is removed: for every credential of an OAuth connection (the app-level
 * one and each user's), the refresh token first (on most servers that ends the whole grant), then the access token.
 * The outcome goes into the disconnect's audit entry and event; local removal happens whatever the vendor says.
 */
export function createRevoker(deps: { db: Db; vault: Vault; registry: Registry; outbound: Outbound; log: Logger }) {
  // Disconnect waits for this; a vendor that hangs must not hold the request for long.
  const protocol = createOAuthProtocol(deps.outbound, { timeoutMs: 5_000 });

  async function revokeConnection(connection: ConnectionRow): Promise<{ revocation: RevocationReport } | undefined> {
    if (connection.auth_method !== 'oauth2') return undefined;
    const connector = await deps.registry.get(connection.connector_slug);
    if (!connector) return { revocation: { outcome: 'not_supported', tokens: 0, revoked: 0 } };
    const method = authMethodOf(connector.manifest, 'oauth2');
    if (method.type !== 'oauth2' || !method.revocation_url) {
      return { revocation: { outcome: 'not_supported', tokens: 0, revoked: 0 } };
    }
    const { rows } = await deps.db.query<OAuthCredentialRow>(
      'select id, connection_id, user_id, sealed from connection_credentials where connection_id = $1',
      [connection.id],
    );
    const tokens: { token: string; hint: 'access_token' | 'refresh_token' }[] = [];
    for (const row of rows) {
      const stored = await openTokens(deps.db, deps.vault, connection.tenant_id, row);
      if (stored.refresh_token) tokens.push({ token: stored.refresh_token, hint: 'refresh_token' });
      tokens.push({ token: stored.access_token, hint: 'access_token' });
    }
    if (tokens.length === 0) return { revocation: { outcome: 'nothing_to_revoke', tokens: 0, revoked: 0 } };

    let client;
    try {
      client = await resolveOAuthClient(deps.db, deps.vault, connection.tenant_id, connector);
    } catch (error) {
      return {
        revocation: { outcome: 'vendor_refused', tokens: tokens.length, revoked: 0, detail: (error as Error).message },
      };
    }
    const config = await resolveRecord(deps.db, deps.vault, connection.tenant_id, connection.config);
    const endpoints = endpointsOf(method, config);
    let revoked = 0;
    let refused: string | undefined;
    let unreachable: string | undefined;
    for (const { token, hint } of tokens) {
      try {
        await protocol.revoke(method, endpoints, client, token, hint);
        revoked++;
      } catch (error) {
        if (error instanceof OAuthRefusal) refused ??= error.message;
        else unreachable ??= (error as Error).message;
      }
    }
    const outcome: RevocationOutcome =
      revoked === tokens.length ? 'revoked' : unreachable && !refused ? 'unreachable' : 'vendor_refused';
    const detail = refused ?? unreachable;
    if (outcome !== 'revoked') {
      deps.log.warn(
        { connectionId: connection.id, outcome, detail },
        'OAuth token revocation on disconnect did not fully succeed',
      );
    }
    return { revocation: { outcome, tokens: tokens.length, revoked, ...(detail ? { detail } : {}) } };
  }

  return { revokeConnection };
}

export type Revoker = ReturnType<typeof createRevoker>;
