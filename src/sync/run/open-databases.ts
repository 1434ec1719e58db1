import type { Manifest } from '../../catalog/manifest/manifest.js';
import { authMethodOf } from '../../connections/connector-access.js';
import { openConnectionCredentials, resolveRecord } from '../../connections/credentials.js';
import { mysqlSettings } from '../../connections/mysql-target.js';
import { sqliteFileName } from '../../connections/db-test-sqlite.js';
import type { ConnectionRow } from '../../connections/sql.js';
import type { SyncTargetConfig } from '../configs/model.js';
import { SyncError, type SyncSource, type SyncTarget } from '../engine/types.js';
import type { TableJournal } from '../targets/journal.js';
import { createMysqlSource, type MysqlConnectionOptions } from '../sources/mysql/index.js';
import { connectError } from '../sources/mysql/connect.js';
import { createSqliteSource, type SqliteConnectionOptions } from '../sources/sqlite/index.js';
import { createMysqlTarget } from '../targets/mysql/index.js';
import { createSqliteTarget } from '../targets/sqlite/index.js';
import type { OpenDeps } from './open.js';

/**
 * MySQL/MariaDB and SQLite connections as sync sources and targets (open.ts asks here first). Their settings are the
 * connection's config and credentials, secret references resolved, read the way the test call reads them
 * (mysql-target.ts, sqlite-path.ts): what a test checked is what a sync connects to.
 */

const MYSQL = 'mysql';
const SQLITE = 'sqlite';

/** The source for a MySQL or SQLite connection; undefined for any other connector. */
export async function openDatabaseSource(
  deps: OpenDeps,
  connection: ConnectionRow,
  manifest: Manifest,
): Promise<SyncSource | undefined> {
  if (connection.connector_slug === MYSQL)
    return createMysqlSource(await mysqlOptions(deps, connection, manifest, 'source'));
  if (connection.connector_slug === SQLITE) return createSqliteSource(await sqliteOptions(deps, connection));
  return undefined;
}

/** The target of a `mysql` or `sqlite` target config (imports keep their journal in `journal`); undefined for others. */
export async function openDatabaseTarget(
  deps: OpenDeps,
  connection: ConnectionRow,
  manifest: Manifest,
  target: SyncTargetConfig,
  journal: TableJournal,
): Promise<SyncTarget | undefined> {
  if (target.kind !== 'mysql' && target.kind !== 'sqlite') return undefined;
  if (connection.connector_slug !== target.kind)
    throw new SyncError(
      'target_unsupported',
      `"${connection.name}" is not a ${target.kind === 'mysql' ? 'MySQL' : 'SQLite'} connection.`,
    );
  return target.kind === 'mysql'
    ? createMysqlTarget({ ...(await mysqlOptions(deps, connection, manifest, 'target')), journal })
    : createSqliteTarget({ ...(await sqliteOptions(deps, connection)), journal });
}

async function resolvedContext(deps: OpenDeps, connection: ConnectionRow) {
  const credentials = await openConnectionCredentials(deps.db, deps.vault, connection);
  const config = await resolveRecord(deps.db, deps.vault, connection.tenant_id, connection.config);
  return { config, credentials };
}

async function mysqlOptions(
  deps: OpenDeps,
  connection: ConnectionRow,
  manifest: Manifest,
  role: 'source' | 'target',
): Promise<MysqlConnectionOptions> {
  const ctx = await resolvedContext(deps, connection);
  try {
    return { settings: mysqlSettings(authMethodOf(manifest, connection.auth_method), ctx), allow: deps.allow };
  } catch (error) {
    throw connectError(error, role);
  }
}

async function sqliteOptions(deps: OpenDeps, connection: ConnectionRow): Promise<SqliteConnectionOptions> {
  const { config, credentials } = await resolvedContext(deps, connection);
  return {
    path: sqliteFileName(config, credentials),
    root: deps.sqliteDir,
    storedFile: (fileId) => deps.files.storedPath(connection.tenant_id, fileId),
  };
}
