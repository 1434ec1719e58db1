import { ApiError } from '../../core/errors.js';

const PREFIX = '/v1/connections/';
const MARKER = '/proxy';
// `.` and `..` segments, also percent-encoded: resolved by the vendor's server they could climb out of the base path.
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** The vendor-relative part of a proxy URL: path (possibly empty) and query (without `?`), as the caller wrote them. */
export type VendorTarget = { path: string; query: string };

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

/** Base path + vendor path, and the base URL's query joined with the caller's (and fixed query authentication). */
export function vendorPath(basePath: string, baseQuery: string, target: VendorTarget, authQuery: [string, string][]) {
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
