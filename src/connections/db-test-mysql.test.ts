import net from 'node:net';
import mysqlServer from 'mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testManifest } from '../../test/helpers/connectors.js';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../../test/helpers/mariadb.js';
import { freePort } from '../../test/helpers/postgres-server.js';
import { caCert } from '../../test/helpers/tls-certs.js';
import { parseCidr } from '../core/net/cidr.js';
import { createOutbound } from '../core/net/http-client.js';
import { runTestCall } from './test-call.js';
import { testMysql } from './db-test-mysql.js';
import { pinMysqlTarget } from './mysql-target.js';

/**
 * The MySQL connector's test call against the run's MariaDB server: the outcomes a person sees for right and wrong
 * settings, and every way the settings could point mysql2 somewhere the SSRF guard did not check. A trap listener on
 * 127.0.0.2 counts the connections it gets: it must get none.
 */

const manifest = testManifest({
  slug: 'mysql_probe',
  category: 'Database',
  base_url: undefined,
  config: [
    { key: 'host', label: 'Host', required: false },
    { key: 'port', label: 'Port', type: 'number', required: false },
    { key: 'database', label: 'Database', required: false },
    { key: 'ssl', label: 'TLS', required: false },
  ],
  auth: [
    {
      type: 'basic',
      fields: [
        { key: 'username', label: 'User' },
        { key: 'password', label: 'Password', type: 'password', secret: true },
      ],
    },
    {
      type: 'connection_string',
      fields: [{ key: 'connection_string', label: 'URI', type: 'password', secret: true }],
    },
  ],
  test: { kind: 'driver', driver: 'mysql', query: 'select 1' },
});
const [basic, uri] = manifest.auth as [(typeof manifest.auth)[number], (typeof manifest.auth)[number]];
const loopback = [parseCidr('127.0.0.1/32')];
const outbound = createOutbound({ allow: loopback });

let server: TestMariadbDatabase;
let trap: { server: net.Server; count: number; port: number };

beforeAll(async () => {
  server = await createTestMariadbDatabase();
  const port = await freePort();
  const counted = { count: 0, server: net.createServer((socket) => (counted.count++, socket.destroy())), port };
  await new Promise<void>((resolve) => counted.server.listen(port, '127.0.0.2', resolve));
  trap = counted;
});
afterAll(async () => {
  trap?.server.close();
  await server?.drop();
  await outbound.close();
});

const settings = () => ({
  host: server.host,
  port: server.port,
  database: server.database,
  user: server.user,
  password: server.password,
  tls: 'off' as const,
  pool: { min: 0, max: 1 },
});

const config = (extra: Record<string, unknown> = {}) => ({
  host: server.host,
  port: server.port,
  database: server.database,
  ssl: 'off',
  ...extra,
});

function probe(options: {
  config?: Record<string, unknown>;
  credentials?: Record<string, string>;
  auth?: typeof basic;
}) {
  return runTestCall({
    manifest,
    auth: options.auth ?? basic,
    config: options.config ?? config(),
    credentials: options.credentials ?? { username: server.user, password: server.password },
    outbound,
    allow: loopback,
    timeoutMs: 5_000,
  });
}

