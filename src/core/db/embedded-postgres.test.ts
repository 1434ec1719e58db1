import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  systemUser,
  type EmbeddedConnection,
  type EmbeddedPostgres,
} from './embedded-postgres.js';
import { binariesFor, findPostgresBinaries } from './postgres-binaries.js';

const root = path.resolve(import.meta.dirname, '../../..');
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

function tempDir(): string {
  // mkdtemp makes the directory 0700: run as root, the server (as `postgres`) reaches its cluster all the same.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-embedded-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'postgres');
}

async function start(dir: string): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dir });
  cleanup.push(() => server.stop());
  return server;
}

async function query<R extends pg.QueryResultRow>(connection: EmbeddedConnection, text: string): Promise<R[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

const postmasterPid = (dir: string) => Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL', () => {
  it('flushes every commit to disk before acknowledging it, whatever postgresql.conf says', async () => {
    const dir = tempDir();
    let server = await start(dir);
    // Durability cannot be configured away: the command line outranks the configuration files.
    await query(server.connection, 'alter system set fsync = off');
    await query(server.connection, 'alter system set synchronous_commit = off');
    await server.stop();
    server = await start(dir);
    const settings = await query<{ fsync: string; commit: string }>(
      server.connection,
      `select current_setting('fsync') as fsync, current_setting('synchronous_commit') as commit`,
    );
    expect(settings).toEqual([{ fsync: 'on', commit: 'on' }]);

    // pg_stat_wal counts the WAL flushes (fdatasync) the server made. Twenty commits, one after another, each
    // waited for its own.
    const syncs = async () =>
      Number((await query<{ n: string }>(server.connection, 'select wal_sync::text as n from pg_stat_wal'))[0]?.n);
    const before = await syncs();
    const client = new pg.Client(server.connection);
    await client.connect();
    await client.query('create table commits (n int)');
    for (let n = 0; n < 20; n++) await client.query('insert into commits values ($1)', [n]);
    await client.end(); // a session's statistics are reported when it ends
    await expect.poll(syncs, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 21);
  });

  it('a server left behind by a process killed with SIGKILL stops by itself, and the next start opens the data', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'test/helpers/embedded-holder.ts'), dir],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanup.push(() => holder.kill('SIGKILL'));
    let output = '';
    holder.stdout.on('data', (d: Buffer) => (output += d.toString()));
    await expect.poll(() => output, { timeout: 60_000 }).toContain('ready ');
    const connection = JSON.parse(output.slice(output.indexOf('ready ') + 6)) as EmbeddedConnection;
    await query(connection, 'create table kept (v text); insert into kept values ($$acknowledged$$)');
    const pid = postmasterPid(dir);
    expect(alive(pid)).toBe(true);

    holder.kill('SIGKILL');
    // Its watchdog noticed the end of its parent and asked for a fast shutdown.
    await expect.poll(() => alive(pid), { timeout: 30_000 }).toBe(false);
    const server = await start(dir);
    expect(await query(server.connection, 'select v from kept')).toEqual([{ v: 'acknowledged' }]);
  });

  it('reports a server that ends under it, with how it ended', async () => {
    const dir = tempDir();
    const server = await start(dir);
    process.kill(postmasterPid(dir), 'SIGKILL');
    expect(await server.exited).toMatch(/^exit code \d+|^signal SIGKILL/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'run as root, binaries the postgres user cannot reach are copied once to a root-owned place it can',
    () => {
      const packaged = findPostgresBinaries();
      // (This checkout itself may be closed to the postgres user: a fresh clone in a mktemp directory.)
      const pkg = packaged.package as { root: string; version: string };
      // node_modules under a directory closed to others (a home directory, a mktemp directory).
      const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-closed-'));
      cleanup.push(() => fs.rmSync(closed, { recursive: true, force: true }));
      const root = path.join(closed, 'pkg');
      fs.cpSync(pkg.root, root, { recursive: true, verbatimSymlinks: true });
      const version = `${pkg.version}-test-${process.pid}`;
      const unreachable = {
        initdb: path.join(root, 'native/bin/initdb'),
        postgres: path.join(root, 'native/bin/postgres'),
        source: packaged.source,
        package: { root, version },
      };
      const owner = systemUser('postgres');
      const usable = binariesFor(unreachable, owner);
      cleanup.push(() => fs.rmSync(path.dirname(path.dirname(usable.postgres)), { recursive: true, force: true }));
      expect(usable.postgres).not.toBe(unreachable.postgres);
      expect(usable.source).toContain(version);
      // Reused, not copied again.
      expect(binariesFor(unreachable, owner).postgres).toBe(usable.postgres);
      // Reachable binaries are used where they are.
      expect(binariesFor(usable, owner)).toBe(usable);
    },
  );
});
