import path from 'node:path';
import type { Config } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import type { Db } from './port.js';
import { openPostgres } from './postgres.js';
import { upgradePgliteDataDir } from './upgrade-pglite.js';

export type OpenDatabaseHooks = {
  /** A pooled connection failed (a server restart); the pool reconnects. */
  onError?: (error: Error) => void;
  /** The embedded server ended under us (it crashed or was killed): nothing more can be stored. */
  onServerLost?: (how: string) => void;
  /** Lines the embedded server logged (FATAL and PANIC only), and the upgrade's progress. */
  onMessage?: (line: string) => void;
};

/**
 * Open the configured database: a PostgreSQL server when DATABASE_URL is set, otherwise the embedded one, a
 * PostgreSQL server this process runs in `<data dir>/postgres` (guarded by the data-directory lock; a data directory
 * of an earlier release, on PGlite, is carried over first). Closing the returned Db stops the embedded server and
 * releases the lock.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'> & Partial<Pick<Config, 'postgresBin'>>,
  hooks: OpenDatabaseHooks = {},
): Promise<Db> {
  const { onError } = hooks;
  if (config.databaseUrl) {
    return openPostgres({ url: config.databaseUrl, poolSize: config.dbPoolSize, ...(onError ? { onError } : {}) });
  }
  const release = lockDataDir(config.dataDir);
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    const dir = path.join(config.dataDir, 'postgres');
    const onMessage = hooks.onMessage ?? (() => {});
    server = await startEmbeddedPostgres({ dir, onMessage, binDir: config.postgresBin });
    const db = await openPostgres({
      connection: server.connection,
      kind: 'embedded',
      poolSize: config.dbPoolSize,
      ...(onError ? { onError } : {}),
    });
    await upgradePgliteDataDir(config.dataDir, db, onMessage).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    void server.exited.then((how) => hooks.onServerLost?.(how));
    const running = server;
    return {
      ...db,
      close: async () => {
        try {
          await db.close();
          await running.stop();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    await server?.stop();
    release();
    throw error;
  }
}