describe('MySQL driver test', () => {
  it('right settings: connected, the account is database@host:port', async () => {
    const run = await probe({});
    expect(run.outcome).toEqual({
      outcome: 'connected',
      account_id: `${server.database}@127.0.0.1:${server.port}`,
      account_name: server.database,
      status: null,
    });
    expect(run.log).toMatchObject({ method: 'QUERY', path: 'select 1', error: null });
  });

  it('a wrong password: credential_revoked, and nothing repeats the password', async () => {
    const run = await probe({ credentials: { username: server.user, password: 'not-the-password' } });
    expect(run.outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(JSON.stringify(run)).not.toContain('not-the-password');
  });

  it('a database that does not exist: vendor_error named by the server', async () => {
    const run = await probe({ config: config({ database: 'no_such_database' }) });
    expect(run.outcome).toMatchObject({ outcome: 'vendor_error', vendor_code: 'ER_BAD_DB_ERROR' });
  });

  it('a user without access to the database: scope_insufficient', async () => {
    const user = `probe_${server.database.slice(2, 10)}`;
    await server.admin.query(`create user '${user}'@'%' identified by 'pw-probe'`);
    try {
      const run = await probe({ credentials: { username: user, password: 'pw-probe' } });
      expect(run.outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
    } finally {
      await server.admin.query(`drop user '${user}'@'%'`);
    }
  });

  it('nothing listening: network_error', async () => {
    const closed = await freePort();
    expect((await probe({ config: config({ port: closed }) })).outcome).toMatchObject({
      outcome: 'network_error',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('TLS: verify refuses a certificate no public CA signed, saying so; no_verify encrypts without checking', async () => {
    expect((await probe({ config: config({ ssl: 'verify' }) })).outcome).toMatchObject({
      outcome: 'network_error',
      message: expect.stringMatching(/^TLS failed: .*certificate/),
    });
    const encrypted = await probe({ config: config({ ssl: 'no_verify' }) });
    expect(encrypted.outcome).toMatchObject({ outcome: 'connected' });
  });

  it('TLS asked of a server that does not offer it: network_error saying so', async () => {
    // mysql2's own server side, announcing every capability but TLS.
    const fake = mysqlServer.createServer((connection) => {
      connection.on('error', () => {}); // the client hangs up as soon as it reads the handshake
      connection.serverHandshake({
        protocolVersion: 10,
        serverVersion: '10.11.0-no-tls',
        connectionId: 1,
        statusFlags: 2,
        characterSet: 8,
        capabilityFlags: 0x000ff7ff,
      });
    });
    const port = await freePort();
    // mysql2 passes listen's arguments on to net.Server.listen; its types name the port only.
    const listen = fake.listen.bind(fake) as unknown as (port: number, host: string, ready: () => void) => void;
    await new Promise<void>((resolve) => listen(port, '127.0.0.1', resolve));
    try {
      expect((await probe({ config: config({ port, ssl: 'verify' }) })).outcome).toEqual({
        outcome: 'network_error',
        message: 'The server does not offer TLS. Set ssl to off only if the network to it is trusted.',
      });
    } finally {
      fake.close(() => {});
    }
  });

  it('TLS checks the certificate against the host name while the socket goes to the checked address', async () => {
    const connect = async (host: string) => {
      const target = await pinMysqlTarget(
        { ...settings(), host, tls: 'verify' },
        { allow: loopback, lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
      );
      // The test CA stands in for a public one; everything else is what the connector builds.
      const ssl = { ...(target.options.ssl as object), ca: caCert };
      const connection = await mysql.createConnection({ ...target.options, ssl });
      const [rows] = await connection.query('select 1 as one');
      await connection.end();
      return rows;
    };
    expect(await connect('localhost')).toEqual([{ one: 1 }]);
    await expect(connect('db.switchyard.test')).rejects.toThrow(/does not match certificate's altnames/);
  });

  it('the same settings through a mysql:// URI, its ?ssl taking over the form', async () => {
    const dsn = `mysql://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/${server.database}?ssl=off`;
    const run = await probe({ auth: uri, config: { ssl: 'verify' }, credentials: { connection_string: dsn } });
    expect(run.outcome).toMatchObject({ outcome: 'connected', account_name: server.database });
  });

  it('a host name is resolved once, checked, and the socket opened to that address', async () => {
    const run = await testMysql(
      {
        manifest,
        auth: basic,
        config: config({ host: 'mariadb.switchyard.test' }),
        credentials: { username: server.user, password: server.password },
        outbound,
        allow: loopback,
      },
      {
        allow: loopback,
        query: 'select 1',
        timeoutMs: 5_000,
        lookup: async () => [{ address: '127.0.0.1', family: 4 }],
      },
    );
    expect(run.outcome).toMatchObject({
      outcome: 'connected',
      account_id: `${server.database}@mariadb.switchyard.test:${server.port}`,
    });
  });
});

describe('MySQL driver test: the SSRF guard', () => {
  const refused = async (options: Parameters<typeof probe>[0], message: RegExp) => {
    const run = await probe(options);
    expect(run.outcome).toMatchObject({ outcome: 'network_error', message: expect.stringMatching(message) });
    expect(run.blocked).toBe(true);
  };

  it('refuses a host outside the allow-list before connecting', async () => {
    await refused({ config: config({ host: '127.0.0.2', port: trap.port }) }, /127\.0\.0\.2 is a non-public address/);
    await refused({ config: config({ host: '10.20.30.40' }) }, /10\.0\.0\.0\/8/);
    expect(trap.count).toBe(0);
  });

  it('refuses socket paths, in the host field or a secret that resolves to one', async () => {
    await refused({ config: config({ host: '/run/mysqld/mysqld.sock' }) }, /socket paths are not allowed/);
    await refused({ config: config({ host: 'localhost/../../run/x' }) }, /socket paths are not allowed/);
  });

  it('refuses every URI parameter but ssl: socketPath, host, port, flags, localAddress', async () => {
    const base = `mysql://${server.user}:${server.password}@127.0.0.1:${server.port}/${server.database}`;
    for (const query of [
      'socketPath=%2Frun%2Fmysqld%2Fmysqld.sock',
      `host=127.0.0.2&port=${trap.port}`,
      'flags=%2BLOCAL_FILES',
      'localAddress=127.0.0.2',
      'ssl=off&debug=true',
    ])
      await refused(
        { auth: uri, credentials: { connection_string: `${base}?${query}` } },
        /parameter .* is not allowed: only ssl/,
      );
    expect(trap.count).toBe(0);
  });

  it('refuses a URI whose own host is blocked, and a URI that is not mysql://', async () => {
    const dsn = `mysql://${server.user}:${server.password}@127.0.0.2:${trap.port}/${server.database}`;
    await refused({ auth: uri, credentials: { connection_string: dsn } }, /127\.0\.0\.2 is a non-public address/);
    await refused(
      { auth: uri, credentials: { connection_string: 'postgres://x@127.0.0.1/db' } },
      /must start with mysql/,
    );
    expect(trap.count).toBe(0);
  });
});
