import type Database from 'better-sqlite3';

/**
 * better-sqlite3, loaded when a SQLite connection is first used and not before: it is a native addon built for the
 * Node.js that installed it, so a process on another Node.js (or without the addon built) runs everything else and
 * fails only where SQLite is used, with a message saying so.
 */

export type SqliteDatabase = Database.Database;

let driver: Promise<typeof Database> | undefined;

function loadDriver(): Promise<typeof Database> {
  driver ??= import('better-sqlite3').then(
    (module) => module.default,
    (error: unknown) => {
      driver = undefined;
      throw Object.assign(
        new Error(`The SQLite driver (better-sqlite3) cannot be loaded on this server: ${(error as Error).message}`),
        { code: 'SQLITE_DRIVER_UNAVAILABLE' },
      );
    },
  );
  return driver;
}

/**
 * Open a database file (a path resolveSqlitePath returned): read-only for sources and test calls, which also need
 * the file to exist. Integers come back as BigInt (exact beyond 2^53; values.ts turns them into numbers where safe).
 * A writer waits up to `busyTimeoutMs` for another process's lock before failing with SQLITE_BUSY.
 */
export async function openSqlite(
  file: string,
  options: { readonly: boolean; busyTimeoutMs?: number },
): Promise<SqliteDatabase> {
  const Driver = await loadDriver();
  const db = new Driver(file, {
    readonly: options.readonly,
    fileMustExist: options.readonly,
    timeout: options.busyTimeoutMs ?? 5_000,
  });
  db.defaultSafeIntegers(true);
  return db;
}
