import { createHash } from 'node:crypto';

/**
 * The canonical JSON of a record: JSON.stringify's output with object keys sorted at every level, so two reads of
 * the same content give the same text whatever order a vendor sent its fields in. The record store hashes it (an
 * unchanged record is not rewritten and makes no change-feed entry) and stores it as the record's data.
 *
 * As JSON.stringify: `toJSON` is honoured (dates become ISO strings), undefined and functions are left out of
 * objects and become null in arrays, non-finite numbers become null. Unlike it, a bigint is written as a number
 * (int8 columns) instead of throwing.
 */
export type CanonicalJson = {
  text: string;
  /** A string in it holds U+0000, which PostgreSQL text and jsonb refuse. */
  hasNul: boolean;
};

export function canonicalJson(value: unknown): CanonicalJson {
  const state = { hasNul: false };
  const text = write(value, state) ?? 'null';
  return { text, hasNul: state.hasNul };
}

function write(value: unknown, state: { hasNul: boolean }): string | undefined {
  switch (typeof value) {
    case 'string':
      if (value.includes('\0')) state.hasNul = true;
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return write((json as () => unknown).call(value), state);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (write(value[i], state) ?? 'null');
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const text = write(record[key], state);
    if (text === undefined) continue;
    if (key.includes('\0')) state.hasNul = true;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + text;
    first = false;
  }
  return out + '}';
}

/** SHA-256 of the canonical JSON, hex. */
export function contentHash(canonicalText: string): string {
  return createHash('sha256').update(canonicalText).digest('hex');
}
