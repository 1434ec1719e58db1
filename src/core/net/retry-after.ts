/** The longest wait a `Retry-After` is read as, unless the caller bounds it more tightly. */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60 * 1000;

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds to wait from `now` (epoch ms): delay-seconds (digits only), or
 * an HTTP-date; a date already past is 0. Undefined when absent or neither form: a fraction, a sign or a bare date
 * are not one. The wait is capped at `maxMs` (default a day), so that a receiver cannot park a caller for ever, and
 * a very long number of seconds is still a number.
 *
 * @example
 * parseRetryAfter('120', { now: Date.now() }); // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', { now: Date.now(), maxMs: 3_600_000 }); // at most an hour
 */
export function parseRetryAfter(
  value: string | undefined,
  options: { now: number; maxMs?: number },
): number | undefined {
  if (value === undefined) return undefined;
  const maxMs = options.maxMs ?? RETRY_AFTER_MAX_MS;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxMs);
  const at = parseHttpDate(text);
  return at === undefined ? undefined : Math.min(Math.max(0, at - options.now), maxMs);
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch milliseconds: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") or the
 * obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994") forms.
 */
function parseHttpDate(text: string): number | undefined {
  // Date.parse accepts almost anything ("1", "Tue, 2026"), so require the shape the three forms share: a day name
  // first and a time of day. asctime carries no zone but means GMT; Date.parse would read it as local time.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? .*\b\d\d:\d\d:\d\d\b/.test(text)) return undefined;
  const at = Date.parse(text.endsWith(' GMT') ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : at;
}
