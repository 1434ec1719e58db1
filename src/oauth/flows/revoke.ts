import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import type { ConnectionDeps } from '../../connections/service-common.js';
import type { ConnectionRow } from '../../connections/sql.js';
import type { Principal } from '../../core/principal.js';
import { writeAudit } from './result.js';
import type { FlowRow } from './sql.js';
import { withTokenResponse } from './store.js';
import type { TokenSet } from '../protocol.js';
import { type RevocationReport, type RevocationTarget, type Revoker } from '../revoke/revoke.js';
import { revocationEndsGrant } from '../revoke/request.js';
import { getOAuthCredential, openTokens, type StoredTokens } from '../tokens.js';

/**
 * Tokens Switchyard stops using are revoked at the vendor (as the manifest's `revocation` says), as on disconnect: the grant a re-authorization
 * (or a user connecting again) replaced, and the tokens a callback exchanged before it failed (the test call, an
 * account switch refused). Two exceptions keep a grant in use alive:
 * - the vendor returned the refresh token already held (or none, which keeps the held one): the "new" grant is the
 *   old one continued, and revoking either side would end it;
 * - the manifest says revoking any token ends the whole grant of the client and user (`revocation.ends_grant`,
 *   Google): the replaced and the new tokens, or the failed callback's and those of another connection of the same
 *   account, are then one grant, and revoking would end the one still in use. They end with it at disconnect.
 */

export type RevokeDeps = { revoker: Pick<Revoker, 'revokeTokens'> };

/** Why nothing was sent, recorded like a revocation outcome. */
function skipped(detail: string): RevocationReport {
  return { outcome: 'skipped', tokens: 0, revoked: 0, detail };
}

function sameGrant(kept: StoredTokens | undefined, tokens: Pick<TokenSet, 'refresh_token' | 'access_token'>) {
  if (!kept) return false;
  if (tokens.refresh_token === undefined)
    return kept.refresh_token !== undefined || kept.access_token === tokens.access_token;
  return kept.refresh_token === tokens.refresh_token;
}

/** After a successful re-authorization or connect: the tokens it replaced, unless they are the grant still in use. */
export async function revokeReplaced(
  deps: RevokeDeps,
  target: RevocationTarget,
  method: OAuth2Method,
  previous: StoredTokens | undefined,
  tokens: TokenSet,
): Promise<RevocationReport | undefined> {
  if (!previous) return undefined;
  if (sameGrant(previous, tokens)) return skipped('the vendor kept the grant: the refresh token is unchanged');
  if (revocationEndsGrant(method)) return skipped('revoking would end the whole grant, the new tokens included');
  return deps.revoker.revokeTokens(target, [previous], 'replaced');
}

/** After a callback failed once the code was exchanged: the tokens it obtained, unless they are a grant in use. */
export async function revokeExchanged(
  deps: RevokeDeps,
  target: RevocationTarget,
  method: OAuth2Method,
  held: StoredTokens | undefined,
  tokens: TokenSet,
): Promise<RevocationReport> {
  if (sameGrant(held, tokens)) return skipped('the vendor returned the grant the connection already holds');
  if (revocationEndsGrant(method)) return skipped('revoking would end the whole grant, which may be in use');
  return deps.revoker.revokeTokens(target, [tokens], 'callback_failed');
}

/** What the callback knows of the flow when it revokes. */
type FlowSide = {
  flow: FlowRow;
  principal: Principal;
  manifest: Manifest;
  method: OAuth2Method;
  /** The connection a re-authorization or a user's connect is for. */
  connection: ConnectionRow | undefined;
};

type CallbackDeps = RevokeDeps & Pick<ConnectionDeps, 'db' | 'vault'>;

function targetOf(c: FlowSide, config: Record<string, unknown>): RevocationTarget {
  return {
    tenantId: c.flow.tenant_id,
    connectorSlug: c.flow.connector_slug,
    config,
    subject: c.flow.connection_id ?? c.flow.id,
  };
}

/**
 * A callback failed after the code exchange: revoke what the exchange returned (at the endpoint the config with the
 * token response's fields names, e.g. a Salesforce instance), unless it is the grant the connection holds.
 */
export async function revokeAfterFailure(
  deps: CallbackDeps,
  c: FlowSide,
  config: Record<string, unknown>,
  tokens: TokenSet,
): Promise<RevocationReport> {
  let held: StoredTokens | undefined;
  if (c.connection) {
    const userId = c.connection.level === 'user' ? c.principal.id : null;
    const row = await getOAuthCredential(deps.db, c.connection.id, userId);
    held = row ? await openTokens(deps.db, deps.vault, c.connection.tenant_id, row) : undefined;
  }
  let completed = config;
  try {
    if (c.flow.purpose !== 'connect_user') completed = withTokenResponse(c.manifest, c.method, config, tokens);
  } catch {
    // A token response whose fields cannot be stored: the config as it was.
  }
  return revokeExchanged(deps, targetOf(c, completed), c.method, held, tokens);
}

/**
 * A re-authorization or connect committed: revoke the tokens it replaced, recorded in an audit entry of its own
 * (`connection.revoke_replaced`, the flow's principal), since the change's entry is already written.
 */
export async function revokeAfterSuccess(
  deps: CallbackDeps,
  c: FlowSide,
  audit: { requestId: string; statusCode: number; connectionId: string },
  done: { previous: StoredTokens | undefined; config: Record<string, unknown> },
  tokens: TokenSet,
): Promise<void> {
  const report = await revokeReplaced(deps, targetOf(c, done.config), c.method, done.previous, tokens);
  if (!report) return;
  await writeAudit(deps.db, c.flow, c.principal, {
    requestId: audit.requestId,
    statusCode: audit.statusCode,
    action: 'connection.revoke_replaced',
    outcome: report.outcome === 'revoked' || report.outcome === 'skipped' ? 'success' : 'failure',
    targetId: audit.connectionId,
    diff: { flow_id: c.flow.id, revocation: report },
  }).catch(() => {});
}
