import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { migrate, type Migration } from '../../src/core/db/migrate.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';

export type TestDb = { db: Db; schema: string; url: string; drop(): Promise<void> };

/** The PostgreSQL server the run shares (test/global-setup.ts). */
export const testDatabaseUrl = (): string => inject('databaseUrl');

/**
 * A migrated database in a fresh schema on the run's PostgreSQL server. Tests never share rows. `drop()` removes
 * the schema and closes the handle. `migrations` applies only those (an upgrade test's older schema).
 */
export async function createTestDb(options: { poolSize?: number; migrations?: Migration[] } = {}): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = testDatabaseUrl();
  const db = await openPostgres({ url, schema, namespace: schema, poolSize: options.poolSize ?? 5 });
  await migrate(db, options.migrations);
  return {
    db,
    schema,
    url,
    async drop() {
      await db.exec(`drop schema if exists "${schema}" cascade`).catch(() => {});
      await db.close();
    },
  };
}
