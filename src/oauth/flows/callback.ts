import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import type { ConnectorRow } from '../../catalog/sql.js';
import { assertConnectorCapability, authMethodOf, connectorFor } from '../../connections/connector-access.js';
import { resolveRecord } from '../../connections/credentials.js';
import { consentNeeded, testWith } from '../../connections/service-common.js';
import { getConnection, type ConnectionRow } from '../../connections/sql.js';
import { passed, type PassedOutcome } from '../../connections/test-call.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { newId, sha256Hex } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { resolveOAuthClient } from '../clients/clients.js';
import { principalOfFlow } from './actor.js';
import { consumeFlow, recordFlowOutcome, useConnectSession, type FlowRow } from './sql.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { publishEvent } from '../../events/publish.js';
import { identityEventFields } from '../../connections/service-create.js';
import { assertScopeAuthority, requestedScopesOf, type OAuthFlowDeps } from './start.js';
import { failure, writeAudit, type CallbackFailed } from './result.js';
import { applyReauthorization, insertOAuthConnection, storeUserCredential, withTokenResponse } from './store.js';
import { revokeAfterFailure, revokeAfterSuccess } from './revoke.js';
import { endpointsOf, OAuthRefusal, type TokenSet } from '../protocol.js';
import type { RevocationReport } from '../revoke/revoke.js';
import type { StoredTokens } from '../tokens.js';
import { verifierContext } from '../../vault/contexts.js';

/**
 * The end of an authorization flow (`GET /v1/oauth/callback`). The flow is consumed first, atomically, so a state
 * works once; then the vendor's answer is checked, the code exchanged (with the PKCE verifier), and the connector's
 * test call run with the fresh access token. Only when that test reports `connected` is anything stored — the new
 * connection, the renewed credential or the user's own — together with its audit entry, acting as the principal
 * who started the flow. Every failure is a value the route renders as an error page; nothing is stored.
 */

export type { CallbackFailed };

export type CallbackDone = {
  ok: true;
  flow: FlowRow;
  connection: ConnectionRow;
  title: string;
};

type Connected = PassedOutcome;

/** What each purpose needs of the principal when the callback arrives (as when the flow started). */
const requiredCapability = { create: 'create_connection', reauthorize: 'edit_connection', connect_user: 'use_proxy' };

export async function completeFlow(
  deps: OAuthFlowDeps,
  query: URLSearchParams,
  requestId: string,
): Promise<CallbackDone | CallbackFailed> {
  const state = query.get('state');
  const flow = state ? await consumeFlow(deps.db, sha256Hex(state)) : undefined;
  if (!state || !flow) {
    return failure(
      new ApiError(
        'oauth_state_invalid',
        'This authorization is unknown, has expired (they last 10 minutes) or was already used. Start again from Switchyard.',
      ),
    );
  }
  const audit = { requestId, statusCode: flow.return_to ? 303 : 200 };
  try {
    return await finishFlow(deps, flow, state, query, audit);
  } catch (error) {
    const revocation = error instanceof FailedAfterExchange ? { revocation: error.revocation } : {};
    let failed: CallbackFailed;
    try {
      failed = failure(error instanceof FailedAfterExchange ? error.failure : error, flow);
    } catch (unexpected) {
      await recordOutcome(deps, flow, { code: 'internal_error', message: UNEXPECTED_FAILURE });
      throw unexpected;
    }
    await recordOutcome(deps, flow, { code: failed.code, message: failed.detail });
    await writeAudit(deps.db, flow, undefined, {
      ...audit,
      outcome: failed.status === 403 ? 'denied' : 'failure',
      statusCode: failed.status,
      errorCode: failed.code,
      targetId: flow.connection_id ?? undefined,
      diff: { flow_id: flow.id, connector: flow.connector_slug, ...revocation },
    }).catch(() => {});
    return failed;
  }
}

export const UNEXPECTED_FAILURE = 'An unexpected error stopped the connection; nothing was saved. Try again.';

/**
 * A failed flow's outcome, for whoever waits on it, and `connection.auth_failed` for the product's backend; the
 * page shows the failure whether or not these are stored.
 */
const recordOutcome = (deps: OAuthFlowDeps, flow: FlowRow, e: { code: string; message: string }) =>
  deps.db
    .transaction(async (tx) => {
      await recordFlowOutcome(tx, flow.id, { outcome: 'failed', ...e });
      await publishEvent(tx, {
        tenantId: flow.tenant_id,
        type: 'connection.auth_failed',
        data: {
          connector: flow.connector_slug,
          flow_id: flow.id,
          purpose: flow.purpose,
          connection_id: flow.connection_id,
          error: e,
          ...identityEventFields({
            key: flow.identity.key ?? null,
            end_user: flow.identity.end_user ?? null,
            tags: flow.identity.tags ?? [],
            connect_session_id: flow.connect_session_id,
          }),
        },
      });
    })
    .catch(() => {});

/** A failure once the code was exchanged, with what revoking the exchanged tokens gave. */
class FailedAfterExchange extends Error {
  constructor(
    readonly failure: unknown,
    readonly revocation: RevocationReport,
  ) {
    super('the callback failed after the code exchange');
  }
}

