import { describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import { createApiKeyConnection } from '../../../test/helpers/catalog.js';
import { createUser, expectProblem, signIn } from '../../../test/helpers/fixtures.js';
import {
  insertOAuthConnection,
  minutesAgo,
  minutesFromNow,
  obtainTokens,
  storeCredential,
  useOAuthConnection,
} from '../../../test/helpers/oauth-connection.js';

const o = useOAuthConnection();

const proxy = (id: string, path = '/me', token?: string) =>
  o.t.request({ url: `/v1/connections/${id}/proxy${path}`, ...(token ? { token } : {}) });

describe('OAuth token refresh on use', () => {
  it('refreshes an expired access token before the next proxied call, storing the rotated refresh token', async () => {
    const { id, tokens } = await o.connect('alice', { expiresAt: minutesAgo(1) });
    const before = o.server.counts.refresh_token;
    const res = await proxy(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ id: 'alice' });
    expect(o.server.counts.refresh_token).toBe(before + 1);

    const after = await o.stored(id);
    expect(after.access_token).not.toBe(tokens.access_token);
    expect(after.refresh_token).not.toBe(tokens.refresh_token);
    expect(after.expires_at?.getTime()).toBeGreaterThan(Date.now());
    // Rotation: the old refresh token is dead on the server, the stored one alive (a reuse of the old one would
    // have revoked the whole grant, and this one with it).
    expect(await o.server.isActive(tokens.refresh_token as string)).toBe(false);
    expect(await o.server.isActive(after.refresh_token as string)).toBe(true);

    // The new token is used as it is: no further refresh while it is valid.
    expect((await proxy(id, '/things')).statusCode).toBe(200);
    expect(o.server.counts.refresh_token).toBe(before + 1);

    const events = await o.t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.credentials_refreshed'`,
    );
    expect(events.rows.map((r) => r.data)).toEqual([
      {
        connection_id: id,
        user_id: null,
        trigger: 'expiry',
        expires_at: expect.any(String),
        refresh_token_rotated: true,
      },
    ]);
  });

  it('a valid stored token is used without asking the authorization server', async () => {
    const { id } = await o.connect('alice');
    const before = o.server.counts.refresh_token;
    for (let i = 0; i < 3; i++) expect((await proxy(id)).statusCode).toBe(200);
    expect(o.server.counts.refresh_token).toBe(before);
  });

  it('concurrent calls in one process share one refresh', async () => {
    const { id } = await o.connect('alice', { expiresAt: minutesAgo(1) });
    const before = o.server.counts.refresh_token;
    const results = await Promise.all(Array.from({ length: 20 }, () => proxy(id)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(o.server.counts.refresh_token).toBe(before + 1);
  });

  it('on a vendor 401 refreshes once and sends the call again, body included', async () => {
    // The vendor stopped accepting the token before its stated expiry.
    const { id } = await o.connect('alice', {
      accessToken: 'revoked-out-of-band',
      expiresAt: minutesFromNow(60),
      refreshedAt: minutesAgo(60),
    });
    const before = { refresh: o.server.counts.refresh_token, api: o.server.api.requests };
    const res = await o.t.request({
      method: 'POST',
      url: `/v1/connections/${id}/proxy/things`,
      body: { name: 'x' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ method: 'POST', path: '/things', account: 'alice' });
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(o.server.counts.refresh_token).toBe(before.refresh + 1);
    expect(o.server.api.requests).toBe(before.api + 2);
  });

  it('a 401 for a token refreshed moments ago is passed on, not answered with another refresh', async () => {
    const { id } = await o.connect('alice', { accessToken: 'never-valid', expiresAt: minutesFromNow(60) });
    const before = o.server.counts.refresh_token;
    const res = await proxy(id);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expect(o.server.counts.refresh_token).toBe(before);
  });

  it('user level: each user calls with their own credential; a user without one gets not_connected', async () => {
    const { t, slug, store } = o;
    const id = await insertOAuthConnection(store, { tenantId: t.tenantId, slug, level: 'user' });
    const users = await Promise.all(['alice', 'bob', 'carol'].map(() => createUser(t, { role: 'editor' })));
    const sessions = await Promise.all(users.map((u) => signIn(t, u)));
    for (const [i, account] of ['alice', 'bob'].entries()) {
      const tokens = await obtainTokens(o.server, account);
      // Alice's has expired: her call refreshes her credential only.
      const shape = account === 'alice' ? { expiresAt: minutesAgo(1) } : {};
      await storeCredential(store, {
        tenantId: t.tenantId,
        connectionId: id,
        userId: users[i]!.id,
        tokens,
        ...shape,
      });
    }
    const before = o.server.counts.refresh_token;
    const alice = await proxy(id, '/me', sessions[0]!.token);
    const bob = await proxy(id, '/me', sessions[1]!.token);
    expect([alice.statusCode, bob.statusCode]).toEqual([200, 200]);
    expect(alice.data.id).toBe('alice');
    expect(bob.data.id).toBe('bob');
    expect(o.server.counts.refresh_token).toBe(before + 1);

    const carol = await proxy(id, '/me', sessions[2]!.token);
    expect(carol.statusCode).toBe(409);
    expect(carol.data).toMatchObject({ code: 'not_connected', connect_url: `/v1/connections/${id}/connect` });
    expect(carol.data.detail).toContain(`/v1/connections/${id}/connect`);
    // An app-level caller (the administrator's API key) has no credential of its own either.
    expect((await proxy(id)).data.code).toBe('not_connected');
  });
});

describe('POST /v1/connections/:id/refresh', () => {
  it('refreshes at once, validates with the test call and records both', async () => {
    const { id, tokens } = await o.connect('alice');
    const before = o.server.counts.refresh_token;
    const refreshed = await expectData(o.t.api.POST('/v1/connections/{id}/refresh', { params: { path: { id } } }));
    expect(refreshed).toMatchObject({
      id,
      state: 'active',
      vendor_account_id: 'alice',
      last_test_outcome: { outcome: 'connected', account_id: 'alice' },
    });
    expect(o.server.counts.refresh_token).toBe(before + 1);
    expect((await o.stored(id)).refresh_token).not.toBe(tokens.refresh_token);

    const audit = await o.t.db.query<{ action: string; outcome: string; diff: Record<string, unknown> }>(
      `select action, outcome, diff from audit_log where target_id = $1 order by id`,
      [id],
    );
    expect(audit.rows).toEqual([
      {
        action: 'connection.refresh',
        outcome: 'success',
        diff: { refreshed: true, outcome: 'connected', state: 'active' },
      },
    ]);
    const requests = await expectData(o.t.api.GET('/v1/connections/{id}/requests', { params: { path: { id } } }));
    expect(requests.data[0]).toMatchObject({ kind: 'test', status: 200 });
  });

  it('refuses a connection that does not use OAuth with 409 conflict, and needs refresh_credentials', async () => {
    const { id } = await o.connect('alice');
    const plain = await createApiKeyConnection(o.t, { config: { base_url: o.server.api.url } });
    const refresh = (connection: string, token = o.t.adminToken) =>
      o.t.apiAs(token).POST('/v1/connections/{id}/refresh', { params: { path: { id: connection } } });
    const res = await refresh(plain);
    expectProblem(res, 409, 'conflict');
    expect(res.error?.detail).toMatch(/does not use OAuth.*PATCH/);

    const editor = await o.t.keyWithRole('editor');
    const denied = await refresh(id, editor.token);
    expectProblem(denied, 403, 'forbidden');
    expect(denied.error?.missing_capability).toBe('refresh_credentials');
  });

  it('a connection test uses a refreshed token when the stored one expired', async () => {
    const { id } = await o.connect('alice', { expiresAt: minutesAgo(1) });
    const before = o.server.counts.refresh_token;
    const tested = await expectData(o.t.api.POST('/v1/connections/{id}/test', { params: { path: { id } } }));
    expect(tested).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    expect(o.server.counts.refresh_token).toBe(before + 1);
  });
});
