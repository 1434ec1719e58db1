import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createCustomConnector, setSystemConnection } from '../../test/helpers/catalog.js';
import { openSystemCredentials } from './system-connection.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const url = (slug: string) => `/v1/connectors/${slug}/system-connection`;
const put = (slug: string, body: unknown) => t.request({ method: 'PUT', url: url(slug), body });
const errorsOf = (res: { data: Record<string, unknown> }) => res.data.errors as { path: string; message: string }[];

describe('system connections (the platform’s own credentials)', () => {
  it('seals the credentials, reports which are set and never returns, logs or stores them in clear', async () => {
    const slug = await createCustomConnector(t, {
      management: 'shared',
      auth: [
        {
          type: 'basic',
          fields: [
            { key: 'username', label: 'Username' },
            { key: 'password', label: 'Password', type: 'password', secret: true },
            { key: 'realm', label: 'Realm', required: false },
          ],
        },
      ],
    });
    const before = await t.request({ url: `/v1/connectors/${slug}` });
    expect(before.data).toMatchObject({ system_connection_configured: false, connectable: false });
    expect((await t.request({ url: url(slug) })).statusCode).toBe(404);

    const password = `pw-${Math.random().toString(36).slice(2)}-platform`;
    const set = await put(slug, {
      config: { base_url: 'https://api.example.test' },
      credentials: { username: 'platform-user', password },
    });
    expect(set.statusCode, set.body).toBe(200);
    const got = await t.request({ url: url(slug) });
    for (const res of [set, got]) {
      expect(res.data).toMatchObject({
        connector: slug,
        management: 'shared',
        auth_method: 'basic',
        config: { base_url: 'https://api.example.test' },
        credentials_set: ['password', 'username'],
        warnings: [],
      });
      expect(res.body).not.toContain(password);
      expect(res.body).not.toContain('platform-user');
    }
    const after = await t.request({ url: `/v1/connectors/${slug}` });
    expect(after.data).toMatchObject({ system_connection_configured: true, connectable: true, warnings: [] });

    const stored = JSON.stringify((await t.db.query('select * from system_connections')).rows);
    expect(stored).toContain(slug);
    expect(stored).not.toContain(password);
    const audit = JSON.stringify((await t.db.query('select * from audit_log')).rows);
    expect(audit).toContain('connector.system_connection.set');
    expect(audit).not.toContain(password);
    expect(t.logs.join('\n')).not.toContain(password);
    // What connections of a shared connector will use: the same fields, opened with the platform's key.
    expect(await openSystemCredentials(t.db, t.built.vault, slug)).toEqual({ username: 'platform-user', password });
  });

  it('replaces and removes them', async () => {
    const slug = await createCustomConnector(t, { management: 'hybrid' });
    await setSystemConnection(t, slug, 'first-key');
    await setSystemConnection(t, slug, 'second-key');
    expect(await openSystemCredentials(t.db, t.built.vault, slug)).toEqual({ api_key: 'second-key' });
    expect((await t.request({ method: 'DELETE', url: url(slug) })).statusCode).toBe(204);
    expect((await t.request({ url: url(slug) })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: url(slug) })).statusCode).toBe(404);
    expect((await t.request({ url: `/v1/connectors/${slug}` })).data.system_connection_configured).toBe(false);
    const { rows } = await t.db.query<{ action: string; outcome: string }>(
      "select action, outcome from audit_log where action like 'connector.system_connection.%' order by id",
    );
    expect(rows.map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'connector.system_connection.set success',
      'connector.system_connection.set success',
      'connector.system_connection.delete success',
      'connector.system_connection.delete failure',
    ]);
  });

  it('checks the values against the connector’s form', async () => {
    const slug = await createCustomConnector(t, { management: 'shared' });
    const missing = await put(slug, { config: { base_url: 'https://api.example.test' }, credentials: {} });
    expect(missing.statusCode).toBe(400);
    expect(errorsOf(missing)).toEqual([{ path: 'body.credentials.api_key', message: 'API key is required' }]);
    const unknown = await put(slug, { credentials: { api_key: 'k', extra: 'x' }, config: { base_url: 'ftp://x' } });
    expect(errorsOf(unknown)).toEqual(
      expect.arrayContaining([
        { path: 'body.config.base_url', message: 'must be an http:// or https:// URL' },
        { path: 'body.credentials.extra', message: 'unknown field' },
      ]),
    );
    const method = await put(slug, { auth_method: 'oauth2', credentials: { api_key: 'k' } });
    expect(errorsOf(method)).toEqual([{ path: 'body.auth_method', message: 'one of api_key' }]);
    const reference = await put(slug, {
      config: { base_url: 'https://api.example.test' },
      credentials: { api_key: '{{secrets.PLATFORM_KEY}}' },
    });
    expect(reference.statusCode).toBe(400);
    expect(errorsOf(reference)[0]?.path).toBe('body.credentials.api_key');
    expect((await put('no_such_connector', { credentials: {} })).statusCode).toBe(404);
    expect((await t.db.query('select count(*)::int as n from system_connections')).rows[0]).toEqual({ n: 0 });
  });

  it('says when the connector’s management pattern leaves the platform credentials unused', async () => {
    const slug = await createCustomConnector(t, { name: 'Acme', management: 'byop' });
    await setSystemConnection(t, slug);
    const res = await t.request({ url: url(slug) });
    expect(res.data.warnings).toEqual([expect.stringMatching(/^Acme is managed as byop/)]);
  });
});
