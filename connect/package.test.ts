import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnectPackage, packConnect } from '../scripts/build-connect.js';
import { packageRoot } from '../src/core/paths.js';
import { createRunDir } from '../test/helpers/process-build.js';

const run = promisify(execFile);

/**
 * The browser package as a product team gets it: built and packed, the tarball installed into a scratch project with
 * no registry to reach, then loaded and type-checked there. What it does in a browser is
 * test/console/connect-ui.test.ts's part (Chromium, a product page on its own origin, a real server).
 */
let runDir: ReturnType<typeof createRunDir>;
let scratch: string;
let installed: string;
const serverVersion = (
  JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;

const node = (args: string[]) =>
  run(process.execPath, args, { cwd: scratch, env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1' } });

beforeAll(async () => {
  runDir = createRunDir();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-connect-scratch-'));
  const tarball = packConnect(buildConnectPackage(path.join(runDir.dir, 'connect-package')), runDir.dir);
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
  installed = path.join(scratch, 'node_modules', '@switchyard', 'connect');
}, 120_000);

afterAll(() => {
  runDir?.remove();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the packed Connect browser package', () => {
  it('installs without a registry, at the server’s version, as one ES module with declarations and an exports map', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      name: '@switchyard/connect',
      version: serverVersion,
      type: 'module',
      sideEffects: false,
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    });
    expect(manifest.dependencies).toBeUndefined();
    expect(fs.readdirSync(path.join(installed, 'dist')).sort()).toEqual(['index.d.ts', 'index.js']);
    for (const file of ['README.md', 'LICENSE']) expect(fs.existsSync(path.join(installed, file)), file).toBe(true);
    // One self-contained module: a product page can load it as it is, without a bundler.
    const source = fs.readFileSync(path.join(installed, 'dist', 'index.js'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source.length).toBeLessThan(12_000);
  });

  it('loads where there is no window (server rendering) and exports openConnect and ConnectError', async () => {
    const { stdout } = await node([
      '--input-type=module',
      '-e',
      [
        "const m = await import('@switchyard/connect');",
        'console.log(Object.keys(m).sort().join(" "));',
        "const e = new m.ConnectError('session_invalid', 'connect_session_invalid', 'gone', 'expired');",
        'console.log(e instanceof Error, e.name, e.reason, e.code, e.detail, e.message);',
      ].join('\n'),
    ]);
    expect(stdout).toBe(
      'ConnectError openConnect\ntrue ConnectError session_invalid connect_session_invalid expired gone\n',
    );
  });

  it('type-checks in TypeScript under node16 and bundler resolution', async () => {
    fs.writeFileSync(
      path.join(scratch, 'check.mts'),
      [
        "import { openConnect, ConnectError, type ConnectEvent } from '@switchyard/connect';",
        'declare const container: HTMLElement;',
        'const events: ConnectEvent[] = [];',
        "export const id = openConnect({ url: 'https://sy.example/connect?session=t', container, onEvent: (e) => events.push(e) })",
        '  .then((r) => r.connectionId.toUpperCase())',
        "  .catch((e: unknown) => (e instanceof ConnectError && e.reason === 'closed' ? null : Promise.reject(e)));",
        '// @ts-expect-error -- only popup and iframe exist',
        "openConnect({ url: 'x', mode: 'modal' });",
        '// @ts-expect-error -- reasons are a closed set',
        "export const bad: ConnectError['reason'] = 'timeout';",
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
