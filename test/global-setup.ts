import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './helpers/postgres-server.js';
import { buildForProcesses, createRunDir } from './helpers/process-build.js';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Once per run, before any test file:
 * - the CLI and server transpiled for the processes tests start (test/helpers/process-build.ts);
 * - the data directory of a fresh PGlite, right after initdb, and a tarball of it. On SWITCHYARD_TEST_DB=pglite the
 *   in-memory PGlite of each worker starts from the tarball (test/helpers/db.ts), and on either engine most serve
 *   processes on PGlite start from a copy of the directory (test/helpers/serve-process.ts), instead of running
 *   initdb again: about 7 s of CPU each time, against 1.4 s to load the tarball and 0.8 s to open a copy;
 * - SWITCHYARD_TEST_DB=postgres runs the suite on a PostgreSQL server: DATABASE_URL when given, otherwise a
 *   throwaway server started here for the whole run. Tests isolate themselves with a schema each.
 */
export default async function setup(project: TestProject) {
  const run = createRunDir();
  const cleanups: (() => void)[] = [() => run.remove()];
  const teardown = () => {
    for (const cleanup of cleanups.reverse()) cleanup();
  };
  try {
    const build = path.join(run.dir, 'build');
    await buildForProcesses(build);
    project.provide('processBuild', build);
    const engine = process.env.SWITCHYARD_TEST_DB ?? 'pglite';
    project.provide('testDb', engine);
    // Serve processes use PGlite on either engine where a test gives them a data directory.
    const pglite = await pgliteTemplates();
    project.provide('pgliteTemplate', engine === 'pglite' ? pglite.tarball : '');
    project.provide('pgliteDataDir', pglite.dataDir);
    if (engine !== 'postgres') {
      project.provide('databaseUrl', '');
    } else if (process.env.DATABASE_URL) {
      project.provide('databaseUrl', process.env.DATABASE_URL);
    } else {
      const server = await startTestPostgres();
      cleanups.push(() => server.stop());
      project.provide('databaseUrl', server.url);
    }
  } catch (error) {
    teardown();
    throw error;
  }
  return teardown;
}

/**
 * A PGlite data directory right after initdb, and the same as a tarball for in-memory instances. They depend on
 * nothing but the PGlite release, so they are kept in test-output/ across runs, one pair per release (made under a
 * temporary name and renamed, so concurrent runs never see half of them).
 */
async function pgliteTemplates(): Promise<{ dataDir: string; tarball: string }> {
  const packageJson = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  const dir = path.join(root, 'test-output', `pglite-${version}`);
  const templates = { dataDir: path.join(dir, 'pgdata'), tarball: path.join(dir, 'initdb.tar') };
  if (fs.existsSync(templates.tarball)) return templates;
  const partial = `${dir}.${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  const pg = await PGlite.create({ dataDir: path.join(partial, 'pgdata') });
  try {
    const dump = await pg.dumpDataDir('none');
    fs.writeFileSync(path.join(partial, 'initdb.tar'), Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pg.close();
  }
  try {
    fs.renameSync(partial, dir);
  } catch (error) {
    // Another run got there first: use its pair.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(templates.tarball)) throw error;
  }
  return templates;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: string;
    databaseUrl: string;
    /** This run's JavaScript of src/ and sdk/ for child processes (src/cli/main.js inside it is the CLI). */
    processBuild: string;
    /** A tarball of a freshly initialised PGlite data directory ('' unless the run targets PGlite). */
    pgliteTemplate: string;
    /** That data directory itself, for serve processes to copy (test/helpers/serve-process.ts). */
    pgliteDataDir: string;
  }
}
