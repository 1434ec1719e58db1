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
 * - SWITCHYARD_TEST_DB=pglite: the data directory of a fresh PGlite, right after initdb, as a tarball. Each test
 *   file's PGlite starts from it (test/helpers/db.ts) instead of running initdb again, which costs several seconds
 *   of CPU per file (four times what loading the tarball does);
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
    project.provide('pgliteTemplate', engine === 'pglite' ? await pgliteTemplate() : '');
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
 * The tarball depends on nothing but the PGlite release, so it is kept in test-output/ across runs, one per
 * release (written under a temporary name and renamed, so concurrent runs never read half a file).
 */
async function pgliteTemplate(): Promise<string> {
  const packageJson = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  const file = path.join(root, 'test-output', `pglite-${version}-initdb.tar`);
  if (fs.existsSync(file)) return file;
  const pg = await PGlite.create();
  try {
    const dump = await pg.dumpDataDir('none');
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    return file;
  } finally {
    await pg.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: string;
    databaseUrl: string;
    /** This run's JavaScript of src/ and sdk/ for child processes (src/cli/main.js inside it is the CLI). */
    processBuild: string;
    /** A tarball of a freshly initialised PGlite data directory ('' unless the run targets PGlite). */
    pgliteTemplate: string;
  }
}
