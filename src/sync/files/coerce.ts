/**
 * Values read from a file, checked and converted to a schema's types. Text formats (CSV, XML) give strings; JSON
 * gives typed values: both convert the same way (`"42"` and `42` are both an integer 42). A value that does not fit
 * answers `invalidValue` with a reason, never throws: the reader rejects that record (or stops, if told to).
 */
export const fieldTypes = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'json'] as const;

export type FieldType = (typeof fieldTypes)[number];

export type SchemaField = { name: string; type: FieldType; nullable?: boolean };

/** The fields to read records into (an inferred schema, accepted or edited, or one written by hand). */
export type FileSchema = { fields: SchemaField[] };

export const invalidValue: unique symbol = Symbol('invalidValue');

export type Convert = (value: unknown) => unknown;

export type BooleanTexts = { true_values: string[]; false_values: string[] };

export const integerText = /^[+-]?\d+$/;
export const numberText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The tail of an ISO 8601 date-time after `HH:MM`: seconds, a fraction, a zone. */
const timeTail = /^(?::[0-5]\d(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

const digit = (text: string, at: number) => {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : -100; // a non-digit makes any sum of digits negative
};

/**
 * The days of `YYYY-MM-DD` at `text[0..10)` as y*10000+m*100+d, or -1 when it is not a real date (2024-02-30 is not).
 * By hand, without a Date or a regex match: it runs on every value of a date column.
 */
function datePart(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const m = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  if (y < 0 || m < 1 || m > 12 || d < 1) return -1;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days ? y * 10_000 + m * 100 + d : -1;
}

/** `YYYY-MM-DD`, a real date. */
export function isDateText(text: string): boolean {
  return text.length === 10 && datePart(text) >= 0;
}

/** `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH[:MM]]` (or a space for the T), a real date and time. */
export function isDatetimeText(text: string): boolean {
  if (text.length < 16 || datePart(text) < 0) return false;
  const t = text.charCodeAt(10);
  if (t !== 84 && t !== 32 && t !== 116) return false;
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  if (hour < 0 || hour > 23 || text.charCodeAt(13) !== 58 || minute < 0 || minute > 59) return false;
  return text.length === 16 || timeTail.test(text.slice(16));
}

/** A converter per type; `null`/`undefined` are handled by the caller (nullable or not). */
export function converter(type: FieldType, booleans: BooleanTexts): Convert {
  switch (type) {
    case 'string':
      return (v) =>
        typeof v === 'string'
          ? v
          : typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : v instanceof Date
              ? v.toISOString()
              : JSON.stringify(v);
    case 'integer':
      return (v) => {
        if (typeof v === 'string') {
          if (!integerText.test(v)) return invalidValue;
          const n = Number(v);
          return Number.isSafeInteger(n) ? n : invalidValue;
        }
        return typeof v === 'number' && Number.isSafeInteger(v) ? v : invalidValue;
      };
    case 'number':
      return (v) => {
        if (typeof v === 'string') return numberText.test(v) ? Number(v) : invalidValue;
        return typeof v === 'number' && Number.isFinite(v) ? v : invalidValue;
      };
    case 'boolean': {
      // The values as given, lower and upper case, looked up before lower-casing (no new string for `true`, `TRUE`).
      const forms = (values: string[]) =>
        new Set(
          values.flatMap((t) => [t, t.toLowerCase(), t.toUpperCase(), t[0]?.toUpperCase() + t.slice(1).toLowerCase()]),
        );
      const yes = forms(booleans.true_values);
      const no = forms(booleans.false_values);
      return (v) => {
        if (typeof v === 'boolean') return v;
        if (typeof v !== 'string') return invalidValue;
        if (yes.has(v)) return true;
        if (no.has(v)) return false;
        const text = v.toLowerCase();
        return yes.has(text) ? true : no.has(text) ? false : invalidValue;
      };
    }
    case 'date':
      return (v) => (typeof v === 'string' && isDateText(v) ? v : invalidValue);
    case 'datetime':
      // A date alone is midnight: a column mixing the two is a datetime column.
      return (v) => (typeof v === 'string' && (isDatetimeText(v) || isDateText(v)) ? v : invalidValue);
    case 'json':
      return (v) => {
        if (typeof v !== 'string') return v;
        try {
          return JSON.parse(v) as unknown;
        } catch {
          return invalidValue;
        }
      };
  }
}

export type Invalid = { field: string; value: unknown; reason: string };

/**
 * Check and convert one record in place against a schema: fields the schema names are converted (an empty text is
 * null for any type but string), others are kept as they are. Answers the first problem, or undefined.
 */
export type RecordCoercer = (record: Record<string, unknown>) => Invalid | undefined;

export function recordCoercer(schema: FileSchema, booleans: BooleanTexts): RecordCoercer {
  const fields = schema.fields.map((f) => ({
    name: f.name,
    type: f.type,
    nullable: f.nullable !== false,
    convert: converter(f.type, booleans),
  }));
  return (record) => {
    for (const f of fields) {
      let value = record[f.name];
      // An empty text is no value for any type but text (`""` in a CSV integer column).
      if (value === '' && f.type !== 'string') value = record[f.name] = null;
      if (value === null || value === undefined) {
        if (!f.nullable) return { field: f.name, value, reason: `${f.name} is required` };
        continue;
      }
      const converted = f.convert(value);
      if (converted === invalidValue)
        return { field: f.name, value, reason: `${f.name}: ${preview(value)} is not ${article(f.type)}` };
      record[f.name] = converted;
    }
    return undefined;
  };
}

const article = (type: FieldType) =>
  ({
    string: 'text',
    integer: 'an integer',
    number: 'a number',
    boolean: 'a boolean',
    date: 'a date (YYYY-MM-DD)',
    datetime: 'a date and time (ISO 8601)',
    json: 'JSON',
  })[type];

export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
