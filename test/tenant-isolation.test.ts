import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createRole, createSecret, createUser, expectProblem } from './helpers/fixtures.js';

/**
 * Tenant A is the default tenant (holding a key, a user, a custom role, a secret and audit entries); tenant B has an
 * administrator. B must neither see nor touch A's records: A's ids answer 404 — exactly what an id that never
 * existed answers, so B cannot even learn they exist — and B's lists never include them.
 */
let t: TestApp;
let a: { keyId: string; userId: string; roleId: string; secret: string };
let tokenB: string;
let tenantB: string;

beforeEach(async () => {
  t = await createTestApp();
  const key = await t.keyWithRole('viewer');
  const roleId = await createRole(t, ['list_connections']);
  const user = await createUser(t, { role: roleId });
  const secret = await createSecret(t, 'tenant-a-value', undefined, 'SHARED_NAME');
  a = { keyId: key.id, userId: user.id, roleId, secret };
  ({ token: tokenB, tenantId: tenantB } = await t.otherTenant('tenant-b'));
});
afterEach(async () => {
  await t.close();
});

/** Everything of tenant A's as stored, to prove B's attempts changed nothing. */
async function tenantARows() {
  const rows: unknown[] = [];
  for (const table of ['api_keys', 'users', 'roles', 'secrets']) {
    const { rows: r } = await t.db.query(`select * from ${table} where tenant_id = $1 order by id`, [t.tenantId]);
    rows.push(r);
  }
  const { rows: versions } = await t.db.query('select * from secret_versions order by secret_id, version');
  return [...rows, versions];
}

