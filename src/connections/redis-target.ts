import { createClient, RedisClient } from '@redis/client';
import type { Cidr } from '../core/net/cidr.js';
import { DatabaseTargetError, pinDatabaseTarget, type PinnedDatabaseTarget } from '../core/net/database-target.js';
import type { ResolveHost } from '../core/net/ssrf.js';

/**
 * A tenant's Redis URL, made safe to hand to node-redis (src/core/net/database-target.ts has the recipe): the URL is
 * read with node-redis's own parser (`RedisClient.parseURL`: scheme, host, port, user, password, database), only
 * `redis://` and `rediss://` are taken (not `unix:` socket paths), the host goes through the SSRF guard, and the
 * client gets an explicit socket with the checked address (and the host's name for TLS), never the URL.
 */

export type RedisTarget = {
  target: PinnedDatabaseTarget;
  tls: boolean;
  database: number;
  username?: string;
  password?: string;
  /** `host:port/db`, the account a successful test reports. */
  accountId: string;
};

export async function pinRedisTarget(
  url: string,
  options: { allow: readonly Cidr[]; lookup?: ResolveHost; username?: string; password?: string },
): Promise<RedisTarget> {
  if (!/^rediss?:\/\//i.test(url)) {
    throw new DatabaseTargetError('The Redis URL must start with redis:// or rediss:// (rediss: with TLS).');
  }
  let parsed: ReturnType<typeof RedisClient.parseURL>;
  try {
    parsed = RedisClient.parseURL(url);
  } catch {
    // The parser's message may quote the URL, and with it the password.
    throw new DatabaseTargetError('The Redis URL is not valid: redis[s]://[[user]:password@]host[:port][/database].');
  }
  const socket = parsed.socket as { host?: string; port?: number; tls?: boolean };
  const target = await pinDatabaseTarget(
    { host: socket.host, port: socket.port },
    { allow: options.allow, defaultPort: 6379, ...(options.lookup ? { lookup: options.lookup } : {}) },
  );
  const database = parsed.database ?? 0;
  const username = options.username || parsed.username;
  const password = options.password || parsed.password;
  const shownHost = target.host.includes(':') ? `[${target.host}]` : target.host;
  return {
    target,
    tls: socket.tls === true,
    database,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    accountId: `${shownHost}:${target.port}/${database}`,
  };
}

/**
 * A client for a pinned target that never reconnects on its own (a failure is reported, not retried) and, with TLS,
 * checks the certificate against the host's name while connecting to the checked address.
 */
export function createRedisClient(target: RedisTarget, timeoutMs: number) {
  const common = { host: target.target.address, port: target.target.port, connectTimeout: timeoutMs };
  const socket = target.tls
    ? {
        ...common,
        tls: true as const,
        ...(target.target.servername ? { servername: target.target.servername } : {}),
      }
    : { ...common, tls: false as const };
  return createClient({
    socket: { ...socket, reconnectStrategy: false },
    database: target.database,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    disableClientInfo: true,
  });
}
