import * as oauth from 'oauth4webapi';
import type { ManifestInput } from '../../src/catalog/manifest/manifest.js';
import { insertConnection } from '../../src/connections/sql.js';
import type { Db } from '../../src/core/db/port.js';
import { newId } from '../../src/core/ids.js';
import type { TokenSet } from '../../src/oauth/protocol.js';
import { getOAuthCredential, openTokens, storeTokens, type StoredTokens } from '../../src/oauth/tokens.js';
import type { Vault } from '../../src/vault/vault.js';
import type { TestApp } from './app.js';
import { installConnector, installSystemConnection } from './connectors.js';
import { uniqueName } from './fixtures.js';
import type { OAuthServer } from './oauth-server.js';

/**
 * OAuth connections for tests, made without the authorization flow under test: tokens come from the test
 * authorization server through oauth4webapi (code + PKCE, the browser step driven by `approve()`), and the connection
 * and its sealed credential are written through the SQL and token-store layer, as the callback would.
 */

export const REDIRECT_URI = 'http://127.0.0.1/oauth/callback';
export const WEB_APP = { client_id: 'web-app', client_secret: 'web-app-secret' };

type Endpoints = { tokenUrl: string; authorizationUrl?: string; revocationUrl?: string; apiUrl: string };

export const endpointsOf = (server: OAuthServer): Endpoints => ({
  tokenUrl: server.tokenUrl,
  authorizationUrl: server.authorizationUrl,
  revocationUrl: server.revocationUrl,
  apiUrl: server.api.url,
});

/**
 * A connector for an OAuth-protected API: `shared` (the platform's OAuth app, a system connection), both levels,
 * base URL the API, test call `GET /me` whose `id` is the vendor account.
 */
export function oauthManifest(
  endpoints: Endpoints,
  overrides: Partial<ManifestInput> & { grant?: 'authorization_code' | 'client_credentials' } = {},
): ManifestInput & { slug: string } {
  const { grant = 'authorization_code', ...rest } = overrides;
  return {
    schema_version: 1,
    slug: uniqueName('oauth_api'),
    name: 'OAuth API',
    description: 'An API behind the test authorization server.',
    category: 'Generic',
    logo: { initials: 'OA', color: '#224466' },
    management: 'shared',
    config: [],
    auth: [
      {
        type: 'oauth2',
        grant,
        ...(grant === 'authorization_code' && endpoints.authorizationUrl
          ? { authorization_url: endpoints.authorizationUrl }
          : {}),
        token_url: endpoints.tokenUrl,
        ...(endpoints.revocationUrl ? { revocation_url: endpoints.revocationUrl } : {}),
        token_endpoint_auth: 'client_secret_basic',
        scopes: { default: ['read', 'write'], available: [{ name: 'read' }, { name: 'write' }] },
        levels: ['app', 'user'],
      },
    ],
    base_url: endpoints.apiUrl,
    test: { kind: 'http', request: { method: 'GET', path: '/me' }, account_id: { from: 'body', path: '$.id' } },
    ...rest,
  } as ManifestInput & { slug: string };
}

/** Install the connector in a test app's registry with the platform's OAuth app (client id and secret). */
export async function installOAuthConnector(
  t: TestApp,
  endpoints: Endpoints,
  overrides: Parameters<typeof oauthManifest>[1] & { client?: { client_id: string; client_secret: string } } = {},
): Promise<string> {
  const { client = WEB_APP, ...rest } = overrides;
  const manifest = oauthManifest(endpoints, rest);
  await installConnector(t, manifest);
  await installSystemConnection(t, manifest.slug, 'oauth2', client);
  return manifest.slug;
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
