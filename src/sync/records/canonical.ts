import { hash } from 'node:crypto';
import { replaceLoneSurrogates } from '../../core/db/jsonb-text.js';

/**
 * The canonical JSON of a record: JSON.stringify's output with object keys sorted at every level, so two reads of
 * the same content give the same text whatever order a vendor sent its fields in. The record store hashes it (an
 * unchanged record is not rewritten and makes no change-feed entry) and stores it as the record's data.
 *
 * As JSON.stringify: `toJSON` is honoured (dates become ISO strings), undefined and functions are left out of
 * objects and become null in arrays, non-finite numbers become null. Unlike it, a bigint becomes a number when it
 * is a safe integer and its decimal string otherwise, instead of throwing; and a lone UTF-16 surrogate (a vendor's
 * "\ud800", which jsonb refuses) becomes U+FFFD (core/db/jsonb-text.ts).
 */
export type CanonicalJson = {
  text: string;
  /**
   * Why the store cannot keep the text, or null: a string holds U+0000. A json column takes `\u0000`, but no
   * PostgreSQL text holds it, so the store's JSON functions (a model's fields, jsonb) would fail on the record.
   */
  unstorable: string | null;
};

/** `\u0000` as JSON.stringify escapes a NUL: after an even number of backslashes (an odd run escapes a backslash). */
const escapedNul = /(?:^|[^\\])(?:\\\\)*\\u0000/;

function unstorable(text: string): string | null {
  return text.includes('\\u0000') && escapedNul.test(text) ? 'a NUL character (U+0000)' : null;
}

/** A copy of a nested value with its object keys sorted (JSON.stringify writes keys in insertion order). */
function sorted(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value === null || typeof value !== 'object') return value;
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return sorted((toJson as () => unknown).call(value));
  if (Array.isArray(value)) return value.map(sorted);
  // No prototype: a vendor's `__proto__` key is then a key like any other, not the copy's prototype.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}

function valueJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'null' : JSON.stringify(sorted(value));
    case 'bigint':
      return JSON.stringify(sorted(value));
    default:
      return undefined;
  }
}

/**
 * A canonicaliser for a stream of records. Records of one stream nearly always share their field order, so the
 * sorted order (and each key's JSON) is computed once per shape and reused while the next record has the same keys:
 * a record then costs one JSON.stringify per field.
 */
export function createCanonicalizer(): (record: Record<string, unknown>) => CanonicalJson {
  let shape: string[] = [];
  let order: string[] = [];
  let keyJson: string[] = [];
  return (record) => {
    const keys = Object.keys(record);
    let same = keys.length === shape.length;
    for (let i = 0; same && i < keys.length; i++) same = keys[i] === shape[i];
    if (!same) {
      shape = keys;
      order = [...keys].sort();
      keyJson = order.map((k) => JSON.stringify(k));
    }
    let text = '{';
    for (let i = 0; i < order.length; i++) {
      const json = valueJson(record[order[i] as string]);
      if (json === undefined) continue;
      text += (text.length > 1 ? ',' : '') + keyJson[i] + ':' + json;
    }
    text = replaceLoneSurrogates(text + '}');
    return { text, unstorable: unstorable(text) };
  };
}

/** The canonical JSON of any value (composite keys, tests); records in bulk go through `createCanonicalizer`. */
export function canonicalJson(value: unknown): CanonicalJson {
  const text = replaceLoneSurrogates(valueJson(value) ?? 'null');
  return { text, unstorable: unstorable(text) };
}

/** SHA-256 of the canonical JSON, hex. */
export function contentHash(canonicalText: string): string {
  return hash('sha256', canonicalText, 'hex');
}
