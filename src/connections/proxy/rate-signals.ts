import { Cron } from 'croner';
import type { QuotaScope, RateSignal } from '../../catalog/manifest/capability.js';
import type { RateLimitHints } from '../../catalog/manifest/manifest.js';
import { readJsonPath } from '../../core/json-path.js';
import { parseRetryAfter } from '../../core/net/retry-after.js';
import { parseReset } from './retry.js';

/**
 * A vendor's "stop", read from its answer as its manifest describes it (`rate_limit.signals`): a status, a header, or
 * words in the JSON body — Alpha Vantage says it in an HTTP 200 `Note`, FMP in a 429 (or 200) `Error Message`
 * without headers, Polygon in a 429 JSON error. A signal says whether the window resets soon (retry after it) or a
 * quota is used up (skip the provider until it resets), and when that is.
 */
export type RateLimitSignal = {
  meaning: 'retry_after_reset' | 'quota_exhausted';
  scope?: QuotaScope;
  /** Epoch ms: from Retry-After or the manifest's reset header, else the end of the signal's window. */
  resetAt: number;
  /** The vendor's own words, trimmed. */
  reason: string;
};

/** A vendor answer: status and headers, and the whole body when it was read (buffered calls). */
export type VendorAnswerLike = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
};

const REASON_MAX = 300;
const SHORT_WINDOW_MS: Record<'second' | 'minute' | 'hour', number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
};

const header = (headers: VendorAnswerLike['headers'], name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** The body as JSON, or undefined when there is none or it is not JSON (a cut answer matches no body signal). */
export function answerJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const trimReason = (value: string) => {
  const t = value.trim().replace(/\s+/g, ' ');
  return t.length > REASON_MAX ? `${t.slice(0, REASON_MAX - 1)}…` : t;
};

type Matchable = Pick<RateSignal, 'status' | 'header' | 'json' | 'reason_path'>;

/**
 * Whether an answer matches a rule (every condition it gives holds), and the vendor's words for it. A JSON condition
 * never matches without a parsed body: the streamed proxy sees only status and headers.
 */
export function matchAnswer(rule: Matchable, answer: VendorAnswerLike, json: unknown): { reason: string } | undefined {
  if (rule.status && !rule.status.includes(answer.status)) return undefined;
  if (rule.header && header(answer.headers, rule.header) === undefined) return undefined;
  let matched: unknown;
  if (rule.json) {
    if (json === undefined) return undefined;
    matched = readJsonPath(json, rule.json.path);
    if (matched === undefined || matched === null) return undefined;
    if (rule.json.matches !== undefined && !new RegExp(rule.json.matches, 'i').test(text(matched))) return undefined;
  }
  const words = rule.reason_path && json !== undefined ? readJsonPath(json, rule.reason_path) : matched;
  const reason =
    words !== undefined && words !== null
      ? text(words)
      : `HTTP ${answer.status}${rule.header ? ` ${rule.header}` : ''}`;
  return { reason: trimReason(reason) };
}

/** A body not parsed yet: the callers that have parsed it pass the result (undefined too), the others leave it. */
const UNREAD: unique symbol = Symbol('unread');

/**
 * The first of the manifest's signals the answer matches (plan refusals included), with the vendor's words. The body
 * is parsed only when a signal reads it: the proxy asks this of every buffered answer, most with no body signals.
 */
export function matchRateSignal(
  hints: Pick<RateLimitHints, 'signals'> | undefined,
  answer: VendorAnswerLike,
  json: unknown = UNREAD,
): { signal: RateSignal; reason: string } | undefined {
  let body = json;
  for (const signal of hints?.signals ?? []) {
    if (body === UNREAD && (signal.json || signal.reason_path)) body = answerJson(answer.body);
    const hit = matchAnswer(signal, answer, body === UNREAD ? undefined : body);
    if (hit) return { signal, reason: hit.reason };
  }
  return undefined;
}

/**
 * The rate limit an answer signals, or undefined (none, or a plan refusal: not a limit). The manifest's signals are
 * tried in order; without a match, a status the manifest lists in `error_statuses` is a short-window limit.
 */
export function classifyRateLimit(
  hints: RateLimitHints | undefined,
  answer: VendorAnswerLike,
  now: number,
  parsed: unknown = UNREAD,
): RateLimitSignal | undefined {
  if (!hints) return undefined;
  const hit = matchRateSignal(hints, answer, parsed);
  if (hit) return hit.signal.meaning === 'plan_refused' ? undefined : toSignal(hints, hit, answer, now);
  if (!hints.error_statuses.includes(answer.status)) return undefined;
  const json = parsed === UNREAD ? answerJson(answer.body) : parsed;
  const words = json && typeof json === 'object' ? firstText(json as Record<string, unknown>) : undefined;
  return {
    meaning: 'retry_after_reset',
    resetAt: headerReset(hints, answer, now) ?? now + SHORT_WINDOW_MS.minute,
    reason: trimReason(words ?? `HTTP ${answer.status}`),
  };
}

/** A matched signal as the router and the rate budget use it. */
export function toSignal(
  hints: Pick<RateLimitHints, 'retry_after' | 'reset'>,
  hit: { signal: RateSignal; reason: string },
  answer: VendorAnswerLike,
  now: number,
): RateLimitSignal {
  const { signal } = hit;
  return {
    meaning: signal.meaning === 'quota_exhausted' ? 'quota_exhausted' : 'retry_after_reset',
    scope: signal.scope,
    resetAt: headerReset(hints, answer, now) ?? windowEnd(signal.scope, signal.time_zone, now),
    reason: hit.reason,
  };
}

function headerReset(
  hints: Pick<RateLimitHints, 'retry_after' | 'reset'>,
  answer: VendorAnswerLike,
  now: number,
): number | undefined {
  const retryAfter = parseRetryAfter(header(answer.headers, hints.retry_after), { now });
  if (retryAfter !== undefined) return now + retryAfter;
  return hints.reset ? parseReset(header(answer.headers, hints.reset.header), hints.reset.format, now) : undefined;
}

/** A vendor's message in a JSON error body: its first top-level string among the usual names. */
function firstText(json: Record<string, unknown>): string | undefined {
  for (const key of ['error', 'message', 'Error Message', 'Note', 'Information', 'detail']) {
    if (typeof json[key] === 'string') return json[key];
  }
  return undefined;
}

const boundaries = new Map<string, Cron>();
const patterns: Record<'day' | 'month', string> = { day: '0 0 0 * * *', month: '0 0 0 1 * *' };

/**
 * When a window that started before `now` is over. A second, minute or hour is counted from now: vendors count
 * these windows rolling or from the first call, so a calendar boundary may come too soon (Polygon's per-minute
 * limit has taken minutes to lift). A day or month ends at the next midnight (first of the month) in the vendor's
 * time zone, daylight saving included — read with croner, as sync schedules are.
 */
export function windowEnd(scope: QuotaScope, timeZone: string, now: number): number {
  if (scope === 'second' || scope === 'minute' || scope === 'hour') return now + SHORT_WINDOW_MS[scope];
  const key = `${scope}\0${timeZone}`;
  let cron = boundaries.get(key);
  if (!cron) boundaries.set(key, (cron = new Cron(patterns[scope], { timezone: timeZone, paused: true })));
  const next = cron.nextRun(new Date(now));
  return next ? next.getTime() : now + 86_400_000;
}
