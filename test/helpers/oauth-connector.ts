import type { ManifestInput } from '../../src/catalog/manifest/manifest.js';
import type { TestApp } from './app.js';
import { installConnector, installSystemConnection } from './connectors.js';
import { uniqueName } from './fixtures.js';
import type { OAuthServer, OAuthTestClient } from './oauth-server.js';

/**
 * What both OAuth fixtures share: the redirect URI the test authorization server registers, its clients, and one
 * connector for an API behind it. Two entry points build on it: oauth-flows.ts drives the authorization flow
 * through the API with a tenant's own OAuth app; oauth-connection.ts writes connections and their tokens directly,
 * with the platform's app.
 */

/** The public URL of the test app that runs flows, and the callback it serves there. */
export const PUBLIC_URL = 'https://switchyard.example.test';
export const REDIRECT_URI = `${PUBLIC_URL}/v1/oauth/callback`;
export const WEB_APP = { client_id: 'web-app', client_secret: 'web-app-secret' };

/**
 * Whose OAuth app a connector's connections use. `tenant`: each tenant registers its own (PUT /v1/oauth/clients);
 * it authenticates at the token endpoint as the manifest default says (client_secret_post), and a connection names
 * the API's URL in its config. `platform`: a `shared` connector whose app is the system connection, authenticating
 * with HTTP Basic, the API's URL fixed in the manifest. Both client authentications are so exercised end to end.
 */
export type OAuthAppOwner = 'tenant' | 'platform';

const clientAuth = { tenant: 'client_secret_post', platform: 'client_secret_basic' } as const;

/** `web-app`: confidential, authorization code; `spa`: public (PKCE only); `service`: client credentials. */
export function oauthTestClients(owner: OAuthAppOwner): OAuthTestClient[] {
  const token_endpoint_auth_method = clientAuth[owner];
  return [
    {
      ...WEB_APP,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method,
    },
    { client_id: 'spa', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
    {
      client_id: 'service',
      client_secret: 'service-secret',
      grant_types: ['client_credentials'],
      scope: 'read write',
      token_endpoint_auth_method,
    },
  ];
}

export type OAuthEndpoints = { tokenUrl: string; authorizationUrl?: string; revocationUrl?: string; apiUrl: string };

export const endpointsOf = (server: OAuthServer): OAuthEndpoints => ({
  tokenUrl: server.tokenUrl,
  authorizationUrl: server.authorizationUrl,
  revocationUrl: server.revocationUrl,
  apiUrl: server.api.url,
});

type OAuth2Input = Extract<NonNullable<ManifestInput['auth']>[number], { type: 'oauth2' }>;

export type OAuthConnectorOptions = {
  /** Whose OAuth app connections use (default `platform`). */
  owner?: OAuthAppOwner;
  oauth?: Partial<OAuth2Input>;
  manifest?: Partial<ManifestInput>;
};

/**
 * A connector for the OAuth-protected API at `endpoints`: both levels, default scope `read`, test call `GET /me`
 * whose `id` is the vendor account.
 */
export function oauthManifest(
  endpoints: OAuthEndpoints,
  { owner = 'platform', oauth = {}, manifest = {} }: OAuthConnectorOptions = {},
): ManifestInput & { slug: string } {
  const where =
    owner === 'platform'
      ? { management: 'shared' as const, config: [], base_url: endpoints.apiUrl }
      : { config: [{ key: 'base_url', label: 'Base URL', type: 'url' as const }], base_url: '{{config.base_url}}' };
  return {
    schema_version: 1,
    slug: uniqueName('oauth'),
    name: 'Harness API',
    description: 'An API behind the test authorization server.',
    category: 'Generic',
    logo: { initials: 'HA', color: '#224466' },
    ...where,
    auth: [
      {
        type: 'oauth2',
        ...(endpoints.authorizationUrl ? { authorization_url: endpoints.authorizationUrl } : {}),
        token_url: endpoints.tokenUrl,
        ...(endpoints.revocationUrl ? { revocation_url: endpoints.revocationUrl } : {}),
        ...(owner === 'platform' ? { token_endpoint_auth: clientAuth.platform } : {}),
        scopes: {
          default: ['read'],
          available: [{ name: 'read' }, { name: 'write' }, { name: 'admin' }, { name: 'offline_access' }],
        },
        levels: ['app', 'user'],
        ...oauth,
      },
    ],
    test: { kind: 'http', request: { method: 'GET', path: '/me' }, account_id: { path: '$.id' } },
    ...manifest,
  } as ManifestInput & { slug: string };
}

/**
 * Install the connector in a test app's registry; for the platform's app, with its system connection (`client`,
 * web-app by default). A tenant's own app is registered through the API (oauth-flows.ts `registerClient`).
 */
export async function installOAuthConnector(
  t: TestApp,
  endpoints: OAuthEndpoints,
  options: OAuthConnectorOptions & { client?: { client_id: string; client_secret: string } } = {},
): Promise<string> {
  const { client = WEB_APP, ...rest } = options;
  const manifest = oauthManifest(endpoints, rest);
  await installConnector(t, manifest);
  if (rest.owner !== 'tenant') await installSystemConnection(t, manifest.slug, 'oauth2', client);
  return manifest.slug;
}