describe('tenant isolation', () => {
  it('answers 404 for every id of another tenant, exactly as for an id that never existed', async () => {
    const before = await tenantARows();
    const attempts: { method: 'GET' | 'PATCH' | 'DELETE' | 'PUT'; url: string; body?: unknown }[] = [
      { method: 'GET', url: `/v1/api-keys/${a.keyId}` },
      { method: 'DELETE', url: `/v1/api-keys/${a.keyId}` },
      { method: 'GET', url: `/v1/users/${a.userId}` },
      { method: 'PATCH', url: `/v1/users/${a.userId}`, body: { name: 'pwned' } },
      { method: 'DELETE', url: `/v1/users/${a.userId}` },
      { method: 'GET', url: `/v1/roles/${a.roleId}` },
      { method: 'PATCH', url: `/v1/roles/${a.roleId}`, body: { description: 'pwned' } },
      { method: 'DELETE', url: `/v1/roles/${a.roleId}` },
      { method: 'GET', url: `/v1/secrets/${a.secret}` },
      { method: 'PUT', url: `/v1/secrets/${a.secret}`, body: { value: 'pwned' } },
      { method: 'DELETE', url: `/v1/secrets/${a.secret}` },
    ];
    for (const attempt of attempts) {
      const res = await t.request({ ...attempt, token: tokenB });
      expectProblem(res, 404, 'not_found');
      // A made-up id gets the same answer, up to the id the detail names.
      const id = attempt.url.split('/').at(-1) as string;
      const madeUp = id === a.secret ? 'NEVER_EXISTED' : `${id}x`;
      const never = await t.request({ ...attempt, url: attempt.url.replace(id, madeUp), token: tokenB });
      expectProblem(never, 404, 'not_found');
      expect(never.data.detail).toBe((res.data.detail as string).replace(id, madeUp));
    }
    expect(await tenantARows()).toEqual(before);
  });

  it('never lists another tenant’s keys, users, roles, secrets or audit entries', async () => {
    const ids = (res: { data: { data?: unknown } }) => JSON.stringify(res.data.data);
    const lists = ['/v1/api-keys?include_revoked=true', '/v1/users', '/v1/roles', '/v1/secrets', '/v1/audit?limit=200'];
    for (const url of lists) {
      const res = await t.request({ url, token: tokenB });
      expect(res.statusCode, url).toBe(200);
      for (const id of [a.keyId, a.userId, a.roleId, a.secret, t.tenantId]) expect(ids(res), url).not.toContain(id);
    }
    const audit = await t.request({ url: `/v1/audit?target_type=secret&target_id=${a.secret}`, token: tokenB });
    expect(audit.data.data).toEqual([]);
    // and tenant A sees its own
    const own = await t.request({ url: `/v1/audit?target_type=secret&target_id=${a.secret}` });
    expect(own.data.data).toHaveLength(1);
  });

  it('records B’s attempts in B’s activity log, never in A’s', async () => {
    const res = await t.request({ method: 'DELETE', url: `/v1/api-keys/${a.keyId}`, token: tokenB });
    const { rows } = await t.db.query<{ tenant_id: string; outcome: string }>(
      'select tenant_id, outcome from audit_log where request_id = $1',
      [res.headers['x-request-id']],
    );
    expect(rows).toEqual([{ tenant_id: tenantB, outcome: 'failure' }]);
  });

  it('does not let one tenant grant another tenant’s custom role', async () => {
    const key = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      token: tokenB,
      body: { name: 'k', role: a.roleId },
    });
    expectProblem(key, 400, 'validation_failed');
    expect(key.data.errors).toEqual([expect.objectContaining({ path: 'body.role' })]);
  });

  it('keeps same-named secrets apart', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/secrets',
      token: tokenB,
      body: { name: 'SHARED_NAME', value: 'tenant-b-value' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { rows } = await t.db.query<{ tenant_id: string; current_version: number }>(
      'select tenant_id, current_version from secrets where name = $1 order by tenant_id',
      ['SHARED_NAME'],
    );
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([t.tenantId, tenantB].sort());
  });

  it('refuses the Switchyard-Tenant header to anyone but a superuser', async () => {
    for (const wanted of [t.tenantId, 'default']) {
      const res = await t.request({ url: '/v1/users', token: tokenB, headers: { 'switchyard-tenant': wanted } });
      expectProblem(res, 403, 'forbidden');
      expect(res.body).not.toContain(a.userId);
    }
    // Naming one's own tenant, by id or slug, is harmless.
    for (const own of [tenantB, 'tenant-b']) {
      const res = await t.request({ url: '/v1/me', token: tokenB, headers: { 'switchyard-tenant': own } });
      expect(res.data.tenant).toMatchObject({ id: tenantB });
    }
  });

  it('records a refused tenant switch as denied, in the caller’s own tenant', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      token: tokenB,
      headers: { 'switchyard-tenant': 'default' },
      body: { name: 'sneaky', role: 'administrator' },
    });
    expectProblem(res, 403, 'forbidden');
    const { rows } = await t.db.query<{ tenant_id: string; outcome: string; error_code: string }>(
      'select tenant_id, outcome, error_code from audit_log where request_id = $1',
      [res.headers['x-request-id']],
    );
    expect(rows).toEqual([{ tenant_id: tenantB, outcome: 'denied', error_code: 'forbidden' }]);
    const keys = await t.db.query('select 1 from api_keys where name = $1', ['sneaky']);
    expect(keys.rows).toEqual([]);
  });

  it('lets a superuser act in another tenant with the header', async () => {
    const headers = { 'switchyard-tenant': 'tenant-b' };
    const me = await t.request({ url: '/v1/me', headers });
    expect(me.data).toMatchObject({ tenant: { id: tenantB, slug: 'tenant-b' }, home_tenant_id: t.tenantId });
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      headers,
      body: { name: 'in-b', role: 'viewer' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const listedByB = await t.request({ url: '/v1/api-keys', token: tokenB });
    expect(JSON.stringify(listedByB.data.data)).toContain((created.data.api_key as { id: string }).id);
    const { rows } = await t.db.query<{ tenant_id: string }>('select tenant_id from audit_log where request_id = $1', [
      created.headers['x-request-id'],
    ]);
    expect(rows).toEqual([{ tenant_id: tenantB }]);
    expectProblem(await t.request({ url: '/v1/me', headers: { 'switchyard-tenant': 'nope' } }), 404, 'not_found');
  });
});
