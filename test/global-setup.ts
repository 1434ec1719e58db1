import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './helpers/postgres-server.js';

/**
 * SWITCHYARD_TEST_DB=postgres runs the suite on a PostgreSQL server: DATABASE_URL when given, otherwise a
 * throwaway server started here for the whole run. Tests isolate themselves with a schema each.
 */
export default async function setup(project: TestProject) {
  const engine = process.env.SWITCHYARD_TEST_DB ?? 'pglite';
  project.provide('testDb', engine);
  if (engine !== 'postgres') {
    project.provide('databaseUrl', '');
    return;
  }
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  const server = await startTestPostgres();
  project.provide('databaseUrl', server.url);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: string;
    databaseUrl: string;
  }
}
