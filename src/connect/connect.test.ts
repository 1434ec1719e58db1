import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { createRole, expectProblem } from '../../test/helpers/fixtures.js';

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({
    'GET /me': (req) =>
      req.headers['x-api-key'] === 'good-key'
        ? { json: { id: 'acct_7', name: 'Alice’s workspace' } }
        : { status: 401, json: { message: 'bad key' } },
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const ORIGIN = 'http://127.0.0.1:5173';
const alice = { id: 'u-1', email: 'alice@example.com', display_name: 'Alice' };

async function newSession(extra: Record<string, unknown> = {}, token?: string) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/connect/sessions',
    body: {
      end_user: alice,
      connectors: [{ connector: 'generic_rest' }],
      tags: ['trial'],
      metadata: { plan: 'pro' },
      allowed_origins: [ORIGIN],
      branding: { name: 'Acme CRM', primary_color: '#0055ff' },
      ...extra,
    },
    ...(token ? { token } : {}),
  });
  return res;
}

const asEndUser = (session: string, method: string, url: string, body?: unknown) =>
  t.request({
    method,
    url,
    ...(body !== undefined ? { body } : {}),
    token: null,
    headers: { 'switchyard-connect-session': session },
  });

const connectBody = (key: string) => ({
  connector: 'generic_rest',
  auth_method: 'api_key',
  config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
  credentials: { api_key: key },
});

