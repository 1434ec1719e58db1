import { upsertCredential } from '../connections/sql.js';
import type { Queryable } from '../core/db/port.js';
import type { Vault } from '../vault/vault.js';
import type { TokenSet } from './protocol.js';
import { credentialContext } from '../vault/contexts.js';

/**
 * OAuth tokens as stored: one sealed JSON per credential row (`connection_credentials`, app level `user_id` null or
 * one per user), holding `access_token` (what the manifest's `token` template reads), `refresh_token` and
 * `token_type`. Expiry, granted scopes and the refresh bookkeeping are plain columns, so that the background
 * refresher can find what is due without opening anything.
 */
export type StoredTokens = { access_token: string; refresh_token?: string; token_type: string };

export type OAuthCredentialRow = {
  id: string;
  connection_id: string;
  user_id: string | null;
  sealed: string;
  expires_at: Date | null;
  refresh_expires_at: Date | null;
  scopes: string[];
  lease_owner: string | null;
  lease_until: Date | null;
  refreshed_at: Date | null;
  last_used_at: Date | null;
  refresh_failures: number;
  last_refresh_error: string | null;
  /** A refresh-token request was sent and no answer has been recorded since (see `markRefreshSent`). */
  refresh_sent_at: Date | null;
  updated_at: Date;
};

const COLUMNS = `id, connection_id, user_id, sealed, expires_at, refresh_expires_at, scopes, lease_owner, lease_until,
  refreshed_at, last_used_at, refresh_failures, last_refresh_error, refresh_sent_at, updated_at`;

/**
 * Store a token set for a connection's credential (app level: userId null). A response without a refresh token
 * keeps the one stored (RFC 6749 §6: the server may not rotate it). Clears the refresh failure count.
 */
export async function storeTokens(
  q: Queryable,
  vault: Vault,
  c: { tenantId: string; connectionId: string; userId: string | null; scopesRequested: string[] },
  tokens: TokenSet,
  previous?: StoredTokens,
): Promise<{ credentialId: string; scopes: string[] }> {
  const stored: StoredTokens = {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    ...((tokens.refresh_token ?? previous?.refresh_token)
      ? { refresh_token: tokens.refresh_token ?? previous?.refresh_token }
      : {}),
  };
  const scopes = tokens.scope ?? c.scopesRequested;
  const credentialId = await upsertCredential(q, {
    connection_id: c.connectionId,
    user_id: c.userId,
    seal: (id) => vault.seal(q, c.tenantId, credentialContext(c.connectionId, id), JSON.stringify(stored)),
    expires_at: tokens.expires_at ?? null,
    scopes,
  });
  await q.query(
    `update connection_credentials set refreshed_at = now(), refresh_failures = 0, last_refresh_error = null,
       refresh_sent_at = null, lease_owner = null, lease_until = null where id = $1`,
    [credentialId],
  );
  return { credentialId, scopes };
}

export async function openTokens(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  row: Pick<OAuthCredentialRow, 'id' | 'connection_id' | 'sealed'>,
): Promise<StoredTokens> {
  return JSON.parse(
    await vault.open(q, tenantId, credentialContext(row.connection_id, row.id), row.sealed),
  ) as StoredTokens;
}

export async function getOAuthCredential(
  q: Queryable,
  connectionId: string,
  userId: string | null,
): Promise<OAuthCredentialRow | undefined> {
  const { rows } = await q.query<OAuthCredentialRow>(
    `select ${COLUMNS} from connection_credentials where connection_id = $1 and user_id is not distinct from $2`,
    [connectionId, userId],
  );
  return rows[0];
}

/**
 * Take the refresh lease on a credential: at most one holder at a time across every node, until `lease_until`
 * (a holder that dies frees it when the lease runs out). Returns the row as leased, or undefined when another
 * holder has it.
 */
export async function takeRefreshLease(
  q: Queryable,
  credentialId: string,
  owner: string,
  leaseMs: number,
): Promise<OAuthCredentialRow | undefined> {
  const { rows } = await q.query<OAuthCredentialRow>(
    `update connection_credentials set lease_owner = $2, lease_until = now() + ($3::int * interval '1 millisecond')
     where id = $1 and (lease_until is null or lease_until < now() or lease_owner = $2)
     returning ${COLUMNS}`,
    [credentialId, owner, leaseMs],
  );
  return rows[0];
}

export async function releaseRefreshLease(q: Queryable, credentialId: string, owner: string): Promise<void> {
  await q.query(
    'update connection_credentials set lease_owner = null, lease_until = null where id = $1 and lease_owner = $2',
    [credentialId, owner],
  );
}

/**
 * A failed refresh attempt, counted; the lease is released with it. `answered`: the vendor's answer (or the certainty
 * that nothing reached it) settles the request sent, so the sent mark is cleared; otherwise it stays.
 */
export async function recordRefreshFailure(
  q: Queryable,
  credentialId: string,
  owner: string,
  error: string,
  answered: boolean,
): Promise<number> {
  const { rows } = await q.query<{ refresh_failures: number }>(
    `update connection_credentials set refresh_failures = refresh_failures + 1, last_refresh_error = $3,
       refresh_sent_at = case when $4 then null else refresh_sent_at end,
       lease_owner = null, lease_until = null where id = $1 and (lease_owner = $2 or lease_owner is null)
     returning refresh_failures`,
    [credentialId, owner, error.slice(0, 500), answered],
  );
  return rows[0]?.refresh_failures ?? 0;
}

/**
 * Written under the lease just before a refresh-token request leaves, and cleared only when an answer is recorded:
 * a set mark with no lease held means a request whose answer was lost (a timeout, or a node that died waiting).
 * With rotating refresh tokens and reuse detection, sending that token again could revoke the whole grant, so only
 * an explicit refresh does (src/oauth/refresh/request.ts).
 */
export async function markRefreshSent(q: Queryable, credentialId: string, owner: string): Promise<void> {
  await q.query('update connection_credentials set refresh_sent_at = now() where id = $1 and lease_owner = $2', [
    credentialId,
    owner,
  ]);
}

export async function touchCredential(q: Queryable, credentialId: string): Promise<void> {
  await q.query('update connection_credentials set last_used_at = now() where id = $1', [credentialId]);
}
