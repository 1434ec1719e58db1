import { randomBytes } from 'node:crypto';
import type { Auth } from '../../access/authenticate.js';
import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import type { ConnectorRow } from '../../catalog/sql.js';
import { assertConnectorCapability, connectorFor } from '../../connections/connector-access.js';
import { assertReferencesExist, resolveRecord } from '../../connections/credentials.js';
import type { ConnectionDeps } from '../../connections/service-common.js';
import { getConnection, type ConnectionRow } from '../../connections/sql.js';
import { connectionIdForKey, type ConnectionIdentity, type EndUser } from '../../connections/identity.js';
import { identityOf } from '../../connections/service-create.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { newId, sha256Hex } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { resolveOAuthClient, type ResolvedClient } from '../clients/clients.js';
import { assertLevel, oauthMethodOf, requestedScopes, returnTarget, sameScopes } from './input.js';
import { insertFlow, type FlowPurpose, type FlowRow } from './sql.js';
import { secretReferences } from '../../vault/secrets/references.js';
import { assertTokenEndpointAllowed, endpointsOf, type OAuthProtocol } from '../protocol.js';
import type { Revoker } from '../revoke/revoke.js';
import { verifierContext } from '../../vault/contexts.js';
import { validateFields } from '../../catalog/fields.js';

export type OAuthFlowDeps = ConnectionDeps & {
  protocol: OAuthProtocol;
  /** Revokes the tokens a flow replaced or obtained in vain (src/oauth/flows/revoke.ts). */
  revoker: Pick<Revoker, 'revokeTokens'>;
  /** Switchyard's public base URL: the redirect URI and the only origin `return_to` may point at. */
  publicUrl: string;
  auth: Pick<Auth, 'capabilitiesFor'>;
};

export type StartedFlow = {
  authorization_url: string;
  flow_id: string;
  state_expires_at: string;
  redirect_uri: string;
  warnings?: string[];
};

/** The request's transaction (it writes the audit entry with the flow) and a hook that sees the flow in it. */
export type FlowCtx = {
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
  onFlow?: (flow: FlowRow) => void;
};

export const redirectUriOf = (publicUrl: string) => `${publicUrl}/v1/oauth/callback`;

/** What a caller may ask for at the start of a new connection's flow. */
export type AuthorizeInput = {
  connector: string;
  name?: string;
  description?: string;
  config?: Record<string, unknown>;
  scopes?: string[];
  level?: 'app' | 'user';
  return_to?: string;
  key?: string | undefined;
  end_user?: EndUser | undefined;
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  /** Set by a connect session, never by the API body. */
  connect_session_id?: string | undefined;
};

/** `POST /v1/oauth/authorize`: everything is checked before the flow exists, so the vendor is the last step. */
export async function startAuthorizeFlow(
  deps: OAuthFlowDeps,
  principal: Principal,
  input: AuthorizeInput,
  ctx: FlowCtx,
): Promise<StartedFlow> {
  const { row, manifest, warnings } = await connectorFor(deps.registry, input.connector, 'create');
  assertConnectorCapability(principal, manifest);
  const method = browserMethodOf(manifest);
  const level = input.level ?? method.levels[0] ?? 'app';
  assertLevel(manifest, method, level);
  const scopes = requestedScopes(manifest, method, input.scopes);
  const config = validateFields(manifest.config, input.config ?? {}, 'body.config');
  await assertReferencesExist(deps.db, principal.tenantId, { 'body.config': config });
  const returnTo = returnTarget(input.return_to, deps.publicUrl);
  const identity = identityOf({ ...input, validate: true });
  // A key already taken is refused now, before the user consents, rather than at the callback.
  if (identity.key && (await connectionIdForKey(deps.db, principal.tenantId, identity.key))) {
    throw new ApiError('conflict', `The key "${identity.key}" already names a connection.`);
  }
  const started = await beginFlow(deps, ctx, {
    identity,
    principal,
    connector: row,
    method,
    purpose: 'create',
    connectionId: null,
    level,
    name: input.name?.trim() || manifest.name,
    description: input.description ?? '',
    config,
    scopes,
    returnTo,
  });
  return warnings.length ? { ...started, warnings } : started;
}

