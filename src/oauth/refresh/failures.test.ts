import { afterEach, describe, expect, it } from 'vitest';
import { expectData, getConnection } from '../../../test/helpers/api.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';
import {
  connectAtVendor,
  minutesAgo,
  storeCredential,
  useOAuthConnection,
} from '../../../test/helpers/oauth-connection.js';

const o = useOAuthConnection();
let vendor: Awaited<ReturnType<typeof startFakeVendor>> | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

const proxy = (id: string, token?: string) =>
  o.t.request({ url: `/v1/connections/${id}/proxy/me`, ...(token ? { token } : {}) });

const post = (id: string, action: 'refresh' | 'test') =>
  o.t.api.POST(`/v1/connections/{id}/${action}`, { params: { path: { id } } });

async function history(id: string) {
  return (await expectData(o.t.api.GET('/v1/connections/{id}/history', { params: { path: { id } } }))).data;
}

async function rows<R>(sql: string, values: unknown[]) {
  return (await o.t.db.query<R>(sql, values)).rows;
}

/** A vendor whose token endpoint the test controls, with an API at the same address; an expired credential. */
async function fakeVendorSetup() {
  const fake = (vendor = await startFakeVendor({ '/me': { json: { id: 'acct' } } }));
  const { id } = await connectAtVendor(o.t, fake.url, { expiresAt: minutesAgo(1) });
  const tokenRequests = () =>
    fake.requests.filter((r) => r.url === '/token').map((r) => new URLSearchParams(r.body.toString()));
  return { fake, id, tokenRequests };
}

