import net from 'node:net';

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6'; text: string };

/** Parse one CIDR (`10.0.0.0/8`, `::1/128`) or a bare address (treated as a single host). */
export function parseCidr(text: string): Cidr {
  const [address = '', prefixText] = text.trim().split('/');
  const version = net.isIP(address);
  if (version === 0) throw new Error(`"${text}" is not an IP address or CIDR range`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    throw new Error(`"${text}" has an invalid prefix length (0-${max})`);
  }
  return { address, prefix, family, text: `${address}/${prefix}` };
}

/** Parse a comma- or whitespace-separated list of CIDRs; an empty string gives an empty list. */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseCidr);
}

/** A compiled set of ranges for fast membership tests (node's BlockList handles v4-in-v6 forms). */
export function cidrMatcher(cidrs: readonly Cidr[]): (address: string) => boolean {
  const list = new net.BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return (address) => {
    const version = net.isIP(address);
    if (version === 0) return false;
    return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