/**
 * `POST /v1/connections/:id/reauthorize`: new consent for an OAuth connection, with the same scopes or a new set
 * (which needs `edit_scopes` on top of the route's `edit_connection`). At a user-level connection it renews the
 * caller's own credential.
 */
export async function startReauthorizeFlow(
  deps: OAuthFlowDeps,
  principal: Principal,
  connectionId: string,
  input: { scopes?: string[]; return_to?: string; connect_session_id?: string },
  ctx: FlowCtx,
): Promise<StartedFlow> {
  const { connection, connector, manifest, method } = await oauthConnection(deps, principal, connectionId);
  const current = await requestedScopesOf(deps.db, connection.id);
  const scopes = input.scopes ? requestedScopes(manifest, method, input.scopes) : current;
  assertScopeAuthority(principal, current, scopes);
  return beginFlow(deps, ctx, {
    principal,
    connector,
    method,
    purpose: 'reauthorize',
    connectionId: connection.id,
    level: connection.level,
    name: null,
    description: null,
    config: connection.config,
    scopes,
    returnTo: returnTarget(input.return_to, deps.publicUrl),
    ...(input.connect_session_id ? { identity: { connect_session_id: input.connect_session_id } } : {}),
  });
}

/** `POST /v1/connections/:id/connect`: the caller connects their own account to a user-level connection. */
export async function startConnectUserFlow(
  deps: OAuthFlowDeps,
  principal: Principal,
  connectionId: string,
  input: { return_to?: string },
  ctx: FlowCtx,
): Promise<StartedFlow> {
  const { connection, connector, method } = await oauthConnection(deps, principal, connectionId);
  if (connection.level !== 'user') {
    throw new ApiError(
      'conflict',
      'This connection is shared by the whole tenant (app level); there is no personal account to connect. Re-authorize it instead.',
    );
  }
  return beginFlow(deps, ctx, {
    principal,
    connector,
    method,
    purpose: 'connect_user',
    connectionId: connection.id,
    level: 'user',
    name: null,
    description: null,
    config: connection.config,
    scopes: await requestedScopesOf(deps.db, connection.id),
    returnTo: returnTarget(input.return_to, deps.publicUrl),
  });
}

/** A scope set other than the one the connection asks for now is a scope change: `edit_scopes`. */
export function assertScopeAuthority(principal: Principal, current: string[], wanted: string[]): void {
  if (!sameScopes(current, wanted) && !principal.capabilities.has('edit_scopes')) {
    throw new ApiError('forbidden', 'Changing the scopes of a connection needs the "edit_scopes" capability.', {
      missing_capability: 'edit_scopes',
    });
  }
}

export async function requestedScopesOf(q: Queryable, connectionId: string): Promise<string[]> {
  const { rows } = await q.query<{ scopes_requested: string[] }>(
    'select scopes_requested from connections where id = $1',
    [connectionId],
  );
  return rows[0]?.scopes_requested ?? [];
}

/** The authorization-code method of a connector: client-credentials connectors have no browser step. */
function browserMethodOf(manifest: Manifest): OAuth2Method {
  const method = oauthMethodOf(manifest);
  if (method.grant !== 'authorization_code') {
    throw new ApiError(
      'validation_failed',
      `${manifest.name} connects with client credentials, without a browser: create the connection with POST /v1/connections.`,
      { errors: [{ path: 'body.connector', message: 'client-credentials connector' }] },
    );
  }
  return method;
}

async function oauthConnection(deps: OAuthFlowDeps, principal: Principal, connectionId: string) {
  const connection = await getConnection(deps.db, principal.tenantId, connectionId);
  if (!connection) throw notFound('Connection', connectionId);
  if (connection.auth_method !== 'oauth2') {
    throw new ApiError('conflict', 'Only OAuth connections are authorized at the vendor; this one uses credentials.');
  }
  const { row, manifest } = await connectorFor(deps.registry, connection.connector_slug, 'use');
  assertConnectorCapability(principal, manifest);
  const method = oauthMethodOf(manifest);
  if (method.grant !== 'authorization_code') {
    throw new ApiError(
      'conflict',
      `${manifest.name} uses client credentials: there is no consent to renew (its token is fetched again on refresh).`,
    );
  }
  return { connection, connector: row, manifest, method };
}

