import type { SqlColumn } from '../sql/relation.js';

/**
 * SQLite values as record values, and back. SQLite types values, not columns (a column's declared type is only an
 * affinity), so a value is converted by what it is, with the declared type as a hint:
 * - integers (read as BigInt, exact) → numbers, beyond 2^53 their digits as a string; reals → numbers;
 * - blobs → base64 text; text → as it is (dates stay the text the file holds: cursor comparisons need it verbatim);
 * - a column declared BOOLEAN: 0/1 → false/true; declared JSON: text that parses → the parsed value.
 * Going back (key bounds, cursors, written values): booleans as 1/0, objects and arrays as JSON text, digits beyond
 * 2^53 in an integer column as BigInt, base64 text into a BLOB column as bytes.
 */

export type SqliteColumn = SqlColumn & { kind: 'json' | 'boolean' | 'blob' | 'integer' | 'plain' };

/** The record type of a declared type, by SQLite's affinity rules plus the names people use for dates and JSON. */
export function describeColumn(c: { name: string; declared: string; notNull: boolean }): SqliteColumn {
  const t = c.declared.toUpperCase();
  const base = { name: c.name, typeName: c.declared, notNull: c.notNull };
  if (t.includes('JSON')) return { ...base, fieldType: 'json', kind: 'json' };
  if (t.includes('BOOL')) return { ...base, fieldType: 'boolean', kind: 'boolean' };
  if (t.includes('DATETIME') || t.includes('TIMESTAMP')) return { ...base, fieldType: 'timestamp', kind: 'plain' };
  if (t.includes('DATE')) return { ...base, fieldType: 'date', kind: 'plain' };
  if (t.includes('INT')) return { ...base, fieldType: 'integer', kind: 'integer' };
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT'))
    return { ...base, fieldType: 'string', kind: 'plain' };
  if (t.includes('BLOB')) return { ...base, fieldType: 'string', kind: 'blob' };
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB') || t.includes('NUM') || t.includes('DEC'))
    return { ...base, fieldType: 'number', kind: 'plain' };
  return { ...base, fieldType: 'string', kind: 'plain' };
}

export function rowDecoder(
  columns: readonly SqliteColumn[],
): (row: Record<string, unknown>) => Record<string, unknown> {
  return (row) => {
    const record: Record<string, unknown> = {};
    for (const column of columns) record[column.name] = decode(column, row[column.name]);
    return record;
  };
}

function decode(column: SqliteColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (column.kind === 'boolean') return value !== 0n;
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'number' && column.kind === 'boolean') return value !== 0;
  if (typeof value === 'string' && column.kind === 'json') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** A record value as a bound parameter of this column. */
export function toParameter(column: SqliteColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.kind === 'json') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (column.kind === 'integer' && /^-?\d{16,}$/.test(value)) return BigInt(value);
    if (column.kind === 'blob') return Buffer.from(value, 'base64');
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || typeof value === 'number' || typeof value === 'bigint') return value;
  return JSON.stringify(value);
}