describe('connect sessions', () => {
  it('an end user with only the token connects: a failed try is explained and published, the success uses the session up', async () => {
    const created = await newSession();
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ status: 'pending', end_user: { id: 'u-1' }, allowed_origins: [ORIGIN] });
    const token = created.data.token as string;
    expect(token).toMatch(/^cs_/);
    expect(created.data.url).toMatch(new RegExp(`^https?://[^/]+/connect\\?session=${token}$`));
    const stored = JSON.stringify((await t.db.query('select * from connect_sessions')).rows);
    expect(stored).not.toContain(token);

    const view = await asEndUser(token, 'GET', '/v1/connect/session');
    expect(view.statusCode, view.body).toBe(200);
    expect(view.data).toMatchObject({
      end_user: { id: 'u-1', display_name: 'Alice' },
      branding: { name: 'Acme CRM', primary_color: '#0055ff', logo_url: null },
      connections: [],
    });
    const connectors = view.data.connectors as { slug: string; auth: { type: string }[] }[];
    expect(connectors.map((c) => c.slug)).toEqual(['generic_rest']);
    expect(connectors[0]?.auth.map((a) => a.type)).toContain('api_key');

    const wrong = await asEndUser(token, 'POST', '/v1/connect/connections', connectBody('bad-key'));
    expectProblem(wrong, 422, 'connection_test_failed');
    expect(wrong.data.explanation).toMatch(/did not accept these credentials/);
    const failedEvent = await t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.auth_failed'`,
    );
    expect(failedEvent.rows[0]?.data).toMatchObject({
      connector: 'generic_rest',
      end_user: { id: 'u-1' },
      connect_session_id: created.data.id,
      error: { code: 'connection_test_failed' },
      outcome: { outcome: 'credential_revoked' },
    });

    const made = await asEndUser(token, 'POST', '/v1/connect/connections', connectBody('good-key'));
    expect(made.statusCode, made.body).toBe(201);
    expect(made.data).toMatchObject({
      name: 'Generic REST API (Alice)',
      state: 'active',
      vendor_account_id: 'acct_7',
      end_user: { id: 'u-1', email: 'alice@example.com' },
      tags: ['trial'],
      metadata: { plan: 'pro' },
      connect_session_id: created.data.id,
    });
    expect(made.body).not.toContain('good-key');
    const createdEvent = await t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.created'`,
    );
    expect(createdEvent.rows[0]?.data).toMatchObject({ connection_id: made.data.id, end_user: { id: 'u-1' } });
    const audit = await t.db.query<Record<string, unknown>>(
      `select actor_type, action, diff from audit_log where target_id = $1`,
      [made.data.id],
    );
    expect(audit.rows[0]).toMatchObject({
      actor_type: 'api_key',
      action: 'connection.create',
      diff: { end_user_id: 'u-1', connect_session_id: created.data.id },
    });

    // Single use: the token works no more, and the product sees the session used with its connection.
    const again = await asEndUser(token, 'GET', '/v1/connect/session');
    expectProblem(again, 401, 'connect_session_invalid');
    expect(again.data.reason).toBe('used');
    const status = await t.request({ url: `/v1/connect/sessions/${created.data.id as string}` });
    expect(status.data).toMatchObject({ status: 'used', connection_id: made.data.id });
  });

  it('refuses an unknown, expired or ended token, a connector the session does not offer, and secret references', async () => {
    expectProblem(await asEndUser('cs_nothing', 'GET', '/v1/connect/session'), 401, 'connect_session_invalid');
    expectProblem(await asEndUser('', 'GET', '/v1/connect/session'), 401, 'connect_session_invalid');

    const token = (await newSession()).data.token as string;
    const other = await asEndUser(token, 'POST', '/v1/connect/connections', {
      ...connectBody('good-key'),
      connector: 'stripe',
    });
    expectProblem(other, 403, 'forbidden');
    const reference = await asEndUser(token, 'POST', '/v1/connect/connections', {
      ...connectBody('{{secrets.STRIPE_KEY}}'),
    });
    expectProblem(reference, 400, 'validation_failed');

    await t.db.query(`update connect_sessions set expires_at = now() - interval '1 second'`);
    const expired = await asEndUser(token, 'POST', '/v1/connect/connections', connectBody('good-key'));
    expectProblem(expired, 401, 'connect_session_invalid');
    expect(expired.data.reason).toBe('expired');

    const ended = await newSession();
    await t.request({ method: 'DELETE', url: `/v1/connect/sessions/${ended.data.id as string}` });
    expect((await asEndUser(ended.data.token as string, 'GET', '/v1/connect/session')).data.reason).toBe('expired');
    expect((await t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 0 });
  });

  it('acts with its maker’s authority: a revoked maker ends it, and a maker without create_connection cannot make one', async () => {
    const maker = await t.keyWithRole('administrator');
    const token = (await newSession({}, maker.token)).data.token as string;
    await t.db.query('update api_keys set revoked_at = now() where id = $1', [maker.id]);
    expectProblem(await asEndUser(token, 'GET', '/v1/connect/session'), 401, 'connect_session_invalid');

    const weak = await t.keyWithRole(await createRole(t, ['create_connect_session']));
    const refused = await newSession({}, weak.token);
    expectProblem(refused, 403, 'forbidden');
    expect(refused.data.missing_capability).toBe('create_connection');

    const foreign = await newSession({ allowed_origins: ['https://app.example.com/path'] });
    expectProblem(foreign, 400, 'validation_failed');
  });

  it('reconnect: a session for one of the end user’s connections renews its credentials', async () => {
    const first = (await newSession()).data.token as string;
    const made = await asEndUser(first, 'POST', '/v1/connect/connections', connectBody('good-key'));
    expect(made.statusCode, made.body).toBe(201);
    const id = made.data.id as string;
    await t.request({ method: 'POST', url: `/v1/connections/${id}/pause` });

    expectProblem(await newSession({ end_user: { id: 'u-2' }, reconnect: id }), 400, 'validation_failed');
    const renewal = await newSession({ reconnect: id });
    const token = renewal.data.token as string;
    const view = await asEndUser(token, 'GET', '/v1/connect/session');
    expect(view.data).toMatchObject({ reconnect: id, connections: [{ id, state: 'paused' }] });
    const wrong = await asEndUser(token, 'POST', `/v1/connect/connections/${id}/credentials`, {
      credentials: { api_key: 'bad-key' },
    });
    expectProblem(wrong, 422, 'connection_test_failed');
    const renewed = await asEndUser(token, 'POST', `/v1/connect/connections/${id}/credentials`, {
      credentials: { api_key: 'good-key' },
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect((await asEndUser(token, 'GET', '/v1/connect/session')).data.reason).toBe('used');

    // Another end user's connection is not found through a session, whatever its id.
    const bob = (await newSession({ end_user: { id: 'u-2' } })).data.token as string;
    const theirs = await asEndUser(bob, 'POST', `/v1/connect/connections/${id}/credentials`, {
      credentials: { api_key: 'good-key' },
    });
    expectProblem(theirs, 404, 'not_found');
  });

  it('GET /connect answers the UI only to an allowed origin, framed by that origin alone', async () => {
    const token = (await newSession()).data.token as string;
    const page = (query: string) => t.request({ url: `/connect?${query}`, token: null });
    const unknown = await page('session=cs_nothing&origin=' + encodeURIComponent(ORIGIN));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const foreign = await page(`session=${token}&origin=${encodeURIComponent('https://evil.example')}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).toContain('may not open this connect link');
    expect(foreign.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const ok = await page(`session=${token}&origin=${encodeURIComponent(ORIGIN)}`);
    expect(ok.statusCode, ok.body.slice(0, 200)).toBe(200);
    expect(ok.headers['content-security-policy']).toContain(`frame-ancestors ${ORIGIN}`);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
  });
});
