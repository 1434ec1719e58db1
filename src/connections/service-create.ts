import { authMethodId, findAuthMethod, type AuthMethod, type OAuth2Method } from '../catalog/manifest/auth.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import { getSystemConnection, type SystemConnectionRow } from '../catalog/sql.js';
import { isUniqueViolation, type Queryable } from '../core/db/port.js';
import { ApiError, type ErrorCode } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Principal } from '../core/principal.js';
import { publishEvent } from '../events/publish.js';
import { assertConnectorCapability, authMethodOf, connectorFor } from './connector-access.js';
import { assertReferencesExist, resolveRecord } from './credentials.js';
import {
  assertNotOAuth,
  stateForOutcome,
  type ClientCredentialsConnect,
  testWith,
  type ConnectionDeps,
  type ConnectionWithOutcome,
} from './service-common.js';
import { insertConnection, insertStateHistory, upsertCredential, type ConnectionRow, getConnection } from './sql.js';
import {
  connectionIdForKey,
  fingerprintOf,
  normalEndUser,
  normalTags,
  type ConnectionIdentity,
  type EndUser,
} from './identity.js';
import { passed } from './test-call.js';
import { actorOf } from './states.js';
import { credentialContext } from '../vault/contexts.js';
import { validateFields } from '../catalog/fields.js';
import { openSystemCredentials } from '../catalog/system-connection.js';

export type CreateInput = {
  connector: string;
  name?: string;
  description?: string;
  auth_method?: string;
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  /** OAuth scopes (client-credentials methods); the manifest's defaults when omitted. */
  scopes?: string[];
  validate: boolean;
  key?: string | undefined;
  end_user?: EndUser | undefined;
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  /** Set by a connect session, never by the API body. */
  connect_session_id?: string | undefined;
};

/** What creating (or importing) a connection can answer besides the common errors: one list for both routes. */
export const createErrors: ErrorCode[] = [
  'conflict',
  'connector_unavailable',
  'connector_maintenance',
  'connection_test_failed',
  'connection_unusable',
  'oauth_flow_required',
  'oauth_client_missing',
  'oauth_refused',
  'oauth_unavailable',
  'destination_blocked',
  'secret_reference_invalid',
  'malformed_json',
];

/** The audit diff of a new connection: what it is and whom it belongs to, never its credentials. */
export const createdAuditDiff = (row: ConnectionRow, extra: Record<string, unknown> = {}) => ({
  connector: row.connector_slug,
  name: row.name,
  state: row.state,
  ...extra,
  ...(row.key ? { key: row.key } : {}),
  ...(row.end_user ? { end_user_id: row.end_user.id } : {}),
});

/** The identity a create stores, with the fingerprint a repeat with the same key is compared by. */
export function identityOf(input: CreateInput): ConnectionIdentity {
  const end_user = normalEndUser(input.end_user);
  const tags = normalTags(input.tags);
  const metadata = input.metadata ?? {};
  const fingerprint = fingerprintOf({
    connector: input.connector,
    auth_method: input.auth_method ?? null,
    config: input.config ?? {},
    name: input.name ?? null,
    end_user,
    tags,
    metadata,
  });
  return {
    key: input.key ?? null,
    end_user,
    tags,
    metadata,
    connect_session_id: input.connect_session_id ?? null,
    create_fingerprint: input.key ? fingerprint : null,
  };
}

/**
 * Idempotent creation: the connection a key already names, when the request repeats the one that made it; a key
 * taken by a different request is a conflict. Undefined when the key is free.
 */
export async function existingForKey(
  q: Queryable,
  tenantId: string,
  identity: ConnectionIdentity,
): Promise<ConnectionRow | undefined> {
  if (!identity.key) return undefined;
  const id = await connectionIdForKey(q, tenantId, identity.key);
  const row = id ? await getConnection(q, tenantId, id) : undefined;
  if (!row) return undefined;
  if (row.create_fingerprint && row.create_fingerprint === identity.create_fingerprint) return row;
  throw new ApiError(
    'conflict',
    `The key "${identity.key}" already names connection ${row.id}, made by a different request (connector, auth method, config, name, end user, tags or metadata differ).`,
    { connection_id: row.id },
  );
}

const pick = (input: CreateInput) => ({
  ...(input.name !== undefined ? { name: input.name } : {}),
  ...(input.description !== undefined ? { description: input.description } : {}),
  ...(input.scopes !== undefined ? { scopes: input.scopes } : {}),
});

/** The OAuth method a create request names (or the connector's default), if it is one. */
function oauthMethodRequested(manifest: Manifest, requested: string | undefined): OAuth2Method | undefined {
  const method = findAuthMethod(manifest.auth, requested);
  return method?.type === 'oauth2' ? method : undefined;
}

/**
 * Where a connection's credentials come from, by the connector's management pattern: `shared` always uses the
 * platform's; `hybrid` uses the tenant's when given, the platform's otherwise; `tenant_template` and `byop` need
 * the tenant's.
 */
