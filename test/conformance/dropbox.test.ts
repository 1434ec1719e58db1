import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Dropbox's shipped manifest against a fake that answers as Dropbox documents (the API spec in Stone,
// https://github.com/dropbox/dropbox-api-spec, and https://www.dropbox.com/developers/documentation/http/documentation).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('dropbox');
});
afterAll(() => c.close());

const ACCESS = 'sl.u.AbX9y6Fe3AuH5o66-gmJpR032jwAwQPIVVzWXZNkdzcYT02akC2de';

// users/get_current_account (users.stone, FullAccount): account_id, name.display_name, email, account_type, ...
const account = {
  json: {
    account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
    name: {
      given_name: 'Franz',
      surname: 'Ferdinand',
      familiar_name: 'Franz',
      display_name: 'Franz Ferdinand (Personal)',
      abbreviated_name: 'FF',
    },
    email: 'franz@dropbox.com',
    email_verified: true,
    disabled: false,
    country: 'US',
    locale: 'en',
    account_type: { '.tag': 'business' },
    root_info: { '.tag': 'user', root_namespace_id: '3235641', home_namespace_id: '3235641' },
  },
};

// auth.stone AuthError: 401 {"error_summary": "<tag>/...", "error": {".tag": "<tag>"}} (invalid_access_token,
// expired_access_token, user_suspended, missing_scope with required_scope, ...).
const authError = (tag: string, extra: Record<string, unknown> = {}) => ({
  status: 401,
  json: { error_summary: `${tag}/..`, error: { '.tag': tag, ...extra } },
});

async function connected(tokens: { refresh_token?: string; expires_at?: Date } = {}): Promise<string> {
  const { id } = await c.oauthConnection({ access_token: ACCESS, token_type: 'bearer', extra: {}, ...tokens });
  return id;
}

const testRoute = () => c.routeOf('POST', '/users/get_current_account');

