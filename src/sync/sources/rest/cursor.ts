import type { Manifest } from '../../../catalog/manifest/manifest.js';
import { readJsonPath } from '../../../core/json-path.js';

type Incremental = NonNullable<Manifest['streams'][number]['incremental']>;
export type CursorFormat = Incremental['format'];

/**
 * Incremental cursors as vendors give them: ISO 8601 strings (with `Z`, `+05:30` or Salesforce's `+0000`), epoch
 * numbers, or plain sequence values. Times compare as times (so `…Z` and `…+00:00` are equal), the rest as numbers
 * or strings; the bound sent to the vendor is written in the manifest's format, rounded down so it stays inclusive.
 */

/** A record's cursor value: a field name, or a JSON path for a nested field (`$.properties.hs_lastmodifieddate`). */
export function cursorOf(record: Record<string, unknown>, field: string): unknown {
  return field.startsWith('$') ? readJsonPath(record, field) : record[field];
}

/** Milliseconds since the epoch, when the value is a time (a number counts in the format's unit). */
export function cursorTime(value: unknown, format: CursorFormat): number | undefined {
  const numeric =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : undefined;
  if (numeric !== undefined)
    return format === 'epoch_seconds' ? numeric * 1000 : format === 'as_read' ? undefined : numeric;
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareCursors(a: unknown, b: unknown, format: CursorFormat): number {
  const ta = cursorTime(a, format);
  const tb = cursorTime(b, format);
  if (ta !== undefined && tb !== undefined) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const UNIT_MS: Record<CursorFormat, number> = {
  iso8601: 1000,
  iso8601_ms: 1,
  epoch_seconds: 1000,
  epoch_ms: 1,
  date: 86_400_000,
  as_read: 0,
};

/** A time written as the vendor's filter expects it, rounded down to the format's unit. */
export function formatBound(ms: number, format: CursorFormat): string {
  const unit = UNIT_MS[format] || 1;
  const floored = Math.floor(ms / unit) * unit;
  const iso = new Date(floored).toISOString();
  switch (format) {
    case 'iso8601':
      return iso.replace(/\.\d{3}Z$/, 'Z');
    case 'iso8601_ms':
      return iso;
    case 'epoch_seconds':
      return String(floored / 1000);
    case 'epoch_ms':
      return String(floored);
    case 'date':
      return iso.slice(0, 10);
    case 'as_read':
      return String(ms);
  }
}

/**
 * The lower bound of an incremental read from a saved cursor: the cursor minus the lookback (and one unit more when
 * the vendor's filter is exclusive), or from `start` (the epoch by default) on a first read.
 */
export function lowerBound(cursor: unknown, lookbackSeconds: number, inc: Incremental): string {
  if (cursor === undefined || cursor === null) return formatBound(inc.start ? Date.parse(inc.start) : 0, inc.format);
  if (inc.format === 'as_read') return String(cursor);
  const t = cursorTime(cursor, inc.format);
  if (t === undefined) return String(cursor);
  const back = lookbackSeconds * 1000 + (inc.exclusive ? UNIT_MS[inc.format] : 0);
  return formatBound(Math.max(0, t - back), inc.format);
}