async function credentialSource(
  q: Queryable,
  row: { slug: string; management: string },
  manifest: Manifest,
  given: boolean,
): Promise<{ kind: 'tenant' } | { kind: 'system'; system: SystemConnectionRow }> {
  if (row.management === 'shared' || (row.management === 'hybrid' && !given)) {
    if (row.management === 'shared' && given) {
      throw new ApiError('validation_failed', `${manifest.name} uses the platform's credentials; do not send any.`, {
        errors: [{ path: 'body.credentials', message: 'not accepted for a shared connector' }],
      });
    }
    const system = await getSystemConnection(q, row.slug);
    if (!system) {
      throw new ApiError(
        'connection_unusable',
        `${manifest.name} uses platform credentials, but the operator has not configured them yet.`,
      );
    }
    return { kind: 'system', system };
  }
  return { kind: 'tenant' };
}

/**
 * A connection on the platform's credentials uses the auth method those credentials are for, whatever the
 * connector's default: bearer-token credentials sent through an API-key method would authenticate nothing.
 */
function platformAuthMethod(manifest: Manifest, system: SystemConnectionRow, requested: string | undefined) {
  if (requested !== undefined && requested !== system.auth_method) {
    throw new ApiError(
      'validation_failed',
      `${manifest.name} uses the platform's credentials, which are for the "${system.auth_method}" auth method.`,
      { errors: [{ path: 'body.auth_method', message: `must be ${system.auth_method} (the platform's credentials)` }] },
    );
  }
  return authMethodOf(manifest, system.auth_method);
}

export async function createConnection(
  deps: ConnectionDeps,
  principal: Principal,
  input: CreateInput,
  ctx: {
    requestId: string;
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
    /** Called in the transaction, before it commits (the audit entry names the new connection). */
    onCreated?: (row: ConnectionRow) => void;
  },
): Promise<ConnectionWithOutcome & { repeated?: boolean }> {
  const tenantId = principal.tenantId;
  const identity = identityOf(input);
  const { row, manifest, warnings } = await connectorFor(deps.registry, input.connector, 'create');
  assertConnectorCapability(principal, manifest);
  const config = validateFields(manifest.config, input.config ?? {}, 'body.config');
  const given = input.credentials !== undefined && Object.keys(input.credentials).length > 0;
  const oauth = oauthMethodRequested(manifest, input.auth_method);
  if (oauth) {
    // Client credentials need no browser: src/oauth fetches the token with the tenant's or the platform's app.
    if (oauth.grant !== 'client_credentials' || !deps.connectClientCredentials) assertNotOAuth(oauth);
    if (given) {
      throw new ApiError('validation_failed', `${manifest.name} uses an OAuth app, not credentials in the request.`, {
        errors: [{ path: 'body.credentials', message: `register the app with PUT /v1/oauth/clients/${row.slug}` }],
      });
    }
    const earlier = await existingForKey(deps.db, tenantId, identity);
    if (earlier) return { connection: earlier, outcome: null, warnings, repeated: true };
    return sameKeyOnRace(deps.db, tenantId, identity, warnings, () =>
      (deps.connectClientCredentials as ClientCredentialsConnect)(
        principal,
        {
          connector: { row, manifest, warnings },
          method: oauth,
          config,
          ...pick(input),
          validate: input.validate,
          identity,
        },
        ctx,
      ),
    );
  }
  if (input.scopes !== undefined) {
    throw new ApiError('validation_failed', 'Scopes apply to OAuth connections only.', {
      errors: [{ path: 'body.scopes', message: 'not an OAuth auth method' }],
    });
  }
  const source = await credentialSource(deps.db, row, manifest, given);
  const auth =
    source.kind === 'system'
      ? platformAuthMethod(manifest, source.system, input.auth_method)
      : authMethodOf(manifest, input.auth_method);
  assertNotOAuth(auth);
  const credentials =
    source.kind === 'tenant'
      ? (validateFields(auth.fields, input.credentials ?? {}, 'body.credentials') as Record<string, string>)
      : {};
  await assertReferencesExist(deps.db, tenantId, { 'body.config': config, 'body.credentials': credentials });
  const earlier = await existingForKey(deps.db, tenantId, identity);
  if (earlier) return { connection: earlier, outcome: null, warnings, repeated: true };

  const id = newId('conn');
  let outcome = null;
  if (input.validate) {
    // The platform's credentials as stored (never resolved against this tenant's secrets, as at every later use);
    // the tenant's with their secret references resolved.
    const used =
      source.kind === 'system'
        ? ((await openSystemCredentials(deps.db, deps.vault, row.slug)) ?? {})
        : await resolveRecord(deps.db, deps.vault, tenantId, credentials);
    const run = await testWith(deps, tenantId, manifest, auth, config, used);
    outcome = run.outcome;
    if (run.blocked) {
      // Policy, not a failed test: the guard refused the destination before anything was sent.
      throw new ApiError(
        'destination_blocked',
        `The ${manifest.name} test call was not sent: ${'message' in outcome ? outcome.message : ''}`,
        {
          outcome,
        },
      );
    }
    if (!passed(outcome)) {
      throw new ApiError(
        'connection_test_failed',
        `The ${manifest.name} test call failed (${outcome.outcome}): ${'message' in outcome ? outcome.message : ''}`.trim(),
        {
          outcome,
        },
      );
    }
  }
  const insert = ctx.transaction(async (tx) => {
    const created = await insertConnection(tx, {
      id,
      tenant_id: tenantId,
      connector_slug: row.slug,
      name: input.name?.trim() || manifest.name,
      description: input.description ?? '',
      config,
      auth_method: authMethodId(auth),
      credential_source: source.kind,
      level: 'app',
      state: outcome ? 'active' : 'inactive',
      state_reason: outcome ? stateForOutcome(outcome).reason : 'Saved without validation; run a test.',
      vendor_account_id: outcome && passed(outcome) ? outcome.account_id : null,
      vendor_account_name: outcome && passed(outcome) ? outcome.account_name : null,
      scopes_granted: [],
      last_test_at: outcome ? deps.clock.now() : null,
      last_test_outcome: outcome,
      operator_of_record: principal.id,
      identity,
    });
    if (source.kind === 'tenant') await storeCredentials(deps, tx, created, credentials);
    await insertStateHistory(tx, {
      tenantId,
      connectionId: id,
      from: null,
      to: created.state,
      reason: 'created',
      ...actorFields(principal),
    });
    await publishEvent(tx, {
      tenantId,
      type: 'connection.created',
      data: {
        connection_id: id,
        connector: row.slug,
        name: created.name,
        state: created.state,
        vendor_account_id: created.vendor_account_id,
        ...identityEventFields(created),
      },
    });
    ctx.onCreated?.(created);
    return created;
  });
  return sameKeyOnRace(deps.db, tenantId, identity, warnings, async () => ({
    connection: await insert,
    outcome,
    warnings,
  }));
}

