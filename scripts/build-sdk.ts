/**
 * Build the SDK as the `@switchyard/sdk` package in dist/sdk-package/: sdk/*.ts compiled to ES modules with type
 * declarations (and the generated schema.d.ts beside them), a package.json with an `exports` map whose version is
 * the server's, so an SDK and the server it was generated from always share a version number, and openapi-fetch
 * bundled (`bundleDependencies`), so the tarball installs without a registry. `--pack <dir>` also runs `npm pack`
 * into `<dir>` and prints the tarball's path.
 *
 * Usage: npm run sdk:build [-- --pack <dir>]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const defaultDir = path.join(root, 'dist', 'sdk-package');

type PackageJson = {
  name: string;
  version?: string;
  dependencies?: Record<string, string>;
  bundleDependencies?: string[];
  [key: string]: unknown;
};

const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;

/** Build the package into `sdkPackageDir` (replacing what was there); returns it. */
export function buildSdkPackage(sdkPackageDir: string = defaultDir): string {
  const server = readJson(path.join(root, 'package.json'));
  fs.rmSync(sdkPackageDir, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const project = path.join(root, 'sdk', 'tsconfig.package.json');
  const outDir = path.join(sdkPackageDir, 'dist');
  execFileSync(process.execPath, [tsc, '-p', project, '--outDir', outDir], { stdio: 'inherit' });
  // tsc does not copy declaration files it was given: the generated API types go beside the compiled modules.
  fs.copyFileSync(path.join(root, 'sdk', 'schema.d.ts'), path.join(sdkPackageDir, 'dist', 'schema.d.ts'));

  const manifest = readJson(path.join(root, 'sdk', 'package.json'));
  const dependencies = Object.fromEntries(
    Object.keys(manifest.dependencies ?? {}).map((name) => {
      const range = server.dependencies?.[name];
      if (!range) throw new Error(`the SDK depends on ${name}, which the server's package.json does not list`);
      return [name, range];
    }),
  );
  const { name, version: _unset, ...rest } = manifest;
  fs.writeFileSync(
    path.join(sdkPackageDir, 'package.json'),
    `${JSON.stringify({ name, version: server.version, ...rest, dependencies }, null, 2)}\n`,
  );
  fs.copyFileSync(path.join(root, 'sdk', 'README.md'), path.join(sdkPackageDir, 'README.md'));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(sdkPackageDir, 'LICENSE'));

  // Bundled dependencies are packed from the package's own node_modules: copy each, and what it depends on, from
  // the server's install (the versions the SDK was tested with).
  for (const dependency of bundledClosure(manifest.bundleDependencies ?? [])) {
    fs.cpSync(path.join(root, 'node_modules', dependency), path.join(sdkPackageDir, 'node_modules', dependency), {
      recursive: true,
      dereference: true,
    });
  }
  return sdkPackageDir;
}

function bundledClosure(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = readJson(path.join(root, 'node_modules', name, 'package.json'));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
  };
  names.forEach(visit);
  return [...seen];
}

/** `npm pack` the package built in `sdkPackageDir` into `destination`; returns the tarball's path. */
export function packSdk(sdkPackageDir: string, destination: string): string {
  fs.mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: sdkPackageDir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  const [packed] = JSON.parse(out) as { filename: string }[];
  if (!packed) throw new Error(`npm pack printed no tarball: ${out}`);
  return path.join(destination, packed.filename);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { pack: { type: 'string' } } });
  const dir = buildSdkPackage();
  process.stdout.write(`Built the SDK package in ${path.relative(process.cwd(), dir) || '.'}\n`);
  if (values.pack) process.stdout.write(`${packSdk(dir, path.resolve(values.pack))}\n`);
}
