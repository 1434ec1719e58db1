import { ApiError } from '../../core/errors.js';

const PREFIX = '/v1/connections/';
const MARKER = '/proxy';
// `.` and `..` segments, also percent-encoded: resolved by the vendor's server they could climb out of the base path.
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * The vendor-relative part of a proxy URL: path (possibly empty) and query (without `?`), as the caller wrote them.
 * `fromOrigin`: the path is already complete from the origin (a next-page URL the vendor gave, checked to lie under
 * the base URL), so neither the base path nor the base URL's query is added again.
 */
export type VendorTarget = { path: string; query: string; fromOrigin?: boolean };

/**
 * Cut the vendor path and query out of the raw request URL (`/v1/connections/{id}/proxy/<path>?<query>`), keeping
 * the caller's percent-encoding: an encoded slash in a segment (`group%2Fproject`) must reach the vendor encoded.
 */
export function vendorTarget(rawUrl: string): VendorTarget {
  const start = rawUrl.indexOf(PREFIX);
  const idEnd = start < 0 ? -1 : rawUrl.indexOf('/', start + PREFIX.length);
  if (idEnd < 0 || !rawUrl.startsWith(MARKER, idEnd)) throw new Error(`not a proxy URL: ${rawUrl}`);
  const rest = rawUrl.slice(idEnd + MARKER.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (DOT_SEGMENT.test(path)) {
    throw new ApiError('validation_failed', 'The proxied path must not contain "." or ".." segments.', {
      errors: [{ path: 'params.*', message: 'dot segments are not allowed' }],
    });
  }
  return { path, query };
}

/** The proxy's own path in a raw request URL, `/v1/connections/{id}/proxy`, as the caller wrote it. */
export function proxyPath(rawUrl: string): string {
  const start = rawUrl.indexOf(PREFIX);
  const idEnd = start < 0 ? -1 : rawUrl.indexOf('/', start + PREFIX.length);
  if (idEnd < 0 || !rawUrl.startsWith(MARKER, idEnd)) throw new Error(`not a proxy URL: ${rawUrl}`);
  return rawUrl.slice(start, idEnd + MARKER.length);
}

/** Base path + vendor path, and the base URL's query joined with the caller's (and fixed query authentication). */
export function vendorPath(basePath: string, baseQuery: string, target: VendorTarget, authQuery: [string, string][]) {
  if (target.fromOrigin) {
    basePath = '';
    baseQuery = '';
  }
  let query = target.query;
  if (authQuery.length > 0) {
    // Authentication replaces a parameter of the same name the caller sent, as applyAuth does.
    const params = new URLSearchParams(query);
    for (const [name, value] of authQuery) params.set(name, value);
    query = params.toString();
  }
  if (baseQuery) query = query ? `${baseQuery}&${query}` : baseQuery;
  const path = `${basePath}${target.path}` || '/';
  return query ? `${path}?${query}` : path;
}

/** A programmatic call's target: `path` relative to the base URL (with an optional `?query`), checked like a URL's. */
export function relativeTarget(path: string, query: string): VendorTarget {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  const own = q < 0 ? '' : path.slice(q + 1);
  if (DOT_SEGMENT.test(bare)) {
    throw new ApiError('validation_failed', 'The vendor path must not contain "." or ".." segments.', {
      errors: [{ path: 'path', message: 'dot segments are not allowed' }],
    });
  }
  const joined = [own, query].filter(Boolean).join('&');
  return { path: bare && !bare.startsWith('/') ? `/${bare}` : bare, query: joined };
}

/**
 * A next-page URL the vendor gave (absolute, or a path from the origin such as Salesforce's nextRecordsUrl): only
 * on the connection's own origin and under its base path, since the connection's credentials go with it.
 */
export function originTarget(url: string, origin: string, basePath: string): VendorTarget {
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    throw new ApiError('validation_failed', `The next-page URL "${url}" is not a URL.`);
  }
  const under = parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`) || basePath === '';
  if (parsed.origin !== origin || !under || DOT_SEGMENT.test(parsed.pathname)) {
    throw new ApiError(
      'validation_failed',
      `The vendor's next-page URL leaves the connection's base URL (${parsed.origin}${parsed.pathname}); it is not followed with the connection's credentials.`,
    );
  }
  return { path: parsed.pathname, query: parsed.search.slice(1), fromOrigin: true };
}