describe('OAuth refresh failures', () => {
  it('a revoked grant moves the connection to auth_revoked (history, event, audit) and the proxy refuses it', async () => {
    const { id, tokens } = await o.connect('dave', { expiresAt: minutesAgo(1) });
    await o.server.revokeGrants('dave');
    const before = o.server.counts.refresh_token;

    const refused = await proxy(id);
    expect(refused.statusCode).toBe(409);
    expect(refused.data.code).toBe('connection_unusable');
    expect(refused.data.detail).toMatch(/grant was revoked \(invalid_grant.*reauthorize/);
    expect(JSON.stringify(refused.data)).not.toContain(tokens.refresh_token);
    expect(o.server.counts.refresh_token).toBe(before + 1);

    expect(await getConnection(o.t, id)).toMatchObject({ state: 'auth_revoked' });
    expect((await history(id))[0]).toMatchObject({ from: 'active', to: 'auth_revoked', actor_type: 'system' });
    const events = await rows<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.state_changed' and data->>'connection_id' = $1`,
      [id],
    );
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 'active', to: 'auth_revoked', reason: expect.stringContaining('invalid_grant') }),
    ]);
    const audit = await rows<{ action: string; actor_type: string; outcome: string; diff: Record<string, unknown> }>(
      'select action, actor_type, outcome, diff from audit_log where target_id = $1',
      [id],
    );
    expect(audit).toEqual([
      {
        action: 'connection.refresh_failed',
        actor_type: 'system',
        outcome: 'failure',
        diff: expect.objectContaining({ from: 'active', to: 'auth_revoked' }),
      },
    ]);

    // Refused from now on without asking the authorization server again.
    const again = await proxy(id);
    expect(again.statusCode).toBe(409);
    expect(again.data.detail).toMatch(/revoked or rejected/);
    expect(o.server.counts.refresh_token).toBe(before + 1);
  });

  it('a test call whose refresh is refused records that as its outcome', async () => {
    const { fake, id } = await fakeVendorSetup();
    fake.on('POST /token', { status: 400, json: { error: 'invalid_grant', error_description: 'revoked by admin' } });
    const tested = await expectData(post(id, 'test'));
    expect(tested).toMatchObject({
      state: 'auth_revoked',
      last_test_outcome: { outcome: 'credential_revoked', status: 400 },
    });
    expect(tested.last_test_outcome?.message).toContain('invalid_grant: revoked by admin');
    // One transition, active → auth_revoked (the test's own `testing` marker aside), by the caller.
    const states = (await history(id)).map((h) => [h.from, h.to, h.actor_type]);
    expect(states.slice(0, 2)).toEqual([
      ['testing', 'auth_revoked', 'api_key'],
      ['active', 'testing', 'api_key'],
    ]);
    expect(fake.requests.filter((r) => r.url === '/me')).toEqual([]);
  });

  it('a manual refresh the server refuses answers 409 and leaves the connection in the refused state', async () => {
    const { fake, id } = await fakeVendorSetup();
    fake.on('POST /token', { status: 400, json: { error: 'invalid_grant', error_description: 'expired grant' } });
    expectProblem(await post(id, 'refresh'), 409, 'connection_unusable');
    expect(await getConnection(o.t, id)).toMatchObject({ state: 'auth_expired' });
    const audit = await rows<{ action: string; actor_type: string; outcome: string }>(
      'select action, actor_type, outcome from audit_log where target_id = $1 order by id',
      [id],
    );
    expect(audit).toEqual([
      { action: 'connection.refresh_failed', actor_type: 'system', outcome: 'failure' },
      { action: 'connection.refresh', actor_type: 'api_key', outcome: 'failure' },
    ]);
  });

  it('a refusal whose description holds a lone surrogate escape or a NUL is recorded, with U+FFFD', async () => {
    const { fake, id } = await fakeVendorSetup();
    // jsonb (the event, the audit entry) refuses the first, text (the state reason) the second: the refusal answered
    // 500 or 400 validation_failed, and was never recorded, so every later call asked the vendor again.
    fake.on('POST /token', {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"invalid_grant","error_description":"revoked \\ud800 by \\u0000 admin"}',
    });
    expectProblem(await post(id, 'refresh'), 409, 'connection_unusable');
    expect(await getConnection(o.t, id)).toMatchObject({
      state: 'auth_revoked',
      state_reason: expect.stringContaining('invalid_grant: revoked \uFFFD by \uFFFD admin'),
    });
    const events = await rows<{ data: { reason: string } }>(
      `select data from events where type = 'connection.state_changed' and data->>'connection_id' = $1`,
      [id],
    );
    expect(events.map((e) => e.data.reason)).toEqual([expect.stringContaining('revoked \uFFFD by \uFFFD admin')]);
  });

  it('a refresh token past its known expiry gives auth_expired without a request', async () => {
    const { id, tokenRequests } = await fakeVendorSetup();
    await o.t.db.query(
      `update connection_credentials set refresh_expires_at = now() - interval '1 minute' where connection_id = $1`,
      [id],
    );
    const res = await proxy(id);
    expect(res.statusCode).toBe(409);
    expect(res.data.detail).toMatch(/authorization has expired/);
    expect(await getConnection(o.t, id)).toMatchObject({ state: 'auth_expired' });
    expect(tokenRequests()).toEqual([]);
  });

  it('an unreachable token endpoint is retried within the call and counted; error only after three in a row', async () => {
    const { fake, id, tokenRequests } = await fakeVendorSetup();
    fake.on('POST /token', { status: 503, body: 'maintenance' });
    for (const failures of [1, 2]) {
      const res = await proxy(id);
      expect(res.statusCode).toBe(502);
      expect(res.data.code).toBe('oauth_unavailable');
      expect((await o.stored(id)).refresh_failures).toBe(failures);
      expect(await getConnection(o.t, id)).toMatchObject({ state: 'active' });
    }
    // Three attempts per call, each with the refresh token stored.
    expect(tokenRequests().map((p) => p.get('refresh_token'))).toEqual(Array(6).fill('refresh-1'));

    expect((await proxy(id)).statusCode).toBe(502);
    const failed = await getConnection(o.t, id);
    expect(failed).toMatchObject({ state: 'error' });
    expect(failed.state_reason).toMatch(/^Token refresh failed 3 times in a row: .*503/);
    expect((await history(id))[0]).toMatchObject({ from: 'active', to: 'error', actor_type: 'system' });

    // Back up: the next call refreshes, and the connection is active again.
    fake.on('POST /token', {
      json: { access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 3600 },
    });
    const ok = await proxy(id);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await getConnection(o.t, id)).toMatchObject({ state: 'active', state_reason: null });
    expect((await o.stored(id)).refresh_failures).toBe(0);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer access-2');
  });

  it('a 5xx whose JSON body is not an OAuth error reports the vendor status', async () => {
    const { fake, id } = await fakeVendorSetup();
    fake.on('POST /token', { status: 503, json: { message: 'upstream down' } });
    const res = await post(id, 'refresh');
    expectProblem(res, 502, 'oauth_unavailable');
    expect(res.error?.detail).toMatch(/127\.0\.0\.1:\d+ answered 503/);
    expect(res.error?.detail).not.toMatch(/conform/);
  });

  it('another refusal (invalid_client) is an error at once', async () => {
    const { fake, id } = await fakeVendorSetup();
    fake.on('POST /token', { status: 401, json: { error: 'invalid_client', error_description: 'client disabled' } });
    const res = await proxy(id);
    expect(res.statusCode).toBe(409);
    expect(res.data.code).toBe('connection_unusable');
    const failed = await getConnection(o.t, id);
    expect(failed.state).toBe('error');
    expect(failed.state_reason).toContain('invalid_client: client disabled');
  });

  it('a response without a refresh token keeps the stored one, which the next refresh sends again', async () => {
    const { fake, id, tokenRequests } = await fakeVendorSetup();
    let n = 1;
    fake.on('POST /token', () => ({
      json: { access_token: `access-${++n}`, token_type: 'Bearer', expires_in: 3600 },
    }));
    expect((await proxy(id)).statusCode).toBe(200);
    const first = await o.stored(id);
    expect(first).toMatchObject({ access_token: 'access-2', refresh_token: 'refresh-1' });

    await o.t.db.query(`update connection_credentials set expires_at = now() - interval '1 minute'`);
    expect((await proxy(id)).statusCode).toBe(200);
    expect(await o.stored(id)).toMatchObject({
      access_token: 'access-3',
      refresh_token: 'refresh-1',
    });
    expect(tokenRequests().map((p) => [p.get('grant_type'), p.get('refresh_token')])).toEqual([
      ['refresh_token', 'refresh-1'],
      ['refresh_token', 'refresh-1'],
    ]);
    const events = await rows<{ data: { refresh_token_rotated: boolean } }>(
      `select data from events where type = 'connection.credentials_refreshed' order by id`,
      [],
    );
    expect(events.map((e) => e.data.refresh_token_rotated)).toEqual([false, false]);
  });

  it('user level: a revoked grant ends that user’s credential only; they are told to connect again', async () => {
    const { fake, id } = await fakeVendorSetup();
    await o.t.db.query(`update connections set level = 'user' where id = $1`, [id]);
    const editor = await o.t.keyWithRole('editor');
    await storeCredential(o.store, {
      tenantId: o.t.tenantId,
      connectionId: id,
      userId: editor.id,
      tokens: { access_token: 'user-access', refresh_token: 'user-refresh', token_type: 'bearer', extra: {} },
      expiresAt: minutesAgo(1),
    });
    fake.on('POST /token', { status: 400, json: { error: 'invalid_grant', error_description: 'grant revoked' } });
    const res = await proxy(id, editor.token);
    expect(res.statusCode).toBe(409);
    expect(res.data).toMatchObject({ code: 'not_connected', connect_url: `/v1/connections/${id}/connect` });
    expect(res.data.detail).toMatch(/was revoked.*connect your account again/);
    expect(await getConnection(o.t, id)).toMatchObject({ state: 'active' });
    const tokenCalls = fake.requests.length;
    expect((await proxy(id, editor.token)).data).toMatchObject({
      code: 'not_connected',
      connect_url: `/v1/connections/${id}/connect`,
    });
    expect(fake.requests.length).toBe(tokenCalls);
    const audit = await rows<{ action: string; diff: Record<string, unknown> }>(
      'select action, diff from audit_log where target_id = $1',
      [id],
    );
    expect(audit).toEqual([
      {
        action: 'connection.refresh_failed',
        diff: expect.objectContaining({ user_id: editor.id, failure: 'revoked' }),
      },
    ]);
  });
});
