import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthServer, type OAuthServer } from './oauth-server.js';

const REDIRECT_URI = 'http://127.0.0.1/oauth/callback';

const clients = [
  {
    client_id: 'web-app',
    client_secret: 'web-app-secret',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic' as const,
  },
  {
    client_id: 'service',
    client_secret: 'service-secret',
    grant_types: ['client_credentials'],
    scope: 'read write',
    token_endpoint_auth_method: 'client_secret_post' as const,
  },
  { client_id: 'spa', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' as const },
];

const insecure = { [oauth.allowInsecureRequests]: true };

async function discover(server: OAuthServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.issuer);
  const res = await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' });
  return oauth.processDiscoveryResponse(issuer, res);
}

const webApp: oauth.Client = { client_id: 'web-app' };
const webAuth = oauth.ClientSecretBasic('web-app-secret');
const service: oauth.Client = { client_id: 'service' };
const serviceAuth = oauth.ClientSecretPost('service-secret');

/** Authorization code + PKCE through `approve`, then the code exchange: the tokens. */
async function signIn(server: OAuthServer, as: oauth.AuthorizationServer, account: string, scope = 'openid read') {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: webApp.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await server.approve(url.href, { account });
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
  const params = oauth.validateAuthResponse(as, webApp, callback, state);
  const res = await oauth.authorizationCodeGrantRequest(as, webApp, webAuth, params, REDIRECT_URI, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, webApp, res);
}

async function refresh(server: OAuthServer, as: oauth.AuthorizationServer, refreshToken: string) {
  const res = await oauth.refreshTokenGrantRequest(as, webApp, webAuth, refreshToken, insecure);
  return oauth.processRefreshTokenResponse(as, webApp, res);
}