/** Who, what and where: everything checked before the vendor is asked for a token. */
type FlowContext = {
  flow: FlowRow;
  principal: Principal;
  connector: ConnectorRow;
  manifest: Manifest;
  method: OAuth2Method;
  /** The connection a re-authorization or a user's connect is for. */
  connection: ConnectionRow | undefined;
};

/** What the vendor granted, tested: the tokens, the config with token-response fields, the test's outcome. */
type Grant = { tokens: TokenSet; config: Record<string, unknown>; outcome: Connected; source: 'tenant' | 'system' };

async function finishFlow(
  deps: OAuthFlowDeps,
  flow: FlowRow,
  state: string,
  query: URLSearchParams,
  audit: { requestId: string; statusCode: number },
): Promise<CallbackDone> {
  const c = await checkFlow(deps, flow, query);
  const config = c.connection?.config ?? flow.config;
  const client = await resolveOAuthClient(deps.db, deps.vault, flow.tenant_id, c.connector);
  const tokens = await exchange(deps, flow, state, query, c.method, config, client);
  // From here on the vendor has issued tokens: a failure revokes them, a success revokes those it replaced.
  let done: { result: CallbackDone; previous: StoredTokens | undefined; config: Record<string, unknown> };
  try {
    const grant = await testGrant(deps, c, tokens, config, client.source, audit.requestId);
    done = await deps.db.transaction(async (tx) => {
      const { row, title, diff, previous } = await storeGrant(deps, tx, c, grant);
      await writeAudit(tx, flow, c.principal, { ...audit, outcome: 'success', targetId: row.id, diff });
      await recordFlowOutcome(tx, flow.id, { outcome: 'connected', connectionId: row.id });
      return { result: { ok: true as const, flow, connection: row, title }, previous, config: grant.config };
    });
  } catch (error) {
    const revocation = await revokeAfterFailure(deps, c, config, tokens).catch((failed: unknown): RevocationReport => ({
      outcome: 'unreachable',
      tokens: 0,
      revoked: 0,
      detail: String(failed),
    }));
    throw new FailedAfterExchange(error, revocation);
  }
  // The change is committed: whatever revoking the replaced tokens gives, the callback succeeded.
  await revokeAfterSuccess(deps, c, { ...audit, connectionId: done.result.connection.id }, done, tokens).catch(
    () => {},
  );
  return done.result;
}

async function checkFlow(deps: OAuthFlowDeps, flow: FlowRow, query: URLSearchParams): Promise<FlowContext> {
  // The vendor's own refusal (the user denied consent, or the request was bad) comes back as `error`.
  const vendorError = query.get('error');
  if (vendorError) throw new OAuthRefusal(vendorError, query.get('error_description') ?? undefined, 400);
  const principal = await principalOfFlow(deps.db, deps.auth, flow, deps.clock.now());
  if (!principal) {
    throw new ApiError('forbidden', 'The account that started this authorization can no longer act in Switchyard.');
  }
  const purpose = flow.purpose === 'create' ? 'create' : 'use';
  const { row: connector, manifest } = await connectorFor(deps.registry, flow.connector_slug, purpose);
  assertCapability(principal, requiredCapability[flow.purpose]);
  assertConnectorCapability(principal, manifest);
  const method = authMethodOf(manifest, flow.auth_method);
  if (method.type !== 'oauth2') throw new ApiError('conflict', `${manifest.name} no longer connects with OAuth 2.0.`);
  const connection = flow.connection_id ? await existing(deps, flow.tenant_id, flow.connection_id) : undefined;
  if (flow.purpose === 'reauthorize' && connection) {
    assertScopeAuthority(principal, await requestedScopesOf(deps.db, connection.id), flow.scopes);
  }
  return { flow, principal, connector, manifest, method, connection };
}

/** The exchanged tokens tested: the config they complete, the test's outcome, the account check. */
async function testGrant(
  deps: OAuthFlowDeps,
  c: FlowContext,
  tokens: TokenSet,
  config: Record<string, unknown>,
  source: 'tenant' | 'system',
  requestId: string,
): Promise<Grant> {
  const { flow, manifest, method } = c;
  const configAfter = flow.purpose === 'connect_user' ? config : withTokenResponse(manifest, method, config, tokens);
  const outcome = await testToken(deps, flow, manifest, method, configAfter, tokens, requestId);
  if (flow.purpose === 'reauthorize' && c.connection) assertSameAccount(c.principal, c.connection, outcome);
  return { tokens, config: configAfter, outcome, source };
}

