import type { ConnectionIdentity } from './identity.js';
import type { AuthMethod, OAuth2Method } from '../catalog/manifest/auth.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import type { Registry } from '../catalog/registry.js';
import type { Clock } from '../core/clock.js';
import type { Db, Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Cidr } from '../core/net/cidr.js';
import type { Outbound } from '../core/net/http-client.js';
import { TokenUnavailableError, type FreshTokenOptions, type TokenSource } from './token-source.js';
import type { Vault } from '../vault/vault.js';
import type { UsableConnector } from './connector-access.js';
import { openConnectionCredentials, resolveRecord } from './credentials.js';
import type { RequestLog } from './request-log.js';
import type { ConnectionRow, ConnectionState } from './sql.js';
import { runTestCall, type TestOutcome, type TestRun } from './test-call.js';

export type ConnectionDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  outbound: Outbound;
  allow: readonly Cidr[];
  /** The directory SQLite connections may open files in (config.sqliteDir); unset: SQLite is off. */
  sqliteDir?: string | undefined;
  /** Where the bytes of a tenant's stored file are (the files store), for SQLite connections naming `files:<id>`. */
  sqliteFile?: ((tenantId: string, fileId: string) => Promise<string | undefined>) | undefined;
  requestLog: RequestLog;
  clock: Clock;
  /** OAuth access tokens for test calls, refreshed when due (src/oauth/refresh/refresher.ts). */
  tokens: TokenSource;
  /** Tell every node's proxy cache that a connection changed (credentials, state, config). */
  invalidate(q: Queryable, connectionId: string): Promise<void>;
  /**
   * Connect an OAuth client-credentials method (no browser step). Provided by src/oauth, which imports this module;
   * without it such methods are refused like every OAuth method.
   */
  connectClientCredentials?: ClientCredentialsConnect;
};

/** What `POST /v1/connections` hands to the OAuth client-credentials path, checked as far as it is generic. */
export type OAuthConnectInput = {
  connector: UsableConnector;
  method: OAuth2Method;
  /** Validated against the connector's config fields. */
  config: Record<string, unknown>;
  name?: string;
  description?: string;
  scopes?: string[];
  validate: boolean;
  identity?: ConnectionIdentity;
};

export type ClientCredentialsConnect = (
  principal: Principal,
  input: OAuthConnectInput,
  ctx: {
    requestId: string;
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
    onCreated?: (row: ConnectionRow) => void;
  },
) => Promise<ConnectionWithOutcome>;

/** The observed state a test outcome puts a connection in (seed 003's machine). */
export function stateForOutcome(outcome: TestOutcome): { state: ConnectionState; reason: string | null } {
  switch (outcome.outcome) {
    case 'connected':
      return { state: 'active', reason: null };
    // Active, with what the test could not confirm said plainly beside the state.
    case 'connected_limited':
      return { state: 'active', reason: `Connected with limited access: ${outcome.message}` };
    case 'unverified':
      return { state: 'active', reason: `Not verified: ${outcome.message}` };
    case 'credential_expired':
      return { state: 'auth_expired', reason: outcome.message };
    case 'credential_revoked':
      return { state: 'auth_revoked', reason: outcome.message };
    case 'scope_insufficient':
      return {
        state: 'error',
        reason: `Missing scopes: ${outcome.missing_scopes.join(', ') || 'unknown'} (${outcome.message})`,
      };
    case 'vendor_error':
      return { state: 'error', reason: outcome.message };
    case 'network_error':
      return { state: 'error', reason: outcome.message };
  }
}

/**
 * Run the connector's test call with the given config (stored form: its secret references are resolved here) and
 * credentials (already opened and resolved by the caller: resolving a second time would expand a secret's own
 * value as a template, and the platform's credentials must never be resolved against a tenant's secrets). The
 * call goes out through the SSRF guard and is written to the request log when it belongs to a saved connection.
 */
