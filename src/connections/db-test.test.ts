import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector, testManifest } from '../../test/helpers/connectors.js';
import { testDatabaseUrl } from '../../test/helpers/db.js';
import type { ManifestInput } from '../catalog/manifest/manifest.js';
import { parseCidr } from '../core/net/cidr.js';
import { createOutbound } from '../core/net/http-client.js';
import { runTestCall } from './test-call.js';

/**
 * The PostgreSQL driver test against the suite's PostgreSQL server, as a role made for the test with a password
 * (the server checks passwords over TCP). A manifest object stands in for connectors/postgresql.yaml.
 */

const probeConnector = (query = 'select 1'): Partial<ManifestInput> & { slug: string } => ({
  slug: 'postgresql_probe',
  category: 'Database',
  config: [],
  base_url: undefined,
  auth: [
    {
      type: 'connection_string',
      fields: [{ key: 'connection_string', label: 'Connection string', type: 'password', secret: true }],
    },
  ],
  test: { kind: 'driver', driver: 'postgresql', query },
});
const manifest = (query?: string) => testManifest(probeConnector(query));

const loopback = [parseCidr('127.0.0.0/8')];
const outbound = createOutbound({ allow: loopback });

async function probe(connectionString: string, options: { allow?: typeof loopback; query?: string } = {}) {
  const m = manifest(options.query);
  return runTestCall({
    manifest: m,
    auth: m.auth[0] as (typeof m.auth)[number],
    config: {},
    credentials: { connection_string: connectionString },
    outbound,
    allow: options.allow ?? loopback,
    timeoutMs: 10_000,
  });
}

describe('PostgreSQL driver test (runs with SWITCHYARD_TEST_DB=postgres)', () => {
  const role = `probe_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let t: TestApp;
  let server: URL;
  const urlFor = (user: string, pass: string, database = server.pathname.slice(1)) =>
    `postgresql://${user}:${encodeURIComponent(pass)}@${server.host}/${database}`;

  beforeAll(async () => {
    t = await createTestApp();
    server = new URL(testDatabaseUrl());
    await t.db.exec(`create role ${role} login password '${password}'`);
  });
  afterAll(async () => {
    await t.db.exec(`drop role if exists ${role}`);
    await t.close();
    await outbound.close();
  });

  it('right credentials: connected, the account is database@host', async () => {
    const run = await probe(urlFor(role, password));
    const database = server.pathname.slice(1);
    expect(run.outcome).toEqual({
      outcome: 'connected',
      account_id: `${database}@${server.host}`,
      account_name: database,
      status: null,
    });
    expect(run.log).toMatchObject({ method: 'QUERY', path: 'select 1', error: null });
  });

  it('a wrong password: credential_revoked, and the message does not repeat the password', async () => {
    const run = await probe(urlFor(role, 'not-the-password'));
    expect(run.outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(JSON.stringify(run)).not.toContain('not-the-password');
  });

  it('a role without the privilege the test query needs: scope_insufficient', async () => {
    const run = await probe(urlFor(role, password), { query: 'select rolpassword from pg_authid limit 1' });
    expect(run.outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
  });

  it('a database that does not exist: vendor_error with the SQLSTATE as vendor code', async () => {
    const run = await probe(urlFor(role, password, 'no_such_database'));
    expect(run.outcome).toMatchObject({ outcome: 'vendor_error', vendor_code: '3D000' });
  });

  it('a host outside the allow-list: network_error naming the blocked range, no connection tried', async () => {
    const run = await probe(urlFor(role, password), { allow: [] });
    expect(run.outcome).toEqual({
      outcome: 'network_error',
      message:
        '127.0.0.1 is a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
    });
    const elsewhere = await probe(urlFor(role, password).replace(server.hostname, '10.20.30.40'));
    expect(elsewhere.outcome).toMatchObject({
      outcome: 'network_error',
      message: expect.stringContaining('10.0.0.0/8'),
    });
  });

  it('?host= and ?port= are what the driver uses, so they are what is checked, pinned and reported', async () => {
    const database = server.pathname.slice(1);
    const dsn = `postgresql://${role}:${password}@10.20.30.40:1/${database}?host=${server.hostname}&port=${server.port}`;
    const run = await probe(dsn);
    expect(run.outcome).toEqual({
      outcome: 'connected',
      account_id: `${database}@${server.hostname}:${server.port}`,
      account_name: database,
      status: null,
    });
  });

  it('no PG* environment variable of this server fills a gap the connection string leaves', async () => {
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGOPTIONS: process.env.PGOPTIONS };
    // This server's own PGPASSWORD happens to be the role's: a string without a password still must not connect.
    process.env.PGPASSWORD = password;
    process.env.PGOPTIONS = '-c search_path=from_the_environment';
    try {
      const noPassword = await probe(`postgresql://${role}@${server.host}/${server.pathname.slice(1)}`);
      expect(noPassword.outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
      const options = await probe(urlFor(role, password), {
        query: "select 1 / (current_setting('search_path') <> 'from_the_environment')::int",
      });
      expect(options.outcome).toMatchObject({ outcome: 'connected' });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('through the API: connected saves an active connection; a wrong password saves nothing', async () => {
    await installConnector(t, probeConnector());
    const create = (connection_string: string) =>
      t.request({
        method: 'POST',
        url: '/v1/connections',
        body: { connector: 'postgresql_probe', credentials: { connection_string } },
      });
    const ok = await create(urlFor(role, password));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.data).toMatchObject({ state: 'active', vendor_account_name: server.pathname.slice(1) });
    expect(ok.body).not.toContain(password);
    const wrong = await create(urlFor(role, 'wrong-password'));
    expect(wrong.statusCode).toBe(422);
    expect(wrong.data.outcome).toMatchObject({ outcome: 'credential_revoked' });
    expect((await t.db.query('select count(*)::int as n from connections')).rows).toEqual([{ n: 1 }]);
  });
});
