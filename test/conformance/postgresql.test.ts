import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/db.js';
import { startConformance, type Conformance } from './harness.js';

// PostgreSQL's shipped manifest (a driver test, not HTTP) against a real PostgreSQL server: the one the suite shares. The server answers
// as PostgreSQL documents: SQLSTATEs from https://www.postgresql.org/docs/current/errcodes-appendix.html, pg_hba.conf
// from https://www.postgresql.org/docs/current/auth-pg-hba-conf.html.
describe('postgresql conformance', () => {
  let c: Conformance;
  let server: URL;
  let admin: pg.Client;
  const suffix = randomBytes(4).toString('hex');
  const role = `conf_${suffix}`;
  const refused = `conf_refused_${suffix}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const lockedDatabase = `conf_locked_${suffix}`;
  const database = () => server.pathname.slice(1);
  const urlFor = (user: string, pass: string, db = database(), host = server.host) =>
    `postgresql://${user}:${encodeURIComponent(pass)}@${host}/${db}`;

  beforeAll(async () => {
    server = new URL(testDatabaseUrl());
    admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`create role ${role} login password '${password}'`);
    await admin.query(`create role ${refused} login password '${password}'`);
    await admin.query(`create database ${lockedDatabase}`);
    // Without CONNECT on a database, connecting is refused with 42501 insufficient_privilege
    // (https://www.postgresql.org/docs/current/ddl-priv.html: CONNECT "is checked at connection startup").
    await admin.query(`revoke connect on database ${lockedDatabase} from public`);
    c = await startConformance('postgresql');
  });
  afterAll(async () => {
    await c?.close();
    await admin?.query(`drop database if exists ${lockedDatabase}`);
    await admin?.query(`drop role if exists ${role}`);
    await admin?.query(`drop role if exists ${refused}`);
    await admin?.end();
  });

  const connectionCount = async () =>
    (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

  const failsWith = async (connectionString: string, code = 'connection_test_failed') => {
    const before = await connectionCount();
    const res = await c.connect({ credentials: { connection_string: connectionString } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.code).toBe(code);
    expect(await connectionCount()).toBe(before);
    return res.data.outcome as Record<string, unknown>;
  };

  it('test: the right role and password run select 1; connected, the account is database@host', async () => {
    const res = await c.connect({ credentials: { connection_string: urlFor(role, password) } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: `${database()}@${server.host}`,
      vendor_account_name: database(),
      last_test_outcome: { outcome: 'connected' },
    });
    expect(res.body).not.toContain(password);
    expect(c.manifest.test).toEqual({ kind: 'driver', driver: 'postgresql', query: 'select 1' });
  });

  it('test: a wrong password (28P01 invalid_password) is credential_revoked, nothing stored', async () => {
    const outcome = await failsWith(urlFor(role, 'not-the-password'));
    expect(outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(JSON.stringify(outcome)).not.toContain('not-the-password');
  });

  it('test: a role without CONNECT on the database (42501) is scope_insufficient, nothing stored', async () => {
    const outcome = await failsWith(urlFor(role, password, lockedDatabase));
    expect(outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
    expect(outcome.message).toMatch(/permission denied for database/);
  });

  it('test: a private address the SSRF guard refuses is destination_blocked naming the range; nothing is tried', async () => {
    // A policy refusal, not a failed test: 422 destination_blocked, the outcome still a network_error with the hint.
    const outcome = await failsWith(urlFor(role, password, database(), '10.20.30.40:5432'), 'destination_blocked');
    expect(outcome).toMatchObject({ outcome: 'network_error', message: expect.stringContaining('10.0.0.0/8') });
    expect(outcome.message).toContain('SWITCHYARD_ALLOW_PRIVATE_NETWORKS');
  });

  it('test: pg_hba.conf refusing the address (28000) is the server configuration, a vendor_error, not a revoked credential', async () => {
    // "pg_hba.conf rejects connection for host …" / "no pg_hba.conf entry for host …" are SQLSTATE 28000
    // invalid_authorization_specification: the role's password is right; the server's configuration says no.
    // A `reject` line for one role is put first, the configuration reloaded, and taken out again afterwards.
    const file = (await admin.query<{ f: string }>("select current_setting('hba_file') as f")).rows[0]?.f as string;
    const original = (await admin.query<{ t: string }>('select pg_read_file($1) as t', [file])).rows[0]?.t as string;
    const write = async (text: string) => {
      // COPY as CSV with a delimiter and quote no line holds writes each line as it is (blank lines dropped).
      const literal = text.replaceAll("'", "''");
      await admin.query(
        `copy (select l from unnest(string_to_array('${literal}', E'\\n')) with ordinality as u(l, n) where l <> '' order by n) ` +
          `to '${file.replaceAll("'", "''")}' with (format csv, delimiter E'\\x01', quote E'\\x02')`,
      );
      await admin.query('select pg_reload_conf()');
    };
    await write(`host all ${refused} 0.0.0.0/0 reject\n${original}`);
    try {
      // The reload is asynchronous: wait until the server refuses the role before asking through the API.
      for (let i = 0; i < 50; i++) {
        const probe = new pg.Client({ connectionString: urlFor(refused, password) });
        const code = await probe.connect().then(
          () => undefined,
          (e: { code?: string }) => e.code,
        );
        await probe.end().catch(() => {});
        if (code === '28000') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const outcome = await failsWith(urlFor(refused, password));
      expect(outcome).toMatchObject({ outcome: 'vendor_error', vendor_code: '28000' });
      expect(outcome.message).toMatch(/pg_hba\.conf rejects connection/);
    } finally {
      await write(original);
    }
  });
});