/** Two creates with one key at once: the second finds the first's connection, as a later repeat would. */
async function sameKeyOnRace(
  q: Queryable,
  tenantId: string,
  identity: ConnectionIdentity,
  warnings: ConnectionWithOutcome['warnings'],
  create: () => Promise<ConnectionWithOutcome>,
): Promise<ConnectionWithOutcome & { repeated?: boolean }> {
  try {
    return await create();
  } catch (error) {
    const raced = isUniqueViolation(error) ? await existingForKey(q, tenantId, identity) : undefined;
    if (!raced) throw error;
    return { connection: raced, outcome: null, warnings, repeated: true };
  }
}

/** What events about a connection say of whom it belongs to (nothing for a connection without an identity). */
export function identityEventFields(row: Pick<ConnectionRow, 'key' | 'end_user' | 'tags' | 'connect_session_id'>) {
  return {
    ...(row.key ? { key: row.key } : {}),
    ...(row.end_user ? { end_user: row.end_user } : {}),
    ...(row.tags.length ? { tags: row.tags } : {}),
    ...(row.connect_session_id ? { connect_session_id: row.connect_session_id } : {}),
  };
}

export async function storeCredentials(
  deps: Pick<ConnectionDeps, 'vault'>,
  q: Queryable,
  connection: ConnectionRow,
  fields: Record<string, string>,
): Promise<void> {
  await upsertCredential(q, {
    connection_id: connection.id,
    user_id: null,
    seal: (credentialId) =>
      deps.vault.seal(q, connection.tenant_id, credentialContext(connection.id, credentialId), JSON.stringify(fields)),
  });
}

export type UpdateInput = {
  name?: string;
  description?: string;
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  validate: boolean;
};

/**
 * What an edit will store, checked: config merges over the current config; credentials replace the stored ones
 * (rotation). The caller re-tests when either changes and saves only if the test passes.
 */
export function prepareUpdate(
  manifest: Manifest,
  management: string,
  auth: AuthMethod,
  current: ConnectionRow,
  input: UpdateInput,
): { config?: Record<string, unknown>; credentials?: Record<string, string> } {
  const out: { config?: Record<string, unknown>; credentials?: Record<string, string> } = {};
  if (input.config) out.config = validateFields(manifest.config, { ...current.config, ...input.config }, 'body.config');
  if (input.credentials) {
    if (management === 'shared') {
      throw new ApiError('validation_failed', `${manifest.name} uses the platform's credentials.`);
    }
    out.credentials = validateFields(auth.fields, input.credentials, 'body.credentials') as Record<string, string>;
  }
  return out;
}

export const actorFields = (principal: Principal) => {
  const actor = actorOf(principal);
  return { actorType: actor.type, actorId: actor.id };
};
