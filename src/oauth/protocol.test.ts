import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { authMethodSchema, type OAuth2Method } from '../catalog/manifest/auth.js';
import { parseCidrList } from '../core/net/cidr.js';
import { createOutbound } from '../core/net/http-client.js';
import { createOAuthProtocol, endpointsOf, OAuthRefusal, OAuthUnavailable } from './protocol.js';

// The protocol wrapper against a token endpoint whose every answer a test sets: how vendors' departures from
// RFC 6749 are absorbed, and how refusals are told apart from outages.
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
let method: OAuth2Method;
const client = { client_id: 'app-1', client_secret: 'app-secret' };
const protocol = createOAuthProtocol(createOutbound({ allow: parseCidrList('127.0.0.0/8') }), { timeoutMs: 2000 });

beforeAll(async () => {
  vendor = await startFakeVendor();
  method = authMethodSchema.parse({
    type: 'oauth2',
    authorization_url: `${vendor.url}/authorize`,
    token_url: `${vendor.url}/token`,
    scope_separator: ',',
    token_params: { audience: 'api' },
  }) as OAuth2Method;
});
afterAll(() => vendor.close());

const endpoints = () => endpointsOf(method, {});
const refresh = () => protocol.refresh(method, endpoints(), client, 'rt-1');

describe('OAuth protocol', () => {
  it('builds the authorization URL with PKCE, state, the vendor scope separator and extra parameters', async () => {
    const { verifier, challenge } = await protocol.pkce();
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    const url = new URL(
      protocol.authorizationUrl({ ...method, authorize_params: { access_type: 'offline' } }, endpoints(), {
        clientId: 'app-1',
        redirectUri: 'https://sy.example/v1/oauth/callback',
        state: 's1',
        scopes: ['a', 'b'],
        challenge,
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'app-1',
      redirect_uri: 'https://sy.example/v1/oauth/callback',
      state: 's1',
      scope: 'a,b',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
    });
  });

  it('sends the refresh grant with client_secret_post and the manifest token parameters', async () => {
    vendor.on('POST /token', { json: { access_token: 'at-2', token_type: 'Bearer', expires_in: 60 } });
    const before = Date.now();
    const tokens = await refresh();
    expect(tokens).toMatchObject({ access_token: 'at-2', token_type: 'bearer', extra: {} });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_at!.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    const sent = new URLSearchParams(vendor.requests.at(-1)!.body.toString());
    expect(Object.fromEntries(sent)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'app-1',
      client_secret: 'app-secret',
      audience: 'api',
    });
  });

  it('reads expires_in: 0 as a token that never expires (Mailchimp), not one that expired at once', async () => {
    vendor.on('POST /token', { json: { access_token: 'mc-1', token_type: 'bearer', expires_in: 0, scope: null } });
    const tokens = await refresh();
    expect(tokens.access_token).toBe('mc-1');
    expect(tokens.expires_at).toBeUndefined();
  });

  it('absorbs a vendor token type, a missing one and an unrequested ID token; keeps extra fields', async () => {
    vendor.on('POST /token', {
      json: { access_token: 'xoxb-1', token_type: 'bot', id_token: 'not.a.jwt', team: { id: 'T1' }, scope: 'a,b' },
    });
    expect(await refresh()).toMatchObject({
      access_token: 'xoxb-1',
      token_type: 'bearer',
      scope: ['a', 'b'],
      extra: { vendor_token_type: 'bot', team: { id: 'T1' } },
    });
    vendor.on('POST /token', { json: { access_token: 'at-3', refresh_token: 'rt-2' } });
    expect(await refresh()).toMatchObject({ access_token: 'at-3', refresh_token: 'rt-2', token_type: 'bearer' });
  });

  it('tells a refusal (invalid_grant) from an outage (5xx, HTML, unreachable)', async () => {
    vendor.on('POST /token', { status: 400, json: { error: 'invalid_grant', error_description: 'Token revoked' } });
    const refused = await refresh().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthRefusal);
    expect(refused).toMatchObject({ error: 'invalid_grant', description: 'Token revoked', status: 400 });

    vendor.on('POST /token', { status: 503, json: { error: 'temporarily_unavailable' } });
    expect(await refresh().catch((e: unknown) => e)).toBeInstanceOf(OAuthUnavailable);
    vendor.on('POST /token', { status: 502, body: '<html>Bad gateway</html>' });
    expect(await refresh().catch((e: unknown) => e)).toMatchObject({ name: 'OAuthUnavailable', status: 502 });

    const gone = authMethodSchema.parse({ ...method, token_url: 'http://127.0.0.1:9/token' }) as OAuth2Method;
    const unreachable = await protocol.refresh(gone, endpointsOf(gone, {}), client, 'rt').catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(OAuthUnavailable);
    expect((unreachable as Error).message).toMatch(/could not reach 127\.0\.0\.1:9/);
  });

  it('refuses a token endpoint on a private address unless that network is allowed (SSRF guard)', async () => {
    const guarded = createOAuthProtocol(createOutbound({ allow: [] }), { timeoutMs: 2000 });
    const error = await guarded.refresh(method, endpoints(), client, 'rt-1').catch((e: unknown) => e);
    // Policy, not an outage: the catalogue's 422 destination_blocked.
    expect(error).toMatchObject({ name: 'ApiError', code: 'destination_blocked', status: 422 });
    expect((error as Error).message).toMatch(/non-public address: 127\.0\.0\.0\/8/);
  });
});
