import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import type { ConnectorRow } from '../../catalog/sql.js';
import { stateForOutcome, type ConnectionDeps } from '../../connections/service-common.js';
import { insertConnection, insertStateHistory, lockConnection, type ConnectionRow } from '../../connections/sql.js';
import type { ConnectionIdentity } from '../../connections/identity.js';
import { identityEventFields } from '../../connections/service-create.js';
import { actorOf, transition } from '../../connections/states.js';
import { passed, type PassedOutcome, type TestOutcome } from '../../connections/test-call.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { publishEvent } from '../../events/publish.js';
import { sameScopes } from './input.js';
import type { TokenSet } from '../protocol.js';
import { getOAuthCredential, openTokens, storeTokens, type StoredTokens } from '../tokens.js';

/**
 * What a completed grant writes: a new OAuth connection (authorization code or client credentials), a renewed one
 * (re-authorization, possibly with new scopes), or one user's own credential under a user-level connection. Each
 * runs in the caller's transaction, with the state history and events that go with it.
 */

type Deps = Pick<ConnectionDeps, 'vault' | 'clock' | 'invalidate'>;

/**
 * Token-response fields the manifest copies into the config (Salesforce's `instance_url`, Stripe's account id).
 * Only fields the connector's form has are copied, and never a value that looks like a template: the vendor must
 * not be able to plant a `{{secrets.NAME}}` reference that would later resolve to one of the tenant's secrets.
 */
export function withTokenResponse(
  manifest: Manifest,
  method: OAuth2Method,
  config: Record<string, unknown>,
  tokens: TokenSet,
): Record<string, unknown> {
  const out = { ...config };
  const keys = new Set(manifest.config.map((f) => f.key));
  for (const [key, field] of Object.entries(method.token_response_config)) {
    const value = tokens.extra[field];
    if (!keys.has(key) || (typeof value !== 'string' && typeof value !== 'number')) continue;
    const text = String(value);
    if (text.includes('{{') || text.length > 2048) {
      throw new ApiError('oauth_refused', `The token response's "${field}" is not a value Switchyard can store.`);
    }
    out[key] = text;
  }
  return out;
}

export async function setRequestedScopes(q: Queryable, connectionId: string, scopes: string[]): Promise<void> {
  await q.query('update connections set scopes_requested = $2, updated_at = now() where id = $1', [
    connectionId,
    scopes,
  ]);
}

export type NewOAuthConnection = {
  id: string;
  principal: Principal;
  connector: ConnectorRow;
  method: OAuth2Method;
  name: string;
  description: string;
  config: Record<string, unknown>;
  level: 'app' | 'user';
  scopes: string[];
  tokens: TokenSet;
  source: 'tenant' | 'system';
  /** The test call's outcome (connected), or null when the connection is saved untested (inactive). */
  outcome: TestOutcome | null;
  /** Whom it belongs to in the embedding product (a key, the end user, tags, metadata, the connect session). */
  identity?: ConnectionIdentity | undefined;
};

/**
 * A new OAuth connection with its first token set: app level, the credential belongs to the tenant (`user_id`
 * null); user level, to the principal who connected (`user_id` = their id).
 */
export async function insertOAuthConnection(deps: Deps, tx: Queryable, c: NewOAuthConnection): Promise<ConnectionRow> {
  const tenantId = c.principal.tenantId;
  const account = c.outcome && passed(c.outcome) ? c.outcome : undefined;
  const created = await insertConnection(tx, {
    id: c.id,
    tenant_id: tenantId,
    connector_slug: c.connector.slug,
    name: c.name,
    description: c.description,
    config: c.config,
    auth_method: c.method.type,
    credential_source: c.source,
    level: c.level,
    state: c.outcome ? 'active' : 'inactive',
    state_reason: c.outcome ? stateForOutcome(c.outcome).reason : 'Saved without validation; run a test.',
    vendor_account_id: account?.account_id ?? null,
    vendor_account_name: account?.account_name ?? null,
    scopes_granted: c.tokens.scope ?? c.scopes,
    last_test_at: c.outcome ? deps.clock.now() : null,
    last_test_outcome: c.outcome,
    operator_of_record: c.principal.id,
    identity: c.identity,
  });
  await setRequestedScopes(tx, c.id, c.scopes);
  const userId = c.level === 'user' ? c.principal.id : null;
  await storeTokens(tx, deps.vault, { tenantId, connectionId: c.id, userId, scopesRequested: c.scopes }, c.tokens);
  const actor = actorOf(c.principal);
  await insertStateHistory(tx, {
    tenantId,
    connectionId: c.id,
    from: null,
    to: created.state,
    reason: 'created',
    actorType: actor.type,
    actorId: actor.id,
  });
  await publishEvent(tx, {
    tenantId,
    type: 'connection.created',
    data: {
      connection_id: c.id,
      connector: c.connector.slug,
      name: created.name,
      state: created.state,
      vendor_account_id: created.vendor_account_id,
      level: c.level,
      scopes_granted: created.scopes_granted,
      ...identityEventFields(created),
    },
  });
  await publishMissingScopes(tx, { tenantId, connection: created, userId }, c.scopes, created.scopes_granted);
  return { ...created, scopes_requested: c.scopes };
}

/**
 * Partial consent: the vendor granted fewer scopes than were asked for (the user unticked some, or an admin policy
 * withheld them). The connection stays usable with what was granted — calls that need a missing scope are refused
 * with `scope_insufficient` — and the gap is published as `connection.scopes_missing` (and shown as
 * `missing_scopes` on an app-level connection).
 */
