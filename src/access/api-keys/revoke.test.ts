import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createRole, expectProblem } from '../../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('revoking API keys', () => {
  it('a tenant administrator cannot revoke the superuser’s key, and the superuser keeps working', async () => {
    const { token } = await t.keyWithRole('administrator');
    const keys = await t.request({ url: '/v1/api-keys', token });
    const superuserKey = (keys.data.data as { id: string; superuser: boolean }[]).find((k) => k.superuser);
    expect(superuserKey).toBeDefined();
    const res = await t.request({ method: 'DELETE', url: `/v1/api-keys/${superuserKey?.id as string}`, token });
    expectProblem(res, 403, 'privilege_escalation');
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);
  });

  it('a custom role with manage_api_keys revokes only keys holding nothing it lacks', async () => {
    const manager = await t.keyWithRole(
      await createRole(t, ['manage_api_keys', 'view_api_keys', 'list_connections', 'browse_connector_library']),
    );
    const administrator = await t.keyWithRole('administrator');
    const keys = (await t.request({ url: '/v1/api-keys' })).data.data as { id: string; superuser: boolean }[];
    const superuserKey = keys.find((k) => k.superuser)?.id as string;
    for (const [victim, code] of [
      [administrator.id, 'privilege_escalation'],
      [superuserKey, 'privilege_escalation'],
    ] as const) {
      const res = await t.request({ method: 'DELETE', url: `/v1/api-keys/${victim}`, token: manager.token });
      expectProblem(res, 403, code);
    }
    const refused = await t.request({
      method: 'DELETE',
      url: `/v1/api-keys/${administrator.id}`,
      token: manager.token,
    });
    expect(refused.data.missing_capabilities).toEqual(expect.arrayContaining(['create_connection', 'manage_users']));
    // Both keys still work, and nothing was revoked.
    expect((await t.request({ url: '/v1/me', token: administrator.token })).statusCode).toBe(200);
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);
    const revoked = await t.db.query('select count(*)::int as n from api_keys where revoked_at is not null');
    expect(revoked.rows).toEqual([{ n: 0 }]);

    // A key whose role it covers it may revoke; creating a stronger one it may not.
    const lesser = await t.keyWithRole(await createRole(t, ['list_connections']));
    expect(
      (await t.request({ method: 'DELETE', url: `/v1/api-keys/${lesser.id}`, token: manager.token })).statusCode,
    ).toBe(200);
    const create = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      token: manager.token,
      body: { name: 'stronger', role: 'administrator' },
    });
    expectProblem(create, 403, 'privilege_escalation');
  });

  it('an administrator revokes an ordinary key, and a superuser any key', async () => {
    const { token } = await t.keyWithRole('administrator');
    const victim = await t.keyWithRole('editor');
    expect((await t.request({ method: 'DELETE', url: `/v1/api-keys/${victim.id}`, token })).statusCode).toBe(200);
    expectProblem(await t.request({ url: '/v1/me', token: victim.token }), 401, 'invalid_credentials');
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'second superuser', role: 'administrator', superuser: true },
    });
    const id = (created.data.api_key as { id: string }).id;
    expect((await t.request({ method: 'DELETE', url: `/v1/api-keys/${id}` })).data.status).toBe('revoked');
  });
});
