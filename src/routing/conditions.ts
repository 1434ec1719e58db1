import type { Condition } from './model.js';

type Operators = {
  $eq?: unknown;
  $ne?: unknown;
  $in?: unknown[];
  $nin?: unknown[];
  $gt?: number | string;
  $gte?: number | string;
  $lt?: number | string;
  $lte?: number | string;
  $regex?: string;
};

const isOperators = (value: unknown): value is Operators =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A query field by name or dotted path (`filter.exchange`). */
function field(query: Record<string, unknown>, path: string): unknown {
  let current: unknown = query;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** Compare as numbers when both sides are numbers (or numeric text), else as text. */
function compare(a: unknown, b: number | string): number | undefined {
  if (a === undefined || a === null) return undefined;
  const x = typeof a === 'number' ? a : Number(a);
  const y = typeof b === 'number' ? b : Number(b);
  if (typeof a !== 'boolean' && !Number.isNaN(x) && !Number.isNaN(y) && String(a).trim() !== '') return x - y;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

const same = (a: unknown, b: unknown) => a === b || (a !== undefined && a !== null && String(a) === String(b));

/**
 * Whether a query matches a route condition's `when`, Mongo-style as Portkey's conditional router reads it: each
 * named field holds a value (equality) or operators ($eq $ne $in $nin $gt $gte $lt $lte $regex), and all must hold.
 */
export function matchesCondition(when: Condition['when'], query: Record<string, unknown>): boolean {
  return Object.entries(when).every(([path, expected]) => {
    const value = field(query, path);
    if (!isOperators(expected)) return same(value, expected);
    const op = expected;
    if ('$eq' in op && !same(value, op.$eq)) return false;
    if ('$ne' in op && same(value, op.$ne)) return false;
    if (op.$in && !op.$in.some((v) => same(value, v))) return false;
    if (op.$nin?.some((v) => same(value, v))) return false;
    const order = (bound: number | string | undefined, ok: (c: number) => boolean) => {
      if (bound === undefined) return true;
      const c = compare(value, bound);
      return c !== undefined && ok(c);
    };
    if (!order(op.$gt, (c) => c > 0) || !order(op.$gte, (c) => c >= 0)) return false;
    if (!order(op.$lt, (c) => c < 0) || !order(op.$lte, (c) => c <= 0)) return false;
    if (op.$regex !== undefined && !(typeof value === 'string' && new RegExp(op.$regex).test(value))) return false;
    return true;
  });
}
