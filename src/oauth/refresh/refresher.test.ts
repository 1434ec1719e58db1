import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createUser, signIn } from '../../../test/helpers/fixtures.js';
import {
  endpointsOf,
  type CredentialShape,
  insertOAuthConnection,
  installOAuthConnector,
  minutesAgo,
  minutesFromNow,
  obtainTokens,
  storeCredential,
  storedTokens,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer, type OAuthServer } from '../../../test/helpers/oauth-server.js';

let server: OAuthServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setup(shape: CredentialShape = {}) {
  const app = (t = await createTestApp());
  const slug = await installOAuthConnector(app, endpointsOf(server));
  const tokens = await obtainTokens(server, 'alice');
  const store = { db: app.db, vault: app.built.vault };
  const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, tokens, ...shape });
  return { app, id, tokens, store, stored: () => storedTokens(store, app.tenantId, id) };
}

const proxy = (app: TestApp, id: string, path = '/me', token?: string) =>
  app.request({ url: `/v1/connections/${id}/proxy${path}`, ...(token ? { token } : {}) });

describe('OAuth token refresh on use', () => {
  it('refreshes an expired access token before the next proxied call, storing the rotated refresh token', async () => {
    const { app, id, tokens, stored } = await setup({ expiresAt: minutesAgo(1) });
    const before = server.counts.refresh_token;
    const res = await proxy(app, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ id: 'alice' });
    expect(server.counts.refresh_token).toBe(before + 1);

    const after = await stored();
    expect(after.access_token).not.toBe(tokens.access_token);
    expect(after.refresh_token).not.toBe(tokens.refresh_token);
    expect(after.expires_at?.getTime()).toBeGreaterThan(Date.now());
    // Rotation: the old refresh token is dead on the server, the stored one alive (a reuse of the old one would
    // have revoked the whole grant, and this one with it).
    expect(await server.isActive(tokens.refresh_token as string)).toBe(false);
    expect(await server.isActive(after.refresh_token as string)).toBe(true);

    // The new token is used as it is: no further refresh while it is valid.
    expect((await proxy(app, id, '/things')).statusCode).toBe(200);
    expect(server.counts.refresh_token).toBe(before + 1);

    const events = await app.db.query<{ data: Record<string, unknown> }>(
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
    const { app, id } = await setup();
    const before = server.counts.refresh_token;
    for (let i = 0; i < 3; i++) expect((await proxy(app, id)).statusCode).toBe(200);
    expect(server.counts.refresh_token).toBe(before);
  });

  it('concurrent calls in one process share one refresh', async () => {
    const { app, id } = await setup({ expiresAt: minutesAgo(1) });
    const before = server.counts.refresh_token;
    const results = await Promise.all(Array.from({ length: 20 }, () => proxy(app, id)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(server.counts.refresh_token).toBe(before + 1);
  });

  it('on a vendor 401 refreshes once and sends the call again, body included', async () => {
    // The vendor stopped accepting the token before its stated expiry.
    const { app, id } = await setup({
      accessToken: 'revoked-out-of-band',
      expiresAt: minutesFromNow(60),
      refreshedAt: minutesAgo(60),
    });
    const before = { refresh: server.counts.refresh_token, api: server.api.requests };
    const res = await app.request({
      method: 'POST',
      url: `/v1/connections/${id}/proxy/things`,
      body: { name: 'x' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ method: 'POST', path: '/things', account: 'alice' });
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(server.counts.refresh_token).toBe(before.refresh + 1);
    expect(server.api.requests).toBe(before.api + 2);
  });

  it('a 401 for a token refreshed moments ago is passed on, not answered with another refresh', async () => {
    const { app, id } = await setup({ accessToken: 'never-valid', expiresAt: minutesFromNow(60) });
    const before = server.counts.refresh_token;
    const res = await proxy(app, id);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expect(server.counts.refresh_token).toBe(before);
  });

  it('user level: each user calls with their own credential; a user without one gets not_connected', async () => {
    const app = (t = await createTestApp());
    const slug = await installOAuthConnector(app, endpointsOf(server));
    const store = { db: app.db, vault: app.built.vault };
    const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, level: 'user' });
    const users = await Promise.all(['alice', 'bob', 'carol'].map(() => createUser(app, { role: 'editor' })));
    const sessions = await Promise.all(users.map((u) => signIn(app, u)));
    for (const [i, account] of ['alice', 'bob'].entries()) {
      const tokens = await obtainTokens(server, account);
      // Alice's has expired: her call refreshes her credential only.
      const shape = account === 'alice' ? { expiresAt: minutesAgo(1) } : {};
      await storeCredential(store, {
        tenantId: app.tenantId,
        connectionId: id,
        userId: users[i]!.id,
        tokens,
        ...shape,
      });
    }
    const before = server.counts.refresh_token;
    const alice = await proxy(app, id, '/me', sessions[0]!.token);
    const bob = await proxy(app, id, '/me', sessions[1]!.token);
    expect([alice.statusCode, bob.statusCode]).toEqual([200, 200]);
    expect(alice.data.id).toBe('alice');
    expect(bob.data.id).toBe('bob');
    expect(server.counts.refresh_token).toBe(before + 1);

    const carol = await proxy(app, id, '/me', sessions[2]!.token);
    expect(carol.statusCode).toBe(409);
    expect(carol.data).toMatchObject({ code: 'not_connected', connect_url: `/v1/connections/${id}/connect` });
    expect(carol.data.detail).toContain(`/v1/connections/${id}/connect`);
    // An app-level caller (the administrator's API key) has no credential of its own either.
    expect((await proxy(app, id)).data.code).toBe('not_connected');
  });
});

describe('POST /v1/connections/:id/refresh', () => {
  it('refreshes at once, validates with the test call and records both', async () => {
    const { app, id, tokens, stored } = await setup();
    const before = server.counts.refresh_token;
    const res = await app.request({ method: 'POST', url: `/v1/connections/${id}/refresh` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      id,
      state: 'active',
      vendor_account_id: 'alice',
      last_test_outcome: { outcome: 'connected', account_id: 'alice' },
    });
    expect(server.counts.refresh_token).toBe(before + 1);
    expect((await stored()).refresh_token).not.toBe(tokens.refresh_token);

    const audit = await app.db.query<{ action: string; outcome: string; diff: Record<string, unknown> }>(
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
    const requests = await app.request({ url: `/v1/connections/${id}/requests` });
    expect((requests.data.data as { kind: string; status: number }[])[0]).toMatchObject({ kind: 'test', status: 200 });
  });

  it('refuses a connection that does not use OAuth with 409 conflict, and needs refresh_credentials', async () => {
    const { app, id } = await setup();
    const created = await app.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        auth_method: 'api_key',
        config: { base_url: server.api.url },
        credentials: { api_key: 'k' },
        validate: false,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await app.request({ method: 'POST', url: `/v1/connections/${created.data.id as string}/refresh` });
    expect(res.statusCode).toBe(409);
    expect(res.data).toMatchObject({ code: 'conflict' });
    expect(res.data.detail).toMatch(/does not use OAuth.*PATCH/);

    const editor = await app.keyWithRole('editor');
    const denied = await app.request({ method: 'POST', url: `/v1/connections/${id}/refresh`, token: editor.token });
    expect(denied.statusCode).toBe(403);
    expect(denied.data.missing_capability).toBe('refresh_credentials');
  });

  it('a connection test uses a refreshed token when the stored one expired', async () => {
    const { app, id } = await setup({ expiresAt: minutesAgo(1) });
    const before = server.counts.refresh_token;
    const res = await app.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    expect(server.counts.refresh_token).toBe(before + 1);
  });
});