describe('dropbox conformance', () => {
  it('test call: POST users/get_current_account, no body; connected with the account id and display name', async () => {
    const id = await connected();
    c.vendor.on(testRoute(), account);
    const res = await c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(res.statusCode, res.body).toBe(200);
    const sent = c.requestsTo(testRoute()).at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(sent?.body.length).toBe(0);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
      vendor_account_name: 'Franz Ferdinand (Personal)',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    [authError('expired_access_token'), 'credential_expired'],
    [authError('invalid_access_token'), 'credential_revoked'],
    [authError('user_suspended'), 'credential_revoked'],
    [authError('missing_scope', { required_scope: 'account_info.read' }), 'scope_insufficient'],
  ])('test call: 401 AuthError %# maps to its outcome', async (reply, outcome) => {
    const id = await connected();
    await c.ageToken(id); // a mid-life token without a refresh token: the answer is read as the manifest maps it
    c.vendor.on(testRoute(), reply);
    const res = await c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.last_test_outcome, res.body).toMatchObject({ outcome, status: 401 });
    if (outcome === 'scope_insufficient') {
      expect(res.data.last_test_outcome).toMatchObject({ missing_scopes: ['account_info.read'] });
    }
  });

  it('rate limit: 429 RateLimitError with Retry-After is retried through the proxy', async () => {
    const id = await connected();
    // auth.stone RateLimitError {reason: too_many_requests | too_many_write_operations, retry_after}; the
    // Retry-After header in seconds (https://www.dropbox.com/developers/documentation/http/documentation#error-handling).
    const { res, attempts } = await c.rateLimited(id, '/users/get_space_usage', {
      limited: {
        status: 429,
        headers: { 'retry-after': '1' },
        json: {
          error_summary: 'too_many_requests/..',
          error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 },
        },
      },
      ok: { json: { used: 314159265, allocation: { '.tag': 'individual', allocated: 10000000000 } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream, POSTed with its JSON body, its results and next cursor', async () => {
    const id = await connected();
    const cursor = 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu';
    const bodyOf = (sent: { body: Buffer }) => JSON.parse(sent.body.toString()) as Record<string, unknown>;

    // files/list_folder (files.stone ListFolderResult {entries, cursor, has_more}); a DeletedMetadata entry has
    // no id, only name, path_lower, path_display.
    const files = await c.streamPage(id, 'files', {
      json: {
        entries: [
          {
            '.tag': 'file',
            name: 'Prime_Numbers.txt',
            id: 'id:a4ayc_80_OEAAAAAAAAAXw',
            path_lower: '/homework/math/prime_numbers.txt',
            path_display: '/Homework/math/Prime_Numbers.txt',
            client_modified: '2026-11-01T09:00:00Z',
            server_modified: '2026-11-01T09:00:01Z',
            rev: 'a1c10ce0dd78',
            size: 7212,
          },
          { '.tag': 'deleted', name: 'old.txt', path_lower: '/homework/old.txt', path_display: '/Homework/old.txt' },
        ],
        cursor,
        has_more: true,
      },
    });
    expect(files.sent.method).toBe('POST');
    expect(bodyOf(files.sent)).toEqual({ path: '', recursive: true, include_deleted: true, limit: 2000 });
    expect(files.records.map((r) => r.path_lower)).toEqual(['/homework/math/prime_numbers.txt', '/homework/old.txt']);
    expect(files.nextCursor).toBe(cursor);
    expect(files.pagination).toMatchObject({ has_more_path: '$.has_more' });
    expect(files.query.size).toBe(0);

    // sharing/list_shared_links: {links, has_more, cursor}.
    const links = await c.streamPage(id, 'shared_links', {
      json: {
        links: [
          {
            '.tag': 'file',
            url: 'https://www.dropbox.com/s/2sn712vy1ovegw8/Prime_Numbers.txt?dl=0',
            name: 'Prime_Numbers.txt',
            id: 'id:a4ayc_80_OEAAAAAAAAAXw',
            path_lower: '/homework/math/prime_numbers.txt',
            link_permissions: { can_revoke: false },
          },
        ],
        has_more: true,
        cursor,
      },
    });
    expect(links.records).toHaveLength(1);
    expect(links.nextCursor).toBe(cursor);

    // team/members/list_v2 (team_members.stone): {members: [{profile, roles}], cursor, has_more}.
    const members = await c.streamPage(id, 'team_members', {
      json: {
        members: [
          {
            profile: {
              team_member_id: 'dbmid:AAHhy7WsR0x-u4ZCqiDl5Fz5zvuL3kmspwU',
              account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
              email: 'tami@seagull.com',
              status: { '.tag': 'active' },
            },
            roles: [{ role_id: 'pid_dbtmr:3', name: 'User management admin' }],
          },
        ],
        cursor,
        has_more: false,
      },
    });
    expect(members.records).toHaveLength(1);

    // team/team_folder/list (team_folders.stone): {team_folders, cursor, has_more}.
    const folders = await c.streamPage(id, 'team_folders', {
      json: {
        team_folders: [{ team_folder_id: '123456789', name: 'Marketing', status: { '.tag': 'active' } }],
        cursor,
        has_more: false,
      },
    });
    expect(folders.records.map((r) => r.team_folder_id)).toEqual(['123456789']);

    // team_log/get_events (team_log.stone): {events, cursor, has_more}, limit <= 1000; a TeamEvent has no id.
    const event = (at: string, actor: string) => ({
      timestamp: at,
      event_category: { '.tag': 'groups' },
      event_type: { '.tag': 'group_create', description: 'Created group' },
      actor: { '.tag': 'user', user: { '.tag': 'team_member', email: actor } },
      details: { '.tag': 'group_create_details', is_company_managed: false },
    });
    const events = await c.streamPage(id, 'audit_events', {
      json: {
        events: [event('2026-12-01T10:00:00Z', 'a@x.com'), event('2026-12-01T10:00:00Z', 'b@x.com')],
        cursor,
        has_more: false,
      },
    });
    expect(bodyOf(events.sent)).toEqual({ limit: 1000 });
    expect(events.stream.primary_key).toEqual(['timestamp', 'event_category', 'event_type', 'actor', 'details']);
    // Two events of one timestamp are told apart by the rest of the key.
    const keys = events.records.map((r) => JSON.stringify(events.stream.primary_key.map((k) => r[k])));
    expect(new Set(keys).size).toBe(2);
  });

  it('revocation: POST auth/token/revoke with the access token as the bearer, no body; 200 null = revoked', async () => {
    // auth.stone token/revoke: no argument, the caller's access token is disabled (and its refresh token).
    c.vendor.on(c.routeOf('POST', '/auth/token/revoke'), {
      body: 'null',
      headers: { 'content-type': 'application/json' },
    });
    const id = await connected({ refresh_token: 'rt-not-due', expires_at: new Date(Date.now() + 3_600_000) });
    const before = c.requestsTo(c.routeOf('POST', '/auth/token/revoke')).length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked', tokens: 1, revoked: 1 });
    const sent = c.requestsTo(c.routeOf('POST', '/auth/token/revoke'))[before];
    expect(sent?.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(sent?.body.length).toBe(0);
  });

  it('revocation: an expired access token is refreshed first, and the fresh one revoked', async () => {
    // Dropbox refuses an expired token with 401 expired_access_token, token/revoke included; the refresh is
    // POST /oauth2/token grant_type=refresh_token (https://developers.dropbox.com/oauth-guide).
    c.vendor.on('POST /oauth2/token', {
      json: { access_token: 'sl.fresh-after-refresh', token_type: 'bearer', expires_in: 14400 },
    });
    c.vendor.on(c.routeOf('POST', '/auth/token/revoke'), (req) =>
      req.headers.authorization === 'Bearer sl.fresh-after-refresh'
        ? { body: 'null', headers: { 'content-type': 'application/json' } }
        : authError('expired_access_token'),
    );
    const id = await connected({ refresh_token: 'rt-live', expires_at: new Date(Date.now() - 60_000) });
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked', revoked: 1 });
    const refresh = c.requestsTo('POST /oauth2/token').at(-1);
    expect(new URLSearchParams(refresh?.body.toString()).get('grant_type')).toBe('refresh_token');
  });

  it('revocation: a 401 invalid_access_token is not counted as revoked', async () => {
    c.vendor.on(c.routeOf('POST', '/auth/token/revoke'), authError('invalid_access_token'));
    const id = await connected();
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).toBe('vendor_refused');
  });

  it('webhooks: the challenge is echoed, an app-secret-signed notification accepted, a forged one refused', async () => {
    const id = await connected();
    const secret = 'the_secret';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    // https://www.dropbox.com/developers/reference/webhooks: GET ?challenge=<x> must echo x (text/plain, nosniff).
    const check = await c.t.request({ method: 'GET', url: `${path as string}?challenge=abc123`, token: null });
    expect(check.statusCode).toBe(200);
    expect(check.body).toBe('abc123');
    expect(check.headers['x-content-type-options']).toBe('nosniff');
    // X-Dropbox-Signature = hex HMAC-SHA256(app secret, raw body); test vector from hapi-dropbox-webhooks:
    // secret "the_secret", body {"delta": {"users": [12345]}}.
    const body = '{"delta": {"users": [12345]}}';
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    expect(signature).toBe('0a8c16b085420b960dc78664279fe09e936a2a01b1f91064869d9e77dfd64529');
    const accepted = await c.deliver(path as string, body, { 'x-dropbox-signature': signature });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, {
      'x-dropbox-signature': createHmac('sha256', 'not_the_secret').update(body).digest('hex'),
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