/** The connection, renewed credential or user credential the flow was for, in the callback's transaction. */
async function storeGrant(
  deps: OAuthFlowDeps,
  tx: Queryable,
  c: FlowContext,
  g: Grant,
): Promise<{ row: ConnectionRow; title: string; diff: Record<string, unknown>; previous?: StoredTokens }> {
  const { flow, principal } = c;
  if (flow.purpose === 'create' || !c.connection) {
    const row = await insertOAuthConnection(deps, tx, {
      id: newId('conn'),
      principal,
      connector: c.connector,
      method: c.method,
      name: flow.name ?? c.manifest.name,
      description: flow.description ?? '',
      config: g.config,
      level: flow.level,
      scopes: flow.scopes,
      tokens: g.tokens,
      source: g.source,
      outcome: g.outcome,
      identity: flow.identity,
    }).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      throw new ApiError('conflict', `The key "${flow.identity.key}" was taken by another connection meanwhile.`);
    });
    if (flow.connect_session_id) await useConnectSession(tx, flow.connect_session_id, row.id);
    const { connector_slug: connector, name, state, level, scopes_granted } = row;
    return {
      row,
      title: `Connected ${row.name}`,
      diff: { connector, name, state, level, scopes_granted, flow_id: flow.id },
    };
  }
  const before = c.connection;
  if (flow.purpose === 'reauthorize') {
    const { connection: row, previous } = await applyReauthorization(deps, tx, {
      connectionId: before.id,
      principal,
      scopes: flow.scopes,
      tokens: g.tokens,
      config: g.config,
      source: g.source,
      outcome: g.outcome,
    });
    if (flow.connect_session_id) await useConnectSession(tx, flow.connect_session_id, row.id);
    const diff = {
      state: { from: before.state, to: row.state },
      scopes_granted: { from: before.scopes_granted, to: row.scopes_granted },
      flow_id: flow.id,
    };
    return { row, title: `Re-authorized ${row.name}`, diff, previous };
  }
  const {
    connection: row,
    scopes,
    previous,
  } = await storeUserCredential(deps, tx, {
    connectionId: before.id,
    principal,
    scopes: flow.scopes,
    tokens: g.tokens,
  });
  const diff = { user_id: principal.id, scopes_granted: scopes, flow_id: flow.id };
  return { row, title: `Connected your account to ${row.name}`, diff, previous };
}

function assertCapability(principal: Principal, capability: string): void {
  if (!principal.capabilities.has(capability)) {
    throw new ApiError('forbidden', `This needs the "${capability}" capability, which the account no longer holds.`, {
      missing_capability: capability,
    });
  }
}

async function existing(deps: OAuthFlowDeps, tenantId: string, id: string): Promise<ConnectionRow> {
  const row = await getConnection(deps.db, tenantId, id);
  if (!row) throw notFound('Connection', id);
  return row;
}

/** The authorization response checked (state, issuer), then the code exchanged with the PKCE verifier. */
async function exchange(
  deps: OAuthFlowDeps,
  flow: FlowRow,
  state: string,
  query: URLSearchParams,
  method: OAuth2Method,
  config: Record<string, unknown>,
  client: Awaited<ReturnType<typeof resolveOAuthClient>>,
): Promise<TokenSet> {
  const endpoints = endpointsOf(method, await resolveRecord(deps.db, deps.vault, flow.tenant_id, config));
  const parameters = deps.protocol.callbackParameters(endpoints, client.client_id, query, state);
  const verifier = flow.code_verifier_sealed
    ? await deps.vault.open(deps.db, flow.tenant_id, verifierContext(flow.id), flow.code_verifier_sealed)
    : undefined;
  return deps.protocol.exchangeCode(method, endpoints, client, {
    parameters,
    redirectUri: flow.redirect_uri,
    ...(verifier ? { verifier } : {}),
  });
}

/** The connector's test call with the new access token; an outcome that leaves it unusable stops the flow. */
async function testToken(
  deps: OAuthFlowDeps,
  flow: FlowRow,
  manifest: Manifest,
  method: OAuth2Method,
  config: Record<string, unknown>,
  tokens: TokenSet,
  requestId: string,
): Promise<Connected> {
  const credentials = { access_token: tokens.access_token, token_type: tokens.token_type };
  const log = flow.connection_id ? { connectionId: flow.connection_id, requestId } : undefined;
  const tested = (await testWith(deps, flow.tenant_id, manifest, method, config, credentials, log)).outcome;
  // The token was issued a moment ago: "expired" means the grant does not allow the call.
  const outcome = tested.outcome === 'credential_expired' ? consentNeeded(tested) : tested;
  if (!passed(outcome)) {
    throw new ApiError(
      'connection_test_failed',
      `Signed in, but the ${manifest.name} test call failed (${outcome.outcome}): ${outcome.message}`,
      { outcome },
    );
  }
  return outcome;
}

/**
 * Re-authorizing with another vendor account re-points the connection at someone else's data: that is credential
 * authority (`create_connection`), as rotating credentials is, not an edit.
 */
function assertSameAccount(principal: Principal, connection: ConnectionRow, outcome: Connected): void {
  const before = connection.vendor_account_id;
  if (connection.level !== 'app' || !before || !outcome.account_id || outcome.account_id === before) return;
  if (principal.capabilities.has('create_connection')) return;
  throw new ApiError(
    'forbidden',
    `You signed in as ${outcome.account_id}, but this connection belongs to ${before}; switching accounts needs the "create_connection" capability.`,
    { missing_capability: 'create_connection' },
  );
}
