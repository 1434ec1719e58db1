import pino from 'pino';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { insertConnection } from '../../src/connections/sql.js';
import { systemClock } from '../../src/core/clock.js';
import type { Db } from '../../src/core/db/port.js';
import { newId } from '../../src/core/ids.js';
import type { TokenSet } from '../../src/oauth/protocol.js';
import { refreshDueCredentials } from '../../src/oauth/refresh/due.js';
import { getOAuthCredential, openTokens, storeTokens, type StoredTokens } from '../../src/oauth/tokens.js';
import { maintenanceTasks } from '../../src/server/maintenance.js';
import type { Vault } from '../../src/vault/vault.js';
import { createTestApp, type TestApp } from './app.js';
import {
  endpointsOf,
  installOAuthConnector,
  oauthTestClients,
  REDIRECT_URI,
  WEB_APP,
  type OAuthEndpoints,
} from './oauth-connector.js';
import { liveFixture } from './live.js';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server.js';

/**
 * OAuth connections for tests, made without the authorization flow under test: tokens come from the test
 * authorization server through oauth4webapi (code + PKCE, the browser step driven by `approve()`), and the connection
 * and its sealed credential are written through the SQL and token-store layer, as the callback would. The connector
 * uses the platform's OAuth app (oauth-connector.ts).
 */

export type OAuthConnectionFixture = {
  /** The test authorization server, one for the file. */
  readonly server: OAuthServer;
  /** A test app of the test's own. */
  readonly t: TestApp;
  /** A connector at `server` with the platform's app, installed in `t`. */
  readonly slug: string;
  readonly store: Store;
  /**
   * Sign `account` in at `server` (granting `scope`, `read write` by default) and insert an active app-level
   * connection (to `slug`, the fixture's connector by default) holding its tokens, shaped as asked.
   */
  connect(
    account: string,
    options?: CredentialShape & { scope?: string; slug?: string },
  ): Promise<{ id: string; tokens: TokenSet }>;
  /** The tokens stored for a connection of the default tenant (its app-level credential unless `userId`). */
  stored(connectionId: string, userId?: string | null): ReturnType<typeof storedTokens>;
};

/**
 * The test authorization server for the file, and before each test a test app with a connector at it (stopped
 * after the test). Returns the live fixture: read its fields inside tests and hooks.
 *
 * @example
 * const o = useOAuthConnection();
 * it('refreshes', async () => {
 *   const { id } = await o.connect('alice', { expiresAt: minutesAgo(1) });
 * });
 */
export function useOAuthConnection(options: { server?: OAuthServerOptions } = {}): OAuthConnectionFixture {
  let server: OAuthServer | undefined;
  const fixture = liveFixture<OAuthConnectionFixture>('the OAuth connection fixture');
  let t: TestApp | undefined;
  beforeAll(async () => {
    server = await startOAuthServer({ clients: oauthTestClients('platform'), ...options.server });
  });
  afterAll(() => server?.close());
  beforeEach(async () => {
    const app = (t = await createTestApp());
    const at = server as OAuthServer;
    const slug = await installOAuthConnector(app, endpointsOf(at));
    const store = { db: app.db, vault: app.built.vault };
    fixture.set({
      server: at,
      t: app,
      slug,
      store,
      async connect(account, { scope, slug: to = slug, ...shape } = {}) {
        const tokens = await obtainTokens(at, account, scope);
        const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug: to, tokens, ...shape });
        return { id, tokens };
      },
      stored: (connectionId, userId = null) => storedTokens(store, app.tenantId, connectionId, userId),
    });
  });
  afterEach(async () => {
    fixture.set(undefined);
    await t?.close();
    t = undefined;
  });
  return fixture.view;
}

/** Endpoints of a vendor a test runs itself: `/authorize`, `/token`, and the API at its root. */
export const vendorEndpoints = (url: string): OAuthEndpoints => ({
  authorizationUrl: `${url}/authorize`,
  tokenUrl: `${url}/token`,
  apiUrl: url,
});

/** Tokens for a vendor a test runs itself, which never checks them. */
export const fixedTokens = (): TokenSet => ({
  access_token: 'access-1',
  refresh_token: 'refresh-1',
  token_type: 'bearer',
  extra: {},
});

/** A connector at a vendor the test runs itself, and an active connection holding fixed tokens shaped as asked. */
export async function connectAtVendor(
  t: TestApp,
  url: string,
  shape: CredentialShape = {},
): Promise<{ slug: string; id: string }> {
  const slug = await installOAuthConnector(t, vendorEndpoints(url));
  const store = { db: t.db, vault: t.built.vault };
  const id = await insertOAuthConnection(store, { tenantId: t.tenantId, slug, tokens: fixedTokens(), ...shape });
  return { slug, id };
}

