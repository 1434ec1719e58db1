import type { EndUser } from '../connections/identity.js';
import type { Queryable } from '../core/db/port.js';

/**
 * Connect sessions (migration 0016): made by a product's backend for one end user, used by that end user's browser
 * with the token alone. Only the token's SHA-256 is stored.
 */

export type SessionConnector = {
  connector: string;
  scopes?: string[] | undefined;
  /** Config fields the maker set; the end user cannot change them. */
  config?: Record<string, string | number | boolean> | undefined;
};

export type Branding = { name?: string | null; logo_url?: string | null; primary_color?: string | null };

export type ConnectSessionRow = {
  id: string;
  tenant_id: string;
  token_hash: string;
  principal_type: 'api_key' | 'user';
  principal_id: string;
  end_user: EndUser;
  connectors: SessionConnector[];
  tags: string[];
  metadata: Record<string, unknown>;
  allowed_origins: string[];
  branding: Branding;
  reconnect_connection_id: string | null;
  expires_at: Date;
  used_at: Date | null;
  connection_id: string | null;
  created_at: Date;
};

export async function insertSession(
  q: Queryable,
  s: Omit<ConnectSessionRow, 'used_at' | 'connection_id' | 'created_at' | 'expires_at'> & { expiresInSeconds: number },
): Promise<ConnectSessionRow> {
  const { rows } = await q.query<ConnectSessionRow>(
    `insert into connect_sessions (id, tenant_id, token_hash, principal_type, principal_id, end_user, connectors, tags,
       metadata, allowed_origins, branding, reconnect_connection_id, expires_at)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9::jsonb, $10, $11::jsonb, $12,
       now() + ($13::int * interval '1 second'))
     returning *`,
    [
      s.id,
      s.tenant_id,
      s.token_hash,
      s.principal_type,
      s.principal_id,
      JSON.stringify(s.end_user),
      JSON.stringify(s.connectors),
      s.tags,
      JSON.stringify(s.metadata),
      s.allowed_origins,
      JSON.stringify(s.branding),
      s.reconnect_connection_id,
      s.expiresInSeconds,
    ],
  );
  return rows[0] as ConnectSessionRow;
}

export async function sessionByTokenHash(q: Queryable, tokenHash: string): Promise<ConnectSessionRow | undefined> {
  const { rows } = await q.query<ConnectSessionRow>('select * from connect_sessions where token_hash = $1', [
    tokenHash,
  ]);
  return rows[0];
}

export async function getSession(q: Queryable, tenantId: string, id: string): Promise<ConnectSessionRow | undefined> {
  const { rows } = await q.query<ConnectSessionRow>('select * from connect_sessions where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

/** End a session now (revoked by its product): its token stops working at once. */
export async function expireSession(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'update connect_sessions set expires_at = least(expires_at, now()) where tenant_id = $1 and id = $2',
    [tenantId, id],
  );
  return rowCount > 0;
}

/** Sessions ended (used or expired) more than a week ago: nothing reads them any more. */
export async function deleteStaleSessions(q: Queryable): Promise<number> {
  const { rowCount } = await q.query(`delete from connect_sessions where expires_at < now() - interval '7 days'`);
  return rowCount;
}
