import path from 'node:path';
import type { Config } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite } from './pglite.js';
import type { Db } from './port.js';
import { openPostgres } from './postgres.js';

/**
 * Open the configured database: a PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite in
 * `<data dir>/pgdata`, guarded by the data-directory lock. Closing the returned Db releases the lock.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>,
  onError?: (error: Error) => void,
): Promise<Db> {
  if (config.databaseUrl) {
    return openPostgres({ url: config.databaseUrl, poolSize: config.dbPoolSize, ...(onError ? { onError } : {}) });
  }
  const release = lockDataDir(config.dataDir);
  try {
    const db = await openPglite({ dataDir: path.join(config.dataDir, 'pgdata') });
    return {
      ...db,
      close: async () => {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
