/**
 * Casts a mapping applies to a field's value. A cast that cannot convert a value answers `castFailed` (no throw, no
 * allocation) and the compiled mapping turns it into the record's rejection reason, so one bad value rejects one
 * record and the run goes on. `null` and `undefined` pass through every cast: a missing value is not a bad one.
 */
export const castTypes = ['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json'] as const;

export type CastType = (typeof castTypes)[number];

export const castFailed: unique symbol = Symbol('castFailed');

export type Cast = (value: unknown) => unknown;

const integerText = /^[+-]?\d+$/;
const dateText = /^(\d{4})-(\d{2})-(\d{2})$/;
const trueTexts = new Set(['true', 't', 'yes', 'y', '1']);
const falseTexts = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Epoch numbers below this are seconds (Stripe's `created`, Unix time), above it milliseconds (JavaScript,
 * HubSpot): 1e11 seconds is the year 5138, 1e11 milliseconds is 1973.
 */
const secondsBelow = 1e11;

function toDate(value: unknown): Date | undefined {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(Math.abs(value) < secondsBelow ? value * 1000 : value);
  else if (typeof value === 'string' && value.trim() !== '') date = new Date(value.trim());
  else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const casts: Record<CastType, Cast> = {
  string(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? castFailed : value.toISOString();
    return JSON.stringify(value);
  },
  integer(value) {
    if (typeof value === 'number') return Number.isInteger(value) ? value : castFailed;
    if (typeof value === 'string') {
      const text = value.trim();
      if (!integerText.test(text)) return castFailed;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : castFailed;
    }
    if (typeof value === 'bigint') {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : castFailed;
    }
    if (typeof value === 'boolean') return value ? 1 : 0;
    return castFailed;
  },
  number(value) {
    if (typeof value === 'number') return Number.isFinite(value) ? value : castFailed;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text === '') return castFailed;
      const n = Number(text);
      return Number.isFinite(n) ? n : castFailed;
    }
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    return castFailed;
  },
  boolean(value) {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : castFailed;
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase();
      return trueTexts.has(text) ? true : falseTexts.has(text) ? false : castFailed;
    }
    return castFailed;
  },
  timestamp(value) {
    if (typeof value === 'string' && dateText.test(value.trim()))
      return casts.date(value) === castFailed ? castFailed : `${value.trim()}T00:00:00.000Z`;
    const date = toDate(value);
    return date ? date.toISOString() : castFailed;
  },
  date(value) {
    if (typeof value === 'string') {
      const m = dateText.exec(value.trim());
      if (m) {
        // A calendar date stays as written (no time zone shift), if it is one.
        const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        return date.getUTCDate() === Number(m[3]) && date.getUTCMonth() === Number(m[2]) - 1 ? m[0] : castFailed;
      }
    }
    const date = toDate(value);
    return date ? date.toISOString().slice(0, 10) : castFailed;
  },
  json(value) {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return castFailed;
    }
  },
};

/** The cast function for a type; null and undefined pass through. */
export function compileCast(type: CastType): Cast {
  const cast = casts[type];
  return (value) => (value === null || value === undefined ? value : cast(value));
}

const article: Record<CastType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  date: 'a date',
  json: 'JSON',
};

/** A value as a rejection reason quotes it: short, strings in single quotes. */
export function quoteValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? `'${value}'`
      : value instanceof Date
        ? value.toISOString()
        : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The rejection reason of a failed cast: `field amount: 'abc' is not a number`. */
export function castFailure(field: string, type: CastType, value: unknown): string {
  return `field ${field}: ${quoteValue(value)} is not ${article[type]}`;
}

/**
 * Source field types a cast can never convert (every value would be rejected), for the checks made when a mapping
 * is saved. Strings and types the source does not pin down (json, unknown) may hold anything, so they are left to
 * the per-record check.
 */
const impossible: Record<string, readonly CastType[]> = {
  object: ['integer', 'number', 'boolean', 'timestamp', 'date'],
  array: ['integer', 'number', 'boolean', 'timestamp', 'date'],
  boolean: ['timestamp', 'date'],
  timestamp: ['integer', 'number', 'boolean'],
  date: ['integer', 'number', 'boolean'],
};

export function castImpossible(sourceType: string, cast: CastType): boolean {
  return impossible[sourceType]?.includes(cast) ?? false;
}
