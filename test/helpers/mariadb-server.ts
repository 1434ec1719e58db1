import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from './postgres-server.js';
import { serverCert, serverKey } from './tls-certs.js';

/**
 * A throwaway MariaDB server for the test run, started once from the machine's binaries (Debian's `mariadb-server`;
 * scripts/test.sh installs it when missing), like the PostgreSQL server beside it: its own data directory, socket
 * and loopback port, no configuration file read (`--no-defaults`), durability off. The tests connect over TCP as a
 * user with a password (so wrong-password tests mean something). TLS is on, with the test CA's certificate for
 * 127.0.0.1 and localhost (tls-certs.ts), and optional: clients choose. As root the server runs as the `mysql` user
 * the Debian package creates (mariadbd refuses to run as root).
 */
export type TestMariadb = { url: string; stop(): void };

export function findMariadbBinaries(): { server: string; installDb: string } | undefined {
  const server = [process.env.SWITCHYARD_MARIADBD, '/usr/sbin/mariadbd', '/usr/sbin/mysqld', which('mariadbd')].find(
    (file) => file && fs.existsSync(file),
  );
  const installDb = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', which('mariadb-install-db')].find(
    (file) => file && fs.existsSync(file),
  );
  return server && installDb ? { server, installDb } : undefined;
}

function which(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export async function startTestMariadb(): Promise<TestMariadb> {
  const binaries = findMariadbBinaries();
  if (!binaries)
    throw new Error('No MariaDB server binaries found (install Debian\'s "mariadb-server" or set MARIADB_URL).');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mariadb.sock');
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(dir, 'server.crt'), serverCert);
  fs.writeFileSync(path.join(dir, 'server.key'), serverKey, { mode: 0o600 });
  const user = asRoot ? ['--user=mysql'] : [];
  if (asRoot) execFileSync('chown', ['-R', 'mysql:mysql', dir]);
  execFileSync(
    binaries.installDb,
    ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const server = spawn(
    binaries.server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=64M',
      '--max-connections=400',
      `--ssl-cert=${path.join(dir, 'server.crt')}`,
      `--ssl-key=${path.join(dir, 'server.key')}`,
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      `--log-error=${path.join(dir, 'server.log')}`,
      ...user,
    ],
    { stdio: 'ignore' },
  );
  const stop = () => {
    server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const password = randomBytes(12).toString('hex');
    await setUp(server, socket, password);
    return { url: `mysql://switchyard:${password}@127.0.0.1:${port}/`, stop };
  } catch (error) {
    const log = fs.existsSync(path.join(dir, 'server.log'))
      ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8')
      : '';
    stop();
    throw new Error(`MariaDB did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
  }
}

/** Wait for the socket, then make the tests' user (over TCP, with a password, every privilege). */
async function setUp(server: ChildProcess, socket: string, password: string): Promise<void> {
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    try {
      const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await root.query(`create user 'switchyard'@'%' identified by '${password}'`);
      await root.query(`grant all privileges on *.* to 'switchyard'@'%' with grant option`);
      await root.end();
      return;
    } catch (error) {
      if (i >= 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
