import type { Manifest } from '../../../catalog/manifest/manifest.js';
import type { VendorAnswer, VendorCall } from '../../../connections/proxy/proxy.js';
import { readJsonPath } from '../../../core/json-path.js';
import { sleep } from '../../../connections/proxy/retry.js';
import { SyncError, type SyncRecord } from '../../engine/types.js';
import { statusError, toSyncError } from './errors.js';

export type Pagination = NonNullable<Manifest['pagination']>;
export type VendorCaller = (input: VendorCall) => Promise<VendorAnswer>;

/** What every request of a read shares: the connection, the run's signal and request id, per-stream pacing. */
export type ReadContext = {
  call: VendorCaller;
  tenantId: string;
  connectionId: string;
  userId: string | null;
  requestId: string | undefined;
  timeoutMs: number | undefined;
  signal: AbortSignal;
  /** Waits as the stream's documented rate limit asks before each request. */
  pace(): Promise<void>;
};

/** One listing request before paging: where it goes and what it always sends. */
export type PageRequest = {
  method: 'GET' | 'POST';
  path: string;
  params: Record<string, string>;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  pagination: Pagination | undefined;
  primaryKey: string[];
  /** For messages: the stream's name. */
  stream: string;
};

/** Where the next page starts: null for the first page. Plain JSON, so it can be a checkpoint. */
export type Position = { token?: string; url?: string; offset?: number; page?: number } | null;

export type Page = { records: SyncRecord[]; next: Position | undefined; body: unknown; status: number };

/** A 429 the proxy's own retries did not get past (a long Retry-After) is waited out this many times at most. */
const RATE_LIMIT_ROUNDS = 3;
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** The page size asked for: the stream's rate-limited page size, the pagination's maximum, or 100. */
export const pageSizeOf = (p: Pagination | undefined, pageSize?: number) => pageSize ?? p?.max_limit ?? 100;

/**
 * Fetch one page at `position` and say where the next one starts (undefined: this was the last). Every pagination
 * style of the manifest: cursor (a token from the answer, or the last record's key), offset, page, next_url (a URL
 * in the body) and link_header (RFC 8288 rel="next"), each with its limit, in the query or the JSON body.
 */
export async function fetchPage(
  ctx: ReadContext,
  req: PageRequest,
  position: Position,
  pageSize?: number,
): Promise<Page> {
  const p = req.pagination;
  const style = p?.style ?? 'none';
  const limit = pageSizeOf(p, pageSize);
  const query: Record<string, string> = { ...req.params };
  let body = req.body === undefined ? undefined : structuredClone(req.body);
  const paging: Record<string, string | number> = {};
  if (p && style !== 'none') {
    if (p.limit_param) paging[p.limit_param] = limit;
    if (p.cursor_param && position) {
      if (style === 'cursor' && position.token !== undefined) paging[p.cursor_param] = position.token;
      if (style === 'offset' && position.offset !== undefined) paging[p.cursor_param] = position.offset;
      if (style === 'page') paging[p.cursor_param] = position.page ?? p.first_page ?? 1;
    }
    if (style === 'page' && p.cursor_param && !position) paging[p.cursor_param] = p.first_page ?? 1;
  }
  if (p?.in === 'body') body = { ...(body ?? {}), ...paging };
  else for (const [k, v] of Object.entries(paging)) query[k] = String(v);
  const followUrl = (style === 'next_url' || style === 'link_header') && position?.url !== undefined;
  const answer = await send(
    ctx,
    {
      method: req.method,
      ...(followUrl ? { url: position.url } : { path: req.path, query }),
      headers: req.headers,
      ...(body !== undefined ? { body } : {}),
    },
    req.stream,
  );
  // Nothing changed (If-Modified-Since), or nothing to list (Zoho answers 204 for an empty module).
  if (answer.status === 304 || answer.status === 204)
    return { records: [], next: undefined, body: null, status: answer.status };
  const parsed = parseJson(answer.body, req.stream);
  const found = p?.results_path ? readJsonPath(parsed, p.results_path) : parsed;
  if (!Array.isArray(found)) {
    throw new SyncError(
      'vendor_bad_response',
      `${req.stream}: the vendor's answer has no list at ${p?.results_path ?? '$'} (${describe(found)})`,
    );
  }
  const records = found as SyncRecord[];
  return {
    records,
    next: nextPosition(p, style, parsed, answer, records, position, limit, req),
    body: parsed,
    status: answer.status,
  };
}

