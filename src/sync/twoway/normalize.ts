/**
 * How a field's values are compared across the two sides of a two-way sync. Vendors rewrite what they are given (an
 * e-mail lower-cased, a phone number formatted, spaces trimmed); comparing normalised values keeps such a rewrite
 * from reading as a change, so it is neither an echo sent back nor a conflict.
 */
export const normalizers = ['none', 'trim', 'lower', 'email', 'phone'] as const;
export type Normalizer = (typeof normalizers)[number];

/** A value in the form the two sides are compared in: JSON-comparable, with "" and missing read as null. */
export function normalize(value: unknown, how: Normalizer = 'none'): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    let text = value;
    if (how !== 'none') text = text.trim();
    if (how === 'lower' || how === 'email') text = text.toLowerCase();
    if (how === 'phone') {
      // Digits only, with the leading + of an international number: "+1 (415) 555-0100" = "+14155550100".
      const plus = text.startsWith('+') ? '+' : '';
      text = plus + text.replace(/\D/g, '');
    }
    return text === '' ? null : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Equality of normalised values (deep for objects and arrays, key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // A vendor may answer a number as text ("42" for 42): the same value.
    if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number'))
      return String(a) === String(b);
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
