import type mysql from 'mysql2/promise';
import type { Cidr } from '../core/net/cidr.js';
import { DatabaseTargetError } from '../core/net/database-target.js';
import { BlockedAddressError, type ResolveHost } from '../core/net/ssrf.js';
import { connectMysql, mysqlSettings, pinMysqlTarget } from './mysql-target.js';
import type { TestInput, TestOutcome, TestRun } from './test-call.js';

/**
 * The test call of a MySQL or MariaDB connection: connect to the checked address (mysql-target.ts) and run the
 * manifest's query. Server errors map onto the outcomes the PostgreSQL test gives (db-test.ts):
 * - 1045 access denied (a wrong password or an unknown user; the server does not say which) → credential_revoked;
 * - 1044 / 1142 / 1143 no privilege on the database, table or column → scope_insufficient;
 * - any other server error (1049 unknown database, 1130 host not allowed, 3159 TLS required…) → vendor_error, its
 *   name (ER_BAD_DB_ERROR) as the vendor code;
 * - refused, timed out, TLS failures, a refused destination → network_error, saying which.
 */
export async function testMysql(
  input: TestInput,
  options: { allow: readonly Cidr[]; query: string; timeoutMs: number; lookup?: ResolveHost },
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
  let connection: mysql.Connection | undefined;
  try {
    const settings = mysqlSettings(input.auth, { config: input.config, credentials: input.credentials });
    const target = await pinMysqlTarget(settings, {
      allow: options.allow,
      connectTimeoutMs: options.timeoutMs,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    connection = await connectMysql(target);
    await connection.query({ sql: options.query, timeout: options.timeoutMs });
    log.latencyMs = performance.now() - started;
    return {
      outcome: { outcome: 'connected', account_id: target.accountId, account_name: target.database, status: null },
      log,
    };
  } catch (error) {
    log.latencyMs = performance.now() - started;
    log.error = (error as Error).message;
    const blocked = error instanceof BlockedAddressError || error instanceof DatabaseTargetError;
    return { outcome: classifyMysqlError(error), log, ...(blocked ? { blocked: true as const } : {}) };
  } finally {
    await connection?.end().catch(() => connection?.destroy());
  }
}

/** mysql2's error fields: `code` is the server error's name (or a Node/driver code), `errno` its number. */
type MysqlError = Error & { code?: string; errno?: number; sqlState?: string; fatal?: boolean };

export function classifyMysqlError(error: unknown): TestOutcome {
  if (error instanceof BlockedAddressError || error instanceof DatabaseTargetError)
    return { outcome: 'network_error', message: error.message };
  const { code, sqlState, message } = error as MysqlError;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR')
    return { outcome: 'credential_revoked', status: 401, message };
  if (
    code === 'ER_DBACCESS_DENIED_ERROR' ||
    code === 'ER_TABLEACCESS_DENIED_ERROR' ||
    code === 'ER_COLUMNACCESS_DENIED_ERROR'
  )
    return { outcome: 'scope_insufficient', status: 403, missing_scopes: [], message };
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT')
    return {
      outcome: 'network_error',
      message: 'The server does not offer TLS. Set ssl to off only if the network to it is trusted.',
    };
  if (code === 'HANDSHAKE_SSL_ERROR') return { outcome: 'network_error', message: `TLS failed: ${message}` };
  // A server error carries its SQLSTATE; the driver's and the network's errors do not.
  if (sqlState && code) return { outcome: 'vendor_error', status: null, vendor_code: code, message };
  return { outcome: 'network_error', message: message || String(code ?? 'connection failed') };
}
