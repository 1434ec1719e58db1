import type { SqlColumn } from '../sql/relation.js';

/**
 * MySQL values as record values, and back. The connection reads dates, DECIMAL, big BIGINTs and JSON as text
 * (mysql-target.ts: dateStrings, supportBigNumbers, jsonStrings), so nothing is rounded on the way; here:
 * - DATETIME and TIMESTAMP → ISO 8601 in UTC (`2024-05-01T10:00:00.123456Z`): the session's time zone is UTC, and a
 *   DATETIME, which has no zone, is taken as UTC; the zero date `0000-00-00 …` → null;
 * - DATE → `YYYY-MM-DD`; TIME → its text; YEAR and integers → numbers, a BIGINT beyond 2^53 → its digits as a string;
 * - DECIMAL → its exact text; FLOAT and DOUBLE → numbers;
 * - JSON (MySQL's type, or MariaDB's LONGTEXT with a JSON_VALID check) → parsed;
 * - TINYINT(1) and BIT(1) → booleans (MySQL's BOOLEAN is TINYINT(1)); other BITs → numbers;
 * - BINARY, VARBINARY and BLOBs → base64 text; spatial types → what mysql2 parses them into ({x, y} …).
 * Going back (key bounds, cursors, written values) each value takes the form the column's type reads.
 */

export type MysqlColumn = SqlColumn & {
  /** information_schema DATA_TYPE: `datetime`, `bigint`, `longtext`… */
  dataType: string;
  kind: 'json' | 'binary' | 'boolean' | 'bit' | 'datetime' | 'date' | 'plain';
};

const integers = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year']);
const decimals = new Set(['decimal', 'numeric', 'float', 'double', 'real']);
const binaries = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const spatial = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);

/** Whether a column holds bytes (binary strings, BITs, spatial values): its text is not its value, its hex is. */
export function holdsBytes(column: MysqlColumn): boolean {
  return binaries.has(column.dataType) || spatial.has(column.dataType) || column.dataType === 'bit';
}

/** Whether a column is numeric: its values compare with a number literal exactly, never through a double. */
export function isNumeric(column: MysqlColumn): boolean {
  return integers.has(column.dataType) || decimals.has(column.dataType);
}

/** A column from information_schema: its record type and how its values are converted. */
export function describeColumn(c: {
  name: string;
  dataType: string;
  columnType: string;
  notNull: boolean;
  json: boolean;
}): MysqlColumn {
  const dataType = c.dataType.toLowerCase();
  const columnType = c.columnType.toLowerCase();
  const base = { name: c.name, typeName: columnType, notNull: c.notNull, dataType };
  if (c.json || dataType === 'json') return { ...base, fieldType: 'json', kind: 'json' };
  if ((dataType === 'tinyint' && /^tinyint\(1\)/.test(columnType)) || columnType === 'bit(1)')
    return { ...base, fieldType: 'boolean', kind: 'boolean' };
  if (dataType === 'bit') return { ...base, fieldType: 'integer', kind: 'bit' };
  if (integers.has(dataType)) return { ...base, fieldType: 'integer', kind: 'plain' };
  if (decimals.has(dataType)) return { ...base, fieldType: 'number', kind: 'plain' };
  if (dataType === 'datetime' || dataType === 'timestamp') return { ...base, fieldType: 'timestamp', kind: 'datetime' };
  if (dataType === 'date') return { ...base, fieldType: 'date', kind: 'date' };
  if (binaries.has(dataType)) return { ...base, fieldType: 'string', kind: 'binary' };
  if (spatial.has(dataType)) return { ...base, fieldType: 'json', kind: 'plain' };
  return { ...base, fieldType: 'string', kind: 'plain' };
}

/** A row as mysql2 read it → a record, column by column. */
export function rowDecoder(columns: readonly MysqlColumn[]): (row: Record<string, unknown>) => Record<string, unknown> {
  const decoders = columns.map((c) => [c.name, decoder(c)] as const);
  return (row) => {
    const record: Record<string, unknown> = {};
    for (const [name, decode] of decoders) {
      const value = row[name];
      record[name] = value === null || value === undefined ? null : decode(value);
    }
    return record;
  };
}

function decoder(column: MysqlColumn): (value: unknown) => unknown {
  switch (column.kind) {
    case 'json':
      return (v) => {
        const text = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      };
    case 'binary':
      return (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
    case 'boolean':
      return (v) => (Buffer.isBuffer(v) ? v.some((b) => b !== 0) : Number(v) !== 0);
    case 'bit':
      return (v) => (Buffer.isBuffer(v) ? bitValue(v) : v);
    case 'datetime':
      return (v) => datetimeToIso(String(v));
    case 'date':
      return (v) => (String(v).startsWith('0000-00-00') ? null : v);
    default:
      return (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
  }
}

function bitValue(bytes: Buffer): number | string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** `2024-05-01 10:00:00.123456` (UTC) → `2024-05-01T10:00:00.123456Z`; the zero date → null. */
export function datetimeToIso(text: string): string | null {
  if (text.startsWith('0000-00-00')) return null;
  return text.length >= 19 ? `${text.slice(0, 10)}T${text.slice(11)}Z` : text;
}

const isoPattern = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 time as a DATETIME literal in UTC (`2024-05-01 10:00:00.123456`): an offset is applied, microseconds
 * kept. Anything else is returned as it is, for the server to accept or refuse.
 */
export function isoToDatetime(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : isoToDatetime(value.toISOString());
  if (typeof value !== 'string') return value;
  const m = isoPattern.exec(value.trim());
  if (!m) return value;
  const [, date, time, fraction = '', zone = 'Z'] = m;
  const micro = fraction.slice(0, 7);
  if (/^(Z|[+-]00:?00)$/i.test(zone)) return `${date} ${time}${micro}`;
  const utc = new Date(`${date}T${time}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(utc.getTime())) return value;
  return `${utc.toISOString().slice(0, 19).replace('T', ' ')}${micro}`;
}

/** A record value as a parameter of this column (a key bound, a cursor, a written value). */
export function toParameter(column: MysqlColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'json':
      return JSON.stringify(value);
    case 'binary':
      return typeof value === 'string' ? binaryValue(value) : value;
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 1 : 0) : plain(value);
    case 'datetime':
      return typeof value === 'number' ? isoToDatetime(new Date(value)) : isoToDatetime(value);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : plain(value);
    default:
      return plain(value);
  }
}

/** Text a binary column reads: base64 (as the sources write bytes), or PostgreSQL's `\x` hex form. */
function binaryValue(text: string): Buffer {
  if (/^\\x([0-9a-f]{2})*$/i.test(text)) return Buffer.from(text.slice(2), 'hex');
  return Buffer.from(text, 'base64');
}

/** Strings and numbers as they are; booleans as 1/0; bigints as digits; objects and arrays as JSON text. */
function plain(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return isoToDatetime(value);
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
