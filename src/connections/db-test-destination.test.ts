import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector, testManifest } from '../../test/helpers/connectors.js';
import type { ManifestInput } from '../catalog/manifest/manifest.js';
import { parseCidr } from '../core/net/cidr.js';
import { createOutbound } from '../core/net/http-client.js';
import { runTestCall } from './test-call.js';

/**
 * A PostgreSQL connection string cannot point the driver anywhere the SSRF guard did not check: the URL's host is
 * allowed (127.0.0.2 only), and `?host=`, `?port=`, socket paths or file parameters try to go elsewhere. Traps
 * (a TCP listener on 127.0.0.1 and a Unix socket named as pg names them) count every connection the driver makes;
 * they must see none. The real pg driver runs every case; no PostgreSQL server is needed, so both engines run it.
 */

const probeConnector: Partial<ManifestInput> & { slug: string } = {
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
  test: { kind: 'driver', driver: 'postgresql', query: 'select 1' },
};
const manifest = testManifest(probeConnector);
const allowed = [parseCidr('127.0.0.2/32')];
const outbound = createOutbound({ allow: allowed });

async function probe(connectionString: string) {
  return runTestCall({
    manifest,
    auth: manifest.auth[0] as (typeof manifest.auth)[number],
    config: {},
    credentials: { connection_string: connectionString },
    outbound,
    allow: allowed,
    timeoutMs: 5_000,
  });
}

/** A listener that counts connections and hangs up on each. */
async function trap(listen: (server: net.Server, ready: () => void) => void) {
  const trapped = { count: 0, server: net.createServer((socket) => (trapped.count++, socket.destroy())) };
  await new Promise<void>((resolve) => listen(trapped.server, resolve));
  return trapped;
}

const SOCKET_PORT = 5599;
let tcp: Awaited<ReturnType<typeof trap>>;
let unix: Awaited<ReturnType<typeof trap>>;
let socketDir: string;
let tcpPort: number;

beforeAll(async () => {
  tcp = await trap((server, ready) => server.listen(0, '127.0.0.1', ready));
  tcpPort = (tcp.server.address() as net.AddressInfo).port;
  socketDir = mkdtempSync(path.join(os.tmpdir(), 'pgtrap-'));
  // pg connects to `${host}/.s.PGSQL.${port}` when the host is a directory.
  unix = await trap((server, ready) => server.listen(path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), ready));
});
beforeEach(() => {
  tcp.count = 0;
  unix.count = 0;
});
afterEach(() => {
  expect(tcp.count, 'connections the TCP trap received').toBe(0);
  expect(unix.count, 'connections the socket trap received').toBe(0);
});
afterAll(async () => {
  tcp.server.close();
  unix.server.close();
  rmSync(socketDir, { recursive: true, force: true });
  await outbound.close();
});

describe('a connection string cannot send the PostgreSQL driver past the SSRF guard', () => {
  it('?host= naming a blocked address: the guard refuses it, no connection', async () => {
    const run = await probe(`postgresql://u:p@127.0.0.2:5432/db?host=127.0.0.1&port=${tcpPort}`);
    expect(run.outcome).toEqual({
      outcome: 'network_error',
      message:
        '127.0.0.1 is a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
    });
  });

  it('?host= in another spelling (a decimal IPv4) is resolved and judged the same way', async () => {
    const run = await probe(`postgresql://u:p@127.0.0.2/db?host=2130706433&port=${tcpPort}`);
    expect(run.outcome).toMatchObject({ outcome: 'network_error', message: expect.stringContaining('127.0.0.0/8') });
  });

  it('a socket directory in ?host=, percent-encoded as the URL host, or as a bare path: refused', async () => {
    const dir = encodeURIComponent(socketDir);
    for (const dsn of [
      `postgresql://u:p@127.0.0.2/db?host=${dir}&port=${SOCKET_PORT}`,
      `postgresql://u:p@${dir}:${SOCKET_PORT}/db`,
      `${socketDir} db`,
      `socket://u:p@${socketDir}?db=db`,
    ]) {
      const run = await probe(dsn);
      expect(run.outcome, dsn).toMatchObject({ outcome: 'network_error' });
      expect((run.outcome as { message: string }).message, dsn).toMatch(/socket|must start with postgres/);
    }
  });

  it('several hosts, or no host at all (where the driver would fall back to PGHOST or localhost): refused', async () => {
    const several = await probe(`postgresql://u:p@127.0.0.2/db?host=127.0.0.2,127.0.0.1&port=${tcpPort}`);
    expect(several.outcome).toMatchObject({ outcome: 'network_error', message: expect.stringContaining('one host') });
    const none = await probe(`postgresql://u:p@/db?port=${tcpPort}`);
    expect(none.outcome).toMatchObject({
      outcome: 'network_error',
      message: 'The connection string must name a host.',
    });
  });

  it('parameters that read files on the server or name another destination are refused before parsing', async () => {
    for (const param of ['sslrootcert=/etc/hostname', 'sslkey=/no/such/file', 'hostaddr=127.0.0.1', 'service=x']) {
      const run = await probe(`postgresql://u:p@127.0.0.2/db?sslmode=require&${param}`);
      const name = param.split('=')[0] as string;
      expect(run.outcome, param).toEqual({
        outcome: 'network_error',
        message: `The connection string parameter "${name}" is not allowed: it reads a file on the server or names another destination.`,
      });
    }
  });
});

describe('through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { allowPrivateNetworks: allowed } });
    await installConnector(t, probeConnector);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creating a connection whose ?host= points elsewhere: 422 destination_blocked with the guard’s outcome and how to allow it, nothing stored', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'postgresql_probe',
        credentials: { connection_string: `postgresql://u:p@127.0.0.2/db?host=127.0.0.1&port=${tcpPort}` },
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    const hint = 'allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8';
    expect(res.data).toMatchObject({
      code: 'destination_blocked',
      detail: expect.stringContaining(hint),
      outcome: {
        outcome: 'network_error',
        message:
          '127.0.0.1 is a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
      },
    });
    expect((await t.db.query('select count(*)::int as n from connections')).rows).toEqual([{ n: 0 }]);
  });
});
