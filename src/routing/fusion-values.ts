import { isDeepStrictEqual } from 'node:util';

/**
 * Value helpers for data fusion: vendors disagree on types as well as values (Alpha Vantage sends every number as a
 * string, `"189.8400"`; FMP and Polygon send JSON numbers), so comparisons and aggregates read numeric strings as
 * numbers.
 */

// A plain decimal, as vendors write numbers: no hex, no `Infinity`, no empty string (which `Number('')` reads as 0).
const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The number a value stands for: a finite number, or a string holding one; undefined for anything else. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return roundNoise(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

export function mean(values: number[]): number {
  return roundNoise(values.reduce((sum, v) => sum + v, 0) / values.length);
}

/**
 * A computed number without binary floating-point noise: the mean of 189.84 and 189.86 is 189.85, not
 * 189.85000000000002. Fifteen significant digits are what a double holds exactly for a decimal.
 */
function roundNoise(value: number): number {
  return Number(value.toPrecision(15));
}

/** Every number within `tolerance` (relative: 0.005 = 0.5%) of the median; at a median of 0, every number is 0. */
export function withinTolerance(values: number[], tolerance: number): boolean {
  const middle = median(values);
  return values.every((v) => Math.abs(v - middle) <= tolerance * Math.abs(middle));
}

/**
 * Whether the values (none null) say the same thing: numbers (numeric strings included) within `tolerance` of their
 * median, anything else deeply equal. A number and a non-number never agree.
 */
export function valuesAgree(values: unknown[], tolerance: number): boolean {
  const numbers = values.map(numericValue);
  if (numbers.every((n) => n !== undefined)) return withinTolerance(numbers as number[], tolerance);
  const first = values[0];
  return values.every((v) => isDeepStrictEqual(v, first));
}

/** The arrays' elements once each (deep equality), in the order first seen. */
export function unionOf(arrays: unknown[][]): unknown[] {
  const out: unknown[] = [];
  for (const array of arrays) {
    for (const item of array) if (!out.some((seen) => isDeepStrictEqual(seen, item))) out.push(item);
  }
  return out;
}

/**
 * A record's time as epoch milliseconds, for `most_recent`: an ISO 8601 string, or a number (or numeric string) of
 * seconds or milliseconds since the epoch — below 1e11 it can only be seconds (1e11 ms is 1973; 1e11 s is year 5138).
 */
export function instantValue(value: unknown): number | undefined {
  const number = numericValue(value);
  if (number !== undefined) return number < 1e11 ? number * 1000 : number;
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Key values compared field by field: numbers by value, other values as text, missing values last. */
export function compareKeyValues(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const order = compareOne(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

function compareOne(a: unknown, b: unknown): number {
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return Number(missingA) - Number(missingB);
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  const ta = typeof a === 'string' ? a : JSON.stringify(a);
  const tb = typeof b === 'string' ? b : JSON.stringify(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}
