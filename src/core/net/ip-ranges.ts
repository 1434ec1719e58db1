import net from 'node:net';

/**
 * Which IP addresses are "global" — reachable on the public internet — and, for the others, which special-purpose
 * range they fall in. Sources: the IANA IPv4 and IPv6 Special-Purpose Address Registries (entries whose
 * "Globally Reachable" is False or N/A) and RFC 6052 / RFC 8215 / RFC 3056 for IPv6 addresses that carry an IPv4
 * address. The SSRF guard refuses every non-global address a user-influenced host resolves to.
 */
export type BlockedRange = {
  cidr: string;
  name: string;
  /** Set when the verdict is about an IPv4 address carried inside an IPv6 one (IPv4-mapped, NAT64, 6to4). */
  embedded?: { ipv4: string; carrier: string };
};

type Range = { cidr: string; name: string | undefined; base: bigint; prefix: number; bits: 32 | 128 };

function range(cidr: string, name: string | undefined): Range {
  const [address = '', prefix = ''] = cidr.split('/');
  const bits = net.isIPv4(address) ? 32 : 128;
  return {
    cidr,
    name,
    base: bits === 32 ? BigInt(ipv4ToNumber(address)) : ipv6ToBigInt(address),
    prefix: +prefix,
    bits,
  };
}

function contains(r: Range, value: bigint): boolean {
  const shift = BigInt(r.bits - r.prefix);
  return value >> shift === r.base >> shift;
}

// First match wins, so narrower entries come before the ranges that contain them.
const ipv4Ranges: Range[] = [
  range('0.0.0.0/8', 'this network (unspecified)'),
  range('10.0.0.0/8', 'private (RFC 1918)'),
  range('100.64.0.0/10', 'shared address space (CGNAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata)'),
  range('172.16.0.0/12', 'private (RFC 1918)'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  range('192.88.99.0/24', 'deprecated 6to4 relay anycast'),
  range('192.168.0.0/16', 'private (RFC 1918)'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  range('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'limited broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

// Entries without a name are the registry's globally reachable exceptions inside 2001::/23.
const ipv6Ranges: Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('100::/64', 'discard-only'),
  range('2001:1::1/128', undefined),
  range('2001:1::2/128', undefined),
  range('2001:3::/32', undefined),
  range('2001:4:112::/48', undefined),
  range('2001:20::/28', undefined),
  range('2001:30::/28', undefined),
  range('2001::/32', 'Teredo'),
  range('2001::/23', 'IETF protocol assignments'),
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('5f00::/16', 'segment routing (SRv6) SIDs'),
  range('fc00::/7', 'unique local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local (deprecated)'),
  range('ff00::/8', 'multicast'),
  // The IANA IPv6 Address Space registry: only 2000::/3 is allocated as global unicast; the rest is reserved
  // (::/8 holds the deprecated IPv4-compatible and IPv4-translated forms) or unassigned.
  ...['::/8', '100::/8'].map((cidr) => range(cidr, 'reserved by the IETF')),
  ...['200::/7', '400::/6', '800::/5', '1000::/4', '4000::/3', '6000::/3', '8000::/3', 'a000::/3', 'c000::/3']
    .concat(['e000::/4', 'f000::/5', 'f800::/6', 'fe00::/9'])
    .map((cidr) => range(cidr, 'unassigned')),
];

const mapped = range('::ffff:0:0/96', 'IPv4-mapped IPv6');
const nat64 = range('64:ff9b::/96', 'NAT64');
const localNat64 = range('64:ff9b:1::/48', 'local-use NAT64');
const sixToFour = range('2002::/16', '6to4');

/** The range that makes `address` non-global, or undefined when it is a global (public) address. */
export function classifyAddress(address: string): BlockedRange | undefined {
  const unzoned = address.split('%')[0] ?? '';
  const version = net.isIP(unzoned);
  if (version === 4) return lookupRange(ipv4Ranges, BigInt(ipv4ToNumber(unzoned)));
  if (version !== 6) return { cidr: 'invalid', name: 'not an IP address' };
  const value = ipv6ToBigInt(unzoned);
  for (const carrier of [mapped, nat64]) {
    if (contains(carrier, value)) return classifyEmbedded(Number(value & 0xffffffffn), carrier);
  }
  if (contains(localNat64, value)) {
    // RFC 8215 lets a network use this prefix at any RFC 6052 length (/48 to /96), which places the IPv4 address
    // in different bits. Only the /96 layout (bits 48-95 zero) is judged by its embedded address; any other
    // layout could hide a private IPv4 address in bits a /96 reading ignores, so it is refused.
    if ((value >> 32n) & 0xffffffffffffn) return { cidr: localNat64.cidr, name: 'local-use NAT64 (not /96 layout)' };
    return classifyEmbedded(Number(value & 0xffffffffn), localNat64);
  }
  if (contains(sixToFour, value)) return classifyEmbedded(Number((value >> 80n) & 0xffffffffn), sixToFour);
  return lookupRange(ipv6Ranges, value);
}

/** Whether `address` (IPv4 or IPv6, optionally with a `%zone`) is reachable on the public internet. */
export function isGlobalAddress(address: string): boolean {
  return classifyAddress(address) === undefined;
}

function lookupRange(ranges: Range[], value: bigint): BlockedRange | undefined {
  const hit = ranges.find((r) => contains(r, value));
  return hit?.name === undefined ? undefined : { cidr: hit.cidr, name: hit.name };
}

function classifyEmbedded(ipv4: number, carrier: Range): BlockedRange | undefined {
  const inner = lookupRange(ipv4Ranges, BigInt(ipv4));
  if (!inner) return undefined;
  return { ...inner, embedded: { ipv4: numberToIpv4(ipv4), carrier: `${carrier.name} ${carrier.cidr}` } };
}

function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Expects a valid IPv6 address without zone (checked by net.isIP); handles `::` and a trailing dotted quad. */
function ipv6ToBigInt(text: string): bigint {
  let groups = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = ipv4ToNumber(text.slice(lastColon + 1));
    groups = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
