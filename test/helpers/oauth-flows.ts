import { afterEach, beforeEach, expect } from 'vitest';
import { expectData, type JsonBody } from './api.js';
import { createTestApp, type TestApp, type TestResponse } from './app.js';
import {
  endpointsOf,
  installOAuthConnector,
  oauthTestClients,
  PUBLIC_URL,
  REDIRECT_URI,
  WEB_APP,
  type OAuthConnectorOptions,
} from './oauth-connector.js';
import { liveFixture } from './live.js';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server.js';

/**
 * OAuth connections end to end: a test app whose public URL is fixed (the redirect URI the test authorization
 * server has registered), the real authorization server (oidc-provider) with its protected API on loopback, and
 * connectors pointing at them whose OAuth app is the tenant's own, registered through the API.
 */

type TenantClient = { client_id: string; client_secret?: string };

/** A connector at the test server, and the tenant's app registered for it (none when `client` is null). */
export type FlowConnectorOptions = Omit<OAuthConnectorOptions, 'owner'> & { client?: TenantClient | null };

export type OAuthFlowFixture = {
  readonly t: TestApp;
  readonly server: OAuthServer;
  /** The connector installed before each test (web-app registered, unless the options say otherwise). */
  readonly slug: string;
  /** Install another connector at the test server, with web-app registered unless `client` says otherwise. */
  install(options?: FlowConnectorOptions): Promise<string>;
};

/**
 * Before each test: a test app at {@link PUBLIC_URL}, the test authorization server, and a connector with the
 * tenant's app registered; after it, both stopped. Returns the live fixture: read its fields inside tests and hooks.
 *
 * @example
 * const f = useOAuthFlow({ oauth: { levels: ['user'] } });
 * it('connects', async () => {
 *   const id = await connectThroughFlow(f, f.slug);
 * });
 */
export function useOAuthFlow(options: FlowConnectorOptions & { server?: OAuthServerOptions } = {}): OAuthFlowFixture {
  const { server: serverOptions, ...connector } = options;
  const fixture = liveFixture<OAuthFlowFixture>('the OAuth flow fixture');
  const install = async (t: TestApp, server: OAuthServer, { client = WEB_APP, ...rest }: FlowConnectorOptions) => {
    const slug = await installOAuthConnector(t, endpointsOf(server), { ...rest, owner: 'tenant' });
    if (client) await registerClient(t, slug, client);
    return slug;
  };
  let stop: (() => Promise<unknown>) | undefined;
  beforeEach(async () => {
    const [t, server] = await Promise.all([
      createTestApp({ config: { publicUrl: PUBLIC_URL } }),
      startOAuthServer({ clients: oauthTestClients('tenant'), ...serverOptions }),
    ]);
    stop = () => Promise.all([t.close(), server.close()]);
    const slug = await install(t, server, connector);
    fixture.set({ t, server, slug, install: (more = {}) => install(t, server, more) });
  });
  afterEach(async () => {
    fixture.set(undefined);
    await stop?.();
    stop = undefined;
  });
  return fixture.view;
}

/** The tenant's own OAuth app for a connector, through the API. */
export async function registerClient(t: TestApp, slug: string, client: TenantClient = WEB_APP): Promise<void> {
  await expectData(t.api.PUT('/v1/oauth/clients/{connector}', { params: { path: { connector: slug } }, body: client }));
}

type Fixture = Pick<OAuthFlowFixture, 't' | 'server'>;
type AuthorizeBody = JsonBody<'/v1/oauth/authorize', 'post'>;

/** Start a flow (as the administrator, or as `token`), the connection's config naming the test server's API. */
export async function authorize(f: Fixture, body: AuthorizeBody, token?: string) {
  const client = token ? f.t.apiAs(token) : f.t.api;
  return expectData(client.POST('/v1/oauth/authorize', { body: { config: { base_url: f.server.api.url }, ...body } }));
}

/** What the browser does with the vendor's redirect: a GET on the callback, without any Switchyard credential. */
export async function followCallback(t: TestApp, redirect: URL): Promise<TestResponse> {
  expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
  return t.request({ url: `${redirect.pathname}${redirect.search}`, token: null });
}

/** Sign in at the vendor as `account`, consent, and follow the redirect back. */
export async function approveAndReturn(f: Fixture, authorizationUrl: string, account: string) {
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
  f: Fixture,
  slug: string,
  options: { account?: string; body?: Partial<AuthorizeBody>; token?: string } = {},
): Promise<string> {
  const started = await authorize(f, { connector: slug, ...options.body }, options.token);
  return connectionIdOf(await approveAndReturn(f, started.authorization_url, options.account ?? 'alice'));
}
