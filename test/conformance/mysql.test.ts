import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../helpers/mariadb.js';

// MySQL / MariaDB's shipped manifest (a driver test, not HTTP) against a real MariaDB server: the one the suite
// shares (Debian's mariadb-server, test/helpers/mariadb-server.ts). The server answers as MariaDB documents its
// errors: https://mariadb.com/docs/server/reference/error-codes/mariadb-error-code-reference.
describe('mysql conformance', () => {
  let t: TestApp;
  let db: TestMariadbDatabase;
  const user = `conf_${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    t = await createTestApp();
    db = await createTestMariadbDatabase();
    await db.admin.query(`create user '${user}'@'%' identified by 'pw-conformance'`);
  });
  afterAll(async () => {
    await db?.admin.query(`drop user if exists '${user}'@'%'`);
    await db?.drop();
    await t?.close();
  });

  const connect = (config: Record<string, unknown>, credentials: Record<string, string>, authMethod?: string) =>
    t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'mysql', config, credentials, ...(authMethod ? { auth_method: authMethod } : {}) },
    });
  const form = (extra: Record<string, unknown> = {}) => ({
    host: db.host,
    port: db.port,
    database: db.database,
    ssl: 'off',
    ...extra,
  });
  const owner = () => ({ username: db.user, password: db.password });
  const count = async () => (await t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

  it('test: the right user and password run select 1; connected, the account is database@host:port', async () => {
    const res = await connect(form(), owner());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: `${db.database}@127.0.0.1:${db.port}`,
      vendor_account_name: db.database,
      last_test_outcome: { outcome: 'connected' },
    });
    expect(res.body).not.toContain(db.password);
    const manifest = await t.request({ url: '/v1/connectors/mysql' });
    expect(manifest.data.test).toMatchObject({ kind: 'driver' });
  });

  it('test: the same through a mysql:// URI', async () => {
    const uri = `mysql://${db.user}:${encodeURIComponent(db.password)}@127.0.0.1:${db.port}/${db.database}?ssl=off`;
    const res = await connect({}, { connection_string: uri }, 'connection_string');
    expect(res.statusCode, res.body).toBe(201);
  });

  const failsWith = async (
    config: Record<string, unknown>,
    credentials: Record<string, string>,
    code = 'connection_test_failed',
  ) => {
    const before = await count();
    const res = await connect(config, credentials);
    expect([res.statusCode, res.data.code], res.body).toEqual([422, code]);
    expect(await count()).toBe(before);
    return res.data.outcome as Record<string, unknown>;
  };

  it('test: a wrong password (1045 ER_ACCESS_DENIED_ERROR) is credential_revoked, nothing stored', async () => {
    const outcome = await failsWith(form(), { username: db.user, password: 'not-the-password' });
    expect(outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(JSON.stringify(outcome)).not.toContain('not-the-password');
  });

  it('test: a user without access to the database (1044 ER_DBACCESS_DENIED_ERROR) is scope_insufficient', async () => {
    const outcome = await failsWith(form(), { username: user, password: 'pw-conformance' });
    expect(outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
    expect(outcome.message).toMatch(/Access denied for user .* to database/);
  });

  it('test: a database that does not exist (1049 ER_BAD_DB_ERROR) is a vendor_error', async () => {
    const outcome = await failsWith(form({ database: 'no_such_database' }), owner());
    expect(outcome).toMatchObject({ outcome: 'vendor_error', vendor_code: 'ER_BAD_DB_ERROR' });
  });

  it('test: a private address the SSRF guard refuses is destination_blocked naming the range; nothing is tried', async () => {
    const outcome = await failsWith(form({ host: '10.20.30.40' }), owner(), 'destination_blocked');
    expect(outcome).toMatchObject({ outcome: 'network_error', message: expect.stringContaining('10.0.0.0/8') });
    expect(outcome.message).toContain('SWITCHYARD_ALLOW_PRIVATE_NETWORKS');
  });
});
