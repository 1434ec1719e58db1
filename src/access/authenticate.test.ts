import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const me = (authorization: string) => t.request({ url: '/v1/me', token: null, headers: { authorization } });

describe('authenticate: the Authorization header', () => {
  it('takes the token as Bearer, or as `token` (what GitHub’s clients send), in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'token', 'Token', 'TOKEN']) {
      const res = await me(`${scheme} ${t.adminToken}`);
      expect(res.statusCode, `${scheme}: ${res.body}`).toBe(200);
      expect(res.data).toMatchObject({ role: 'administrator' });
    }
  });

  it('refuses any other scheme, and a scheme without a token, with unauthenticated', async () => {
    for (const header of [`Basic ${Buffer.from(`x:${t.adminToken}`).toString('base64')}`, 'token', t.adminToken]) {
      const res = await me(header);
      expectProblem(res, 401, 'unauthenticated');
      expect(res.data.detail).toBe('The Authorization header must be "Bearer <token>" (or "token <token>").');
    }
  });

  it('a wrong key under the token scheme is refused as under Bearer', async () => {
    expectProblem(await me('token syk_not_a_key'), 401, 'invalid_credentials');
  });
});
