import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRunDir } from './helpers/process-build.js';
import { initialisedDataDir, startServeProcess } from './helpers/serve-process.js';

const root = path.resolve(import.meta.dirname, '..');

/**
 * `npm start` builds only when it must (scripts/build-if-stale.js as prestart). These run it for real, in a copy of
 * the package whose `build` script is replaced by one that only counts its runs and records the build as the real
 * one does: the real build takes a minute and would rewrite the console other tests serve.
 */
describe('npm start builds only when the sources changed', () => {
  let run: ReturnType<typeof createRunDir>;
  let pkg: string;
  let dataDir: string;
  const builds = () =>
    fs.existsSync(path.join(pkg, 'builds.txt')) ? fs.readFileSync(path.join(pkg, 'builds.txt'), 'utf8').length : 0;
  const stamp = () => path.join(pkg, 'dist', 'build-stamp.json');
  const check = () =>
    spawnSync(process.execPath, ['scripts/build-if-stale.js', '--check'], { cwd: pkg, encoding: 'utf8' });

  beforeAll(() => {
    run = createRunDir();
    pkg = path.join(run.dir, 'package');
    fs.mkdirSync(pkg);
    for (const entry of ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'sdk']) {
      fs.cpSync(path.join(root, entry), path.join(pkg, entry), { recursive: true });
    }
    fs.cpSync(path.join(root, 'console'), path.join(pkg, 'console'), {
      recursive: true,
      filter: (source) => !/[\\/]console[\\/](dist|node_modules)$/.test(source),
    });
    for (const entry of ['node_modules', 'migrations', 'connectors', 'capabilities']) {
      fs.symlinkSync(path.join(root, entry), path.join(pkg, entry), 'dir');
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // The stand-in build: this run's JavaScript of src/ as dist/, a console page, one more line in builds.txt, and
    // the record the real build ends with.
    const processBuild = inject('processBuild');
    manifest.scripts.build =
      `node -e "fs.cpSync('${processBuild}','dist',{recursive:true});` +
      `fs.mkdirSync('console/dist/assets',{recursive:true});fs.writeFileSync('console/dist/index.html','<!doctype html>');` +
      `fs.appendFileSync('builds.txt','x')" && node scripts/build-if-stale.js --record`;
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify(manifest, null, 2));
    dataDir = initialisedDataDir();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    run?.remove();
  });

  async function npmStart() {
    const server = await startServeProcess(
      { SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_LOG_LEVEL: 'warn', SWITCHYARD_ADMIN_TOKEN: 'x'.repeat(32) },
      { command: ['npm', 'start', '--silent'], cwd: pkg },
    );
    try {
      await server.waitHealthy();
    } finally {
      await server.stop();
    }
    return server.output();
  }

  it('the real build script records the build, and start checks it first', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prestart).toBe('node scripts/build-if-stale.js');
    expect(scripts.build).toMatch(/ && node scripts\/build-if-stale\.js --record$/);
  });

  it('a first start builds; a restart of the built server does not', async () => {
    expect(check().stdout).toBe('stale: no build recorded yet\n');
    const first = await npmStart();
    expect(first).toContain('Building the server and the web console (no build recorded yet)');
    expect(builds()).toBe(1);
    const recorded = fs.statSync(stamp()).mtimeMs;
    const main = fs.statSync(path.join(pkg, 'dist/src/cli/main.js')).mtimeMs;

    const second = await npmStart();
    expect(second).not.toContain('Building');
    expect(builds()).toBe(1);
    expect(fs.statSync(stamp()).mtimeMs).toBe(recorded);
    expect(fs.statSync(path.join(pkg, 'dist/src/cli/main.js')).mtimeMs).toBe(main);
  });

  it('a changed source makes the build stale, a changed test does not', () => {
    expect(check()).toMatchObject({ status: 0, stdout: 'current\n' });
    const later = new Date(fs.statSync(stamp()).mtimeMs + 10_000);
    fs.utimesSync(path.join(pkg, 'src/cli/cli.test.ts'), later, later);
    expect(check()).toMatchObject({ status: 0, stdout: 'current\n' });
    fs.utimesSync(path.join(pkg, 'console/src/main.tsx'), later, later);
    expect(check()).toMatchObject({ status: 1, stdout: 'stale: console/src/main.tsx changed since the last build\n' });
  });

  it('a missing output makes it stale even when recorded', () => {
    fs.rmSync(path.join(pkg, 'console/dist'), { recursive: true });
    expect(check()).toMatchObject({ status: 1, stdout: 'stale: console/dist/index.html is missing\n' });
  });
});