async function callApi(server: OAuthServer, path: string, accessToken: string) {
  const res = await fetch(`${server.api.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as unknown };
}

async function expectOAuthError(promise: Promise<unknown>, error: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(oauth.ResponseBodyError);
  expect((err as oauth.ResponseBodyError).error).toBe(error);
}

describe('test OAuth authorization server', () => {
  let server: OAuthServer;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    server = await startOAuthServer({ clients });
    as = await discover(server);
  });
  afterAll(() => server.close());

  it('serves metadata on loopback with the endpoints it reports', () => {
    expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.issuer).toBe(server.issuer);
    expect(as.authorization_endpoint).toBe(server.authorizationUrl);
    expect(as.token_endpoint).toBe(server.tokenUrl);
    expect(as.revocation_endpoint).toBe(server.revocationUrl);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(server.clients.map((c) => c.client_id)).toEqual(['web-app', 'service', 'spa']);
    expect(server.clients[2]).toMatchObject({ grant_types: ['authorization_code', 'refresh_token'] });
  });

  it('authorization code + PKCE: approve, exchange, call the API', async () => {
    const before = { ...server.counts };
    const tokens = await signIn(server, as, 'alice', 'openid read write');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.expires_in).toBe(60);
    expect(tokens.scope?.split(' ').sort()).toEqual(['openid', 'read', 'write']);
    expect(server.counts.authorization_code).toBe(before.authorization_code + 1);

    const requestsBefore = server.api.requests;
    const me = await callApi(server, '/me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'alice', client_id: 'web-app', scopes: expect.arrayContaining(['read', 'write']) });
    expect(server.api.requests).toBe(requestsBefore + 1);

    const echo = await fetch(`${server.api.url}/v1/things?x=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ method: 'POST', path: '/v1/things', account: 'alice' });
  });

  it('a public client (no secret) gets tokens with PKCE, offline_access or not', async () => {
    const spa: oauth.Client = { client_id: 'spa' };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(server.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: 'spa',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'offline_access write',
      state: 's0',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(as, spa, await server.approve(url.href, { account: 'zoe' }), 's0');
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      spa,
      oauth.None(),
      params,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, spa, res);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const me = await callApi(server, '/me', tokens.access_token);
    expect(me.body).toMatchObject({ id: 'zoe', client_id: 'spa', scopes: ['write'] });
  });

  it('rejects a code exchange without the PKCE verifier', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(server.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: 'web-app',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read',
      state: 's1',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await server.approve(url.href, { account: 'alice' });
    const params = oauth.validateAuthResponse(as, webApp, callback, 's1');
    const wrong = oauth.generateRandomCodeVerifier();
    const res = await oauth.authorizationCodeGrantRequest(as, webApp, webAuth, params, REDIRECT_URI, wrong, insecure);
    await expectOAuthError(oauth.processAuthorizationCodeResponse(as, webApp, res), 'invalid_grant');
  });

  it('requires PKCE on the authorization request', async () => {
    const url = new URL(server.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: 'web-app',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read',
      state: 's2',
    }).toString();
    const callback = await server.approve(url.href, { account: 'alice' });
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('state')).toBe('s2');
  });

  it('denied consent returns error=access_denied to the redirect URI', async () => {
    const url = new URL(server.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: 'web-app',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read',
      state: 'st-deny',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await server.approve(url.href, { account: 'bob', deny: true });
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('st-deny');
    expect(callback.searchParams.get('code')).toBeNull();
    expect(() => oauth.validateAuthResponse(as, webApp, callback, 'st-deny')).toThrow(oauth.AuthorizationResponseError);
  });

  it('refresh rotates the refresh token; the old one is then rejected', async () => {
    const first = await signIn(server, as, 'carol');
    const before = server.counts.refresh_token;
    const second = await refresh(server, as, first.refresh_token!);
    expect(server.counts.refresh_token).toBe(before + 1);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await callApi(server, '/me', second.access_token)).status).toBe(200);
    expect(await server.isActive(first.refresh_token!)).toBe(false);
    expect(await server.isActive(second.refresh_token!)).toBe(true);

    await expectOAuthError(refresh(server, as, first.refresh_token!), 'invalid_grant');
    expect(server.counts.refresh_token).toBe(before + 2);
    // Reuse of a rotated refresh token revokes the whole grant (replay detection), the new token included.
    expect(await server.isActive(second.refresh_token!)).toBe(false);
  });

  it('revokeGrants: the next refresh gets invalid_grant and the access token stops working', async () => {
    const tokens = await signIn(server, as, 'dave');
    const other = await signIn(server, as, 'erin');
    await server.revokeGrants('dave');
    await expectOAuthError(refresh(server, as, tokens.refresh_token!), 'invalid_grant');
    expect(await server.isActive(tokens.access_token)).toBe(false);
    const me = await callApi(server, '/me', tokens.access_token);
    expect(me.status).toBe(401);
    expect(me.challenge).toContain('error="invalid_token"');
    // Another account's grant is untouched.
    expect((await refresh(server, as, other.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it('RFC 7009 revocation of the refresh token ends the grant', async () => {
    const tokens = await signIn(server, as, 'frank');
    expect(await server.isActive(tokens.refresh_token!)).toBe(true);
    expect(await server.isActive(tokens.access_token)).toBe(true);
    const before = server.counts.revocation;
    const res = await oauth.revocationRequest(as, webApp, webAuth, tokens.refresh_token!, {
      ...insecure,
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(res);
    expect(server.counts.revocation).toBe(before + 1);
    expect(await server.isActive(tokens.refresh_token!)).toBe(false);
    expect(await server.isActive(tokens.access_token)).toBe(false);
    await expectOAuthError(refresh(server, as, tokens.refresh_token!), 'invalid_grant');
  });

  it('RFC 7009 revocation of an access token', async () => {
    const tokens = await signIn(server, as, 'grace');
    const res = await oauth.revocationRequest(as, webApp, webAuth, tokens.access_token, insecure);
    await oauth.processRevocationResponse(res);
    expect(await server.isActive(tokens.access_token)).toBe(false);
    expect((await callApi(server, '/me', tokens.access_token)).status).toBe(401);
  });

  it('client credentials: the token works at /me with the client as the subject', async () => {
    const before = server.counts.client_credentials;
    const res = await oauth.clientCredentialsGrantRequest(as, service, serviceAuth, { scope: 'read' }, insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, service, res);
    expect(server.counts.client_credentials).toBe(before + 1);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('read');
    expect(await server.isActive(tokens.access_token)).toBe(true);
    const me = await callApi(server, '/me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'service', client_id: 'service', scopes: ['read'] });

    const forbidden = await oauth.clientCredentialsGrantRequest(as, service, serviceAuth, { scope: 'admin' }, insecure);
    await expectOAuthError(oauth.processClientCredentialsResponse(as, service, forbidden), 'invalid_scope');
    expect(server.counts.client_credentials).toBe(before + 2);

    const badSecret = oauth.ClientSecretPost('wrong');
    const unauthorized = await oauth.clientCredentialsGrantRequest(as, service, badSecret, {}, insecure);
    await expectOAuthError(oauth.processClientCredentialsResponse(as, service, unauthorized), 'invalid_client');
    expect(server.counts.client_credentials).toBe(before + 3);
  });

  it('/scoped/<scope> answers 403 insufficient_scope unless the scope was granted', async () => {
    const tokens = await signIn(server, as, 'heidi', 'openid read');
    const denied = await callApi(server, '/scoped/admin', tokens.access_token);
    expect(denied.status).toBe(403);
    expect(denied.challenge).toContain('error="insufficient_scope"');
    expect(denied.challenge).toContain('scope="admin"');
    const allowed = await callApi(server, '/scoped/read', tokens.access_token);
    expect(allowed.status).toBe(200);
  });

  it('the API answers 401 without a token or with an unknown one', async () => {
    const none = await fetch(`${server.api.url}/me`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    const unknown = await callApi(server, '/me', 'not-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.challenge).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('serves the RFC 8414 metadata path as well', async () => {
    const res = await fetch(`${server.issuer}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toBe(server.issuer);
  });

  it('logged no provider errors', () => {
    expect(server.serverErrors).toEqual([]);
  });
});

describe('short-lived access tokens', () => {
  let server: OAuthServer;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    server = await startOAuthServer({ clients, accessTokenTtl: 1 });
    as = await discover(server);
  });
  afterAll(() => server.close());

  it('/me answers 401 invalid_token once the access token expired; a refresh gets a working one', async () => {
    const tokens = await signIn(server, as, 'ivan');
    expect(tokens.expires_in).toBe(1);
    const issuedAt = Date.now();
    expect((await callApi(server, '/me', tokens.access_token)).status).toBe(200);
    let me = await callApi(server, '/me', tokens.access_token);
    while (me.status === 200 && Date.now() - issuedAt < 3_000) {
      await new Promise((r) => setTimeout(r, 100));
      me = await callApi(server, '/me', tokens.access_token);
    }
    expect(me.status).toBe(401);
    expect(me.challenge).toContain('error="invalid_token"');
    expect(await server.isActive(tokens.access_token)).toBe(false);

    const renewed = await refresh(server, as, tokens.refresh_token!);
    expect((await callApi(server, '/me', renewed.access_token)).status).toBe(200);
  });
});

describe('short-lived refresh tokens', () => {
  let server: OAuthServer;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    server = await startOAuthServer({ clients, accessTokenTtl: 1, refreshTokenTtl: 1 });
    as = await discover(server);
  });
  afterAll(() => server.close());

  it('an expired refresh token gets invalid_grant', async () => {
    const tokens = await signIn(server, as, 'judy');
    const issuedAt = Date.now();
    while ((await server.isActive(tokens.refresh_token!)) && Date.now() - issuedAt < 3_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await expectOAuthError(refresh(server, as, tokens.refresh_token!), 'invalid_grant');
  });
});
