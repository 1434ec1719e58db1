import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { installConnector, installSystemConnection } from '../../../test/helpers/connectors.js';
import { startFakeVendor, type RecordedRequest } from '../../../test/helpers/fake-vendor.js';
import { auditOf, uniqueName } from '../../../test/helpers/fixtures.js';
import { insertOAuthConnection } from '../../../test/helpers/oauth-connection.js';

// Disconnect revokes in the style the manifest declares, against a loopback vendor that records what it received;
// the audit entry says "revoked" only when the vendor's answer matched the manifest's success rule.
const CLIENT = { client_id: 'app-1', client_secret: 'app-secret' };
const TOKENS = { access_token: 'at-1', refresh_token: 'rt-1', token_type: 'bearer', extra: {} };
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
let t: TestApp;
beforeAll(async () => {
  vendor = await startFakeVendor();
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

/**
 * A connection (config `account: acct_42`) of a new connector whose OAuth method revokes at the vendor's `path` as
 * `revocation` says (or, `legacy`, through revocation_url), then disconnected: the recorded outcome, and what the
 * vendor received.
 */
async function disconnectWithPath(path: string, revocation: Record<string, unknown>, legacy = false) {
  const slug = uniqueName('revoking');
  const block = legacy
    ? { revocation_url: url(path), revocation_auth: 'client_secret_post' }
    : { revocation: { url: url(path), ...revocation } };
  await installConnector(t, {
    slug,
    management: 'shared',
    config: [{ key: 'account', label: 'Account', required: false }],
    auth: [
      { type: 'oauth2', authorization_url: `${vendor.url}/authorize`, token_url: `${vendor.url}/token`, ...block },
    ] as never,
    base_url: vendor.url,
  });
  await installSystemConnection(t, slug, 'oauth2', CLIENT);
  const id = await insertOAuthConnection(
    { db: t.db, vault: t.built.vault },
    { tenantId: t.tenantId, slug, tokens: TOKENS },
  );
  await t.db.query(`update connections set config = '{"account":"acct_42"}' where id = $1`, [id]);
  const seen = vendor.requests.length;
  const res = await t.request({ method: 'DELETE', url: `/v1/connections/${id}` });
  expect(res.statusCode, res.body).toBe(204);
  const [entry] = await auditOf(t, res);
  return { revocation: (entry?.diff as { revocation: unknown }).revocation, sent: vendor.requests.slice(seen) };
}

const form = (r: RecordedRequest) => Object.fromEntries(new URLSearchParams(r.body.toString()));
const url = (path: string) => `${vendor.url}${path}`;

describe('revocation styles', () => {
  it('bearer: the access token as the bearer, no body, no client credentials (Dropbox)', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, { status: 200, body: 'null', headers: { 'content-type': 'application/json' } });
    const { revocation, sent } = await disconnectWithPath(path, { style: 'bearer', token: 'access' });
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', url: path });
    expect(sent[0]?.headers.authorization).toBe('Bearer at-1');
    expect(sent[0]?.body.length).toBe(0);
    expect(sent[0]?.headers['content-type']).toBeUndefined();
  });

  it('query: the refresh token in the named query parameter, nothing in a body (Zoho)', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, { status: 200, json: { status: 'success' } });
    const { revocation, sent } = await disconnectWithPath(path, { style: 'query', param: 'token' });
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
    const query = new URL(sent[0]?.url as string, vendor.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({ token: 'rt-1' });
    expect(sent[0]?.headers.authorization).toBeUndefined();
    expect(sent[0]?.body.length).toBe(0);
  });

  it('form without a token: vendor fields from the OAuth app and the config (Stripe Connect deauthorize)', async () => {
    const path = `/${uniqueName('deauthorize')}`;
    vendor.on(path, { status: 200, json: { stripe_user_id: 'acct_42' } });
    const { revocation, sent } = await disconnectWithPath(path, {
      style: 'form',
      param: null,
      body: { client_id: '{{client.client_id}}', stripe_user_id: '{{config.account}}' },
      success: { status: [200], json: { path: '$.stripe_user_id', exists: true } },
    });
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
    expect(sent[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // client_secret_post by default: the app's secret authenticates; no token of the grant is sent.
    expect(form(sent[0] as RecordedRequest)).toEqual({
      client_id: 'app-1',
      stripe_user_id: 'acct_42',
      client_secret: 'app-secret',
    });
    expect(sent[0]?.body.toString()).not.toMatch(/at-1|rt-1/);
  });

  it('json: the token under its field with extra fields, client_secret_basic in the header', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, { status: 204 });
    const { revocation, sent } = await disconnectWithPath(path, {
      style: 'json',
      method: 'DELETE',
      param: 'refresh_token',
      client_auth: 'client_secret_basic',
      body: { reason: 'disconnected' },
      success: { status: [204] },
    });
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
    expect(sent[0]?.method).toBe('DELETE');
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent[0]?.body.toString() ?? '')).toEqual({ reason: 'disconnected', refresh_token: 'rt-1' });
    expect(sent[0]?.headers.authorization).toBe(`Basic ${Buffer.from('app-1:app-secret').toString('base64')}`);
  });

  it('a 200 with ok:false (Slack auth.revoke) is not revoked; the record says what the vendor answered', async () => {
    const path = `/${uniqueName('auth.revoke')}`;
    vendor.on(path, { status: 200, json: { ok: false, error: 'invalid_auth' } });
    const slack = {
      style: 'bearer',
      token: 'access',
      success: { status: [200], json: { path: '$.ok', equals: true } },
    };
    const { revocation } = await disconnectWithPath(path, slack);
    expect(revocation).toEqual({
      outcome: 'vendor_refused',
      tokens: 1,
      revoked: 0,
      detail: expect.stringMatching(/answered 200: invalid_auth$/),
    });
  });

  it('what the vendor answered is recorded with U+FFFD for a lone surrogate escape or a NUL (jsonb refuses them)', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"invalid_request","error_description":"no \\udbff such \\u0000 token"}',
    });
    // The disconnect's audit entry holds the detail: it failed with a 500 and the connection stayed.
    const { revocation } = await disconnectWithPath(path, { style: 'rfc7009' });
    expect(revocation).toMatchObject({
      outcome: 'vendor_refused',
      detail: expect.stringMatching(/answered 400: invalid_request: no \uFFFD such \uFFFD token$/),
    });
  });

  it('a 200 with ok:true is revoked', async () => {
    const path = `/${uniqueName('auth.revoke')}`;
    vendor.on(path, { status: 200, json: { ok: true, revoked: true } });
    const slack = {
      style: 'bearer',
      token: 'access',
      success: { status: [200], json: { path: '$.ok', equals: true } },
    };
    const { revocation } = await disconnectWithPath(path, slack);
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
  });

  it('rfc7009: form token and hint with the app credentials; a 5xx is unreachable, a 400 refused', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, { status: 200, body: '' });
    const { revocation, sent } = await disconnectWithPath(path, { style: 'rfc7009' });
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 1, revoked: 1 });
    expect(form(sent[0] as RecordedRequest)).toEqual({
      token: 'rt-1',
      token_type_hint: 'refresh_token',
      client_id: 'app-1',
      client_secret: 'app-secret',
    });
    vendor.on(path, { status: 503, body: 'down' });
    const down = await disconnectWithPath(path, { style: 'rfc7009' });
    expect(down.revocation).toMatchObject({ outcome: 'unreachable', revoked: 0, detail: expect.stringMatching(/503/) });
    vendor.on(path, { status: 400, json: { error: 'unsupported_token_type' } });
    const refused = await disconnectWithPath(path, { style: 'rfc7009' });
    expect(refused.revocation).toMatchObject({
      outcome: 'vendor_refused',
      detail: expect.stringMatching(/unsupported_token_type/),
    });
  });

  it('the older revocation_url form still revokes both tokens of the grant (RFC 7009)', async () => {
    const path = `/${uniqueName('revoke')}`;
    vendor.on(path, { status: 200, body: '' });
    const { revocation, sent } = await disconnectWithPath(path, {}, true);
    expect(revocation).toEqual({ outcome: 'revoked', tokens: 2, revoked: 2 });
    expect(sent.map((r) => form(r).token_type_hint)).toEqual(['refresh_token', 'access_token']);
  });
});
