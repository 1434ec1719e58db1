import { describe, expect, it } from 'vitest';
import { DatabaseTargetError } from '../core/net/database-target.js';
import { BlockedAddressError, type ResolveHost } from '../core/net/ssrf.js';
import { pinRedisTarget } from './redis-target.js';

// What node-redis would read from a URL is what is checked: its own parser (RedisClient.parseURL) reads the URL, and
// the client is then given the checked address, never the URL (redis-target.ts). The resolver answers from a table.
const lookup: ResolveHost = async (hostname) => {
  const answers: Record<string, string[]> = {
    'cache.example.com': ['93.184.216.34'],
    'sneaky.example': ['93.184.216.34', '10.0.0.7'],
  };
  const addresses = answers[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: 4 }));
};
const pin = (url: string, extra: { username?: string; password?: string } = {}) =>
  pinRedisTarget(url, { allow: [], lookup, ...extra });

describe('pinRedisTarget', () => {
  it('reads scheme, user, percent-encoded password, port and database as node-redis does, pinned to the checked address', async () => {
    expect(await pin('rediss://app:p%40ss%3Aword@cache.example.com:6380/4')).toEqual({
      target: {
        host: 'cache.example.com',
        address: '93.184.216.34',
        family: 4,
        port: 6380,
        servername: 'cache.example.com',
      },
      tls: true,
      database: 4,
      username: 'app',
      password: 'p@ss:word',
      accountId: 'cache.example.com:6380/4',
    });
  });

  it('takes the default port and database, and a form’s user and password over the URL’s', async () => {
    const target = await pin('redis://ignored:ignored@cache.example.com', { username: 'reader', password: 'a b@c' });
    expect(target).toMatchObject({ tls: false, database: 0, username: 'reader', password: 'a b@c' });
    expect(target.target.port).toBe(6379);
  });

  it('refuses what is not redis:// or rediss:// (socket paths), and a host resolving to any non-public address', async () => {
    await expect(pin('unix:///var/run/redis.sock')).rejects.toBeInstanceOf(DatabaseTargetError);
    await expect(pin('http://cache.example.com')).rejects.toBeInstanceOf(DatabaseTargetError);
    await expect(pin('redis://sneaky.example:6379')).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(pin('redis://127.0.0.1:6379')).rejects.toThrow(/127\.0\.0\.0\/8/);
  });

  it('a URL the parser refuses is named without quoting it (it may hold the password)', async () => {
    const refused = pin('redis://user:secret-pw@cache.example.com/not-a-number');
    await expect(refused).rejects.toBeInstanceOf(DatabaseTargetError);
    await expect(refused).rejects.not.toThrow(/secret-pw/);
  });
});
