import net from 'node:net';
import { createRequire } from 'node:module';
import mysql from 'mysql2/promise';
import type { AuthMethod } from '../catalog/manifest/auth.js';
import type { Cidr } from '../core/net/cidr.js';
import { DatabaseTargetError, pinDatabaseTarget, type PinnedDatabaseTarget } from '../core/net/database-target.js';
import type { ResolveHost } from '../core/net/ssrf.js';
import { render, type TemplateContext } from './templates.js';

/**
 * A tenant's MySQL or MariaDB connection, made safe to hand to mysql2 (see src/core/net/database-target.ts for the
 * recipe). The settings come from the connection's form (host, port, database, user, password, ssl, pool; any of
 * them may be a `{{secrets.X}}` reference, resolved before this module sees it) or from a `mysql://` URI read with
 * mysql2's own parser. Everything mysql2 could be pointed elsewhere with is closed:
 * - the host and port go through the SSRF guard and the driver's socket is opened to the checked address by a
 *   `stream` factory here: mysql2 never resolves or connects on its own, and it keeps the host's name for TLS;
 * - a host that is a socket path (or holds a slash) is refused, and `socketPath`, `localAddress`, `stream` are
 *   never passed; a URI may carry only `ssl` as a parameter (mysql2 would take `socketPath`, `flags`, `ssl` with
 *   certificate files, `debug`… from it);
 * - LOCAL INFILE is off (the LOCAL_FILES flag cleared): a server the tenant picked cannot ask for a file of this
 *   machine; multiple statements stay off.
 */

export type MysqlTls = 'verify' | 'no_verify' | 'off';

export type MysqlSettings = {
  host: string;
  port: string | number | undefined;
  database: string;
  user: string;
  password: string;
  tls: MysqlTls;
  pool: { min: number; max: number };
};

export type MysqlTarget = {
  target: PinnedDatabaseTarget;
  database: string;
  /** `database@host[:port]`, the account a successful test reports. */
  accountId: string;
  /** For mysql2: every option set here, the socket opened to the checked address. */
  options: mysql.ConnectionOptions;
  pool: { min: number; max: number };
};

const uriPattern = /^(mysql|mariadb):\/\//i;
/** URI parameters a connection string may carry; mysql2 would read any other one as a driver option. */
const uriParameters = new Set(['ssl']);

/** The connection's settings from its auth method (form fields or a URI) and its resolved config. */
export function mysqlSettings(auth: AuthMethod, ctx: TemplateContext): MysqlSettings {
  const config = ctx.config;
  const form = {
    host: text(config.host),
    port: config.port === undefined || config.port === null ? undefined : text(config.port),
    database: text(config.database),
    tls: tlsMode(config.ssl),
    pool: poolSize(config.pool_min, config.pool_max),
  };
  if (auth.type === 'basic') return { ...form, user: render(auth.username, ctx), password: render(auth.password, ctx) };
  if (auth.type !== 'connection_string')
    throw new DatabaseTargetError('A MySQL connection authenticates with a user and password or a mysql:// URI.');
  const uri = render(auth.value, ctx);
  if (!uriPattern.test(uri)) throw new DatabaseTargetError('The connection string must start with mysql://.');
  const refused = [...new URLSearchParams(uri.split('?').slice(1).join('?')).keys()].filter(
    (name) => !uriParameters.has(name),
  );
  if (refused.length > 0)
    throw new DatabaseTargetError(
      `The connection string parameter ${refused.map((n) => `"${n}"`).join(', ')} is not allowed: only ssl may be ` +
        'given (others could name another destination, read files on the server or change the driver).',
    );
  let parsed: ReturnType<typeof parseUrl>;
  try {
    parsed = parseUrl(uri.replace(uriPattern, 'mysql://'));
  } catch {
    // The parser's message may quote the string, and with it the password.
    throw new DatabaseTargetError('The connection string is not a valid mysql:// URL.');
  }
  return {
    host: parsed.host,
    port: Number.isNaN(parsed.port) ? undefined : parsed.port,
    database: parsed.database || form.database,
    user: parsed.user,
    password: parsed.password,
    tls: 'ssl' in parsed ? tlsMode(parsed.ssl) : form.tls,
    pool: form.pool,
  };
}

