import { expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import type { Conformance } from './harness.js';

/**
 * What every Google API documents alike (Google OAuth 2.0 and the shared error shapes), for the conformance tests of
 * the Google connectors. Each answer cites the page it comes from.
 */

const REALM = 'Bearer realm="https://accounts.google.com/"';

/** Google's tokens for a signed-in user, as the callback stores them
 * (https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code). */
export const googleTokens = (scope: string) => ({
  access_token: `ya29.a0Af_${Math.random().toString(36).slice(2)}`,
  refresh_token: `1//0g_${Math.random().toString(36).slice(2)}`,
  token_type: 'Bearer',
  expires_at: new Date(Date.now() + 3599_000),
  scope: [scope],
  extra: {},
});

// https://developers.google.com/drive/api/guides/handle-errors#resolve_a_401_error (the error shape Google's APIs
// share): "Invalid Credentials" — the token is expired or invalid; refresh it, re-consent if the refresh fails.
const legacy401 = {
  error: {
    errors: [
      {
        domain: 'global',
        reason: 'authError',
        message: 'Invalid Credentials',
        locationType: 'header',
        location: 'Authorization',
      },
    ],
    code: 401,
    message: 'Invalid Credentials',
  },
};
const invalidToken = { 'www-authenticate': `${REALM}, error="invalid_token"` };

/** The documented 401 in its legacy shape and with the status and ErrorInfo reason the googleapis.com front ends
 * add (https://github.com/googleapis/googleapis/blob/master/google/api/error_reason.proto ACCESS_TOKEN_EXPIRED). */
export const google401s: VendorReply[] = [
  { status: 401, headers: invalidToken, json: legacy401 },
  {
    status: 401,
    headers: invalidToken,
    json: {
      error: {
        ...legacy401.error,
        status: 'UNAUTHENTICATED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_EXPIRED',
            domain: 'googleapis.com',
          },
        ],
      },
    },
  },
];

/** error_reason.proto ACCESS_TOKEN_SCOPE_INSUFFICIENT, with the legacy reason insufficientPermissions and the RFC
 * 6750 insufficient_scope challenge naming the scope the call needs. */
export const googleScope403 = (scope: string, service: string): VendorReply => ({
  status: 403,
  headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
  json: {
    error: {
      code: 403,
      message: 'Request had insufficient authentication scopes.',
      errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
          domain: 'googleapis.com',
          metadata: { service },
        },
      ],
    },
  },
});

/** https://developers.google.com/drive/api/guides/handle-errors#resolve_a_500_error: backendError. */
export const googleBackendError: VendorReply = {
  status: 500,
  json: {
    error: {
      errors: [{ domain: 'global', reason: 'backendError', message: 'Backend Error' }],
      code: 500,
      message: 'Backend Error',
    },
  },
};

/** https://developers.google.com/drive/api/guides/handle-errors#resolve_a_429_error: "Too many requests", reason
 * rateLimitExceeded; no rate-limit headers or Retry-After — clients back off exponentially. */
export const google429: VendorReply = {
  status: 429,
  json: {
    error: {
      errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }],
      code: 429,
      message: 'Rate Limit Exceeded',
      status: 'RESOURCE_EXHAUSTED',
    },
  },
};

/**
 * The documented outcomes of a Google test call on a connection whose token was just issued (the answer, the outcome,
 * the vendor code when it is an error). A 401 is credential_expired by the manifest; a token issued moments ago that
 * Google still refuses is not refreshed again but needs consent (scope_insufficient, status 401) — the refresh of an
 * older token is `googleExpiredTokenTest`.
 */
export const googleTestAnswers = (scope: string, service: string): [VendorReply, string, string | undefined][] => [
  ...google401s.map((r): [VendorReply, string, undefined] => [r, 'scope_insufficient', undefined]),
  [googleScope403(scope, service), 'scope_insufficient', undefined],
  [googleBackendError, 'vendor_error', 'backendError'],
];

/**
 * Disconnect revokes at https://oauth2.googleapis.com/revoke
 * (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke): a form POST of token=<refresh or
 * access token>, no client authentication; 200 on success, 400 with an error code otherwise. Revoking either token
 * ends the whole grant.
 */
export function googleRevocationTests(conformance: () => Conformance, scope: string) {
  it('revocation: disconnect posts the refresh token to /revoke without client authentication; 200 is revoked', async () => {
    const c = conformance();
    c.vendor.on('POST /revoke', { status: 200, body: '' });
    const t = googleTokens(scope);
    const { id } = await c.oauthConnection(t);
    const before = c.requestsTo('POST /revoke').length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /revoke').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body.toString()))).toEqual({ token: t.refresh_token });
    expect(sent[0]?.headers.authorization).toBeUndefined();
    const auth = c.manifest.auth[0];
    expect(auth?.type === 'oauth2' && auth.revocation?.ends_grant).toBe(true);
  });

  it('revocation: a 400 (token already invalid or unknown) is not counted as revoked', async () => {
    const c = conformance();
    c.vendor.on('POST /revoke', {
      status: 400,
      json: { error: 'invalid_token', error_description: 'Token expired or revoked' },
    });
    const { id } = await c.oauthConnection(googleTokens(scope));
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });
}

/** Google push channels (events.watch, files.watch, changes.watch): https://developers.google.com/drive/api/guides/push
 * — an empty POST whose X-Goog-* headers carry the channel, its token (the secret given to watch), the resource
 * state and a message number. */
export const googleChannelHeaders = (token: string, resourceUri: string, state: string) => ({
  'x-goog-channel-id': '01234567-89ab-cdef-0123-456789abcdef',
  'x-goog-channel-token': token,
  'x-goog-channel-expiration': 'Tue, 08 Dec 2026 10:00:00 GMT',
  'x-goog-resource-id': 'o3hgv1538sdjfh',
  'x-goog-resource-uri': resourceUri,
  'x-goog-resource-state': state,
  'x-goog-message-number': '4',
});

/**
 * A 401 on an older token is credential_expired: the platform refreshes it at https://oauth2.googleapis.com/token
 * (https://developers.google.com/identity/protocols/oauth2/web-server#offline: grant_type=refresh_token, answered
 * with a new access_token and expires_in) and tests again with the new token, which Google accepts.
 */
export function googleExpiredTokenTest(
  conformance: () => Conformance,
  scope: string,
  ok: VendorReply,
  config: Record<string, unknown> = {},
) {
  it('test call: a 401 on an older token is credential_expired — refreshed at /token and tested again', async () => {
    const c = conformance();
    const t = googleTokens(scope);
    c.vendor.on('POST /token', {
      json: { access_token: 'ya29.a0Af_refreshed', expires_in: 3599, scope, token_type: 'Bearer' },
    });
    const { id } = await c.oauthConnection(t, undefined, config);
    await c.ageToken(id);
    const before = c.requestsTo('POST /token').length;
    const { res } = await c.retest(
      id,
      (req) => (req.headers.authorization === 'Bearer ya29.a0Af_refreshed' ? ok : (google401s[0] as VendorReply)),
      { config },
    );
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const refresh = c.requestsTo('POST /token').slice(before);
    expect(refresh).toHaveLength(1);
    const form = new URLSearchParams(refresh[0]?.body.toString());
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(t.refresh_token);
  });
}
