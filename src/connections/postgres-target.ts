import pg from 'pg';
import { parse, type ConnectionOptions } from 'pg-connection-string';
import type { Cidr } from '../core/net/cidr.js';
import { DatabaseTargetError, pinDatabaseTarget, type PinnedDatabaseTarget } from '../core/net/database-target.js';
import type { ResolveHost } from '../core/net/ssrf.js';

/**
 * A tenant's PostgreSQL connection string, made safe to hand to `pg` (see src/core/net/database-target.ts for the
 * recipe). The string is read with pg's own parser (pg-connection-string), so `?host=` and `?port=` win over the
 * URL exactly as they would in the driver; the host that results goes through the SSRF guard; and the driver gets
 * an explicit config built from the checked values, never the string itself.
 */

/**
 * Parameters refused outright: they read a file on this server (the parser reads sslcert, sslkey and sslrootcert
 * as it parses, so they are refused before parsing), or name a destination or a password source other than the
 * host and port checked here (pg ignores some of them today; libpq and pg-native honour them all).
 */
const refusedParameters = [
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'passfile',
  'service',
  'servicefile',
  'hostaddr',
] as const;

export type PostgresTarget = {
  target: PinnedDatabaseTarget;
  database: string;
  /** `database@host[:port]`, the account a successful test reports. */
  accountId: string;
  /** For `new pg.Client(...)`: every field set, so that no PG* environment variable or default fills a gap. */
  config: pg.ClientConfig;
};

export async function pinPostgresTarget(
  connectionString: string,
  options: { allow: readonly Cidr[]; lookup?: ResolveHost },
): Promise<PostgresTarget> {
  if (!/^postgres(ql)?:\/\//i.test(connectionString)) {
    throw new DatabaseTargetError('The connection string must start with postgres:// or postgresql://.');
  }
  refuseParameters(parameterNames(connectionString));
  let parsed: ConnectionOptions;
  try {
    parsed = parse(connectionString);
  } catch {
    // The parser's own message may quote the string, and with it the password.
    throw new DatabaseTargetError('The connection string is not a valid postgresql:// URL.');
  }
  refuseParameters(Object.keys(parsed));
  const target = await pinDatabaseTarget(
    { host: parsed.host, port: parsed.port },
    { allow: options.allow, defaultPort: 5432, ...(options.lookup ? { lookup: options.lookup } : {}) },
  );
  // pg would take PGUSER, then the operating-system user running Switchyard: neither is the tenant's to use.
  const user = parsed.user ?? '';
  if (!user) throw new DatabaseTargetError('The connection string must name a user.');
  const database = parsed.database || user;
  const password = parsed.password ?? '';
  const shownHost = target.host.includes(':') ? `[${target.host}]` : target.host;
  const config: pg.ClientConfig = {
    host: target.address,
    port: target.port,
    user,
    database,
    // A function, even for an empty password: pg reads PGPASSWORD and ~/.pgpass only when no password is given.
    password: () => password,
    ssl: tlsOptions(parsed.ssl, target.servername),
    sslnegotiation: parsed.sslnegotiation === 'direct' ? 'direct' : 'postgres',
    application_name: stringOr(parsed.application_name, 'switchyard'),
    client_encoding: 'utf8',
    ...(typeof parsed.options === 'string' && parsed.options ? { options: parsed.options } : {}),
  };
  return { target, database, accountId: `${database}@${shownHost}${parsed.port ? `:${target.port}` : ''}`, config };
}

/**
 * A client for a pinned target. pg fills `options` and `replication` from PGOPTIONS and PGREPLICATION when the
 * config leaves them empty, and empty is what they must be here: this server's environment is not the tenant's.
 */
export function createPostgresClient(
  target: PostgresTarget,
  timeouts: { connectionTimeoutMillis: number; statement_timeout: number },
): pg.Client {
  const client = new pg.Client({ ...target.config, ...timeouts });
  const params = (client as unknown as { connectionParameters: Record<string, unknown> }).connectionParameters;
  params.options = target.config.options;
  params.replication = undefined;
  (client as unknown as { replication: unknown }).replication = undefined;
  return client;
}

/**
 * The parameter names of the query string, read before pg's parser runs (it opens sslcert, sslkey and sslrootcert
 * files while parsing). Everything after the first "?" is taken, fragment included: a superset of what the parser
 * reads, so nothing it honours is missed.
 */
function parameterNames(connectionString: string): string[] {
  const start = connectionString.indexOf('?');
  if (start < 0) return [];
  return [...new URLSearchParams(connectionString.slice(start + 1)).keys()];
}

function refuseParameters(names: readonly string[]): void {
  const refused = names.filter((n) => (refusedParameters as readonly string[]).includes(n.toLowerCase()));
  if (refused.length > 0) {
    throw new DatabaseTargetError(
      `The connection string parameter ${refused.map((n) => `"${n}"`).join(', ')} is not allowed: it reads a file ` +
        'on the server or names another destination.',
    );
  }
}

/**
 * pg's TLS setting, as the parser left it (`ssl`, `sslmode`, `uselibpqcompat`), with the checked host's name as
 * the TLS server name: the driver connects to an IP address, and the certificate must still match the name.
 */
function tlsOptions(ssl: ConnectionOptions['ssl'], servername: string | undefined): pg.ClientConfig['ssl'] {
  if (ssl === undefined || ssl === false || ssl === '0' || ssl === 'false') return false;
  let base: Exclude<pg.ClientConfig['ssl'], boolean | undefined>;
  if (ssl === true || ssl === 'true') base = {};
  else if (ssl === 'no-verify') base = { rejectUnauthorized: false };
  else if (typeof ssl === 'object') {
    // What sslmode and uselibpqcompat leave: the verification flags only (the file parameters were refused).
    const flags = ssl as { rejectUnauthorized?: boolean; checkServerIdentity?: () => undefined };
    base = {
      ...(flags.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ...(flags.checkServerIdentity ? { checkServerIdentity: flags.checkServerIdentity } : {}),
    };
  } else throw new DatabaseTargetError('ssl must be true, false or no-verify (or use sslmode).');
  return servername ? { ...base, servername } : base;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
