import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRunDir } from './helpers/process-build.js';
import { initialisedDataDir, serveApi, startServeProcess, type ServeProcess } from './helpers/serve-process.js';

const root = path.resolve(import.meta.dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## First ten minutes'),
  readme.indexOf('\n## ', readme.indexOf('## First ten minutes') + 1),
);

/** The code blocks of the README's "First ten minutes" marked `<!-- walkthrough … -->`, in order, as written. */
const blocks = [...section.matchAll(/<!-- walkthrough[^>]*-->\n```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
/** The first shell block of the section: how the walkthrough starts the server. */
const startCommand = /```sh\n(.*)\n```/.exec(section)?.[1];

/**
 * The README's walkthrough, followed as a newcomer would: each marked block runs as it is in bash, in a package
 * directory where `npx switchyard` is this run's build of the CLI, against a real serve process on loopback started
 * the way the walkthrough starts it. Only the URL and token (the server's own, on a free port) come from here, as
 * the walkthrough's `export` line says they come from the server.
 */
// Every command is an `npx switchyard` process (about a second each, more on a busy machine).
describe('README: First ten minutes, verbatim', { timeout: 240_000 }, () => {
  let run: ReturnType<typeof createRunDir>;
  let pkg: string;
  let dataDir: string;
  let server: ServeProcess;
  const token = `walkthrough-${'t'.repeat(32)}`;
  const password = 'a newcomer’s password';

  beforeAll(async () => {
    run = createRunDir();
    pkg = path.join(run.dir, 'package');
    fs.mkdirSync(pkg);
    fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    // What `npm start` builds, as `npm run build` leaves it (the CLI executable: the package's bin).
    fs.cpSync(inject('processBuild'), path.join(pkg, 'dist'), { recursive: true });
    fs.chmodSync(path.join(pkg, 'dist/src/cli/main.js'), 0o755);
    dataDir = initialisedDataDir();
    const env = Object.fromEntries(
      [...(startCommand ?? '').matchAll(/\b(SWITCHYARD_[A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]),
    ) as Record<string, string>;
    server = await startServeProcess({ ...env, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_ADMIN_TOKEN: token });
    await server.waitHealthy();
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    run?.remove();
  });

  function bash(script: string, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: pkg,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SWITCHYARD_URL: server.url,
        SWITCHYARD_TOKEN: token,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input);
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('starts the server with loopback allowed, as the trial needs', () => {
    expect(startCommand).toBe('SWITCHYARD_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8 npm start');
    expect(blocks).toHaveLength(4);
  });

  it('1. creates the first user, a superuser, who can sign in', async () => {
    const result = await bash(blocks[0] as string, `${password}\n`);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('Created superuser you@example.com');
    const res = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'you@example.com', password, return_token: true }),
    });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { token: string };
    const me = await serveApi(server, session.token, 'GET', '/v1/me');
    expect(me.data).toMatchObject({ superuser: true });
  });

  it('2. connects a REST API: the connection is created active', async () => {
    const result = await bash(blocks[1] as string);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/Local API/);
    const list = await serveApi(server, token, 'GET', '/v1/connections');
    expect(list.data.data).toEqual([expect.objectContaining({ name: 'Local API', state: 'active' })]);
  });

  it('3. publishes an event that an endpoint receives: delivered, and in the receiver’s event log', async () => {
    const result = await bash(blocks[2] as string);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    // "A moment later": the delivery is made by the dispatcher in the background.
    for (;;) {
      const deliveries = await serveApi(server, token, 'GET', '/v1/webhooks/deliveries');
      const [delivery] = deliveries.data.data as { status: string }[];
      if (delivery?.status === 'delivered') break;
      expect(delivery?.status).toMatch(/pending|dispatched|delivered/);
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await bash(blocks[3] as string);
    expect(after, after.stderr).toMatchObject({ code: 0 });
    expect(after.stdout).toMatch(/order\.created\s.*delivered/);
    expect(after.stdout).toMatch(/Local receiver\s.*processed\s+\{"type":"order\.created"/);
  });
});
