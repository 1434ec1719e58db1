import type { ConnectionIdentity } from '../../connections/identity.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';

/**
 * Authorization flows between the start (`POST /v1/oauth/authorize`, re-authorization, a user's own connect) and
 * the callback. Only the SHA-256 of `state` is stored; a flow is consumed once, atomically, before anything else
 * happens at the callback, so a replayed or concurrent callback finds nothing.
 */

export type FlowPurpose = 'create' | 'reauthorize' | 'connect_user';

export type FlowRow = {
  id: string;
  state_hash: string;
  tenant_id: string;
  principal_type: 'api_key' | 'user';
  principal_id: string;
  connector_slug: string;
  auth_method: string;
  purpose: FlowPurpose;
  connection_id: string | null;
  level: 'app' | 'user';
  name: string | null;
  description: string | null;
  config: Record<string, unknown>;
  scopes: string[];
  code_verifier_sealed: string | null;
  redirect_uri: string;
  return_to: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
  /** How the callback ended; null while the flow waits (or the callback is still at work). */
  outcome: 'connected' | 'failed' | null;
  result_connection_id: string | null;
  error_code: string | null;
  error_message: string | null;
  finished_at: Date | null;
  /** Whom the connection will belong to (key, end user, tags, metadata, connect session). */
  identity: ConnectionIdentity;
  connect_session_id: string | null;
};

type NewFlow = Omit<
  FlowRow,
  | 'expires_at'
  | 'used_at'
  | 'created_at'
  | 'outcome'
  | 'result_connection_id'
  | 'error_code'
  | 'error_message'
  | 'finished_at'
>;

export const FLOW_TTL_MINUTES = 10;

export async function insertFlow(q: Queryable, f: NewFlow): Promise<FlowRow> {
  const { rows } = await q.query<FlowRow>(
    `insert into oauth_flows (id, state_hash, tenant_id, principal_type, principal_id, connector_slug, auth_method,
       purpose, connection_id, level, name, description, config, scopes, code_verifier_sealed, redirect_uri,
       return_to, expires_at, identity, connect_session_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17,
       now() + ($18::int * interval '1 minute'), $19::jsonb, $20)
     returning *`,
    [
      f.id,
      f.state_hash,
      f.tenant_id,
      f.principal_type,
      f.principal_id,
      f.connector_slug,
      f.auth_method,
      f.purpose,
      f.connection_id,
      f.level,
      f.name,
      f.description,
      JSON.stringify(f.config),
      f.scopes,
      f.code_verifier_sealed,
      f.redirect_uri,
      f.return_to,
      FLOW_TTL_MINUTES,
      JSON.stringify(f.identity),
      f.connect_session_id,
    ],
  );
  return rows[0] as FlowRow;
}

/**
 * Take the flow a callback's state names: unused and unexpired, marked used in the same statement. Two callbacks
 * racing with one state get one row between them; an expired or replayed state gets none.
 */
export async function consumeFlow(q: Queryable, stateHash: string): Promise<FlowRow | undefined> {
  const { rows } = await q.query<FlowRow>(
    `update oauth_flows set used_at = now()
     where state_hash = $1 and used_at is null and expires_at > now()
     returning *`,
    [stateHash],
  );
  return rows[0];
}

/** What a flow's callback ended with: the connection it made or renewed, or the error its page showed. */
export type FlowOutcome =
  { outcome: 'connected'; connectionId: string } | { outcome: 'failed'; code: string; message: string };

export async function recordFlowOutcome(q: Queryable, flowId: string, o: FlowOutcome): Promise<void> {
  await q.query(
    `update oauth_flows set outcome = $2, result_connection_id = $3, error_code = $4, error_message = $5,
       finished_at = now()
     where id = $1`,
    o.outcome === 'connected'
      ? [flowId, o.outcome, o.connectionId, null, null]
      : [flowId, o.outcome, null, o.code, o.message],
  );
}

export async function getFlow(q: Queryable, tenantId: string, id: string): Promise<FlowRow | undefined> {
  const { rows } = await q.query<FlowRow>('select * from oauth_flows where tenant_id = $1 and id = $2', [tenantId, id]);
  return rows[0];
}

/**
 * A connect session is used up by the connection it made or renewed (its token works no more). Its table belongs to
 * src/connect; the flow that completes it marks it here, in the callback's transaction.
 */
export async function useConnectSession(q: Queryable, sessionId: string, connectionId: string): Promise<void> {
  const { rowCount } = await q.query(
    'update connect_sessions set used_at = now(), connection_id = $2 where id = $1 and used_at is null',
    [sessionId, connectionId],
  );
  // Two attempts of one session at once (two popups): the first to finish uses it, the other makes nothing.
  if (rowCount === 0) {
    throw new ApiError('connect_session_invalid', 'This connect session was already used to connect an account.', {
      reason: 'used',
    });
  }
}

/** Flows that ended (used or expired) more than a day ago: nothing reads them any more. */
export async function deleteStaleFlows(q: Queryable): Promise<number> {
  const { rowCount } = await q.query(`delete from oauth_flows where expires_at < now() - interval '1 day'`);
  return rowCount;
}
