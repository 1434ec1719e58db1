import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { initialisedDataDir, startServeProcess } from './helpers/serve-process.js';

// These run serve on the embedded database, as real processes.
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

/**
 * A data directory for the test's processes: with the embedded cluster already initialised (initialisedDataDir), or,
 * `empty`, nothing in it at all, as a first start on a new machine finds it.
 */
function tempDataDir(options: { empty?: boolean } = {}) {
  const dir = options.empty
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-data-'))
    : initialisedDataDir('switchyard-data-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('serve lifecycle on the embedded database', () => {
  it('a second process on the same data directory refuses to start, naming the holder', async () => {
    const dir = tempDataDir();
    const first = await startServeProcess({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_LOG_LEVEL: 'warn' });
    cleanup.push(() => first.stop());
    await first.waitHealthy();

    const second = await startServeProcess({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_LOG_LEVEL: 'warn' });
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain(`in use by another Switchyard process (pid ${first.proc.pid})`);
    // The first one is unharmed.
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
  });

  it('SIGTERM lets an in-flight request finish, refuses new ones, closes the database and releases the lock', async () => {
    const dir = tempDataDir();
    const admin = randomToken('syk_');
    const env = { SWITCHYARD_DATA_DIR: dir, SWITCHYARD_ADMIN_TOKEN: admin, SWITCHYARD_LOG_LEVEL: 'info' };
    const server = await startServeProcess(env);
    cleanup.push(() => server.stop('SIGKILL'));
    await server.waitHealthy();

    // Start a request and leave its body half sent: it is in flight when SIGTERM arrives.
    const body = JSON.stringify({ name: 'IN_FLIGHT', value: 'kept-safe' });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(
      `POST /v1/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    server.proc.kill('SIGTERM');
    await expect.poll(() => server.output().includes('shutting down'), { timeout: 5000 }).toBe(true);

    // New connections are refused while the old one is still being served.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 201/);
    expect(response).toContain('"name":"IN_FLIGHT"');

    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(server.output()).toContain('shutdown complete');
    expect(fs.existsSync(path.join(dir, 'switchyard.lock'))).toBe(false);

    // The secret committed before exit survives a restart.
    const again = await startServeProcess(env);
    cleanup.push(() => again.stop());
    await again.waitHealthy();
    const res = await fetch(`${again.url}/v1/secrets/IN_FLIGHT`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
  });

  it('a start with the wrong master key fails with a clear message', async () => {
    // The one first start on an empty directory: PGlite's initdb included.
    const dir = tempDataDir({ empty: true });
    const first = await startServeProcess({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_LOG_LEVEL: 'warn' });
    await first.waitHealthy();
    expect((await first.stop()).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'master.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const second = await startServeProcess({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_LOG_LEVEL: 'warn' });
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain('The master key does not match this database');
  });
});
