import { replaceLoneSurrogates } from '../../../core/db/jsonb-text.js';
import type { Queryable } from '../../../core/db/port.js';
import { FORM_MEDIA_TYPE, formPayloadJson, isJsonMediaType, mediaType } from '../ingest/body.js';
import type { Rule } from '../sources/config.js';

/** What rule conditions see: the event type, the stored headers (lower-case names) and the parsed payload. */
export type ConditionDocument = { type: string; headers: Record<string, string>; payload: unknown };

/** bytea arrives as a Buffer from `pg`; a plain Uint8Array (a row built elsewhere) is wrapped without a copy. */
export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The body as conditions and published events see it: JSON parsed, forms as an object (or, for a form whose only
 * field `payload` holds JSON, as GitHub and Slack send, that JSON), anything else as text.
 */
export function parsePayload(body: Buffer | null, contentType: string | null): unknown {
  if (!body) return null;
  const type = mediaType(contentType ?? undefined);
  const text = body.toString('utf8');
  if (isJsonMediaType(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (type === FORM_MEDIA_TYPE) return formPayloadJson(text) ?? Object.fromEntries(new URLSearchParams(text));
  return text;
}

/**
 * JSON text PostgreSQL's jsonb accepts, from a vendor payload that may hold what it refuses: the NUL character
 * (\u0000), dropped; a lone UTF-16 surrogate, replaced with U+FFFD (core/db/jsonb-text.ts). The stored raw body
 * keeps the original; only what conditions and published events see is neutralised.
 */
export function jsonbText(value: unknown): string {
  return replaceLoneSurrogates(JSON.stringify(value)).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}

function typeMatches(patterns: readonly string[], type: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('*') ? type.startsWith(p.slice(0, -1)) : p === type));
}

/**
 * The rules that apply to an event, in order: those whose event types match and whose condition holds (evaluated
 * by the database's SQL/JSON path engine, the same one endpoint filters use, in one query for all of them). The
 * first match wins unless it says `continue`. A condition that errors on this payload (a type mismatch) is false.
 */
export async function matchRules<R extends Pick<Rule, 'event_types' | 'condition' | 'continue'>>(
  q: Queryable,
  rules: readonly R[],
  doc: ConditionDocument,
): Promise<R[]> {
  const candidates = rules.filter((r) => typeMatches(r.event_types, doc.type));
  const conditions = candidates.map((r) => r.condition).filter((c): c is string => c !== null);
  let verdicts: boolean[] = [];
  if (conditions.length > 0) {
    const { rows } = await q.query<{ verdicts: (boolean | null)[] }>(
      `select array(select coalesce(jsonb_path_match($1::jsonb, c::jsonpath, '{}'::jsonb, true), false)
                    from unnest($2::text[]) with ordinality as t(c, n) order by n) as verdicts`,
      [jsonbText(doc), conditions],
    );
    verdicts = (rows[0]?.verdicts ?? []).map((v) => v === true);
  }
  const matched: R[] = [];
  let next = 0;
  for (const rule of candidates) {
    const holds = rule.condition === null ? true : (verdicts[next++] ?? false);
    if (!holds) continue;
    matched.push(rule);
    if (!rule.continue) break;
  }
  return matched;
}
