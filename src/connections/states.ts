import type { Queryable } from '../core/db/port.js';
import type { Principal } from '../core/principal.js';
import { publishEvent } from '../events/publish.js';
import { insertStateHistory, updateConnection, type ConnectionRow, type ConnectionState } from './sql.js';

/**
 * The connection state machine: seed 003's observed states plus `inactive` (saved without validation) and
 * `testing` (a test call in flight). State is what the platform observed; pause and resume are the only manual
 * overrides. A transition not listed here is a bug and throws.
 */
// `inactive` is also where an untested config or credential change (`validate: false`) puts any unpaused
// connection: what was observed no longer applies to what is stored.
const allowed: Record<ConnectionState, readonly ConnectionState[]> = {
  inactive: ['testing', 'active', 'paused', 'error', 'auth_expired', 'auth_revoked'],
  testing: ['active', 'inactive', 'paused', 'error', 'auth_expired', 'auth_revoked'],
  active: ['testing', 'inactive', 'active', 'paused', 'error', 'auth_expired', 'auth_revoked'],
  paused: ['testing', 'active', 'error', 'auth_expired', 'auth_revoked'],
  auth_expired: ['testing', 'inactive', 'active', 'paused', 'error', 'auth_revoked'],
  auth_revoked: ['testing', 'inactive', 'active', 'paused', 'error'],
  error: ['testing', 'inactive', 'active', 'paused', 'error', 'auth_expired', 'auth_revoked'],
};

export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return allowed[from].includes(to);
}

export type Actor = { type: 'user' | 'api_key' | 'system'; id: string | null };

export const actorOf = (principal: Principal | undefined): Actor =>
  principal ? { type: principal.kind, id: principal.id } : { type: 'system', id: null };

/**
 * Move a (locked) connection to a new state in the caller's transaction: the row, a history entry and — unless
 * only the `testing` marker changes — a `connection.state_changed` event commit together.
 */
export async function transition(
  q: Queryable,
  connection: ConnectionRow,
  to: ConnectionState,
  reason: string | null,
  actor: Actor,
  extra: Parameters<typeof updateConnection>[2] = {},
  /** Leaving `testing`: the state before the test, which the event reports as `from` (no event if unchanged). */
  before?: ConnectionState,
): Promise<ConnectionRow> {
  const from = connection.state;
  if (from !== to && !canTransition(from, to))
    throw new Error(`connection ${connection.id}: ${from} -> ${to} is not allowed`);
  const row = await updateConnection(q, connection.id, { ...extra, state: to, state_reason: reason });
  if (from === to) return row;
  await insertStateHistory(q, {
    tenantId: connection.tenant_id,
    connectionId: connection.id,
    from,
    to,
    reason,
    actorType: actor.type,
    actorId: actor.id,
  });
  const reported = from === 'testing' && before ? before : from;
  if (to !== 'testing' && reported !== to) {
    await publishEvent(q, {
      tenantId: connection.tenant_id,
      type: 'connection.state_changed',
      data: { connection_id: connection.id, connector: connection.connector_slug, from: reported, to, reason },
    });
  }
  return row;
}
