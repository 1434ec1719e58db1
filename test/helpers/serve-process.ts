import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { SUITE_PASSWORD_HASH_COST } from '../setup.js';
import { cliMainFile } from './cli.js';
import { testDatabaseUrl } from './db.js';
import { freePort } from './postgres-server.js';

const root = path.resolve(import.meta.dirname, '../..');

export type ServeProcess = {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Run `switchyard serve` as a real process (this run's build of src/, on plain node), on a free loopback port, its
 * password hashes at the suite's cost unless `env` says otherwise: at the default, each user a test
 * creates or signs in costs over half a second of CPU.
 * `command` runs something else that serves instead (`npm start` in a package directory `cwd`): it gets a process
 * group of its own, which `stop` signals as a terminal's Ctrl-C would, and waits for every process in it to end.
 */
export async function startServeProcess(
  env: Record<string, string>,
  options: { command?: [string, ...string[]]; cwd?: string } = {},
): Promise<ServeProcess> {
  const port = await freePort();
  let output = '';
  const [command, ...args] = options.command ?? [process.execPath, cliMainFile(), 'serve'];
  const proc = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      SWITCHYARD_PASSWORD_HASH_COST: String(SUITE_PASSWORD_HASH_COST),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.command !== undefined,
  });
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    url,
    port,
    proc,
    output: () => output,
    exited,
    async waitHealthy(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (ended) throw new Error(`serve exited before becoming healthy:\n${output}`);
        try {
          const res = await fetch(`${url}/readyz`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`serve not ready after ${timeoutMs} ms:\n${output}`);
    },
    async stop(signal = 'SIGTERM') {
      if (options.command === undefined) {
        if (!ended) proc.kill(signal);
        return exited;
      }
      const group = -(proc.pid as number);
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (alive()) process.kill(group, signal);
      const result = await exited;
      while (alive()) await new Promise((r) => setTimeout(r, 100));
      return result;
    },
  };
}

/**
 * A new data directory for a `switchyard serve` on the embedded database, its cluster already initialised: a copy of
 * the one test/global-setup.ts made, instead of initdb at every start. All of Switchyard's own first start still
 * happens (migrations, the master key file, the bootstrap); process-lifecycle.test.ts keeps a start on an empty
 * directory.
 */
export function initialisedDataDir(prefix = 'switchyard-serve-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(inject('embeddedTemplate'), dir, { recursive: true });
  return dir;
}

/** A fresh database on the test PostgreSQL server, for processes that cannot use a per-test schema. */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sy_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * A database of its own for serve processes: a new data directory on the embedded database (initialisedDataDir), or
 * a scratch database on the run's PostgreSQL server. `env` is what to give the processes (and their restarts);
 * `remove()` deletes it once they have ended.
 */
export async function createServeDatabase(
  kind: 'embedded' | 'postgres' = 'embedded',
): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  if (kind === 'postgres') {
    const database = await createScratchDatabase(testDatabaseUrl());
    return { env: { DATABASE_URL: database.url }, remove: () => database.drop() };
  }
  const dir = initialisedDataDir();
  return { env: { SWITCHYARD_DATA_DIR: dir }, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A JSON request to a serve process's API with a bearer token; answers the status and the parsed body. */
export async function serveApi(
  node: Pick<ServeProcess, 'url'>,
  token: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; data: Record<string, unknown> }> {
  const res = await fetch(`${node.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, data: (await res.json()) as Record<string, unknown> };
}
