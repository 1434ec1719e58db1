import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { auditOf, rowCounts } from '../../../test/helpers/fixtures.js';
import {
  approveAndReturn,
  authorize,
  connectionIdOf,
  followCallback,
  registerClient,
  useOAuthFlow,
} from '../../../test/helpers/oauth-flows.js';

/** What a failed callback must leave untouched. */
// What a failed callback must not write. Events are counted apart: a failure publishes connection.auth_failed.
const stored = ['connections', 'connection_credentials', 'connection_state_history'];

const f = useOAuthFlow();

function expectErrorPage(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  expect(res.body).toContain(`<code>${code}</code>`);
  expect(res.body).toContain('Nothing was saved');
  expect(res.body).toContain(`"code":"${code}"`);
}

describe('the callback refuses what it cannot trust, and stores nothing', () => {
  it('an unknown or missing state', async () => {
    const before = await rowCounts(f.t, stored);
    for (const query of ['?code=abc&state=not-a-state-we-issued', '?code=abc', '']) {
      const res = await f.t.request({ url: `/v1/oauth/callback${query}`, token: null });
      expectErrorPage(res, 400, 'oauth_state_invalid');
    }
    expect(await rowCounts(f.t, stored)).toEqual(before);
    expect(f.server.counts.authorization_code).toBe(0);
  });

  it('an expired flow (older than 10 minutes): the code is never exchanged', async () => {
    const started = await authorize(f, { connector: f.slug });
    const redirect = await f.server.approve(started.authorization_url, { account: 'alice' });
    await f.t.db.query(`update oauth_flows set expires_at = now() - interval '1 second' where id = $1`, [
      started.flow_id,
    ]);
    const before = await rowCounts(f.t, stored);
    expectErrorPage(await followCallback(f.t, redirect), 400, 'oauth_state_invalid');
    expect(await rowCounts(f.t, stored)).toEqual(before);
    expect(f.server.counts.authorization_code).toBe(0);
  });

  it('a replayed callback: the state worked once', async () => {
    const started = await authorize(f, { connector: f.slug });
    const redirect = await f.server.approve(started.authorization_url, { account: 'alice' });
    connectionIdOf(await followCallback(f.t, redirect));
    const after = await rowCounts(f.t, stored);
    expectErrorPage(await followCallback(f.t, redirect), 400, 'oauth_state_invalid');
    expect(await rowCounts(f.t, stored)).toEqual(after);
    expect(f.server.counts.authorization_code).toBe(1);
  });

  it('two callbacks racing with one state: exactly one completes', async () => {
    const started = await authorize(f, { connector: f.slug });
    const redirect = await f.server.approve(started.authorization_url, { account: 'alice' });
    const results = await Promise.all([followCallback(f.t, redirect), followCallback(f.t, redirect)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect((await rowCounts(f.t, ['connections'])).connections).toBe(1);
  });

  it('denied consent: the vendor’s description is shown (escaped), the flow is used up', async () => {
    const started = await authorize(f, { connector: f.slug });
    const before = await rowCounts(f.t, stored);
    const redirect = await f.server.approve(started.authorization_url, { account: 'alice', deny: true });
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    const res = await followCallback(f.t, redirect);
    expectErrorPage(res, 400, 'oauth_refused');
    expect(res.body).toContain('access was denied: End-User denied the authorization request');
    expect(await rowCounts(f.t, stored)).toEqual(before);
    expect(f.server.counts.authorization_code).toBe(0);
    const events = await f.t.db.query<{ type: string; data: Record<string, unknown> }>('select type, data from events');
    expect(events.rows).toEqual([
      {
        type: 'connection.auth_failed',
        data: expect.objectContaining({
          connector: f.slug,
          flow_id: started.flow_id,
          purpose: 'create',
          error: { code: 'oauth_refused', message: expect.stringContaining('access was denied') },
        }),
      },
    ]);
    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ action: 'connection.create', outcome: 'failure', error_code: 'oauth_refused' });
    // The flow is single-use whatever the outcome.
    expectErrorPage(await followCallback(f.t, redirect), 400, 'oauth_state_invalid');
  });

  it('a vendor error description cannot inject markup into the page', async () => {
    const started = await authorize(f, { connector: f.slug });
    const state = new URL(started.authorization_url).searchParams.get('state') as string;
    const query = new URLSearchParams({
      state,
      error: 'server_error',
      error_description: '</script><script>alert(1)</script><img src=x onerror=alert(2)>',
    });
    const res = await f.t.request({ url: `/v1/oauth/callback?${query}`, token: null });
    expectErrorPage(res, 400, 'oauth_refused');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<img');
    expect(res.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
  });

  it('the test call fails with the new token: the outcome is shown, nothing stored', async () => {
    const limited = await f.install({
      manifest: { test: { kind: 'http', request: { method: 'GET', path: '/scoped/admin' } } },
    });
    const before = await rowCounts(f.t, stored);
    const started = await authorize(f, { connector: limited, scopes: ['read'] });
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expectErrorPage(res, 422, 'connection_test_failed');
    expect(res.body).toContain('scope_insufficient');
    expect(f.server.counts.authorization_code).toBe(1);
    expect(await rowCounts(f.t, stored)).toEqual(before);
    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ outcome: 'failure', error_code: 'connection_test_failed' });
    // The tokens the exchange returned are not left valid at the vendor.
    expect(f.server.counts.revocation).toBe(2);
    expect(entry?.diff).toMatchObject({ revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } });
  });

  it('the token endpoint refuses the code exchange (a wrong client secret): oauth_refused', async () => {
    await registerClient(f.t, f.slug, { client_id: 'web-app', client_secret: 'not-the-secret' });
    const before = await rowCounts(f.t, stored);
    const started = await authorize(f, { connector: f.slug });
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expectErrorPage(res, 400, 'oauth_refused');
    expect(res.body).toContain('invalid_client');
    expect(await rowCounts(f.t, stored)).toEqual(before);
  });

  it('the token endpoint cannot be reached: oauth_unavailable (502)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await f.install({ oauth: { token_url: `http://127.0.0.1:${port}/token` } });
    const before = await rowCounts(f.t, stored);
    const started = await authorize(f, { connector: unreachable });
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expectErrorPage(res, 502, 'oauth_unavailable');
    expect(await rowCounts(f.t, stored)).toEqual(before);
  });

  it('the key that started the flow was revoked meanwhile: nothing is created in its name', async () => {
    const admin = await f.t.keyWithRole('administrator');
    const started = await authorize(f, { connector: f.slug }, admin.token);
    await f.t.db.query('update api_keys set revoked_at = now() where id = $1', [admin.id]);
    const before = await rowCounts(f.t, stored);
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expectErrorPage(res, 403, 'forbidden');
    expect(await rowCounts(f.t, stored)).toEqual(before);
    expect(f.server.counts.authorization_code).toBe(0);
    const events = await f.t.db.query<{ type: string; data: Record<string, unknown> }>('select type, data from events');
    expect(events.rows).toEqual([
      {
        type: 'connection.auth_failed',
        data: expect.objectContaining({
          connector: f.slug,
          flow_id: started.flow_id,
          purpose: 'create',
          error: { code: 'forbidden', message: expect.stringContaining('can no longer act in Switchyard') },
        }),
      },
    ]);
    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ actor_id: admin.id, outcome: 'denied', error_code: 'forbidden' });
  });

  it('a principal whose role lost create_connection meanwhile cannot complete the flow', async () => {
    const admin = await f.t.keyWithRole('administrator');
    const started = await authorize(f, { connector: f.slug }, admin.token);
    await f.t.db.query(`update api_keys set role = 'editor' where id = $1`, [admin.id]);
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expectErrorPage(res, 403, 'forbidden');
    expect(res.body).toContain('create_connection');
    expect((await rowCounts(f.t, ['connections'])).connections).toBe(0);
  });
});
