import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('API keys', () => {
  it('creates a key whose token is shown once, works as a bearer token, and is stored only as a hash', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/api-keys', body: { name: 'ci', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const token = created.data.token as string;
    const key = created.data.api_key as Record<string, unknown>;
    expect(token).toMatch(/^syk_[0-9a-z]{48}$/);
    expect(key.prefix).toBe(token.slice(0, 12));
    expect(key.status).toBe('active');
    expect(key).not.toHaveProperty('token');

    const me = await t.request({ url: '/v1/me', token });
    expect(me.statusCode).toBe(200);
    expect(me.data.role).toBe('viewer');

    const listed = await t.request({ url: `/v1/api-keys/${key.id as string}` });
    expect(listed.body).not.toContain(token);
    const { rows } = await t.db.query<Record<string, unknown>>('select * from api_keys where id = $1', [key.id]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('revocation takes effect at once, and the key records last use', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/api-keys', body: { name: 'temp', role: 'editor' } });
    const token = created.data.token as string;
    const id = (created.data.api_key as { id: string }).id;
    expect((await t.request({ url: '/v1/me', token })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const used = await t.request({ url: `/v1/api-keys/${id}` });
    expect(used.data.last_used_at).not.toBeNull();

    const revoked = await t.request({ method: 'DELETE', url: `/v1/api-keys/${id}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.data.status).toBe('revoked');
    const after = await t.request({ url: '/v1/me', token });
    expect(after.statusCode).toBe(401);
    expect(after.data.code).toBe('invalid_credentials');
  });

  it('refuses an expired key with token_expired', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'short', role: 'viewer', expires_at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.statusCode).toBe(201);
    const token = created.data.token as string;
    expect((await t.request({ url: '/v1/me', token })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const res = await t.request({ url: '/v1/me', token });
    expect(res.statusCode).toBe(401);
    expect(res.data.code).toBe('token_expired');
  });

  it('will not let a caller grant a role stronger than its own', async () => {
    const { token } = await t.keyWithRole('editor');
    // editor lacks manage_api_keys entirely
    const denied = await t.request({ method: 'POST', url: '/v1/api-keys', token, body: { name: 'x', role: 'viewer' } });
    expect(denied.statusCode).toBe(403);
    // a custom role with manage_api_keys but not manage_users cannot mint an administrator
    const role = await t.request({
      method: 'POST',
      url: '/v1/roles',
      body: { name: 'key-manager', capabilities: ['manage_api_keys', 'view_api_keys'] },
    });
    const manager = await t.keyWithRole(role.data.id as string);
    const escalate = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      token: manager.token,
      body: { name: 'admin', role: 'administrator' },
    });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.data.code).toBe('privilege_escalation');
  });

  it('lists keys with cursor pagination', async () => {
    for (let i = 0; i < 5; i++) {
      await t.request({ method: 'POST', url: '/v1/api-keys', body: { name: `k${i}`, role: 'viewer' } });
    }
    const first = await t.request({ url: '/v1/api-keys?limit=4' });
    expect(first.data.data).toHaveLength(4);
    const second = await t.request({ url: `/v1/api-keys?limit=4&cursor=${first.data.next_cursor as string}` });
    expect(second.data.data).toHaveLength(2); // 5 created + the bootstrap key
    expect(second.data.next_cursor).toBeNull();
    const names = [...(first.data.data as { name: string }[]), ...(second.data.data as { name: string }[])].map(
      (k) => k.name,
    );
    expect(new Set(names).size).toBe(6);
  });
});
