import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createUser, expectProblem, rowCounts, signIn } from '../../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('tenants', () => {
  it('a superuser creates a tenant that can seal secrets at once, and finds it by id or slug', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/tenants', body: { name: 'Acme', slug: 'acme' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'Acme', slug: 'acme', disabled: false, disabled_at: null });
    const id = created.data.id as string;
    expect((await t.request({ url: '/v1/tenants/acme' })).data.id).toBe(id);
    expect((await t.request({ url: `/v1/tenants/${id}` })).data.slug).toBe('acme');
    const { rows } = await t.db.query('select id from data_keys where tenant_id = $1', [id]);
    expect(rows).toHaveLength(1);

    // Act inside it with the tenant header: first administrator, first secret.
    const headers = { 'switchyard-tenant': 'acme' };
    const admin = await t.request({
      method: 'POST',
      url: '/v1/users',
      headers,
      body: { email: 'admin@acme.test', role: 'administrator', password: 'a long enough passphrase' },
    });
    expect(admin.statusCode, admin.body).toBe(201);
    const secret = await t.request({ method: 'POST', url: '/v1/secrets', headers, body: { name: 'K', value: 'v' } });
    expect(secret.statusCode, secret.body).toBe(201);
    const session = await signIn(t, { email: 'admin@acme.test', password: 'a long enough passphrase' });
    expect(session.response.data.tenant).toMatchObject({ id, slug: 'acme' });
    const secrets = await t.request({ url: '/v1/secrets', token: session.token });
    expect((secrets.data.data as { name: string }[]).map((s) => s.name)).toEqual(['K']);
  });

  it('refuses a duplicate or malformed slug, and answers 404 for an unknown tenant', async () => {
    await t.request({ method: 'POST', url: '/v1/tenants', body: { name: 'A', slug: 'dup' } });
    const before = await rowCounts(t, ['tenants', 'data_keys']);
    const dup = await t.request({ method: 'POST', url: '/v1/tenants', body: { name: 'B', slug: 'dup' } });
    expectProblem(dup, 409, 'already_exists');
    const bad = await t.request({ method: 'POST', url: '/v1/tenants', body: { name: 'C', slug: 'Not A Slug' } });
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.data.errors).toEqual([expect.objectContaining({ path: 'body.slug' })]);
    expect(await rowCounts(t, ['tenants', 'data_keys'])).toEqual(before);
    expectProblem(await t.request({ url: '/v1/tenants/nope' }), 404, 'not_found');
    const patch = await t.request({ method: 'PATCH', url: '/v1/tenants/nope', body: { name: 'x' } });
    expectProblem(patch, 404, 'not_found');
  });

  it('lists tenants in creation order with cursor pagination', async () => {
    for (const slug of ['a1', 'a2', 'a3'])
      await t.request({ method: 'POST', url: '/v1/tenants', body: { name: slug, slug } });
    const first = await t.request({ url: '/v1/tenants?limit=2' });
    const second = await t.request({ url: `/v1/tenants?limit=2&cursor=${first.data.next_cursor as string}` });
    const slugs = [...(first.data.data as { slug: string }[]), ...(second.data.data as { slug: string }[])];
    expect(slugs.map((s) => s.slug)).toEqual(['default', 'a1', 'a2', 'a3']);
    expect(second.data.next_cursor).toBeNull();
  });

  it('a disabled tenant’s keys and sessions get 403 tenant_disabled at once; re-enabling lets them back', async () => {
    const other = await t.otherTenant('acme');
    const user = await createUser(t, { role: 'viewer', tenantId: other.tenantId });
    const session = await signIn(t, user);
    expect((await t.request({ url: '/v1/me', token: other.token })).statusCode).toBe(200);

    const disabled = await t.request({ method: 'PATCH', url: '/v1/tenants/acme', body: { disabled: true } });
    expect(disabled.data.disabled).toBe(true);
    expectProblem(await t.request({ url: '/v1/me', token: other.token }), 403, 'tenant_disabled');
    expectProblem(await t.request({ url: '/v1/me', token: session.token }), 403, 'tenant_disabled');
    const write = await t.request({
      method: 'POST',
      url: '/v1/secrets',
      token: other.token,
      body: { name: 'X', value: 'v' },
    });
    expectProblem(write, 403, 'tenant_disabled');
    const signInAgain = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: user.email, password: user.password },
    });
    expectProblem(signInAgain, 403, 'tenant_disabled');
    // Other tenants are unaffected.
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);

    await t.request({ method: 'PATCH', url: '/v1/tenants/acme', body: { disabled: false } });
    expect((await t.request({ url: '/v1/me', token: other.token })).statusCode).toBe(200);
  });

  it('a superuser cannot disable the tenant their own account belongs to', async () => {
    const res = await t.request({ method: 'PATCH', url: `/v1/tenants/${t.tenantId}`, body: { disabled: true } });
    expectProblem(res, 409, 'conflict');
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);
  });
});
