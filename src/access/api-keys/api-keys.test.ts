import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const createKey = (body: { name: string; role: string; expires_at?: string }, token?: string) =>
  (token ? t.apiAs(token) : t.api).POST('/v1/api-keys', { body });
const me = (token: string) => t.apiAs(token).GET('/v1/me');
const getKey = (id: string) => t.api.GET('/v1/api-keys/{id}', { params: { path: { id } } });

describe('API keys', () => {
  it('creates a key whose token is shown once, works as a bearer token, and is stored only as a hash', async () => {
    const { token, api_key: key } = await expectData(createKey({ name: 'ci', role: 'viewer' }), 201);
    expect(token).toMatch(/^syk_[0-9a-z]{48}$/);
    expect(key.prefix).toBe(token.slice(0, 12));
    expect(key.status).toBe('active');
    expect(key).not.toHaveProperty('token');

    expect((await expectData(me(token))).role).toBe('viewer');

    const listed = await expectData(getKey(key.id));
    expect(JSON.stringify(listed)).not.toContain(token);
    const { rows } = await t.db.query<Record<string, unknown>>('select * from api_keys where id = $1', [key.id]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('revocation takes effect at once, and the key records last use', async () => {
    const { token, api_key: key } = await expectData(createKey({ name: 'temp', role: 'editor' }), 201);
    await expectData(me(token));
    await new Promise((r) => setTimeout(r, 50));
    expect((await expectData(getKey(key.id))).last_used_at).not.toBeNull();

    const revoked = await expectData(t.api.DELETE('/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
    expect(revoked.status).toBe('revoked');
    expectProblem(await me(token), 401, 'invalid_credentials');
  });

  it('refuses an expired key with token_expired', async () => {
    const expires_at = new Date(Date.now() + 1500).toISOString();
    const { token } = await expectData(createKey({ name: 'short', role: 'viewer', expires_at }), 201);
    await expectData(me(token));
    await new Promise((r) => setTimeout(r, 1600));
    expectProblem(await me(token), 401, 'token_expired');
  });

  it('will not let a caller grant a role stronger than its own', async () => {
    const { token } = await t.keyWithRole('editor');
    // editor lacks manage_api_keys entirely
    expect((await createKey({ name: 'x', role: 'viewer' }, token)).response.status).toBe(403);
    // a custom role with manage_api_keys but not manage_users cannot mint an administrator
    const role = await expectData(
      t.api.POST('/v1/roles', { body: { name: 'key-manager', capabilities: ['manage_api_keys', 'view_api_keys'] } }),
      201,
    );
    const manager = await t.keyWithRole(role.id);
    expectProblem(
      await createKey({ name: 'admin', role: 'administrator' }, manager.token),
      403,
      'privilege_escalation',
    );
  });

  it('lists keys with cursor pagination', async () => {
    for (let i = 0; i < 5; i++) await expectData(createKey({ name: `k${i}`, role: 'viewer' }), 201);
    const page = (cursor?: string) =>
      expectData(t.api.GET('/v1/api-keys', { params: { query: { limit: 4, ...(cursor ? { cursor } : {}) } } }));
    const first = await page();
    expect(first.data).toHaveLength(4);
    const second = await page(first.next_cursor ?? undefined);
    expect(second.data).toHaveLength(2); // 5 created + the bootstrap key
    expect(second.next_cursor).toBeNull();
    const names = [...first.data, ...second.data].map((k) => k.name);
    expect(new Set(names).size).toBe(6);
  });
});
