import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createRole, createUser, expectProblem, rowCounts, signIn } from '../../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const password = 'a long enough passphrase';
const credentials = (user: { email: string; password: string }) => ({ email: user.email, password: user.password });

describe('users', () => {
  it('creates a user without ever returning or storing the password, and refuses a duplicate email', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'Ada@Example.test', name: 'Ada', role: 'editor', password },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ email: 'ada@example.test', name: 'Ada', role: 'editor', disabled: false });
    expect(created.body).not.toContain(password);
    const { rows } = await t.db.query<{ password_hash: string }>('select password_hash from users where id = $1', [
      created.data.id,
    ]);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain(password);

    const fetched = await t.request({ url: `/v1/users/${created.data.id as string}` });
    expect(fetched.data.email).toBe('ada@example.test');
    const again = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'ada@example.test', role: 'viewer', password },
    });
    expectProblem(again, 409, 'already_exists');
  });

  it('rejects a short password and an unknown role, naming the field', async () => {
    const short = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'b@example.test', role: 'viewer', password: 'short' },
    });
    expectProblem(short, 400, 'validation_failed');
    expect(short.data.errors).toEqual([{ path: 'body.password', message: 'at least 12 characters' }]);
    const unknownRole = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'b@example.test', role: 'role_nope', password },
    });
    expectProblem(unknownRole, 400, 'validation_failed');
    expect(unknownRole.data.errors).toEqual([expect.objectContaining({ path: 'body.role' })]);
  });

  it('disabling a user ends their sessions at once and keeps them out', async () => {
    const user = await createUser(t, { role: 'editor' });
    const session = await signIn(t, user);
    expect((await t.request({ url: '/v1/me', token: null, cookies: session.cookies })).statusCode).toBe(200);
    expect((await t.request({ url: '/v1/me', token: session.token })).statusCode).toBe(200);

    const disabled = await t.request({ method: 'PATCH', url: `/v1/users/${user.id}`, body: { disabled: true } });
    expect(disabled.data.disabled).toBe(true);
    expectProblem(
      await t.request({ url: '/v1/me', token: null, cookies: session.cookies }),
      401,
      'invalid_credentials',
    );
    expectProblem(await t.request({ url: '/v1/me', token: session.token }), 401, 'invalid_credentials');
    const again = await t.request({ method: 'POST', url: '/v1/sessions', token: null, body: credentials(user) });
    expectProblem(again, 401, 'invalid_credentials');
  });

  it('changing a user’s role ends their sessions; signing in again (old cookie still sent) gets the new role', async () => {
    const user = await createUser(t, { role: 'viewer' });
    const session = await signIn(t, user);
    const changed = await t.request({ method: 'PATCH', url: `/v1/users/${user.id}`, body: { role: 'editor' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expectProblem(
      await t.request({ url: '/v1/me', token: null, cookies: session.cookies }),
      401,
      'invalid_credentials',
    );

    // The browser still holds the ended session's cookie when it signs in again.
    const again = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      cookies: session.cookies,
      body: { email: user.email, password: user.password },
    });
    expect(again.statusCode, again.body).toBe(201);
    const cookie = again.cookies.find((c) => c.name === 'switchyard_session')?.value as string;
    const me = await t.request({ url: '/v1/me', token: null, cookies: { switchyard_session: cookie } });
    expect(me.data.role).toBe('editor');
  });

  it('a password change ends sessions; only the new password signs in', async () => {
    const user = await createUser(t);
    const session = await signIn(t, user);
    const newPassword = 'a brand new passphrase';
    await t.request({ method: 'PATCH', url: `/v1/users/${user.id}`, body: { password: newPassword } });
    expectProblem(await t.request({ url: '/v1/me', token: session.token }), 401, 'invalid_credentials');
    const old = await t.request({ method: 'POST', url: '/v1/sessions', token: null, body: credentials(user) });
    expectProblem(old, 401, 'invalid_credentials');
    await signIn(t, { email: user.email, password: newPassword });
  });

  it('a user cannot change their own role or disable themselves, but can rename themselves', async () => {
    const admin = await createUser(t, { role: 'administrator' });
    const { token } = await signIn(t, admin);
    const url = `/v1/users/${admin.id}`;
    expectProblem(await t.request({ method: 'PATCH', url, token, body: { role: 'viewer' } }), 409, 'conflict');
    expectProblem(await t.request({ method: 'PATCH', url, token, body: { disabled: true } }), 409, 'conflict');
    expectProblem(await t.request({ method: 'DELETE', url, token }), 409, 'conflict');
    const renamed = await t.request({ method: 'PATCH', url, token, body: { name: 'Me' } });
    expect(renamed.data.name).toBe('Me');
  });

  it('nobody changes or removes a user who holds more than they do (no takeover by password reset)', async () => {
    const userManager = await createRole(t, ['manage_users', 'view_users', 'list_connections']);
    const { token } = await t.keyWithRole(userManager);
    const admin = await createUser(t, { role: 'administrator' });
    const lister = await createUser(t, { role: await createRole(t, ['list_connections']) });
    const before = await rowCounts(t, ['users', 'sessions']);

    const reset = await t.request({
      method: 'PATCH',
      url: `/v1/users/${admin.id}`,
      token,
      body: { password: 'attacker chosen password' },
    });
    expectProblem(reset, 403, 'privilege_escalation');
    const disable = await t.request({ method: 'PATCH', url: `/v1/users/${admin.id}`, token, body: { disabled: true } });
    expectProblem(disable, 403, 'privilege_escalation');
    expectProblem(
      await t.request({ method: 'DELETE', url: `/v1/users/${admin.id}`, token }),
      403,
      'privilege_escalation',
    );
    expect(await rowCounts(t, ['users', 'sessions'])).toEqual(before);
    await signIn(t, admin); // the administrator's own password still works

    // The same manager may manage a user it out-ranks, but not promote them beyond itself.
    const renamed = await t.request({ method: 'PATCH', url: `/v1/users/${lister.id}`, token, body: { name: 'L' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const promote = await t.request({
      method: 'PATCH',
      url: `/v1/users/${lister.id}`,
      token,
      body: { role: 'viewer' },
    });
    expectProblem(promote, 403, 'privilege_escalation');
    const create = await t.request({
      method: 'POST',
      url: '/v1/users',
      token,
      body: { email: 'new-admin@example.test', role: 'administrator', password },
    });
    expectProblem(create, 403, 'privilege_escalation');
  });

  it('only a superuser creates, changes or removes a superuser', async () => {
    const { token } = await t.keyWithRole('administrator');
    const body = { email: 'root@example.test', role: 'administrator', password, superuser: true };
    expectProblem(await t.request({ method: 'POST', url: '/v1/users', token, body }), 403, 'privilege_escalation');
    const root = await createUser(t, { role: 'administrator', superuser: true });
    const patch = await t.request({ method: 'PATCH', url: `/v1/users/${root.id}`, token, body: { name: 'x' } });
    expectProblem(patch, 403, 'privilege_escalation');
    expect((await t.request({ method: 'POST', url: '/v1/users', body })).statusCode).toBe(201);
  });

  it('removes a user: their session ends and the id answers 404', async () => {
    const user = await createUser(t);
    const session = await signIn(t, user);
    const removed = await t.request({ method: 'DELETE', url: `/v1/users/${user.id}` });
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    expectProblem(await t.request({ url: '/v1/me', token: session.token }), 401, 'invalid_credentials');
    expectProblem(await t.request({ url: `/v1/users/${user.id}` }), 404, 'not_found');
    expectProblem(await t.request({ method: 'DELETE', url: `/v1/users/${user.id}` }), 404, 'not_found');
  });

  it('lists users newest first with cursor pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createUser(t)).id);
    const first = await t.request({ url: '/v1/users?limit=3' });
    const second = await t.request({ url: `/v1/users?limit=3&cursor=${first.data.next_cursor as string}` });
    expect(second.data.next_cursor).toBeNull();
    const listed = [...(first.data.data as { id: string }[]), ...(second.data.data as { id: string }[])];
    expect(listed.map((u) => u.id)).toEqual([...ids].reverse());
  });
});