async function publishMissingScopes(
  tx: Queryable,
  m: { tenantId: string; connection: Pick<ConnectionRow, 'id' | 'connector_slug'>; userId: string | null },
  requested: string[],
  granted: string[],
): Promise<void> {
  const missing = requested.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return;
  await publishEvent(tx, {
    tenantId: m.tenantId,
    type: 'connection.scopes_missing',
    data: {
      connection_id: m.connection.id,
      connector: m.connection.connector_slug,
      user_id: m.userId,
      scopes_requested: requested,
      scopes_granted: granted,
      missing_scopes: missing,
    },
  });
}

/** The credential a flow's principal holds at a connection: the tenant's at app level, their own at user level. */
const credentialUser = (connection: Pick<ConnectionRow, 'level'>, principal: Principal) =>
  connection.level === 'user' ? principal.id : null;

async function previousTokens(deps: Deps, tx: Queryable, connection: ConnectionRow, userId: string | null) {
  const row = await getOAuthCredential(tx, connection.id, userId);
  return row ? openTokens(tx, deps.vault, connection.tenant_id, row) : undefined;
}

/**
 * Re-authorization: the new tokens replace the credential's (a response without a refresh token keeps the one
 * held, which the vendor did not revoke), the requested and granted scopes are updated, and the connection is
 * active again unless an operator paused it. Scope changes are published as `connection.scopes_changed`. Returns the
 * tokens replaced, which the caller revokes once this has committed.
 */
export async function applyReauthorization(
  deps: Deps,
  tx: Queryable,
  r: {
    connectionId: string;
    principal: Principal;
    scopes: string[];
    tokens: TokenSet;
    config: Record<string, unknown>;
    source: 'tenant' | 'system';
    outcome: PassedOutcome;
  },
): Promise<{ connection: ConnectionRow; previous: StoredTokens | undefined }> {
  const locked = await lockConnection(tx, r.principal.tenantId, r.connectionId);
  if (!locked) throw notFound('Connection', r.connectionId);
  const userId = credentialUser(locked, r.principal);
  const previous: StoredTokens | undefined = await previousTokens(deps, tx, locked, userId);
  const { rows } = await tx.query<{ scopes_requested: string[] }>(
    'select scopes_requested from connections where id = $1',
    [locked.id],
  );
  const requestedBefore = rows[0]?.scopes_requested ?? [];
  const { scopes: granted } = await storeTokens(
    tx,
    deps.vault,
    { tenantId: locked.tenant_id, connectionId: locked.id, userId, scopesRequested: r.scopes },
    r.tokens,
    previous,
  );
  await setRequestedScopes(tx, locked.id, r.scopes);
  const paused = locked.state === 'paused';
  const updated = await transition(
    tx,
    locked,
    paused ? 'paused' : 'active',
    paused ? locked.state_reason : stateForOutcome(r.outcome).reason,
    actorOf(r.principal),
    {
      config: r.config,
      credential_source: r.source,
      scopes_granted: granted,
      last_test_at: deps.clock.now(),
      last_test_outcome: r.outcome,
      ...(r.outcome.account_id
        ? { vendor_account_id: r.outcome.account_id, vendor_account_name: r.outcome.account_name }
        : {}),
    },
  );
  if (!sameScopes(requestedBefore, r.scopes) || !sameScopes(locked.scopes_granted, granted)) {
    await publishEvent(tx, {
      tenantId: locked.tenant_id,
      type: 'connection.scopes_changed',
      data: {
        connection_id: locked.id,
        connector: locked.connector_slug,
        scopes_requested: { from: requestedBefore, to: r.scopes },
        scopes_granted: { from: locked.scopes_granted, to: granted },
      },
    });
  }
  await publishMissingScopes(tx, { tenantId: locked.tenant_id, connection: locked, userId }, r.scopes, granted);
  await deps.invalidate(tx, locked.id);
  return { connection: { ...updated, scopes_requested: r.scopes }, previous };
}

/** A user's own credential under a user-level connection (stored, or replaced when they connect again). */
export async function storeUserCredential(
  deps: Deps,
  tx: Queryable,
  u: { connectionId: string; principal: Principal; scopes: string[]; tokens: TokenSet },
): Promise<{ connection: ConnectionRow; scopes: string[]; previous: StoredTokens | undefined }> {
  const locked = await lockConnection(tx, u.principal.tenantId, u.connectionId);
  if (!locked) throw notFound('Connection', u.connectionId);
  const previous = await previousTokens(deps, tx, locked, u.principal.id);
  const { scopes } = await storeTokens(
    tx,
    deps.vault,
    { tenantId: locked.tenant_id, connectionId: locked.id, userId: u.principal.id, scopesRequested: u.scopes },
    u.tokens,
    previous,
  );
  await publishEvent(tx, {
    tenantId: locked.tenant_id,
    type: 'connection.user_connected',
    data: {
      connection_id: locked.id,
      connector: locked.connector_slug,
      user_id: u.principal.id,
      principal_type: u.principal.kind,
      scopes_granted: scopes,
    },
  });
  const missing = { tenantId: locked.tenant_id, connection: locked, userId: u.principal.id };
  await publishMissingScopes(tx, missing, u.scopes, scopes);
  await deps.invalidate(tx, locked.id);
  return { connection: locked, scopes, previous };
}
