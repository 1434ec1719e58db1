import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createUser, expectProblem, rowCounts, signIn, type UserFixture } from '../../../test/helpers/fixtures.js';
import { manualClock } from '../../core/clock.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function setUp(options: Parameters<typeof createTestApp>[0] = {}): Promise<UserFixture> {
  t = await createTestApp(options);
  return createUser(t, { role: 'administrator' });
}

const signInBody = (user: UserFixture) => ({ email: user.email, password: user.password });

describe('sessions', () => {
  it('sign-in sets an httpOnly SameSite session cookie and a readable CSRF cookie', async () => {
    const user = await setUp();
    const res = await t.request({ method: 'POST', url: '/v1/sessions', token: null, body: signInBody(user) });
    expect(res.statusCode, res.body).toBe(201);
    const session = res.cookies.find((c) => c.name === 'switchyard_session');
    const csrf = res.cookies.find((c) => c.name === 'switchyard_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).toMatch(/^sys_/);
    expect(csrf?.httpOnly).toBeFalsy();
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(res.data.csrf_token).toBe(csrf?.value);
    // Cookie dates have whole seconds.
    const expiresAt = Math.floor(Date.parse(res.data.expires_at as string) / 1000) * 1000;
    expect(new Date(session?.expires as Date).getTime()).toBe(expiresAt);
    expect(res.data.user).toMatchObject({ id: user.id, email: user.email });
    expect(res.data.tenant).toMatchObject({ id: t.tenantId, slug: 'default' });
    expect(res.data).not.toHaveProperty('token'); // only with return_token
    expect(res.body).not.toContain(session?.value as string);
  });

  it('a cookie authenticates reads; cookie writes need the matching X-CSRF-Token', async () => {
    const user = await setUp();
    const { cookies, csrf } = await signIn(t, user);
    const me = await t.request({ url: '/v1/me', token: null, cookies });
    expect(me.statusCode).toBe(200);
    expect(me.data).toMatchObject({ kind: 'user', id: user.id, role: 'administrator' });

    const write = { method: 'POST' as const, url: '/v1/secrets', token: null, cookies };
    const before = await rowCounts(t, ['secrets', 'secret_versions']);
    expectProblem(await t.request({ ...write, body: { name: 'A', value: 'v' } }), 403, 'csrf_failed');
    const wrong = await t.request({ ...write, body: { name: 'A', value: 'v' }, headers: { 'x-csrf-token': 'nope' } });
    expectProblem(wrong, 403, 'csrf_failed');
    // The CSRF token of another session does not do either.
    const other = await signIn(t, await createUser(t, { role: 'administrator' }));
    const crossed = await t.request({
      ...write,
      body: { name: 'A', value: 'v' },
      headers: { 'x-csrf-token': other.csrf },
    });
    expectProblem(crossed, 403, 'csrf_failed');
    expect(await rowCounts(t, ['secrets', 'secret_versions'])).toEqual(before);

    const ok = await t.request({ ...write, body: { name: 'A', value: 'v' }, headers: { 'x-csrf-token': csrf } });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('a session token used as a bearer token needs no CSRF token', async () => {
    const user = await setUp();
    const { token } = await signIn(t, user);
    expect(token).toMatch(/^sys_/);
    const res = await t.request({ method: 'POST', url: '/v1/secrets', token, body: { name: 'B', value: 'v' } });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('sign-out ends the session and clears both cookies', async () => {
    const user = await setUp();
    const { cookies, csrf, token } = await signIn(t, user);
    const noCsrf = await t.request({ method: 'DELETE', url: '/v1/sessions/current', token: null, cookies });
    expectProblem(noCsrf, 403, 'csrf_failed');
    const out = await t.request({
      method: 'DELETE',
      url: '/v1/sessions/current',
      token: null,
      cookies,
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    for (const name of ['switchyard_session', 'switchyard_csrf']) {
      const cleared = out.cookies.find((c) => c.name === name);
      expect(cleared?.value, name).toBe('');
      expect(new Date(cleared?.expires as Date).getTime()).toBeLessThan(Date.now());
    }
    expectProblem(await t.request({ url: '/v1/me', token: null, cookies }), 401, 'invalid_credentials');
    expectProblem(await t.request({ url: '/v1/me', token }), 401, 'invalid_credentials');
  });

  it('sign-out with an API key is a conflict: there is no session to end', async () => {
    await setUp();
    expectProblem(await t.request({ method: 'DELETE', url: '/v1/sessions/current' }), 409, 'conflict');
  });

  it('a wrong password and an unknown email get the same 401 invalid_credentials', async () => {
    const user = await setUp();
    const wrong = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: user.email, password: 'not the password' },
    });
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: 'nobody@example.test', password: 'not the password' },
    });
    expectProblem(wrong, 401, 'invalid_credentials');
    expectProblem(unknown, 401, 'invalid_credentials');
    expect(wrong.data.detail).toBe(unknown.data.detail);
    expect(wrong.cookies).toEqual([]);
    expect(await rowCounts(t, ['sessions'])).toEqual({ sessions: 0 });
  });

  it('ten failed sign-ins lock the email with 429, even for the right password; other emails still sign in', async () => {
    const user = await setUp();
    const other = await createUser(t);
    const attempt = (password: string) =>
      t.request({ method: 'POST', url: '/v1/sessions', token: null, body: { email: user.email, password } });
    for (let i = 0; i < 10; i++) expectProblem(await attempt(`guess ${i}`), 401, 'invalid_credentials');
    const locked = await attempt(user.password);
    expectProblem(locked, 429, 'rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The lock is per email, and the address spelling does not get around it.
    const upper = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: user.email.toUpperCase(), password: user.password },
    });
    expectProblem(upper, 429, 'rate_limited');
    await signIn(t, other);
  });

  it('a session expires after its lifetime with 401 token_expired', async () => {
    const clock = manualClock(new Date());
    const user = await setUp({ clock, config: { sessionTtlMs: 60_000 } as never });
    const { token } = await signIn(t, user);
    expect((await t.request({ url: '/v1/me', token })).statusCode).toBe(200);
    clock.advance(60_001);
    expectProblem(await t.request({ url: '/v1/me', token }), 401, 'token_expired');
  });

  it('return_token hands the session token back for bearer use (CLI)', async () => {
    const user = await setUp();
    const res = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { ...signInBody(user), return_token: true },
    });
    const cookie = res.cookies.find((c) => c.name === 'switchyard_session');
    expect(res.data.token).toBe(cookie?.value);
  });
});
