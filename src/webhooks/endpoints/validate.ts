import net from 'node:net';
import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Cidr } from '../../core/net/cidr.js';
import { cidrMatcher } from '../../core/net/cidr.js';
import { assertUrlAllowed, BlockedAddressError, UnsupportedUrlError } from '../../core/net/ssrf.js';
import { isPlatformEventType } from '../../events/types/platform.js';
import { activeEventTypeNames } from '../../events/types/sql.js';

export type UrlPolicy = { allowPrivateNetworks: readonly Cidr[]; allowHttp: boolean };

function hostLiteral(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return net.isIP(host) === 0 ? undefined : host;
}

const invalidUrl = (message: string) =>
  new ApiError('validation_failed', message, { errors: [{ path: 'body.url', message }] });

/**
 * Checks at save time what can be checked without DNS: the scheme (https unless allowed), no credentials in the URL,
 * and an IP-literal host against the SSRF guard. Names are resolved and checked at every delivery attempt.
 */
export async function assertEndpointUrl(text: string, policy: UrlPolicy): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidUrl('Not a valid absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl('The URL must be https://.');
  if (url.username || url.password) throw invalidUrl('The URL must not carry credentials; use a custom header.');
  const literal = hostLiteral(url);
  if (url.protocol === 'http:' && !policy.allowHttp) {
    const exempt = literal !== undefined && cidrMatcher(policy.allowPrivateNetworks)(literal);
    if (!exempt) throw invalidUrl('The URL must be https:// (plain http is allowed only by configuration).');
  }
  if (literal !== undefined) {
    try {
      // An IP literal needs no lookup, so this is the guard's synchronous decision.
      await assertUrlAllowed(url, policy.allowPrivateNetworks);
    } catch (error) {
      if (error instanceof BlockedAddressError) throw new ApiError('destination_blocked', error.message);
      if (error instanceof UnsupportedUrlError) throw invalidUrl(error.message);
      throw error;
    }
  }
  return url.toString();
}

// RFC 9110 §7.6.1 hop-by-hop fields, and fields the HTTP client sets itself from the request it sends.
const RESERVED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Custom headers: valid names, none reserved (hop-by-hop, framing, `webhook-*` which signing owns). */
export function assertCustomHeaders(
  headers: Record<string, string>,
  at: string = 'body.headers',
): Record<string, string> {
  const errors: { path: string; message: string }[] = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const path = `${at}.${name}`;
    if (!TOKEN.test(name)) errors.push({ path, message: 'not a valid header name' });
    else if (RESERVED_HEADERS.has(lower))
      errors.push({ path, message: `${lower} is set by Switchyard, not per endpoint` });
    else if (lower.startsWith('webhook-')) errors.push({ path, message: 'webhook-* headers carry the signature' });
    else if (Object.hasOwn(out, lower)) errors.push({ path, message: 'given twice (header names ignore case)' });
    else if (/[\r\n\0]/.test(value)) errors.push({ path, message: 'the value must not contain CR, LF or NUL' });
    else out[lower] = value;
  }
  if (errors.length > 0) throw new ApiError('validation_failed', 'Some custom headers are not allowed.', { errors });
  return out;
}

/** Subscribed types must be platform types or the tenant's own active types; unknown ones are named. */
export async function assertEventTypes(q: Queryable, tenantId: string, names: string[]): Promise<string[]> {
  const unique = [...new Set(names)];
  const tenantTypes = await activeEventTypeNames(
    q,
    tenantId,
    unique.filter((n) => !isPlatformEventType(n)),
  );
  const unknown = unique.filter((n) => !isPlatformEventType(n) && !tenantTypes.has(n));
  if (unknown.length > 0) {
    throw new ApiError('validation_failed', `Unknown or archived event types: ${unknown.join(', ')}.`, {
      errors: unknown.map((n) => ({ path: 'body.event_types', message: `${n} is not a defined event type` })),
    });
  }
  return unique.sort();
}

/**
 * A payload filter is an SQL/JSON path predicate (PostgreSQL's jsonpath) over `{"type": …, "data": …}`, such as
 * `$.data.amount > 100 && $.type starts with "invoice."`. The database parses it, and evaluating it once on an
 * empty payload tells a predicate (true/false) from a plain path, which would select values instead of deciding.
 */
export async function assertPayloadFilter(
  q: Queryable,
  filter: string | null,
  at: { sample: string; path: string } = { sample: '{"type": "", "data": {}}', path: 'body.filter' },
): Promise<string | null> {
  if (filter === null || filter.trim() === '') return null;
  try {
    await q.query(`select jsonb_path_match($2::jsonb, $1::jsonpath)`, [filter, at.sample]);
  } catch (error) {
    const problem = (error as Error).message;
    const message = /single boolean result/.test(problem)
      ? 'The filter must be a condition (e.g. $.data.amount > 100), not a path that selects values.'
      : `The filter is not a valid JSON path condition: ${problem}.`;
    throw new ApiError('validation_failed', message, { errors: [{ path: at.path, message }] });
  }
  return filter.trim();
}