type FlowSpec = {
  principal: Principal;
  connector: ConnectorRow;
  method: OAuth2Method;
  purpose: FlowPurpose;
  connectionId: string | null;
  level: 'app' | 'user';
  name: string | null;
  description: string | null;
  config: ConnectionRow['config'];
  scopes: string[];
  returnTo: string | null;
  /** What the new connection will say of whom it belongs to; a reauthorization's connect session. */
  identity?: ConnectionIdentity;
};

/**
 * The authorization URL is opened in a browser (history, the vendor's logs): a config value it is rendered from
 * must not be a tenant secret, which would appear there in clear.
 */
function assertNoSecretInBrowserUrl(method: OAuth2Method, config: ConnectionRow['config']): void {
  const template = method.authorization_url ?? '';
  const errors = Object.entries(config)
    .filter(([, value]) => typeof value === 'string' && secretReferences(value).length > 0)
    .filter(([key]) => new RegExp(`\\{\\{\\s*config\\.${key}\\s*\\}\\}`).test(template))
    .map(([key]) => ({
      path: `body.config.${key}`,
      message: 'is part of the authorization URL the browser opens; give the value itself, not a secret reference',
    }));
  if (errors.length) throw new ApiError('validation_failed', `${errors[0]?.path}: ${errors[0]?.message}`, { errors });
}

/**
 * Record the flow and build the vendor's authorization URL. `state` is 32 random bytes handed to the browser
 * only; the flow keeps its SHA-256 and the PKCE verifier sealed in the tenant's vault.
 */
async function beginFlow(deps: OAuthFlowDeps, ctx: FlowCtx, spec: FlowSpec): Promise<StartedFlow> {
  const tenantId = spec.principal.tenantId;
  const client: ResolvedClient = await resolveOAuthClient(deps.db, deps.vault, tenantId, spec.connector);
  assertNoSecretInBrowserUrl(spec.method, spec.config);
  const endpoints = endpointsOf(spec.method, await resolveRecord(deps.db, deps.vault, tenantId, spec.config));
  await assertTokenEndpointAllowed(endpoints, deps.allow);
  const state = randomBytes(32).toString('base64url');
  const pkce = spec.method.pkce ? await deps.protocol.pkce() : undefined;
  const redirectUri = redirectUriOf(deps.publicUrl);
  let authorizationUrl: string;
  try {
    authorizationUrl = deps.protocol.authorizationUrl(spec.method, endpoints, {
      clientId: client.client_id,
      redirectUri,
      state,
      scopes: spec.scopes,
      ...(pkce ? { challenge: pkce.challenge } : {}),
    });
    if (!/^https?:$/.test(new URL(authorizationUrl).protocol)) throw new Error('not http(s)');
  } catch {
    throw new ApiError(
      'validation_failed',
      `The authorization URL of ${spec.connector.manifest.name} is not a valid URL with this configuration.`,
      { errors: [{ path: 'body.config', message: 'the authorization URL built from it is invalid' }] },
    );
  }
  const id = newId('oaf');
  const flow: FlowRow = await ctx.transaction(async (tx) => {
    const inserted = await insertFlow(tx, {
      id,
      state_hash: sha256Hex(state),
      tenant_id: tenantId,
      principal_type: spec.principal.kind,
      principal_id: spec.principal.id,
      connector_slug: spec.connector.slug,
      auth_method: spec.method.type,
      purpose: spec.purpose,
      connection_id: spec.connectionId,
      level: spec.level,
      name: spec.name,
      description: spec.description,
      config: spec.config,
      scopes: spec.scopes,
      code_verifier_sealed: pkce ? await deps.vault.seal(tx, tenantId, verifierContext(id), pkce.verifier) : null,
      redirect_uri: redirectUri,
      return_to: spec.returnTo,
      identity: spec.identity ?? {},
      connect_session_id: spec.identity?.connect_session_id ?? null,
    });
    ctx.onFlow?.(inserted);
    return inserted;
  });
  return {
    authorization_url: authorizationUrl,
    flow_id: flow.id,
    state_expires_at: flow.expires_at.toISOString(),
    redirect_uri: redirectUri,
  };
}
