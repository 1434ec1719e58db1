import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from './helpers/app.js';
import { createSecret, expectProblem } from './helpers/fixtures.js';
import { snapshotData } from './helpers/snapshot.js';

/** Unknown ids, unknown routes, wrong methods, bad cursors and query values, and requests the handler refuses. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function rejected(attempt: () => Promise<TestResponse>): Promise<TestResponse> {
  const before = await snapshotData(t);
  const res = await attempt();
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(await snapshotData(t)).toEqual(before);
  return res;
}

describe('bad input: ids, routes, methods, queries', () => {
  it('unknown ids → 404 not_found on every read, update and delete by id', async () => {
    const requests: { method: 'GET' | 'PATCH' | 'PUT' | 'DELETE'; url: string; body?: unknown }[] = [
      { method: 'GET', url: '/v1/api-keys/key_nope' },
      { method: 'DELETE', url: '/v1/api-keys/key_nope' },
      { method: 'GET', url: '/v1/users/usr_nope' },
      { method: 'PATCH', url: '/v1/users/usr_nope', body: { name: 'x' } },
      { method: 'DELETE', url: '/v1/users/usr_nope' },
      { method: 'GET', url: '/v1/roles/role_nope' },
      { method: 'PATCH', url: '/v1/roles/role_nope', body: { name: 'x' } },
      { method: 'DELETE', url: '/v1/roles/role_nope' },
      { method: 'GET', url: '/v1/tenants/ten_nope' },
      { method: 'PATCH', url: '/v1/tenants/ten_nope', body: { name: 'x' } },
      { method: 'GET', url: '/v1/secrets/NOPE' },
      { method: 'PUT', url: '/v1/secrets/NOPE', body: { value: 'x' } },
      { method: 'DELETE', url: '/v1/secrets/NOPE' },
    ];
    for (const request of requests) expectProblem(await rejected(() => t.request(request)), 404, 'not_found');
  });

  it('unknown route → 404 route_not_found', async () => {
    for (const url of ['/v1/nothing-here', '/v2/api-keys', '/v1/api-keys/key_x/extra']) {
      const res = await t.request({ url });
      expectProblem(res, 404, 'route_not_found');
    }
    expectProblem(await t.request({ url: '/v1/nothing', token: null }), 404, 'route_not_found');
  });

  it('wrong method on a known path → 405 with an Allow header', async () => {
    const cases = [
      { method: 'PUT' as const, url: '/v1/api-keys', allow: 'GET, HEAD, POST' },
      { method: 'POST' as const, url: '/v1/users/usr_x', allow: 'DELETE, GET, HEAD, PATCH' },
      { method: 'DELETE' as const, url: '/v1/audit', allow: 'GET, HEAD' },
      { method: 'POST' as const, url: '/healthz', allow: 'GET, HEAD' },
      { method: 'PATCH' as const, url: '/v1/secrets/NAME/', allow: 'DELETE, GET, HEAD, PUT' },
    ];
    for (const c of cases) {
      const res = await rejected(() => t.request({ method: c.method, url: c.url, body: {} }));
      expectProblem(res, 405, 'method_not_allowed');
      expect(res.headers.allow, c.url).toBe(c.allow);
    }
  });

  it('a cursor this API did not issue → 400 validation_failed on every list', async () => {
    const forged = Buffer.from(JSON.stringify({ id: 42 })).toString('base64url');
    for (const list of ['/v1/api-keys', '/v1/users', '/v1/tenants', '/v1/audit', '/v1/secrets']) {
      for (const cursor of ['not-a-cursor', forged, '%E2%98%83']) {
        const res = await t.request({ url: `${list}?cursor=${cursor}` });
        expectProblem(res, 400, 'validation_failed');
        expect(res.data.errors).toEqual([expect.objectContaining({ path: 'querystring.cursor' })]);
      }
    }
  });

  it('query values out of range or of the wrong kind → 400 naming the parameter', async () => {
    const cases = [
      { url: '/v1/api-keys?limit=0', path: 'querystring.limit' },
      { url: '/v1/users?limit=201', path: 'querystring.limit' },
      { url: '/v1/users?limit=ten', path: 'querystring.limit' },
      { url: '/v1/api-keys?include_revoked=maybe', path: 'querystring.include_revoked' },
      { url: '/v1/audit?outcome=meh', path: 'querystring.outcome' },
      { url: '/v1/audit?since=yesterday', path: 'querystring.since' },
    ];
    for (const c of cases) {
      const res = await t.request({ url: c.url });
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors, c.url).toEqual([expect.objectContaining({ path: c.path })]);
    }
  });

  it('paths the router cannot read → 400 problem details, not the framework’s own body', async () => {
    for (const url of ['/v1/api-keys/%zz', `/v1/api-keys/${'k'.repeat(150)}`, '/v1/secrets/not-a-name']) {
      expectProblem(await t.request({ url }), 400, 'validation_failed');
    }
  });

  it('a NUL character (which PostgreSQL text cannot hold) → 400, wherever it comes in', async () => {
    const nul = '\u0000';
    const requests = [
      { method: 'POST' as const, url: '/v1/roles', body: { name: `a${nul}b`, capabilities: [] } },
      { method: 'POST' as const, url: '/v1/tenants', body: { name: `a${nul}b`, slug: 'nul' } },
      { method: 'POST' as const, url: '/v1/sessions', token: null, body: { email: `a${nul}@b.test`, password: 'x' } },
      { method: 'GET' as const, url: '/v1/users/usr%00x' },
      { method: 'GET' as const, url: '/v1/audit?actor=%00' },
    ];
    for (const request of requests) {
      const res = await rejected(() => t.request(request));
      expectProblem(res, 400, 'validation_failed');
    }
  });

  it('requests the handler refuses after validation leave nothing behind', async () => {
    const secret = await createSecret(t, 'v1');
    const refused: [number, string, () => Promise<TestResponse>][] = [
      [
        409,
        'already_exists',
        () => t.request({ method: 'POST', url: '/v1/secrets', body: { name: secret, value: 'x' } }),
      ],
      [
        400,
        'validation_failed',
        () => t.request({ method: 'POST', url: '/v1/api-keys', body: { name: 'k', role: 'nobody' } }),
      ],
      [
        400,
        'validation_failed',
        () =>
          t.request({
            method: 'POST',
            url: '/v1/api-keys',
            body: { name: 'k', role: 'viewer', expires_at: '2000-01-01T00:00:00Z' },
          }),
      ],
      [
        400,
        'validation_failed',
        () =>
          t.request({
            method: 'POST',
            url: '/v1/api-keys',
            body: { name: 'k', role: 'viewer', expires_at: '2999-01-01T00:00:00Z', expires_in_days: 3 },
          }),
      ],
      [
        409,
        'already_exists',
        () => t.request({ method: 'POST', url: '/v1/tenants', body: { name: 'D', slug: 'default' } }),
      ],
      [409, 'conflict', () => t.request({ method: 'PATCH', url: '/v1/roles/viewer', body: { name: 'x' } })],
    ];
    for (const [status, code, attempt] of refused) expectProblem(await rejected(attempt), status, code);
  });
});
