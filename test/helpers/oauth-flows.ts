import { expect } from 'vitest';
import type { ManifestInput } from '../../src/catalog/manifest/manifest.js';
import { createTestApp, type TestApp, type TestResponse } from './app.js';
import { installConnector } from './connectors.js';
import { uniqueName } from './fixtures.js';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server.js';

/**
 * OAuth connections end to end: a test app whose public URL is fixed (the redirect URI the test authorization
 * server has registered), the real authorization server (oidc-provider) with its protected API on loopback, and
 * connectors pointing at them.
 */

export const PUBLIC_URL = 'https://switchyard.example.test';
export const REDIRECT_URI = `${PUBLIC_URL}/v1/oauth/callback`;

export type OAuthFixture = { t: TestApp; server: OAuthServer };

/** `web-app`: confidential, authorization code; `spa`: public (PKCE only); `service`: client credentials. */
export async function startOAuthFixture(options: OAuthServerOptions = {}): Promise<OAuthFixture> {
  const [t, server] = await Promise.all([
    createTestApp({ config: { publicUrl: PUBLIC_URL } }),
    startOAuthServer({
      clients: [
        {
          client_id: 'web-app',
          client_secret: 'web-app-secret',
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_post',
        },
        { client_id: 'spa', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
        {
          client_id: 'service',
          client_secret: 'service-secret',
          grant_types: ['client_credentials'],
          scope: 'read write',
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      ...options,
    }),
  ]);
  return { t, server };
}

export async function stopOAuthFixture(f: OAuthFixture | undefined): Promise<void> {
  await Promise.all([f?.t.close(), f?.server.close()]);
}

type OAuth2Input = Extract<NonNullable<ManifestInput['auth']>[number], { type: 'oauth2' }>;

/** A connector whose OAuth method is the test server and whose test call is the protected API's `GET /me`. */
export async function installOAuthConnector(
  f: OAuthFixture,
  options: { oauth?: Partial<OAuth2Input>; manifest?: Partial<ManifestInput> } = {},
): Promise<string> {
  const slug = uniqueName('oauth');
  await installConnector(f.t, {
    slug,
    name: 'Harness API',
    auth: [
      {
        type: 'oauth2',
        authorization_url: f.server.authorizationUrl,
        token_url: f.server.tokenUrl,
        revocation_url: f.server.revocationUrl,
        scopes: {
          default: ['read'],
          available: [{ name: 'read' }, { name: 'write' }, { name: 'admin' }, { name: 'offline_access' }],
        },
        levels: ['app', 'user'],
        ...options.oauth,
      },
    ],
    test: { kind: 'http', request: { method: 'GET', path: '/me' }, account_id: { path: '$.id' } },
    ...options.manifest,
  });
  return slug;
}

/** The tenant's own OAuth app for a connector, through the API. */
export async function registerClient(
  t: TestApp,
  slug: string,
  client: { client_id: string; client_secret?: string } = { client_id: 'web-app', client_secret: 'web-app-secret' },
): Promise<void> {
  const res = await t.request({ method: 'PUT', url: `/v1/oauth/clients/${slug}`, body: client });
  expect(res.statusCode, res.body).toBe(200);
}

export async function authorize(
  f: OAuthFixture,
  body: Record<string, unknown>,
  token?: string,
): Promise<{ authorization_url: string; flow_id: string; redirect_uri: string; state_expires_at: string }> {
  const res = await f.t.request({
    method: 'POST',
    url: '/v1/oauth/authorize',
    body: { config: { base_url: f.server.api.url }, ...body },
    ...(token ? { token } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.data as never;
}

/** What the browser does with the vendor's redirect: a GET on the callback, without any Switchyard credential. */
export async function followCallback(t: TestApp, redirect: URL): Promise<TestResponse> {
  expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
  return t.request({ url: `${redirect.pathname}${redirect.search}`, token: null });
}

/** Sign in at the vendor as `account`, consent, and follow the redirect back. */
export async function approveAndReturn(f: OAuthFixture, authorizationUrl: string, account: string) {
  return followCallback(f.t, await f.server.approve(authorizationUrl, { account }));
}

/** The id of the connection a successful callback page names. */
export function connectionIdOf(page: TestResponse): string {
  expect(page.statusCode, page.body).toBe(200);
  const id = /"connection_id":"(conn_[a-z0-9]+)"/.exec(page.body)?.[1];
  expect(id, page.body).toBeTruthy();
  return id as string;
}

/** A full authorization-code flow through the API: authorize, consent at the vendor, callback. */
export async function connectThroughFlow(
  f: OAuthFixture,
  slug: string,
  options: { account?: string; body?: Record<string, unknown>; token?: string } = {},
): Promise<string> {
  const started = await authorize(f, { connector: slug, ...options.body }, options.token);
  return connectionIdOf(await approveAndReturn(f, started.authorization_url, options.account ?? 'alice'));
}
