import { z } from 'zod';
import { ApiError } from '../errors.js';

/** Form values keyed by field (a connection's config or credentials): text, numbers and booleans. */
export const fieldValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Path parameter `:id`. */
export const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Cursor pagination. A cursor is opaque to clients: base64url of the sort key and id of the last row returned.
 * Lists answer `{ data, next_cursor }`; `next_cursor` is null on the last page.
 */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

export type Cursor = { id: string; key?: string | number | null };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value as Cursor;
  } catch {
    // fall through
  }
  throw new ApiError('validation_failed', 'The cursor is not one this API issued.', {
    errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }],
  });
}

/**
 * Given rows fetched with `limit + 1`, return the page and the cursor for the next one.
 */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  key?: (row: R) => string | number | null,
): { data: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(present),
    next_cursor: more && last ? encodeCursor({ id: last.id, ...(key ? { key: key(last) } : {}) }) : null,
  };
}

/** Timestamps are ISO 8601 strings in UTC. */
export const timestamp = z.string().meta({ format: 'date-time' });

export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoRequired(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A lenient date-time query parameter. */
export const dateTimeQuery = z.iso.datetime({ offset: true });

export const emptyObject = z.object({}).strict();

/** A query parameter naming one or several statuses, comma-separated (`?status=failed,skipped`). */
export function statusListQuery(statuses: readonly string[]) {
  const one = `(${statuses.join('|')})`;
  return z
    .string()
    .regex(new RegExp(`^${one}(,${one})*$`), `comma-separated statuses: ${statuses.join(', ')}`)
    .describe('One status, or several separated by commas');
}
