import { copyTextField as escapeText } from '../../../core/db/copy-text.js';
import type { SyncRecord } from '../../engine/types.js';

/**
 * Records as COPY text format (one line per record, tab-separated, `\N` for NULL, backslash escapes), the input of
 * `COPY … FROM STDIN`. Each column has a formatter chosen once from its type: a json/jsonb column takes every value
 * as JSON (a string is a JSON string), an array column takes JS arrays as array literals; other columns take
 * strings as they are and numbers, booleans and dates in PostgreSQL's input syntax. PostgreSQL parses the text into
 * the column's type; a value it cannot read fails the COPY, and the writer isolates that record (writer.ts).
 */

export type ColumnKind = 'json' | 'array' | 'plain';

type Format = (value: unknown) => string;

function plainText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString();
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
      if (Array.isArray(value)) return arrayLiteral(value);
      return JSON.stringify(value);
  }
}

/** A PostgreSQL array literal: every element quoted (so commas, braces and spaces need no thought), NULL bare. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : plainText(v);
    return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${items.join(',')}}`;
}

const formats: Record<ColumnKind, Format> = {
  plain: (v) => escapeText(plainText(v)),
  array: (v) => escapeText(Array.isArray(v) ? arrayLiteral(v) : plainText(v)),
  json: (v) => escapeText(JSON.stringify(v) ?? 'null'),
};

/**
 * A function turning a record into its COPY text line for these columns, in this order. Strings and numbers in
 * plain columns (most values) take an inline path; the rest go through the column's formatter.
 */
export function copyTextFormatter(columns: readonly { name: string; kind: ColumnKind }[]) {
  const names = columns.map((c) => c.name);
  const fns = columns.map((c) => formats[c.kind]);
  const plain = columns.map((c) => c.kind === 'plain');
  const count = names.length;
  return (record: SyncRecord): string => {
    let out = '';
    for (let i = 0; i < count; i++) {
      const value = record[names[i] as string];
      if (value === null || value === undefined) out += '\\N';
      else if (typeof value === 'string' && plain[i]) out += escapeText(value);
      else if (typeof value === 'number' && plain[i]) out += String(value);
      else out += (fns[i] as Format)(value);
      out += i === count - 1 ? '\n' : '\t';
    }
    return out;
  };
}
