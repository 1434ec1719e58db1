import { describe, expect, it } from 'vitest';
import { auditOf, expectProblem } from '../../test/helpers/fixtures.js';
import { followCallback, useOAuthFlow } from '../../test/helpers/oauth-flows.js';

const f = useOAuthFlow();

async function session(extra: Record<string, unknown> = {}) {
  const res = await f.t.request({
    method: 'POST',
    url: '/v1/connect/sessions',
    body: {
      end_user: { id: 'u-1', display_name: 'Ada' },
      connectors: [{ connector: f.slug, scopes: ['read'], config: { base_url: f.server.api.url } }],
      tags: ['crm'],
      allowed_origins: ['http://127.0.0.1:5173'],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.token as string;
}

const asEndUser = (token: string, method: string, url: string, body?: unknown) =>
  f.t.request({
    method,
    url,
    token: null,
    headers: { 'switchyard-connect-session': token },
    ...(body ? { body } : {}),
  });

describe('OAuth through a connect session', () => {
  it('the consent makes a connection of the end user, with the session’s scopes, and uses the session up', async () => {
    const token = await session();
    const view = await asEndUser(token, 'GET', '/v1/connect/session');
    const auth = (view.data.connectors as { auth: { type: string; scopes?: { name: string }[] }[] }[])[0]?.auth;
    expect(auth?.find((a) => a.type === 'oauth2')?.scopes?.map((s) => s.name)).toEqual(['read']);

    expect((view.data.connectors as { config: { key: string }[] }[])[0]?.config.map((c) => c.key)).not.toContain(
      'base_url',
    );
    // Where the OAuth app's secret goes is the app's to say, not the end user's.
    const moved = await asEndUser(token, 'POST', '/v1/connect/oauth/authorize', {
      connector: f.slug,
      config: { base_url: 'https://attacker.example' },
    });
    expectProblem(moved, 403, 'forbidden');

    const started = await asEndUser(token, 'POST', '/v1/connect/oauth/authorize', { connector: f.slug });
    expect(started.statusCode, started.body).toBe(200);
    const flow = started.data.flow_id as string;
    const url = new URL(started.data.authorization_url as string);
    expect(url.searchParams.get('scope')).toBe('read');
    expect((await asEndUser(token, 'GET', `/v1/connect/oauth/flows/${flow}`)).data.status).toBe('pending');

    const page = await followCallback(f.t, await f.server.approve(url.href, { account: 'alice' }));
    expect(page.statusCode, page.body).toBe(200);
    const status = await asEndUser(token, 'GET', `/v1/connect/oauth/flows/${flow}`);
    expect(status.data).toMatchObject({ status: 'connected' });
    const id = status.data.connection_id as string;
    const connection = await f.t.request({ url: `/v1/connections/${id}` });
    expect(connection.data).toMatchObject({
      name: `${'Harness API'} (Ada)`,
      state: 'active',
      end_user: { id: 'u-1', display_name: 'Ada' },
      tags: ['crm'],
      scopes_granted: ['read'],
    });
    expect(connection.data.connect_session_id).toEqual(expect.stringMatching(/^cs_/));
    expectProblem(await asEndUser(token, 'GET', '/v1/connect/session'), 401, 'connect_session_invalid');
  });

  it('two consents of one session: the first connects, the second makes nothing and says the link was used', async () => {
    const token = await session();
    const first = await asEndUser(token, 'POST', '/v1/connect/oauth/authorize', { connector: f.slug });
    const second = await asEndUser(token, 'POST', '/v1/connect/oauth/authorize', { connector: f.slug });
    const done = await followCallback(
      f.t,
      await f.server.approve(first.data.authorization_url as string, { account: 'alice' }),
    );
    expect(done.statusCode).toBe(200);
    const late = await followCallback(
      f.t,
      await f.server.approve(second.data.authorization_url as string, { account: 'alice' }),
    );
    expect(late.statusCode).toBe(401);
    expect(late.body).toContain('already used');
    expect((await f.t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 1 });
    const failed = await f.t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.auth_failed'`,
    );
    expect(failed.rows[0]?.data).toMatchObject({
      error: { code: 'connect_session_invalid' },
      end_user: { id: 'u-1' },
    });
  });

  it('renewing an end user’s connection is audited against the connection, refused or not, as a re-authorization', async () => {
    const first = await session();
    const started = await asEndUser(first, 'POST', '/v1/connect/oauth/authorize', { connector: f.slug });
    const done = await followCallback(
      f.t,
      await f.server.approve(started.data.authorization_url as string, { account: 'alice' }),
    );
    expect(done.statusCode, done.body).toBe(200);
    const flow = await asEndUser(first, 'GET', `/v1/connect/oauth/flows/${started.data.flow_id as string}`);
    const id = flow.data.connection_id as string;
    expect((await auditOf(f.t, started))[0]).toMatchObject({ target_type: 'oauth_flow', outcome: 'success' });

    // Another end user's session may not renew it: refused, and recorded against the connection it asked for.
    const stranger = await session({ end_user: { id: 'u-2' } });
    const refused = await asEndUser(stranger, 'POST', '/v1/connect/oauth/authorize', {
      connector: f.slug,
      connection_id: id,
    });
    expectProblem(refused, 404, 'not_found');
    expect(await auditOf(f.t, refused)).toEqual([
      expect.objectContaining({
        action: 'oauth_flow.start',
        target_type: 'connection',
        target_id: id,
        outcome: 'failure',
        error_code: 'not_found',
      }),
    ]);

    const renewal = await asEndUser(await session(), 'POST', '/v1/connect/oauth/authorize', {
      connector: f.slug,
      connection_id: id,
    });
    expect(renewal.statusCode, renewal.body).toBe(200);
    const [entry] = await auditOf(f.t, renewal);
    expect(entry).toMatchObject({ target_type: 'connection', target_id: id, outcome: 'success' });
    expect(entry?.diff).toMatchObject({ flow_id: renewal.data.flow_id });
  });
});
