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
export const dateText = /^(\d{4})-(\d{2})-(\d{2})$/;
export const datetimeText =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A calendar date that exists (2024-02-30 does not). */
export function isRealDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isDateText(text: string): boolean {
  const m = dateText.exec(text);
  return m !== null && isRealDate(m[1] as string, m[2] as string, m[3] as string);
}

export function isDatetimeText(text: string): boolean {
  const m = datetimeText.exec(text);
  return (
    m !== null &&
    isRealDate(m[1] as string, m[2] as string, m[3] as string) &&
    Number(m[4]) < 24 &&
    Number(m[5]) < 60 &&
    (m[6] === undefined || Number(m[6]) < 60)
  );
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
      const yes = new Set(booleans.true_values.map((t) => t.toLowerCase()));
      const no = new Set(booleans.false_values.map((t) => t.toLowerCase()));
      return (v) => {
        if (typeof v === 'boolean') return v;
        if (typeof v !== 'string') return invalidValue;
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