/** mysql2's own URI parser (`new URL`, then every query parameter as a driver option). */
function parseUrl(uri: string): { host: string; port: number; database: string; user: string; password: string } & {
  ssl?: unknown;
} {
  // mysql2's ConnectionConfig comes from its CommonJS exports: its types declare it as an interface only, and the
  // promise API does not export it.
  const driver = createRequire(import.meta.url)('mysql2') as { ConnectionConfig: { parseUrl(url: string): never } };
  return driver.ConnectionConfig.parseUrl(uri);
}

export async function pinMysqlTarget(
  settings: MysqlSettings,
  options: { allow: readonly Cidr[]; lookup?: ResolveHost; connectTimeoutMs?: number },
): Promise<MysqlTarget> {
  const target = await pinDatabaseTarget(
    { host: settings.host, port: settings.port },
    { allow: options.allow, defaultPort: 3306, ...(options.lookup ? { lookup: options.lookup } : {}) },
  );
  if (!settings.user) throw new DatabaseTargetError('The connection must name a user.');
  if (!settings.database) throw new DatabaseTargetError('The connection must name a database.');
  const { address, port } = target;
  const shownHost = target.host.includes(':') ? `[${target.host}]` : target.host;
  return {
    target,
    database: settings.database,
    accountId: `${settings.database}@${shownHost}${port === 3306 ? '' : `:${port}`}`,
    pool: settings.pool,
    options: {
      // mysql2 names the TLS server after `host` (unless it is an IP address); the socket comes from `stream`.
      host: target.servername ?? address,
      port,
      stream: () => {
        const socket = net.connect({ host: address, port });
        socket.setNoDelay(true);
        socket.setKeepAlive(true);
        return socket;
      },
      user: settings.user,
      password: settings.password,
      database: settings.database,
      ...tlsOptions(settings.tls),
      // FOUND_ROWS off: an upsert's affected rows tell inserted (1), changed (2) and unchanged (0) rows apart.
      flags: ['-LOCAL_FILES', '-FOUND_ROWS'],
      multipleStatements: false,
      charset: 'UTF8MB4_UNICODE_CI',
      timezone: 'Z',
      // Values as exact text where JavaScript would round them; src/sync/sources/mysql/values.ts types them.
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      dateStrings: true,
      jsonStrings: true,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      connectAttributes: { program_name: 'switchyard' },
    },
  };
}

/** One connection to a pinned target; a dropped connection rejects the next query instead of crashing. */
export async function connectMysql(target: MysqlTarget): Promise<mysql.Connection> {
  const connection = await mysql.createConnection(target.options);
  connection.on('error', () => {});
  return connection;
}

/** A pool of connections to a pinned target, sized as the connection says (pool min/max). */
export function createMysqlPool(target: MysqlTarget): mysql.Pool {
  const pool = mysql.createPool({
    ...target.options,
    connectionLimit: target.pool.max,
    maxIdle: Math.max(target.pool.min, 1),
    idleTimeout: 60_000,
    waitForConnections: true,
    queueLimit: 0,
  });
  pool.on('connection', (connection) => connection.on('error', () => {}));
  return pool;
}

function tlsOptions(mode: MysqlTls): Pick<mysql.ConnectionOptions, 'ssl'> {
  if (mode === 'verify') return { ssl: { rejectUnauthorized: true, verifyIdentity: true } };
  if (mode === 'no_verify') return { ssl: { rejectUnauthorized: false } };
  return {};
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

/** `ssl` as the form (a select), a URI parameter or a secret gives it; unset means verify. */
function tlsMode(value: unknown): MysqlTls {
  const v = text(value).toLowerCase();
  if (v === '' || v === 'verify' || v === 'true' || v === '1' || v === 'required') return 'verify';
  if (v === 'no_verify' || v === 'no-verify' || v === 'skip-verify') return 'no_verify';
  if (v === 'off' || v === 'false' || v === '0' || v === 'disabled') return 'off';
  throw new DatabaseTargetError('ssl must be verify, no_verify or off.');
}

function poolSize(min: unknown, max: unknown): { min: number; max: number } {
  const lower = text(min) === '' ? 0 : Number(text(min));
  const upper = text(max) === '' ? 5 : Number(text(max));
  if (!Number.isInteger(lower) || !Number.isInteger(upper) || lower < 0 || upper < 1 || upper > 100 || lower > upper)
    throw new DatabaseTargetError('The pool must hold 1 to 100 connections, its minimum no more than its maximum.');
  return { min: lower, max: upper };
}
