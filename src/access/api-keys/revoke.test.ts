import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';

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
    expectProblem(res, 403, 'forbidden');
    expect((await t.request({ url: '/v1/me' })).statusCode).toBe(200);
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
