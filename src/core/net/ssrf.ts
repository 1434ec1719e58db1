import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { cidrMatcher, type Cidr } from './cidr.js';
import { BlockedAddressError } from './blocked-address.js';
import { classifyAddress } from './ip-ranges.js';

export { BlockedAddressError } from './blocked-address.js';

/**
 * The SSRF guard. Every outbound request to a user-influenced host (connector base URLs, webhook endpoints, forward
 * targets) goes through `createGuardedDispatcher`: the host is resolved once, every address it resolves to must be
 * global (see ip-ranges.ts) or inside `SWITCHYARD_ALLOW_PRIVATE_NETWORKS`, and the socket connects to one of those
 * checked addresses — there is no second resolution a rebinding DNS server could answer differently.
 */

export type ResolvedAddress = { address: string; family: number };

/** Resolves a host name to every address it has. Injectable so that tests never need real DNS. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export type GuardOptions = {
  /** CIDRs exempt from the guard (`config.allowPrivateNetworks`). */
  allow: readonly Cidr[];
  /** Defaults to the system resolver, `dns.lookup(hostname, { all: true })`. */
  lookup?: ResolveHost;
};

export type GuardedDispatcherOptions = GuardOptions & {
  /** Covers resolution and the TCP and TLS handshakes. Default 10 s. */
  connectTimeoutMs?: number;
  /** PEM client certificate and key for mutual TLS; `ca` replaces the default trust store, as in `tls.connect`. */
  tls?: { cert?: string; key?: string; ca?: string };
};

/** The URL cannot be a destination at all: unparsable, or a scheme other than http: and https:. */
export class UnsupportedUrlError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'UnsupportedUrlError';
  }
}

const systemLookup: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true });

/** The guard's decisions, compiled once per allow-list. */
function createHostGuard({ allow, lookup = systemLookup }: GuardOptions) {
  const allowed = cidrMatcher(allow);

  function refusal(host: string, address: string): BlockedAddressError | undefined {
    if (allowed(address)) return undefined;
    const blocked = classifyAddress(address);
    // An exempt IPv4 network stays exempt whichever IPv6 form carries it (NAT64 and 6to4 included).
    if (!blocked || (blocked.embedded && allowed(blocked.embedded.ipv4))) return undefined;
    return new BlockedAddressError(host, address, blocked);
  }

  /** Every address of `host`, each checked; throws BlockedAddressError if any one of them is refused. */
  async function resolve(host: string): Promise<[ResolvedAddress, ...ResolvedAddress[]]> {
    const literal = ipLiteral(host);
    if (literal !== undefined) {
      const refused = refusal(literal, literal);
      if (refused) throw refused;
      return [{ address: literal, family: net.isIP(literal) }];
    }
    const [first, ...rest] = await lookup(host);
    if (!first) throw Object.assign(new Error(`${host} has no addresses`), { code: 'ENOTFOUND' });
    const addresses: [ResolvedAddress, ...ResolvedAddress[]] = [first, ...rest];
    // All of them, not just the one connected to: a name answering both a public and a private address is an
    // attacker's way to get the private one tried (happy eyeballs, retries).
    for (const { address } of addresses) {
      const refused = refusal(host, address);
      if (refused) throw refused;
    }
    return addresses;
  }

  return { refusal, resolve };
}

/** `host` without IPv6 brackets when it is an IP address, undefined when it is a name. */
function ipLiteral(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return net.isIP(bare) === 0 ? undefined : bare;
}

/**
 * An undici dispatcher for user-influenced destinations; a blocked connection fails with BlockedAddressError
 * (undici's `fetch` wraps it as the `cause`). The dispatcher does not follow redirects: `request` returns the 3xx
 * (check its Location with `checkRedirect` before following it); `fetch` follows by itself, but every hop connects
 * through this guard.
 *
 * @example
 * const dispatcher = createGuardedDispatcher({ allow: config.allowPrivateNetworks });
 * const response = await request(webhookUrl, { method: 'POST', body, dispatcher });
 */
export function createGuardedDispatcher(options: GuardedDispatcherOptions): Agent {
  const guard = createHostGuard(options);
  // net.connect and tls.connect call `lookup` for host names, once per connection, and connect only to what it
  // returns: so the addresses checked are the addresses tried. With `all` (happy eyeballs) every checked address
  // may be tried; otherwise the first one is.
  const lookup: net.LookupFunction = (hostname, dnsOptions, callback) => {
    guard.resolve(hostname).then(
      (addresses) => {
        if (dnsOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
  const connect = buildConnector({ ...options.tls, timeout: options.connectTimeoutMs ?? 10_000, lookup });
  return new Agent({
    connect(connectOptions, callback) {
      // net.connect does not call `lookup` for an IP address, so literals are judged here, before any socket exists.
      const literal = ipLiteral(connectOptions.hostname);
      const refused = literal === undefined ? undefined : guard.refusal(connectOptions.hostname, literal);
      if (refused) queueMicrotask(() => callback(refused, null));
      else connect(connectOptions, callback);
    },
  });
}

/**
 * Pre-flight check of a destination URL, e.g. a webhook endpoint at save time: http: or https:, and every address
 * its host is (or resolves to) allowed. Resolver failures (ENOTFOUND…) are passed through untouched, so callers can
 * tell "not resolvable now" from "refused". The dispatcher checks again at connect time, since DNS can change.
 *
 * @example
 * await assertUrlAllowed(body.url, config.allowPrivateNetworks); // throws BlockedAddressError or UnsupportedUrlError
 */
export async function assertUrlAllowed(
  url: string | URL,
  allow: readonly Cidr[],
  options: { lookup?: ResolveHost } = {},
): Promise<URL> {
  const parsed = parseDestination(String(url));
  // WHATWG parsing has already turned 2130706433, 0x7f.1 and 017700000001 into 127.0.0.1, so a literal is seen here.
  await createHostGuard({ allow, ...options }).resolve(parsed.hostname);
  return parsed;
}

/**
 * Every address `host` is (an IP literal, brackets allowed) or resolves to, each checked like `assertUrlAllowed`
 * does; throws BlockedAddressError when any one is refused. For callers that open sockets themselves (database
 * drivers, see database-target.ts): connect to one of the returned addresses, never to the name again.
 */
export async function resolveAllowed(
  host: string,
  allow: readonly Cidr[],
  options: { lookup?: ResolveHost } = {},
): Promise<[ResolvedAddress, ...ResolvedAddress[]]> {
  return createHostGuard({ allow, ...options }).resolve(host);
}

/**
 * Validates a redirect's Location (relative to the URL that answered it) the same way as `assertUrlAllowed`, for
 * callers that follow redirects themselves. Returns the absolute target.
 */
export async function checkRedirect(
  from: string | URL,
  location: string,
  allow: readonly Cidr[],
  options: { lookup?: ResolveHost } = {},
): Promise<URL> {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new UnsupportedUrlError(location, 'The redirect location is not a valid URL');
  }
  return assertUrlAllowed(target, allow, options);
}

function parseDestination(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedUrlError(url, 'Not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsupportedUrlError(url, `Only http: and https: URLs are allowed, not ${parsed.protocol}`);
  }
  return parsed;
}
