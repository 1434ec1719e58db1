import type pg from 'pg';
import { createPostgresClient, pinPostgresTarget } from '../../../connections/postgres-target.js';
import type { Cidr } from '../../../core/net/cidr.js';
import { DatabaseTargetError } from '../../../core/net/database-target.js';
import { BlockedAddressError, type ResolveHost } from '../../../core/net/ssrf.js';
import { SyncError } from '../../engine/types.js';

/**
 * Opening a tenant's PostgreSQL database for a sync, as a source or as a target. The connection string goes through
 * `pinPostgresTarget` (SSRF guard; the driver gets the checked address, never the string) and `createPostgresClient`
 * (no PG* environment fills a gap). The session is set to UTC and ISO date styles, so that timestamps read as text
 * are the same strings on every run (checkpoints compare them).
 */

export type PostgresConnectionOptions = {
  /** The connection's sealed credential, opened by the runner: a postgres:// or postgresql:// URL. */
  connectionString: string;
  /** Networks exempt from the SSRF guard (SWITCHYARD_ALLOW_PRIVATE_NETWORKS). */
  allow: readonly Cidr[];
  lookup?: ResolveHost;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Per statement; default 10 minutes (a COPY or an incremental read's sort can be long); 0 = none. */
  statementTimeoutMs?: number;
};

export async function openSyncClient(
  options: PostgresConnectionOptions,
  role: 'source' | 'target',
): Promise<pg.Client> {
  let client: pg.Client | undefined;
  try {
    const target = await pinPostgresTarget(options.connectionString, {
      allow: options.allow,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    client = createPostgresClient(target, {
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      statement_timeout: options.statementTimeoutMs ?? 600_000,
    });
    // A dropped connection must not crash the process: the next query fails and the run ends with the reason.
    client.on('error', () => {});
    await client.connect();
    await client.query(
      `set timezone to 'UTC'; set datestyle to 'ISO, YMD'; set intervalstyle to 'iso_8601'; ` +
        'set standard_conforming_strings to on',
    );
    return client;
  } catch (error) {
    await client?.end().catch(() => {});
    throw connectError(error, role);
  }
}

function connectError(error: unknown, role: 'source' | 'target'): SyncError {
  if (error instanceof BlockedAddressError || error instanceof DatabaseTargetError)
    return new SyncError('destination_blocked', error.message);
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  // 28P01 wrong password, 28000 refused by the server's configuration: a person must fix the connection.
  if (code === '28P01' || code === '28000' || code === '3D000')
    return new SyncError(`${role}_connection_refused`, `The ${role} database refused the connection: ${message}`);
  return new SyncError(`${role}_unreachable`, `Could not connect to the ${role} database: ${message}`, true);
}

/** A quoted identifier: always quoted, so names keep their case and never read as keywords. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new SyncError('invalid_identifier', 'An identifier may not contain NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal (the session has standard_conforming_strings on: only quotes need doubling). */
export function quoteLiteral(text: string): string {
  if (text.includes('\u0000')) throw new SyncError('invalid_value', 'A value may not contain NUL.');
  return `'${text.replaceAll("'", "''")}'`;
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
