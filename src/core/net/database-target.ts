import net from 'node:net';
import type { ErrorCode } from '../errors.js';
import type { Cidr } from './cidr.js';
import { resolveAllowed, type ResolveHost } from './ssrf.js';

/**
 * Pinned database targets: the SSRF guard for connectors that hand a connection string (a DSN) or a host field to
 * a database driver instead of making HTTP requests.
 *
 * A driver accepts many more ways to name a destination than a URL's host: query parameters that override it
 * (`?host=`, `?port=`), several hosts, Unix-domain socket paths (`/var/run/postgresql`, `%2Ftmp`), `hostaddr`,
 * service files, and environment variables or built-in defaults it falls back to when a field is empty (PGHOST,
 * `localhost`). So every database connector (PostgreSQL today; MySQL, MongoDB… later) does the same four steps:
 *   1. parse the string with the driver's own parser, so that what is checked is what the driver would read;
 *   2. refuse what cannot be checked: parameters that read local files or name another destination (the list is
 *      the driver's), and anything `pinDatabaseTarget` refuses (no host, a socket path, several hosts);
 *   3. `pinDatabaseTarget`: the host goes through the guard (every address it resolves to must be allowed) and one
 *      checked address comes back;
 *   4. give the driver an explicit config — host = the checked address, port = the checked port, TLS servername =
 *      the name, every field set so that no default or environment variable fills a gap — never the raw string.
 */

/**
 * The connection string names a destination that cannot be checked (no host, a socket path, several hosts) or a
 * parameter that is refused. The message names the parameter, never the string (it may hold a password).
 */
export class DatabaseTargetError extends Error {
  readonly code = 'destination_blocked' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseTargetError';
  }
}

export type PinnedDatabaseTarget = {
  /** The host as the connection string names it, for messages and account ids. */
  host: string;
  /** The checked IP address the driver must connect to. */
  address: string;
  family: number;
  port: number;
  /** The TLS server name (SNI and certificate check): the host's name; absent when the host is an IP address. */
  servername?: string;
};

/**
 * Check a driver's host and port with the SSRF guard and pin them to one checked address. `host` and `port` are
 * what the driver's own parser read (query parameters included); `port` may be a number or the parser's string.
 * Throws DatabaseTargetError, or BlockedAddressError (code `destination_blocked`) when an address is refused.
 *
 * @example
 * const target = await pinDatabaseTarget({ host: parsed.host, port: parsed.port }, { allow, defaultPort: 5432 });
 * new pg.Client({ host: target.address, port: target.port, ssl: { servername: target.servername }, ... });
 */
export async function pinDatabaseTarget(
  target: { host: string | null | undefined; port: string | number | null | undefined },
  options: { allow: readonly Cidr[]; defaultPort: number; lookup?: ResolveHost },
): Promise<PinnedDatabaseTarget> {
  const host = checkHostShape(target.host ?? '');
  const port = checkPort(target.port, options.defaultPort);
  const [first] = await resolveAllowed(host, options.allow, options.lookup ? { lookup: options.lookup } : {});
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return {
    host: bare,
    address: first.address,
    family: first.family,
    port,
    ...(net.isIP(bare) === 0 ? { servername: bare } : {}),
  };
}

function checkHostShape(host: string): string {
  // An empty host is where drivers fall back to a local default (localhost, a socket) or an environment variable.
  if (host === '') throw new DatabaseTargetError('The connection string must name a host.');
  // libpq takes a host starting with "/" as a socket directory and "@" as an abstract socket (Linux).
  if (/^[/@]/.test(host) || /[/\\]/.test(host)) {
    throw new DatabaseTargetError('Unix-domain socket paths are not allowed as a host; name a network host.');
  }
  if (host.includes(',')) {
    throw new DatabaseTargetError('Name one host: lists of several hosts are not supported.');
  }
  if (/[\s\0]/.test(host)) throw new DatabaseTargetError('The host name is not valid.');
  return host;
}

function checkPort(port: string | number | null | undefined, defaultPort: number): number {
  if (port === undefined || port === null || port === '') return defaultPort;
  const value = typeof port === 'number' ? port : /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new DatabaseTargetError('The port must be a number from 1 to 65535 (one port only).');
  }
  return value;
}
