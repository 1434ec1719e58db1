/**
 * Build the browser package `@switchyard/connect` in dist/connect-package/: connect/index.ts compiled to one ES module
 * with its type declarations, and a package.json with an `exports` map whose version is the server's (the package
 * speaks the Connect UI's messages of that server version). It has no dependencies. `--pack <dir>` also runs
 * `npm pack` into `<dir>` and prints the tarball's path.
 *
 * Usage: npm run connect:build [-- --pack <dir>]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packSdk as packPackage } from './build-sdk.js';

const root = path.resolve(import.meta.dirname, '..');
const defaultDir = path.join(root, 'dist', 'connect-package');

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Build the package into `packageDir` (replacing what was there); returns it. */
export function buildConnectPackage(packageDir: string = defaultDir): string {
  fs.rmSync(packageDir, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const project = path.join(root, 'connect', 'tsconfig.package.json');
  execFileSync(process.execPath, [tsc, '-p', project, '--outDir', path.join(packageDir, 'dist')], {
    stdio: 'inherit',
  });
  const { name, ...rest } = readJson(path.join(root, 'connect', 'package.json'));
  const { version } = readJson(path.join(root, 'package.json'));
  fs.writeFileSync(path.join(packageDir, 'package.json'), `${JSON.stringify({ name, version, ...rest }, null, 2)}\n`);
  fs.copyFileSync(path.join(root, 'connect', 'README.md'), path.join(packageDir, 'README.md'));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(packageDir, 'LICENSE'));
  return packageDir;
}

/** `npm pack` the package built in `packageDir` into `destination`; returns the tarball's path. */
export const packConnect = (packageDir: string, destination: string): string => packPackage(packageDir, destination);

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { pack: { type: 'string' } } });
  const dir = buildConnectPackage();
  process.stdout.write(`Built the Connect package in ${path.relative(process.cwd(), dir) || '.'}\n`);
  if (values.pack) process.stdout.write(`${packConnect(dir, path.resolve(values.pack))}\n`);
}
