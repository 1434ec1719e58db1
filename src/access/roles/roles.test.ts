import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createRole, createUser, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

type RoleView = { id: string; name: string; built_in: boolean; capabilities: string[] };

describe('roles', () => {
  it('lists the three built-in roles and every capability, superuser-only ones flagged', async () => {
    const roles = await t.request({ url: '/v1/roles' });
    const builtIn = (roles.data.data as RoleView[]).filter((r) => r.built_in);
    expect(builtIn.map((r) => r.id)).toEqual(['administrator', 'editor', 'viewer']);
    const caps = await t.request({ url: '/v1/roles/capabilities' });
    const list = caps.data.data as { name: string; superuser_only: boolean }[];
    expect(list.filter((c) => c.superuser_only).map((c) => c.name)).toEqual([
      'manage_tenants',
      'manage_registry',
      'manage_master_key',
    ]);
    const administrator = builtIn.find((r) => r.id === 'administrator') as RoleView;
    expect([...administrator.capabilities].sort()).toEqual(
      list
        .filter((c) => !c.superuser_only)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('a custom role grants exactly its capabilities, and an update takes effect on the next request', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/roles',
      body: { name: 'Auditor', description: 'reads the log', capabilities: ['view_audit', 'view_audit'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'Auditor', built_in: false, capabilities: ['view_audit'] });
    const roleId = created.data.id as string;
    const { token } = await t.keyWithRole(roleId);
    expect((await t.request({ url: '/v1/audit', token })).statusCode).toBe(200);
    expectProblem(await t.request({ url: '/v1/users', token }), 403, 'forbidden');

    const updated = await t.request({
      method: 'PATCH',
      url: `/v1/roles/${roleId}`,
      body: { capabilities: ['view_users'] },
    });
    expect(updated.data.capabilities).toEqual(['view_users']);
    expect((await t.request({ url: '/v1/users', token })).statusCode).toBe(200);
    expectProblem(await t.request({ url: '/v1/audit', token }), 403, 'forbidden');
    expect((await t.request({ url: '/v1/me', token })).data.capabilities).toEqual(['view_users']);
  });

  it('refuses to delete a role a user or an active key holds (409 in_use), then deletes it', async () => {
    const roleId = await createRole(t, ['list_connections']);
    const user = await createUser(t, { role: roleId });
    const key = await t.keyWithRole(roleId);
    const url = `/v1/roles/${roleId}`;
    expectProblem(await t.request({ method: 'DELETE', url }), 409, 'in_use');
    await t.request({ method: 'DELETE', url: `/v1/users/${user.id}` });
    expectProblem(await t.request({ method: 'DELETE', url }), 409, 'in_use');
    await t.request({ method: 'DELETE', url: `/v1/api-keys/${key.id}` });
    expect((await t.request({ method: 'DELETE', url })).statusCode).toBe(204);
    expectProblem(await t.request({ url }), 404, 'not_found');
    expectProblem(await t.request({ method: 'DELETE', url }), 404, 'not_found');
  });

  it('built-in roles cannot be changed, deleted or imitated', async () => {
    const before = await rowCounts(t, ['roles']);
    const patch = await t.request({ method: 'PATCH', url: '/v1/roles/administrator', body: { description: 'x' } });
    expectProblem(patch, 409, 'conflict');
    expectProblem(await t.request({ method: 'DELETE', url: '/v1/roles/viewer' }), 409, 'conflict');
    const imitation = await t.request({ method: 'POST', url: '/v1/roles', body: { name: 'Editor', capabilities: [] } });
    expectProblem(imitation, 409, 'already_exists');
    const roleId = await createRole(t, ['list_connections']);
    const rename = await t.request({ method: 'PATCH', url: `/v1/roles/${roleId}`, body: { name: 'Viewer' } });
    expectProblem(rename, 409, 'already_exists');
    expect(await rowCounts(t, ['roles'])).toEqual({ roles: (before.roles ?? 0) + 1 });
    expect((await t.request({ url: '/v1/roles/editor' })).data.built_in).toBe(true);
  });

  it('refuses a duplicate name and capabilities that do not exist or are superuser-only', async () => {
    await t.request({ method: 'POST', url: '/v1/roles', body: { name: 'Ops', capabilities: [] } });
    const dup = await t.request({ method: 'POST', url: '/v1/roles', body: { name: 'Ops', capabilities: [] } });
    expectProblem(dup, 409, 'already_exists');
    for (const capability of ['fly', 'manage_tenants']) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/roles',
        body: { name: 'X', capabilities: [capability] },
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors).toEqual([expect.objectContaining({ path: 'body.capabilities.0' })]);
    }
  });

  it('nobody creates or edits a role beyond their own capabilities', async () => {
    const roleManager = await createRole(t, ['manage_roles', 'view_roles', 'view_audit']);
    const { token } = await t.keyWithRole(roleManager);
    const create = await t.request({
      method: 'POST',
      url: '/v1/roles',
      token,
      body: { name: 'Keys', capabilities: ['manage_api_keys'] },
    });
    expectProblem(create, 403, 'privilege_escalation');
    expect(create.data.missing_capabilities).toEqual(['manage_api_keys']);
    // Nor weaken (and so take over) a role holding more than the caller.
    const strong = await createRole(t, ['manage_users', 'view_audit']);
    const edit = await t.request({
      method: 'PATCH',
      url: `/v1/roles/${strong}`,
      token,
      body: { capabilities: ['view_audit'] },
    });
    expectProblem(edit, 403, 'privilege_escalation');
    const own = await t.request({
      method: 'POST',
      url: '/v1/roles',
      token,
      body: { name: 'A', capabilities: ['view_audit'] },
    });
    expect(own.statusCode).toBe(201);
  });
});