function nextPosition(
  p: Pagination | undefined,
  style: Pagination['style'],
  body: unknown,
  answer: VendorAnswer,
  records: SyncRecord[],
  position: Position,
  limit: number,
  req: PageRequest,
): Position | undefined {
  if (!p || style === 'none') return undefined;
  const more = p.has_more_path ? readJsonPath(body, p.has_more_path) : undefined;
  if (more === false || more === 'false') return undefined;
  const short = more === undefined && records.length < limit;
  switch (style) {
    case 'cursor': {
      const token = p.cursor_path ? readJsonPath(body, p.cursor_path) : lastKey(records, req);
      if (token === undefined || token === null || token === '' || records.length === 0) return undefined;
      if (!p.cursor_path && short) return undefined;
      return { token: String(token) };
    }
    case 'offset': {
      if (records.length === 0 || short) return undefined;
      const given = p.cursor_path ? readJsonPath(body, p.cursor_path) : undefined;
      if (p.cursor_path && (given === undefined || given === null)) return undefined;
      return { offset: given !== undefined ? Number(given) : (position?.offset ?? 0) + records.length };
    }
    case 'page': {
      const page = position?.page ?? p.first_page ?? 1;
      const total = p.total_pages_path ? Number(readJsonPath(body, p.total_pages_path)) : undefined;
      if (records.length === 0 || (total !== undefined && page >= total) || (total === undefined && short))
        return undefined;
      return { page: page + 1 };
    }
    case 'next_url': {
      const url = p.cursor_path ? readJsonPath(body, p.cursor_path) : undefined;
      return typeof url === 'string' && url !== '' ? { url } : undefined;
    }
    case 'link_header': {
      const url = nextLink(answer.headers.link);
      return url ? { url } : undefined;
    }
  }
}

/** Without a cursor in the answer, the next page starts after the last record (Stripe's starting_after). */
function lastKey(records: SyncRecord[], req: PageRequest): unknown {
  const last = records[records.length - 1];
  return last ? last[req.primaryKey[0] ?? 'id'] : undefined;
}

/** The rel="next" target of a Link header (RFC 8288), if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  for (const part of text.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

function parseJson(body: Buffer, stream: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    const start = body.toString('utf8', 0, 80).replace(/\s+/g, ' ');
    throw new SyncError('vendor_bad_response', `${stream}: the vendor's answer is not JSON ("${start}…")`);
  }
}

const describe = (v: unknown) => (v === undefined ? 'missing' : v === null ? 'null' : typeof v);

/**
 * One request through the proxy call; a refusal becomes the run's SyncError. A 429 the proxy handed back (its wait
 * was longer than it holds a call) is waited out here, with the run's signal, a few times before the run gives up.
 */
export async function send(
  ctx: ReadContext,
  request: Pick<VendorCall, 'method' | 'path' | 'url' | 'query' | 'headers' | 'body'>,
  what: string,
  options: { retryUnsafe?: boolean; accept?: (status: number) => boolean } = {},
): Promise<VendorAnswer> {
  for (let round = 0; ; round++) {
    await ctx.pace();
    let answer: VendorAnswer;
    try {
      answer = await ctx.call({
        tenantId: ctx.tenantId,
        connectionId: ctx.connectionId,
        userId: ctx.userId,
        kind: 'sync',
        signal: ctx.signal,
        retries: 3,
        // A listing is a read whatever its method (a POST search), so it is retried like a GET.
        retryUnsafe: options.retryUnsafe ?? true,
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
        ...request,
      });
    } catch (error) {
      const mapped = toSyncError(error, what);
      const waitMs = budgetWait(error);
      if (waitMs !== undefined && round < RATE_LIMIT_ROUNDS) {
        await sleep(Math.min(waitMs, MAX_RATE_LIMIT_WAIT_MS), ctx.signal);
        continue;
      }
      throw mapped;
    }
    if (answer.status < 300 || answer.status === 304 || options.accept?.(answer.status)) return answer;
    if (answer.status === 429 && round < RATE_LIMIT_ROUNDS) {
      await sleep(Math.min(retryAfterMs(answer) ?? 1000 * 2 ** round, MAX_RATE_LIMIT_WAIT_MS), ctx.signal);
      continue;
    }
    throw statusError(answer.status, answer.body, what);
  }
}

function budgetWait(error: unknown): number | undefined {
  const e = error as { code?: string; extensions?: { retry_after_seconds?: number } };
  if (e?.code !== 'rate_budget_exhausted') return undefined;
  return (e.extensions?.retry_after_seconds ?? 1) * 1000;
}

function retryAfterMs(answer: VendorAnswer): number | undefined {
  const raw = answer.headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
