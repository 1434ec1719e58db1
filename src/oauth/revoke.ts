import type { Logger } from 'pino';
import type { Registry } from '../catalog/registry.js';
import { authMethodOf } from '../connections/connector-access.js';
import { resolveRecord } from '../connections/credentials.js';
import type { Outbound } from '../connections/outbound.js';
import type { ConnectionRow } from '../connections/sql.js';
import type { Db } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import type { Vault } from '../vault/vault.js';
import { resolveOAuthClient } from './clients.js';
import { createOAuthProtocol, endpointsOf, OAuthRefusal } from './protocol.js';
import { openTokens, type OAuthCredentialRow, type StoredTokens } from './tokens.js';

/** `skipped`: not sent on purpose, the tokens being a grant still in use (src/oauth/flows-revoke.ts). */
export type RevocationOutcome =
  | 'revoked'
  | 'vendor_refused'
  | 'unreachable'
  | 'destination_blocked'
  | 'not_supported'
  | 'nothing_to_revoke'
  | 'skipped';

export type RevocationReport = {
  outcome: RevocationOutcome;
  /** Tokens sent to the revocation endpoint, and how many the vendor confirmed. */
  tokens: number;
  revoked: number;
  /** The first refusal or failure, as the vendor or the network put it (never a token). */
  detail?: string;
};

export type TokenToRevoke = { token: string; hint: 'access_token' | 'refresh_token' };

/** Where tokens were issued: the connector (its revocation endpoint and OAuth app) and the config it renders with. */
export type RevocationTarget = {
  tenantId: string;
  connectorSlug: string;
  config: Record<string, unknown>;
  /** For the log line when the vendor did not confirm: a connection id or a flow id. */
  subject: string;
};

/** Why tokens are revoked, for the log line when the vendor did not confirm it. */
export type RevocationReason = 'disconnect' | 'replaced' | 'callback_failed';

/** A token set as RFC 7009 revocation wants it: the refresh token first (on most servers that ends the grant). */
export function tokensToRevoke(tokens: Pick<StoredTokens, 'access_token' | 'refresh_token'>): TokenToRevoke[] {
  return [
    ...(tokens.refresh_token ? [{ token: tokens.refresh_token, hint: 'refresh_token' as const }] : []),
    { token: tokens.access_token, hint: 'access_token' },
  ];
}

/**
 * RFC 7009 revocation of tokens Switchyard stops using: before a connection is removed (every credential, the
 * app-level one and each user's), after a re-authorization replaced a grant, and after a callback that failed once
 * the code was exchanged. The outcome goes into the audit entry and event of the change; the change happens
 * whatever the vendor says.
 */
export function createRevoker(deps: { db: Db; vault: Vault; registry: Registry; outbound: Outbound; log: Logger }) {
  // The caller waits for this; a vendor that hangs must not hold the request for long.
  const protocol = createOAuthProtocol(deps.outbound, { timeoutMs: 5_000 });

  async function revokeTokens(
    target: RevocationTarget,
    tokens: TokenToRevoke[],
    reason: RevocationReason,
  ): Promise<RevocationReport> {
    const connector = await deps.registry.get(target.connectorSlug);
    const method = connector ? authMethodOf(connector.manifest, 'oauth2') : undefined;
    if (!connector || method?.type !== 'oauth2' || !method.revocation_url) {
      return { outcome: 'not_supported', tokens: 0, revoked: 0 };
    }
    if (tokens.length === 0) return { outcome: 'nothing_to_revoke', tokens: 0, revoked: 0 };
    let client;
    try {
      client = await resolveOAuthClient(deps.db, deps.vault, target.tenantId, connector);
    } catch (error) {
      return { outcome: 'vendor_refused', tokens: tokens.length, revoked: 0, detail: (error as Error).message };
    }
    const endpoints = endpointsOf(method, await resolveRecord(deps.db, deps.vault, target.tenantId, target.config));
    let revoked = 0;
    let refused: string | undefined;
    let unreachable: string | undefined;
    let blocked: string | undefined;
    for (const { token, hint } of tokens) {
      try {
        await protocol.revoke(method, endpoints, client, token, hint);
        revoked++;
      } catch (error) {
        if (error instanceof OAuthRefusal) refused ??= error.message;
        else if (error instanceof ApiError && error.code === 'destination_blocked') blocked ??= error.detail;
        else unreachable ??= (error as Error).message;
      }
    }
    const outcome: RevocationOutcome =
      revoked === tokens.length
        ? 'revoked'
        : blocked
          ? 'destination_blocked'
          : unreachable && !refused
            ? 'unreachable'
            : 'vendor_refused';
    const detail = blocked ?? refused ?? unreachable;
    if (outcome !== 'revoked') {
      deps.log.warn(
        { subject: target.subject, reason, outcome, detail },
        'OAuth token revocation did not fully succeed',
      );
    }
    return { outcome, tokens: tokens.length, revoked, ...(detail ? { detail } : {}) };
  }

  async function revokeConnection(connection: ConnectionRow): Promise<{ revocation: RevocationReport } | undefined> {
    if (connection.auth_method !== 'oauth2') return undefined;
    const { rows } = await deps.db.query<OAuthCredentialRow>(
      'select id, connection_id, user_id, sealed from connection_credentials where connection_id = $1',
      [connection.id],
    );
    const tokens: TokenToRevoke[] = [];
    for (const row of rows)
      tokens.push(...tokensToRevoke(await openTokens(deps.db, deps.vault, connection.tenant_id, row)));
    const target = {
      tenantId: connection.tenant_id,
      connectorSlug: connection.connector_slug,
      config: connection.config,
      subject: connection.id,
    };
    return { revocation: await revokeTokens(target, tokens, 'disconnect') };
  }

  return { revokeConnection, revokeTokens };
}

export type Revoker = ReturnType<typeof createRevoker>;
