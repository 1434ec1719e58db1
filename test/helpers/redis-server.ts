import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './postgres-server.js';

/**
 * A throwaway Redis server for a test file, from Debian's `redis-server` (scripts/test.sh installs it when missing):
 * loopback only, no persistence, in a temporary directory, with the ACL users a test asks for (`user` lines of
 * redis.conf, https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/). The default user needs
 * `password`, as on a server with requirepass.
 */
export type TestRedis = { host: string; port: number; stop(): Promise<void> };

export async function startTestRedis(options: { password: string; users?: string[] }): Promise<TestRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-redis-'));
  const port = await freePort();
  const conf = path.join(dir, 'redis.conf');
  fs.writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'protected-mode yes',
      'save ""',
      'appendonly no',
      `dir ${dir}`,
      'loglevel warning',
      `logfile ${path.join(dir, 'redis.log')}`,
      // Quoted: a password may hold spaces (redis.conf splits arguments as redis-cli does).
      `user default on ">${options.password.replace(/["\\]/g, '\\$&')}" ~* &* +@all`,
      ...(options.users ?? []).map((u) => `user ${u}`),
      '',
    ].join('\n'),
  );
  const child = spawn('redis-server', [conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`redis-server did not start: ${(error as Error).message}`);
  }
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
