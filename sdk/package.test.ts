import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdkPackage, packSdk } from '../scripts/build-sdk.js';
import { randomToken } from '../src/core/ids.js';
import { packageRoot } from '../src/core/paths.js';
import { createRunDir } from '../test/helpers/process-build.js';
import { createServeDatabase, startServeProcess, type ServeProcess } from '../test/helpers/serve-process.js';

const run = promisify(execFile);

/**
 * The SDK as a user gets it: built and packed, the tarball installed into a scratch project with no registry to
 * reach (an unroutable registry, an empty cache, --offline), and the README's snippet run there by plain Node
 * against a real `switchyard serve` on loopback.
 */
let runDir: ReturnType<typeof createRunDir>;
let scratch: string;
let serve: ServeProcess | undefined;
let database: Awaited<ReturnType<typeof createServeDatabase>> | undefined;
const token = randomToken('syk_');
const serverVersion = (
  JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/** `node` in the scratch project, with only the environment given. */
const node = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, args, { cwd: scratch, env: { PATH: process.env.PATH ?? '', ...env } });

beforeAll(async () => {
  runDir = createRunDir();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sdk-scratch-'));
  const tarball = packSdk(buildSdkPackage(path.join(runDir.dir, 'sdk-package')), runDir.dir);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--registry', 'http://127.0.0.1:9/'], {
    cwd: scratch,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      npm_config_cache: path.join(scratch, '.npm-cache'),
      npm_config_update_notifier: 'false',
    },
  });
  database = await createServeDatabase();
  serve = await startServeProcess({ ...database.env, SWITCHYARD_ADMIN_TOKEN: token });
  await serve.waitHealthy();
}, 180_000);

afterAll(async () => {
  await serve?.stop();
  await database?.remove();
  runDir?.remove();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** The first ```js block of the README's SDK section. */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## SDK\n'));
  const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!snippet) throw new Error('no js snippet in the README SDK section');
  return snippet;
}

describe('the packed SDK', () => {
  it('installs without a registry, at the server’s version, with modules, declarations and an exports map', () => {
    const installed = path.join(scratch, 'node_modules', '@switchyard', 'sdk');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      name: '@switchyard/sdk',
      version: serverVersion,
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    });
    for (const file of ['index.js', 'index.d.ts', 'proxy.js', 'schema.d.ts'])
      expect(fs.existsSync(path.join(installed, 'dist', file)), file).toBe(true);
    // Nothing of the sources or tests ships.
    expect(
      fs.readdirSync(path.join(installed, 'dist')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    ).toEqual([]);
    expect(fs.existsSync(path.join(installed, 'node_modules', 'openapi-fetch', 'package.json'))).toBe(true);
  });

  it('runs the README snippet in plain Node against a serve process', async () => {
    fs.writeFileSync(path.join(scratch, 'app.mjs'), readmeSnippet());
    const { stdout, stderr } = await node(['app.mjs'], { SWITCHYARD_URL: serve?.url ?? '', SWITCHYARD_TOKEN: token });
    expect(stderr).toBe('');
    const created = /^store it now: (syk_\w+)\n$/.exec(stdout)?.[1];
    expect(created, stdout).toBeDefined();
    const me = await fetch(`${serve?.url}/v1/me`, { headers: { authorization: `Bearer ${created}` } });
    expect(((await me.json()) as { role: string }).role).toBe('viewer');

    // The snippet's error branch, with a token the server refuses.
    const refused = await node(['app.mjs'], { SWITCHYARD_URL: serve?.url ?? '', SWITCHYARD_TOKEN: 'syk_wrong' });
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error (unauthenticated|invalid_credentials): /);
  });

  it('loads with require() and type-checks in TypeScript under node16 and bundler resolution', async () => {
    const required = await node(
      ['-e', "const sdk = require('@switchyard/sdk'); console.log(Object.keys(sdk).sort().join(' '))"],
      { NODE_NO_WARNINGS: '1' },
    );
    expect(required.stdout.trim()).toBe('SwitchyardError createSwitchyardClient isProblem listAll paginate unwrap');

    fs.writeFileSync(
      path.join(scratch, 'check.mts'),
      [
        "import { createSwitchyardClient, unwrap } from '@switchyard/sdk';",
        "const client = createSwitchyardClient({ baseUrl: 'http://127.0.0.1:4000' });",
        "export const me = unwrap(client.GET('/v1/me')).then((m) => m.tenant.slug.toUpperCase());",
        "export const proxied = client.proxy<{ id: string }>('conn_1', 'GET', '/me').then((r) => r.data?.id);",
        '// @ts-expect-error -- the generated types know the body needs a role',
        "export const bad = client.POST('/v1/api-keys', { body: { name: 'x' } });",
        '',
      ].join('\n'),
    );
    const tsc = path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ] as const) {
      const args = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2023,dom'];
      const checked = await node([
        tsc,
        ...args,
        '--module',
        module,
        '--moduleResolution',
        resolution,
        'check.mts',
      ]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
      expect(checked.stdout, `${module}/${resolution}`).toBe('');
    }
  });
});
