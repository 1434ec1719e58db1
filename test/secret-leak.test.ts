import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestRequest } from './helpers/app.js';
import { tableNames } from './helpers/fixtures.js';

/**
 * Drive the API through everything that handles a credential — API keys, users with passwords, sign-in with a
 * session and CSRF token, secrets created, rotated, rejected — then search every response, every log line and a
 * dump of every table for each of those values in clear. A value may appear only in the one response that hands
 * it to its owner (the created key's token, the sign-in's cookies and CSRF token).
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

describe('no secret ever leaks', () => {
  it('keeps tokens, passwords, secret values and the master key out of responses, logs and the database', async () => {
    const responses: { label: string; text: string }[] = [];
    // value → index of the one response allowed to carry it (undefined: none may)
    const sensitive = new Map<string, number | undefined>();
    const call = async (label: string, req: TestRequest) => {
      const res = await t.request(req);
      responses.push({ label, text: `${JSON.stringify(res.headers)}\n${res.body}` });
      return res;
    };
    const issuedBy = (value: string) => sensitive.set(value, responses.length - 1);
    const secret = (value: string) => (sensitive.set(value, undefined), value);

    // API keys: the token is shown at creation only.
    const key = await call('create key', {
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'ci', role: 'administrator' },
    });
    const token = key.data.token as string;
    issuedBy(token);
    await call('use key', { url: '/v1/me', token });
    await call('list keys', { url: '/v1/api-keys', token });

    // Users with passwords: created, changed, tried wrong.
    const password = secret(unique('first-password'));
    const user = await call('create user', {
      method: 'POST',
      url: '/v1/users',
      token,
      body: { email: 'leak@example.test', role: 'administrator', password },
    });
    const newPassword = secret(unique('second-password'));
    await call('change password', {
      method: 'PATCH',
      url: `/v1/users/${user.data.id as string}`,
      token,
      body: { password: newPassword },
    });
    const guess = secret(unique('wrong-guess'));
    await call('wrong password', {
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: 'leak@example.test', password: guess },
    });
    await call('old password', {
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: 'leak@example.test', password },
    });
    const tooShort = secret(unique('s').slice(0, 11));
    await call('short password', {
      method: 'POST',
      url: '/v1/users',
      token,
      body: { email: 'short@example.test', role: 'viewer', password: tooShort },
    });

    // A session: cookie + CSRF token, then reads and a write with the cookie, then sign-out.
    const signedIn = await call('sign in', {
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: 'leak@example.test', password: newPassword, return_token: true },
    });
    const sessionToken = signedIn.data.token as string;
    const csrf = signedIn.data.csrf_token as string;
    issuedBy(sessionToken);
    issuedBy(csrf);
    const cookies = { switchyard_session: sessionToken, switchyard_csrf: csrf };
    await call('cookie read', { url: '/v1/me', token: null, cookies });

    // Secrets: created (with the cookie), read, rotated, refused in several ways.
    const value1 = secret(unique('secret-value-one'));
    const value2 = secret(unique('secret-value-two'));
    const write = { token: null, cookies, headers: { 'x-csrf-token': csrf } };
    await call('create secret', {
      method: 'POST',
      url: '/v1/secrets',
      ...write,
      body: { name: 'API_TOKEN', value: value1 },
    });
    await call('get secret', { url: '/v1/secrets/API_TOKEN', token });
    await call('list secrets', { url: '/v1/secrets', token });
    await call('rotate secret', { method: 'PUT', url: '/v1/secrets/API_TOKEN', token, body: { value: value2 } });
    const refused = secret(unique('refused-value'));
    await call('duplicate secret', {
      method: 'POST',
      url: '/v1/secrets',
      token,
      body: { name: 'API_TOKEN', value: refused },
    });
    await call('bad name', { method: 'POST', url: '/v1/secrets', token, body: { name: 'bad name', value: refused } });
    await call('unknown field', {
      method: 'POST',
      url: '/v1/secrets',
      token,
      body: { name: 'X', value: refused, extra: refused },
    });
    await call('malformed', {
      method: 'POST',
      url: '/v1/secrets',
      token,
      headers: { 'content-type': 'application/json' },
      body: `{"name": "X", "value": ${refused}}`,
    });
    await call('rotate missing', { method: 'PUT', url: '/v1/secrets/NOPE', token, body: { value: refused } });
    await call('audit', { url: '/v1/audit?limit=200', token });
    await call('master key', { url: '/v1/system/master-key' });
    await call('sign out', { method: 'DELETE', url: '/v1/sessions/current', ...write });

    expect(responses.length).toBeGreaterThan(20);
    const masterKeyForms = masterKeyEncodings(t.masterKey);

    // Responses: each value only in the response that issued it; the master key in none.
    for (const [value, allowed] of sensitive) {
      responses.forEach((r, i) => {
        if (i !== allowed) expect(r.text.includes(value), `${value} in response "${r.label}"`).toBe(false);
      });
    }
    for (const r of responses) for (const form of masterKeyForms) expect(r.text.includes(form), r.label).toBe(false);

    // Logs: no value at all, no Authorization header, no cookie.
    expect(t.logs.length).toBeGreaterThan(20);
    const logText = t.logs.join('\n');
    for (const value of [...sensitive.keys(), ...masterKeyForms, t.adminToken]) {
      expect(logText.includes(value), `${value} in the logs`).toBe(false);
    }
    expect(logText).not.toMatch(/bearer /i);
    expect(logText).not.toContain('switchyard_session=');
    expect(logText).not.toContain('switchyard_csrf=');

    // Database: every table of the schema, every row.
    const tables = await tableNames(t);
    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'users', 'sessions', 'secret_versions', 'audit_log']));
    for (const table of tables) {
      const { rows } = await t.db.query(`select * from "${t.testDb.schema}"."${table}"`);
      const dump = JSON.stringify(rows);
      for (const value of [...sensitive.keys(), ...masterKeyForms, t.adminToken]) {
        expect(dump.includes(value), `${value} in table ${table}`).toBe(false);
      }
    }
  });
});

/** The master key as base64 (how it is configured), base64url and hex. */
function masterKeyEncodings(base64: string): string[] {
  const bytes = Buffer.from(base64, 'base64');
  return [base64, bytes.toString('base64url'), bytes.toString('hex')];
}
