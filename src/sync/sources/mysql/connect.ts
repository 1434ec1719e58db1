import type mysql from 'mysql2/promise';
import { createMysqlPool, pinMysqlTarget, type MysqlSettings } from '../../../connections/mysql-target.js';
import type { Cidr } from '../../../core/net/cidr.js';
import { DatabaseTargetError } from '../../../core/net/database-target.js';
import { BlockedAddressError, type ResolveHost } from '../../../core/net/ssrf.js';
import { SyncError } from '../../engine/types.js';

/**
 * Opening a tenant's MySQL or MariaDB database for a sync, as a source or as a target: the settings go through
 * `pinMysqlTarget` (SSRF guard; the driver's socket goes to the checked address) and a pool sized by the
 * connection's pool min/max hands out connections. Each connection taken from it is set to UTC (timestamps read the
 * same on every run: checkpoints compare them) and to strict SQL (a value that does not fit is an error naming the
 * row, never a silent truncation).
 */

export type MysqlConnectionOptions = {
  /** The connection's settings, its secrets opened and references resolved by the runner. */
  settings: MysqlSettings;
  /** Networks exempt from the SSRF guard (SWITCHYARD_ALLOW_PRIVATE_NETWORKS). */
  allow: readonly Cidr[];
  lookup?: ResolveHost;
  /** Default 10 s. */
  connectTimeoutMs?: number;
};

export type Role = 'source' | 'target';

const sessionSql =
  "set session time_zone = '+00:00', session sql_mode = " +
  "'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

/** A pool for the connection (nothing is connected until the first `acquire`). */
export async function openMysqlPool(options: MysqlConnectionOptions, role: Role): Promise<mysql.Pool> {
  try {
    const target = await pinMysqlTarget(options.settings, {
      allow: options.allow,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    return createMysqlPool(target);
  } catch (error) {
    throw connectError(error, role);
  }
}

/**
 * A connection from the pool with the session set. A pooled connection the server dropped while idle fails its
 * first statement: it is destroyed and a fresh one taken, once.
 */
export async function acquire(pool: mysql.Pool, role: Role): Promise<mysql.PoolConnection> {
  for (let attempt = 0; ; attempt++) {
    let connection: mysql.PoolConnection | undefined;
    try {
      connection = await pool.getConnection();
      await connection.query(sessionSql);
      return connection;
    } catch (error) {
      connection?.destroy();
      if (attempt === 0 && connection && isConnectionLost(error)) continue;
      throw connectError(error, role);
    }
  }
}

/** Give a connection back: to the pool when it is sound, destroyed when a statement on it failed midway. */
export function release(connection: mysql.PoolConnection, broken = false): void {
  if (broken) connection.destroy();
  else connection.release();
}

export async function closePool(pool: mysql.Pool | undefined): Promise<void> {
  await pool?.end().catch(() => {});
}

/** mysql2's error fields. */
export type MysqlError = Error & { code?: string; errno?: number; sqlState?: string; fatal?: boolean };

const refusedCodes = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_HOST_IS_BLOCKED',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
]);

export function connectError(error: unknown, role: Role): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof BlockedAddressError || error instanceof DatabaseTargetError)
    return new SyncError('destination_blocked', error.message);
  const { code, message } = error as MysqlError;
  // A wrong password, an unknown database, a host or TLS setting the server refuses: a person must fix it.
  if (code && refusedCodes.has(code))
    return new SyncError(`${role}_connection_refused`, `The ${role} database refused the connection: ${message}`);
  return new SyncError(`${role}_unreachable`, `Could not connect to the ${role} database: ${message}`, true);
}

/** The connection is gone (killed, reset, closed by the server): the statement may be retried on another one. */
export function isConnectionLost(error: unknown): boolean {
  const { code, fatal } = error as MysqlError;
  return (
    fatal === true ||
    code === 'PROTOCOL_CONNECTION_LOST' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ER_CONNECTION_KILLED' ||
    code === 'ER_SERVER_SHUTDOWN'
  );
}

/** A quoted identifier: always backquoted, so names keep their case and never read as keywords. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new SyncError('invalid_identifier', 'An identifier may not contain NUL.');
  return `\`${name.replaceAll('`', '``')}\``;
}
