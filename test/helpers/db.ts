import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import { migrate } from '../../src/core/db/migrate.js';
import { openPglite } from '../../src/core/db/pglite.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';

export type TestDb = { db: Db; schema: string; engine: 'pglite' | 'postgres'; url?: string; drop(): Promise<void> };

export const testEngine = (): 'pglite' | 'postgres' => (inject('testDb') === 'postgres' ? 'postgres' : 'pglite');
export const testDatabaseUrl = (): string => inject('databaseUrl');

// One in-memory PGlite per worker process (starting one takes seconds of CPU); each test gets its own schema in it.
let sharedPglite: Promise<PGlite> | undefined;

/**
 * A new in-memory PGlite. It starts from the data directory test/global-setup.ts saved right after initdb, which
 * is what a new instance would run initdb to make (a quarter of the CPU time); without one it runs initdb.
 */
export async function newPglite(): Promise<PGlite> {
  const template = inject('pgliteTemplate');
  if (!template) return PGlite.create();
  return PGlite.create({ loadDataDir: new Blob([fs.readFileSync(template)]) });
}

/**
 * A migrated database in a fresh schema, on the engine this run targets (SWITCHYARD_TEST_DB). Tests never share
 * rows. `drop()` removes the schema and closes the handle.
 */
export async function createTestDb(options: { poolSize?: number } = {}): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  if (testEngine() === 'postgres') {
    const url = testDatabaseUrl();
    const db = await openPostgres({ url, schema, namespace: schema, poolSize: options.poolSize ?? 5 });
    await migrate(db);
    return {
      db,
      schema,
      engine: 'postgres',
      url,
      async drop() {
        await db.exec(`drop schema if exists "${schema}" cascade`).catch(() => {});
        await db.close();
      },
    };
  }
  sharedPglite ??= newPglite();
  const instance = await sharedPglite;
  const db = await openPglite({ instance, schema, namespace: schema });
  await migrate(db);
  return {
    db,
    schema,
    engine: 'pglite',
    async drop() {
      await instance.exec(`drop schema if exists "${schema}" cascade; set search_path to public`);
    },
  };
}
