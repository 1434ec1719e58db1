import { DatabaseTargetError } from '../core/net/database-target.js';
import { openSqlite, type SqliteDatabase } from './sqlite-driver.js';
import { resolveSqlitePath } from './sqlite-path.js';
import { render } from './templates.js';
import type { TestInput, TestOutcome, TestRun } from './test-call.js';

/**
 * The test call of a SQLite connection: resolve its file inside the server's SQLite directory (sqlite-path.ts), open
 * it read-only and run the manifest's query. A path the directory rule refuses is a refused destination; a file that
 * is missing or is not a database is the "vendor's" error, with SQLite's code.
 */
export async function testSqlite(
  input: TestInput,
  options: {
    root: string | undefined;
    query: string;
    storedFile?: ((fileId: string) => Promise<string | undefined>) | undefined;
  },
): Promise<TestRun> {
  const started = performance.now();
  const log: TestRun['log'] = {
    method: 'QUERY',
    path: options.query,
    status: null,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    error: null,
  };
  let db: SqliteDatabase | undefined;
  try {
    const name = sqliteFileName(input.config, input.credentials);
    const file = await resolveSqlitePath(name, {
      root: options.root,
      mustExist: true,
      storedFile: options.storedFile,
    });
    db = await openSqlite(file, { readonly: true });
    db.prepare(options.query).all();
    log.latencyMs = performance.now() - started;
    return { outcome: { outcome: 'connected', account_id: name, account_name: name, status: null }, log };
  } catch (error) {
    log.latencyMs = performance.now() - started;
    log.error = (error as Error).message;
    const blocked = error instanceof DatabaseTargetError;
    return { outcome: classifySqliteError(error), log, ...(blocked ? { blocked: true as const } : {}) };
  } finally {
    db?.close();
  }
}

/** The file a SQLite connection names: its `path` config field (which may be a secret reference, resolved). */
export function sqliteFileName(config: Record<string, unknown>, credentials: Record<string, string>): string {
  return render('{{config.path}}', { config, credentials });
}

function classifySqliteError(error: unknown): TestOutcome {
  const message = (error as Error).message;
  if (error instanceof DatabaseTargetError) return { outcome: 'network_error', message };
  const code = (error as { code?: string }).code;
  // SQLITE_NOTADB: a file that is not a database; SQLITE_CANTOPEN: none there; SQLITE_AUTH, SQLITE_PERM…
  if (code?.startsWith('SQLITE_')) return { outcome: 'vendor_error', status: null, vendor_code: code, message };
  return { outcome: 'vendor_error', status: null, vendor_code: null, message };
}
