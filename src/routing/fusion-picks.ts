import { instantValue, mean, median, numericValue, unionOf, valuesAgree } from './fusion-values.js';

/** How one field of one fused record is chosen from the providers' records: the `pick` of a fusion rule. */

export const fusionPicks = [
  'priority',
  'first_non_null',
  'most_recent',
  'min',
  'max',
  'mean',
  'median',
  'consensus',
  'union',
] as const;
export type FusionPick = (typeof fusionPicks)[number];

/** A provider's record holding the field, in the order the rule tries providers. `value` is never undefined. */
export type Candidate = { index: number; value: unknown; record: Record<string, unknown>; fetchedAt: number };

/** The value chosen and the candidates (by `index`) it came from; `aggregate` when it was computed from several. */
export type Pick = { value: unknown; from: number[]; aggregate: boolean };

export type PickRule = { pick: FusionPick; tolerance: number; recency_field?: string | undefined };

const nonNull = (candidates: Candidate[]) => candidates.filter((c) => c.value !== null);

/** Pick the field's value from its candidates (at least one) by the rule. */
export function pickValue(candidates: Candidate[], rule: PickRule): Pick {
  switch (rule.pick) {
    case 'priority':
      return single(candidates[0] as Candidate, candidates);
    case 'first_non_null':
      return single(nonNull(candidates)[0] ?? (candidates[0] as Candidate), candidates);
    case 'most_recent':
      return single(mostRecent(candidates, rule.recency_field) ?? (candidates[0] as Candidate), candidates);
    case 'min':
    case 'max':
    case 'mean':
    case 'median':
      return aggregate(candidates, rule.pick);
    case 'consensus':
      return consensus(candidates, rule.tolerance);
    case 'union': {
      const arrays = candidates.filter((c) => Array.isArray(c.value));
      if (arrays.length === 0) return single(candidates[0] as Candidate, candidates);
      return { value: unionOf(arrays.map((c) => c.value as unknown[])), from: indexes(arrays), aggregate: true };
    }
  }
}

/**
 * One provider's value as given, except that a numeric string becomes a number when another provider sent this field
 * as a JSON number: the record schema then wants a number, and the vendor that quotes its numbers (Alpha Vantage)
 * should not change the type of the answer. A numeric string no provider sent as a number (a CIK, `"0000320193"`)
 * stays a string.
 */
function single(chosen: Candidate, candidates: Candidate[]): Pick {
  const number = typeof chosen.value === 'string' ? numericValue(chosen.value) : undefined;
  const numbersElsewhere = candidates.some((c) => typeof c.value === 'number');
  return {
    value: number !== undefined && numbersElsewhere ? number : chosen.value,
    from: [chosen.index],
    aggregate: false,
  };
}

/**
 * The non-null candidate whose record is the newest: by `recency_field` on the record (an ISO time or epoch seconds or
 * milliseconds), or when a record has none, by when its answer was fetched. A tie goes to the earlier provider.
 */
function mostRecent(candidates: Candidate[], recencyField: string | undefined): Candidate | undefined {
  let best: { candidate: Candidate; at: number } | undefined;
  for (const candidate of nonNull(candidates)) {
    const at = (recencyField ? instantValue(candidate.record[recencyField]) : undefined) ?? candidate.fetchedAt;
    if (!best || at > best.at) best = { candidate, at };
  }
  return best?.candidate;
}

/** min, max, mean or median over the numbers (numeric strings read as numbers); null when no provider gave one. */
function aggregate(candidates: Candidate[], pick: 'min' | 'max' | 'mean' | 'median'): Pick {
  const numbers = numericCandidates(candidates);
  if (numbers.length === 0) return { value: null, from: [], aggregate: true };
  const values = numbers.map((n) => n.number);
  const value =
    pick === 'min'
      ? Math.min(...values)
      : pick === 'max'
        ? Math.max(...values)
        : pick === 'mean'
          ? mean(values)
          : median(values);
  return { value, from: numbers.map((n) => n.candidate.index), aggregate: true };
}

/**
 * The median when every number is within the tolerance of it (non-numbers: when all are equal, that value); else the
 * first provider's non-null value, and the field is reported as a conflict (as every field whose values disagree is).
 * Nulls take no part: a provider without the value neither agrees nor disagrees.
 */
function consensus(candidates: Candidate[], tolerance: number): Pick {
  const present = nonNull(candidates);
  if (present.length === 0) return single(candidates[0] as Candidate, candidates);
  if (
    !valuesAgree(
      present.map((c) => c.value),
      tolerance,
    )
  )
    return single(present[0] as Candidate, candidates);
  // They agree: all numbers (their median), or all equal.
  const numbers = numericCandidates(present);
  const value = numbers.length === present.length ? median(numbers.map((n) => n.number)) : present[0]?.value;
  return { value, from: indexes(present), aggregate: true };
}

function numericCandidates(candidates: Candidate[]): { candidate: Candidate; number: number }[] {
  return candidates.flatMap((candidate) => {
    const number = numericValue(candidate.value);
    return number === undefined ? [] : [{ candidate, number }];
  });
}

const indexes = (candidates: Candidate[]) => candidates.map((c) => c.index);
