import type { Logger } from 'pino';
import type { Registry } from '../../catalog/registry.js';
import { authMethodOf } from '../../connections/connector-access.js';
import { resolveRecord } from '../../connections/credentials.js';
import type { ConnectionRow } from '../../connections/sql.js';
import type { Db } from '../../core/db/port.js';
import type { Outbound } from '../../core/net/http-client.js';
import type { Vault } from '../../vault/vault.js';
import { resolveOAuthClient } from '../clients/clients.js';
import type { Refresher } from '../refresh/refresher.js';
import { revocationOf, sendRevocation, tokensOf, type GrantTokens } from './request.js';
import { openTokens, type OAuthCredentialRow } from '../tokens.js';

/** `skipped`: not sent on purpose, the tokens being a grant still in use (src/oauth/flows/revoke.ts). */
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
  /** Revocation requests sent (one per token; one per grant when no token is sent), and how many were confirmed. */
  tokens: number;
  revoked: number;
  /** The first refusal or failure, as the vendor or the network put it (never a token): e.g. a 200 without `ok: true`. */
  detail?: string;
};

export type { GrantTokens, TokenToRevoke } from './request.js';

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

/**
 * Revocation of tokens Switchyard stops using: before a connection is removed (every credential, the app-level one
 * and each user's), after a re-authorization replaced a grant, and after a callback that failed once the code was
 * exchanged. The request is the manifest's style (revocation.ts); a token counts as revoked only when the vendor
 * confirmed it as the manifest's `success` rule says. The outcome goes into the audit entry and event of the change;
 * the change happens whatever the vendor says.
 */
export function createRevoker(deps: {
  db: Db;
  vault: Vault;
  registry: Registry;
  outbound: Outbound;
  log: Logger;
  /**
   * Valid access tokens (refreshed when due): a revocation that sends the access token (Dropbox's token/revoke
   * authenticates with it) would be refused for an expired one, so it gets a fresh one first.
   */
  tokens?: Pick<Refresher, 'freshAccessToken'>;
}) {
  // The caller waits for this; a vendor that hangs must not hold the request for long.
  const timeoutMs = 5_000;

  async function revokeTokens(
    target: RevocationTarget,
    grants: GrantTokens[],
    reason: RevocationReason,
  ): Promise<RevocationReport> {
    const connector = await deps.registry.get(target.connectorSlug);
    const method = connector ? authMethodOf(connector.manifest, 'oauth2') : undefined;
    const plan = method?.type === 'oauth2' ? revocationOf(method) : undefined;
    if (!connector || !plan) return { outcome: 'not_supported', tokens: 0, revoked: 0 };
    const tokens = grants.flatMap((grant) => tokensOf(plan, grant));
    if (tokens.length === 0) return { outcome: 'nothing_to_revoke', tokens: 0, revoked: 0 };
    let client;
    try {
      client = await resolveOAuthClient(deps.db, deps.vault, target.tenantId, connector);
    } catch (error) {
      return { outcome: 'vendor_refused', tokens: tokens.length, revoked: 0, detail: (error as Error).message };
    }
    const config = await resolveRecord(deps.db, deps.vault, target.tenantId, target.config);
    let revoked = 0;
    const first: Partial<Record<'refused' | 'unreachable' | 'blocked', string>> = {};
    for (const token of tokens) {
      const attempt = await sendRevocation(deps.outbound, plan, client, config, token, timeoutMs);
      if (attempt.confirmed) revoked++;
      else first[attempt.failure] ??= attempt.detail;
    }
    const outcome: RevocationOutcome =
      revoked === tokens.length
        ? 'revoked'
        : first.blocked
          ? 'destination_blocked'
          : first.unreachable && !first.refused
            ? 'unreachable'
            : 'vendor_refused';
    const detail = first.blocked ?? first.refused ?? first.unreachable;
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
    const connector = await deps.registry.get(connection.connector_slug);
    const method = connector ? authMethodOf(connector.manifest, 'oauth2') : undefined;
    const plan = method?.type === 'oauth2' ? revocationOf(method) : undefined;
    const grants: GrantTokens[] = [];
    for (const row of rows) {
      const grant: GrantTokens = await openTokens(deps.db, deps.vault, connection.tenant_id, row);
      if (plan && plan.tokens !== 'refresh' && grant.refresh_token && deps.tokens) {
        try {
          const fresh = await deps.tokens.freshAccessToken(connection.tenant_id, connection.id, row.user_id);
          grant.access_token = fresh.access_token;
        } catch (error) {
          // The refresh was refused or failed: revoke with the token held (the vendor's answer is recorded).
          deps.log.warn({ err: error, subject: connection.id }, 'could not refresh the access token to revoke');
        }
      }
      grants.push(grant);
    }
    const target = {
      tenantId: connection.tenant_id,
      connectorSlug: connection.connector_slug,
      config: connection.config,
      subject: connection.id,
    };
    return { revocation: await revokeTokens(target, grants, 'disconnect') };
  }

  return { revokeConnection, revokeTokens };
}

export type Revoker = ReturnType<typeof createRevoker>;