export async function testWith(
  deps: ConnectionDeps,
  tenantId: string,
  manifest: Manifest,
  auth: AuthMethod,
  config: Record<string, unknown>,
  credentials: Record<string, string>,
  log?: { connectionId: string; requestId: string },
): Promise<TestRun> {
  const resolvedConfig = await resolveRecord(deps.db, deps.vault, tenantId, config);
  const run = await runTestCall({
    manifest,
    auth,
    config: resolvedConfig,
    credentials,
    outbound: deps.outbound,
    allow: deps.allow,
    sqliteDir: deps.sqliteDir,
    sqliteFile: deps.sqliteFile
      ? (fileId) => (deps.sqliteFile as NonNullable<ConnectionDeps['sqliteFile']>)(tenantId, fileId)
      : undefined,
  });
  if (log) {
    deps.requestLog.record({
      tenantId,
      connectionId: log.connectionId,
      kind: 'test',
      method: run.log.method,
      path: run.log.path,
      status: run.log.status,
      latencyMs: run.log.latencyMs,
      bytesIn: run.log.bytesIn,
      bytesOut: run.log.bytesOut,
      retries: 0,
      error: run.log.error,
      requestId: log.requestId,
    });
  }
  return run;
}

/**
 * The test call of a saved connection, with its stored credentials — or, for OAuth, a current access token
 * (refreshed when due; at user level the caller's own). An app-level refresh that fails is the test's outcome
 * (revoked, expired, refused, network error) rather than an error: that is what the connection is found to be.
 */
export async function testSavedConnection(
  deps: ConnectionDeps,
  connection: ConnectionRow,
  manifest: Manifest,
  auth: AuthMethod,
  p: { principalId: string; requestId: string; config?: Record<string, unknown> },
): Promise<TestOutcome> {
  const log = { connectionId: connection.id, requestId: p.requestId };
  const config = p.config ?? connection.config;
  const run = async (credentials: Record<string, string>) =>
    (await testWith(deps, connection.tenant_id, manifest, auth, config, credentials, log)).outcome;
  if (auth.type !== 'oauth2') return run(await openConnectionCredentials(deps.db, deps.vault, connection));
  const userId = connection.level === 'user' ? p.principalId : null;
  const token = (options?: FreshTokenOptions) =>
    deps.tokens.freshAccessToken(connection.tenant_id, connection.id, userId, options);
  try {
    const used = await token();
    const outcome = await run({ access_token: used.access_token });
    if (outcome.outcome !== 'credential_expired') return outcome;
    // The vendor calls the token expired. One that was issued moments ago is not: the grant does not allow the call
    // (Salesforce answers a token without the api scope 401 INVALID_SESSION_ID) and refreshing again would get the
    // same answer. An older one is refreshed and tested once more; refused the same way, it needs consent too.
    if (deps.clock.now().getTime() - used.version < FRESH_TOKEN_MS) return consentNeeded(outcome);
    const fresh = await token({ rejected: used.version });
    if (fresh.version === used.version) return outcome; // nothing newer to try (no refresh token): expired it is
    const again = await run({ access_token: fresh.access_token });
    return again.outcome === 'credential_expired' ? consentNeeded(again) : again;
  } catch (error) {
    if (error instanceof TokenUnavailableError && userId === null) return error.outcome();
    throw error;
  }
}

/** A token younger than this that the vendor calls expired was refused for another reason than its age. */
const FRESH_TOKEN_MS = 60_000;

/**
 * A freshly issued OAuth token the vendor still refuses as expired: what it lacks is consent (a scope, an API
 * permission), which only re-authorizing can give — not another refresh.
 */
export function consentNeeded(outcome: { status: number; message: string }): TestOutcome {
  return {
    outcome: 'scope_insufficient',
    status: outcome.status,
    missing_scopes: [],
    message: `A freshly issued token was refused as expired: re-authorize and grant the access the test call needs (${outcome.message})`,
  };
}

export function assertNotOAuth(auth: AuthMethod): void {
  if (auth.type === 'oauth2') {
    throw new ApiError(
      'oauth_flow_required',
      'OAuth connections are created by the authorization flow (POST /v1/oauth/authorize), not with credentials.',
    );
  }
}

export type ConnectionWithOutcome = { connection: ConnectionRow; outcome: TestOutcome | null; warnings: string[] };
