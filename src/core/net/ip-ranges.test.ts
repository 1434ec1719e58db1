import { describe, expect, it } from 'vitest';
import { classifyAddress, isGlobalAddress } from './ip-ranges.js';

// One address inside every refused range (its first or last address where the boundary matters), and the range
// it must be reported as.
const blocked: [address: string, cidr: string][] = [
  ['0.0.0.0', '0.0.0.0/8'],
  ['0.255.255.255', '0.0.0.0/8'],
  ['10.0.0.1', '10.0.0.0/8'],
  ['10.255.255.255', '10.0.0.0/8'],
  ['100.64.0.0', '100.64.0.0/10'],
  ['100.127.255.255', '100.64.0.0/10'],
  ['127.0.0.1', '127.0.0.0/8'],
  ['127.255.255.254', '127.0.0.0/8'],
  ['169.254.169.254', '169.254.0.0/16'],
  ['169.254.0.1', '169.254.0.0/16'],
  ['172.16.0.1', '172.16.0.0/12'],
  ['172.31.255.255', '172.16.0.0/12'],
  ['192.0.0.8', '192.0.0.0/24'],
  ['192.0.2.1', '192.0.2.0/24'],
  ['192.88.99.1', '192.88.99.0/24'],
  ['192.168.1.1', '192.168.0.0/16'],
  ['198.18.0.1', '198.18.0.0/15'],
  ['198.19.255.255', '198.18.0.0/15'],
  ['198.51.100.7', '198.51.100.0/24'],
  ['203.0.113.9', '203.0.113.0/24'],
  ['224.0.0.251', '224.0.0.0/4'],
  ['239.255.255.250', '224.0.0.0/4'],
  ['240.0.0.1', '240.0.0.0/4'],
  ['255.255.255.254', '240.0.0.0/4'],
  ['255.255.255.255', '255.255.255.255/32'],
  ['::', '::/128'],
  ['::1', '::1/128'],
  ['0:0:0:0:0:0:0:1', '::1/128'],
  ['100::1', '100::/64'],
  ['2001::1', '2001::/32'],
  ['2001:2::1', '2001::/23'],
  ['2001:db8::1', '2001:db8::/32'],
  ['3fff:fff::1', '3fff::/20'],
  ['5f00::1', '5f00::/16'],
  ['fc00::1', 'fc00::/7'],
  ['fd12:3456:789a::1', 'fc00::/7'],
  ['fe80::1', 'fe80::/10'],
  ['fe80::1%eth0', 'fe80::/10'],
  ['FEBF::1', 'fe80::/10'],
  ['fec0::1', 'fec0::/10'],
  ['ff02::1', 'ff00::/8'],
  // Deprecated IPv4-compatible (::a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d) forms, and unassigned space.
  ['::127.0.0.1', '::/8'],
  ['::ffff:0:7f00:1', '::/8'],
  ['64:ff9b:0:0:1::1', '::/8'],
  ['1000::1', '1000::/4'],
  ['4000::1', '4000::/3'],
  ['fe00::1', 'fe00::/9'],
];

// Just outside a refused range, or public addresses people actually call.
const global = [
  '1.1.1.1',
  '8.8.8.8',
  '100.63.255.255',
  '100.128.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.255',
  '192.0.3.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '2001:1::1',
  '2001:4:112::1',
  '2001:db7:ffff::1',
  '2001:db9::1',
];

describe('classifyAddress', () => {
  it.each(blocked)('refuses %s as %s', (address, cidr) => {
    expect(classifyAddress(address)).toMatchObject({ cidr });
    expect(isGlobalAddress(address)).toBe(false);
  });

  it.each(global)('accepts %s as global', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
    expect(isGlobalAddress(address)).toBe(true);
  });

  it('names the range in words for error messages', () => {
    expect(classifyAddress('169.254.169.254')).toEqual({ cidr: '169.254.0.0/16', name: 'link-local (cloud metadata)' });
    expect(classifyAddress('100.64.1.1')?.name).toContain('CGNAT');
    expect(classifyAddress('fc00::1')?.name).toBe('unique local');
  });

  it('refuses what is not an IP address instead of guessing', () => {
    for (const text of ['', 'localhost', '127.1', '0x7f.0.0.1', '2130706433', '[::1]', '1.2.3.4/32', '::g']) {
      expect(isGlobalAddress(text)).toBe(false);
      expect(classifyAddress(text)).toEqual({ cidr: 'invalid', name: 'not an IP address' });
    }
  });
});

describe('IPv4 addresses inside IPv6 ones are judged by the IPv4 address', () => {
  it.each([
    ['::ffff:169.254.169.254', '169.254.0.0/16', '169.254.169.254', 'IPv4-mapped IPv6 ::ffff:0:0/96'],
    ['::ffff:a9fe:a9fe', '169.254.0.0/16', '169.254.169.254', 'IPv4-mapped IPv6 ::ffff:0:0/96'],
    ['0:0:0:0:0:ffff:127.0.0.1', '127.0.0.0/8', '127.0.0.1', 'IPv4-mapped IPv6 ::ffff:0:0/96'],
    ['::ffff:10.1.2.3', '10.0.0.0/8', '10.1.2.3', 'IPv4-mapped IPv6 ::ffff:0:0/96'],
    ['64:ff9b::10.0.0.1', '10.0.0.0/8', '10.0.0.1', 'NAT64 64:ff9b::/96'],
    ['64:ff9b::a9fe:a9fe', '169.254.0.0/16', '169.254.169.254', 'NAT64 64:ff9b::/96'],
    ['64:ff9b:1::7f00:1', '127.0.0.0/8', '127.0.0.1', 'local-use NAT64 64:ff9b:1::/48'],
    ['64:ff9b:1::c0a8:101', '192.168.0.0/16', '192.168.1.1', 'local-use NAT64 64:ff9b:1::/48'],
    ['2002:7f00:1::', '127.0.0.0/8', '127.0.0.1', '6to4 2002::/16'],
    ['2002:a9fe:a9fe:1::1', '169.254.0.0/16', '169.254.169.254', '6to4 2002::/16'],
    ['2002:6440:1::', '100.64.0.0/10', '100.64.0.1', '6to4 2002::/16'],
  ])('refuses %s (%s)', (address, cidr, ipv4, carrier) => {
    expect(classifyAddress(address)).toMatchObject({ cidr, embedded: { ipv4, carrier } });
  });

  it.each(['::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::1.1.1.1', '64:ff9b:1::808:808', '2002:808:808::1'])(
    'accepts %s, which carries a public IPv4 address',
    (address) => expect(isGlobalAddress(address)).toBe(true),
  );

  it('refuses local-use NAT64 addresses outside the /96 layout, which could hide an IPv4 address elsewhere', () => {
    // 10.0.0.1 in the RFC 6052 /48 layout, with a public-looking address in the last 32 bits.
    expect(classifyAddress('64:ff9b:1:a00:1::808:808')).toMatchObject({ cidr: '64:ff9b:1::/48' });
  });
});