/** The background refresh as `serve` schedules it (the maintenance task), run once per call. */
export function backgroundRefresh(t: TestApp): () => Promise<number> {
  const log = pino({ level: 'silent' });
  const [task] = maintenanceTasks({
    refreshOAuthCredentials: (now) => refreshDueCredentials({ db: t.db, refresher: t.built.refresher, log }, now),
  }).filter((task) => task.name === 'oauth.refresh_credentials');
  if (!task) throw new Error('the OAuth refresh task is not scheduled');
  return () => task.run(t.db, systemClock);
}

/** Sign `account` in at the test server (code + PKCE through `approve`) and exchange the code: its tokens. */
export async function obtainTokens(server: OAuthServer, account: string, scope = 'read write'): Promise<TokenSet> {
  const insecure = { [oauth.allowInsecureRequests]: true };
  const issuer = new URL(server.issuer);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' }),
  );
  const client: oauth.Client = { client_id: WEB_APP.client_id };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(server.authorizationUrl);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const params = oauth.validateAuthResponse(as, client, await server.approve(url.href, { account }), state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(WEB_APP.client_secret),
    params,
    REDIRECT_URI,
    verifier,
    insecure,
  );
  const t = await oauth.processAuthorizationCodeResponse(as, client, response);
  return {
    access_token: t.access_token,
    ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
    token_type: t.token_type,
    ...(t.expires_in ? { expires_at: new Date(Date.now() + t.expires_in * 1000) } : {}),
    ...(t.scope ? { scope: t.scope.split(' ') } : {}),
    extra: {},
  };
}

type Store = { db: Db; vault: Vault };

/**
 * How the stored credential should look, beyond the tokens: an access token the vendor no longer accepts, an expiry
 * (in the past: "expired"), when it was last refreshed (the refresher never refreshes in a token's first half-life
 * and never twice within seconds because of a 401).
 */
export type CredentialShape = { accessToken?: string; expiresAt?: Date | null; refreshedAt?: Date };

/** An OAuth connection (active, tested) with its app-level credential, or none for a user-level connection. */
export async function insertOAuthConnection(
  s: Store,
  c: {
    tenantId: string;
    slug: string;
    level?: 'app' | 'user';
    name?: string;
    tokens?: TokenSet;
    config?: Record<string, unknown>;
  } & CredentialShape,
): Promise<string> {
  const id = newId('conn');
  await insertConnection(s.db, {
    id,
    tenant_id: c.tenantId,
    connector_slug: c.slug,
    name: c.name ?? 'OAuth API',
    description: '',
    config: c.config ?? {},
    auth_method: 'oauth2',
    credential_source: 'system',
    level: c.level ?? 'app',
    state: 'active',
    state_reason: null,
    vendor_account_id: null,
    vendor_account_name: null,
    scopes_granted: c.tokens?.scope ?? ['read', 'write'],
    last_test_at: null,
    last_test_outcome: null,
    operator_of_record: null,
  });
  const { accessToken, expiresAt, refreshedAt } = c;
  const shape = {
    ...(accessToken ? { accessToken } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(refreshedAt ? { refreshedAt } : {}),
  };
  if (c.tokens)
    await storeCredential(s, { tenantId: c.tenantId, connectionId: id, userId: null, tokens: c.tokens, ...shape });
  return id;
}

/** Store (or replace) a credential's tokens, shaped as asked. */
export async function storeCredential(
  s: Store,
  c: { tenantId: string; connectionId: string; userId: string | null; tokens: TokenSet } & CredentialShape,
): Promise<void> {
  const tokens = c.accessToken ? { ...c.tokens, access_token: c.accessToken } : c.tokens;
  const { credentialId } = await storeTokens(
    s.db,
    s.vault,
    { tenantId: c.tenantId, connectionId: c.connectionId, userId: c.userId, scopesRequested: ['read', 'write'] },
    tokens,
  );
  if (c.expiresAt !== undefined || c.refreshedAt) {
    await s.db.query(
      `update connection_credentials set expires_at = case when $2 then $3 else expires_at end,
         refreshed_at = coalesce($4, refreshed_at) where id = $1`,
      [credentialId, c.expiresAt !== undefined, c.expiresAt ?? null, c.refreshedAt ?? null],
    );
  }
}

/** The tokens stored for a credential, opened. */
export async function storedTokens(
  s: Store,
  tenantId: string,
  connectionId: string,
  userId: string | null = null,
): Promise<StoredTokens & { expires_at: Date | null; refresh_failures: number }> {
  const row = await getOAuthCredential(s.db, connectionId, userId);
  if (!row) throw new Error(`no credential for ${connectionId}/${userId ?? 'app'}`);
  return {
    ...(await openTokens(s.db, s.vault, tenantId, row)),
    expires_at: row.expires_at,
    refresh_failures: row.refresh_failures,
  };
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
