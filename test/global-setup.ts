import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './helpers/postgres-server.js';
import { buildForProcesses, createRunDir } from './helpers/process-build.js';

/**
 * Once per run, before any test file:
 * - the CLI and server transpiled for the processes tests start (test/helpers/process-build.ts);
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

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: string;
    databaseUrl: string;
    /** This run's JavaScript of src/ and sdk/ for child processes (src/cli/main.js inside it is the CLI). */
    processBuild: string;
  }
}
