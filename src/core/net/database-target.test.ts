import { describe, expect, it } from 'vitest';
import { parseCidr } from './cidr.js';
import { DatabaseTargetError, pinDatabaseTarget } from './database-target.js';
import { BlockedAddressError, type ResolveHost } from './ssrf.js';

/** A resolver answering from a table, counting the look-ups (the pinned address must come from one of them). */
function table(answers: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: ResolveHost = async (hostname) => {
    calls.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls };
}

const options = (lookup: ResolveHost, allow: string[] = []) => ({
  allow: allow.map(parseCidr),
  defaultPort: 5432,
  lookup,
});

describe('pinDatabaseTarget', () => {
  it('a public name: one look-up, pinned to its checked address, the name kept for TLS', async () => {
    const dns = table({ 'db.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    const pinned = await pinDatabaseTarget({ host: 'db.example.com', port: '6432' }, options(dns.lookup));
    expect(pinned).toEqual({
      host: 'db.example.com',
      address: '93.184.216.34',
      family: 4,
      port: 6432,
      servername: 'db.example.com',
    });
    expect(dns.calls).toEqual(['db.example.com']);
  });

  it('an IP literal (IPv6 with or without brackets): no look-up, no TLS server name, the default port', async () => {
    const dns = table({});
    for (const host of ['2606:2800:220:1::1', '[2606:2800:220:1::1]']) {
      expect(await pinDatabaseTarget({ host, port: '' }, options(dns.lookup))).toEqual({
        host: '2606:2800:220:1::1',
        address: '2606:2800:220:1::1',
        family: 6,
        port: 5432,
      });
    }
    expect(dns.calls).toEqual([]);
  });

  it('a name with any one non-public address is refused by the guard, naming the range', async () => {
    const dns = table({ 'rebind.example': ['93.184.216.34', '169.254.169.254'] });
    const refused = pinDatabaseTarget({ host: 'rebind.example', port: 5432 }, options(dns.lookup));
    await expect(refused).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(refused).rejects.toThrow('"rebind.example" resolves to a non-public address: 169.254.0.0/16');
  });

  it('the allow-list exempts what it lists, and only that', async () => {
    const dns = table({});
    const exempt = await pinDatabaseTarget({ host: '10.1.2.3', port: 5432 }, options(dns.lookup, ['10.0.0.0/8']));
    expect(exempt.address).toBe('10.1.2.3');
    await expect(
      pinDatabaseTarget({ host: '192.168.1.1', port: 5432 }, options(dns.lookup, ['10.0.0.0/8'])),
    ).rejects.toMatchObject({ code: 'destination_blocked', rangeName: expect.stringContaining('rivate') });
  });

  it.each([
    ['', 'The connection string must name a host.'],
    ['/var/run/postgresql', 'Unix-domain socket paths are not allowed as a host; name a network host.'],
    ['@abstract', 'Unix-domain socket paths are not allowed as a host; name a network host.'],
    ['db/../x', 'Unix-domain socket paths are not allowed as a host; name a network host.'],
    ['a.example,b.example', 'Name one host: lists of several hosts are not supported.'],
    ['db .example', 'The host name is not valid.'],
  ])('host %j is refused before any look-up', async (host, message) => {
    const dns = table({});
    const refused = pinDatabaseTarget({ host, port: 5432 }, options(dns.lookup, ['0.0.0.0/0']));
    await expect(refused).rejects.toBeInstanceOf(DatabaseTargetError);
    await expect(refused).rejects.toThrow(message);
    expect(dns.calls).toEqual([]);
  });

  it.each(['0', '65536', '5432,5433', 'abc', '-1', '1e3'])('port %j is refused', async (port) => {
    const dns = table({});
    await expect(pinDatabaseTarget({ host: '93.184.216.34', port }, options(dns.lookup))).rejects.toThrow(
      'The port must be a number from 1 to 65535 (one port only).',
    );
  });
});
