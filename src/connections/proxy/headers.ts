import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never travel
 * either way, nor does anything the `Connection` header names.
 *
 * Towards the vendor the caller's own credentials and platform headers stay behind: `Authorization`, `Cookie` and
 * `X-CSRF-Token` authenticate the caller to Switchyard, `Switchyard-*` are instructions to the proxy, and the
 * connection's credentials are added afterwards. Client-address headers (`Forwarded`, `X-Forwarded-*`) and the
 * browser's page metadata (`Origin`, `Referer`, `Sec-*`) describe the caller's side of Switchyard, not a vendor
 * call; vendors that apply CORS or CSRF rules to them would refuse a server-side call. `Expect` is answered by
 * Switchyard itself.
 *
 * Back to the caller, headers that would act on Switchyard's own origin in a browser are dropped: `Set-Cookie`
 * (a vendor session cookie is a credential of the connection, and a cookie set on Switchyard's origin could shadow
 * its session cookie), `Access-Control-*` (would open Switchyard responses to other sites), `Strict-Transport-
 * Security`, `Clear-Site-Data` and `Alt-Svc`. The vendor's `X-Request-Id` comes back as `X-Vendor-Request-Id`,
 * since `X-Request-Id` is Switchyard's.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host',
  'authorization',
  'cookie',
  'x-csrf-token',
  'x-request-id',
  'expect',
  'content-length',
  'forwarded',
  'x-real-ip',
  'origin',
  'referer',
]);

const NOT_RETURNED = new Set([
  ...HOP_BY_HOP,
  'set-cookie',
  'set-cookie2',
  'strict-transport-security',
  'clear-site-data',
  'alt-svc',
  'public-key-pins',
  'public-key-pins-report-only',
]);

const NOT_FORWARDED_PREFIXES = ['switchyard-', 'x-forwarded-', 'sec-'];

/** Header names listed in a `Connection` header: hop-by-hop for this message only. */
function connectionListed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const names = (Array.isArray(value) ? value.join(',') : value).split(',');
  const out = new Set<string>();
  for (const name of names) {
    const trimmed = name.trim().toLowerCase();
    if (trimmed) out.add(trimmed);
  }
  return out;
}

/**
 * The caller's headers as they go to the vendor (names lower-case, as Node gives them). `Content-Length` is kept
 * only when the body is streamed as received (`keepLength`); a buffered body gets its own from the HTTP client.
 */
export function requestHeadersForVendor(
  incoming: IncomingHttpHeaders,
  keepLength: boolean,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || NOT_FORWARDED.has(name) || listed?.has(name)) continue;
    if (name.charCodeAt(0) === 115 /* s */ || name.charCodeAt(0) === 120 /* x */) {
      if (NOT_FORWARDED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    }
    out[name] = value;
  }
  if (keepLength && incoming['content-length'] !== undefined) out['content-length'] = incoming['content-length'];
  return out;
}

/** The vendor's response headers as they go back to the caller. */
export function responseHeadersForCaller(
  vendor: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const listed = connectionListed(vendor.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in vendor) {
    const value = vendor[name];
    if (value === undefined || NOT_RETURNED.has(name) || listed?.has(name)) continue;
    if (name.startsWith('access-control-')) continue;
    if (name === 'x-request-id') out['x-vendor-request-id'] = value;
    else out[name] = value;
  }
  return out;
}

/**
 * The vendor's own URLs in `Link` (RFC 8288: GitHub's pagination) and `Location` (a redirect, a created resource),
 * pointed back at the proxy when they lie under the connection's base URL: `vendorBase` + rest becomes `proxyBase` +
 * rest. An SDK that follows them (Octokit's `paginate`, fetch following a redirect) then stays behind Switchyard:
 * its Switchyard token never goes to the vendor, and the connection's credentials go with the next call. URLs
 * elsewhere (another host, outside the base path) are left as they are.
 */
export function pointVendorUrlsAtProxy(
  headers: Record<string, string | string[]>,
  vendorBase: string,
  proxyBase: () => string,
): void {
  if (headers.link === undefined && headers.location === undefined) return;
  const rewrite = (url: string) => {
    if (!url.startsWith(vendorBase)) return url;
    const rest = url.slice(vendorBase.length);
    return rest === '' || '/?#'.includes(rest[0] as string) ? `${proxyBase()}${rest}` : url;
  };
  const each = (value: string | string[], change: (v: string) => string) =>
    Array.isArray(value) ? value.map(change) : change(value);
  if (headers.link !== undefined) {
    headers.link = each(headers.link, (v) => v.replace(/<([^>]*)>/g, (_, url: string) => `<${rewrite(url)}>`));
  }
  if (headers.location !== undefined) headers.location = each(headers.location, rewrite);
}
