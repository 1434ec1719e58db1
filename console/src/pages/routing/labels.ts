import type { BreakerState, Operator, Pick, RateLimitPolicy, Strategy } from './types.js';

export const strategyLabels: Record<Strategy, string> = {
  single: 'Single provider',
  fallback: 'Fallback',
  loadbalance: 'Load balance',
  conditional: 'Conditional',
  fusion: 'Data fusion',
};
export const strategyHelp: Record<Strategy, string> = {
  single: 'Only the primary provider answers.',
  fallback: 'The primary answers; when it is unavailable or failing, the next provider in order does.',
  loadbalance: 'Calls are spread over the providers by weight; a failing one is skipped.',
  conditional: 'Query fields choose the providers (e.g. one exchange to one provider); the rest use the order.',
  fusion: 'Every provider is asked and their answers are merged field by field, following the fusion rules.',
};

/** Seed 000's rate-limit strategies, each with its one-line behaviour. */
export const rateLimitLabels: Record<RateLimitPolicy, string> = {
  strict: 'Strict',
  fallback: 'Fallback',
  queue: 'Queue',
};
export const rateLimitHelp: Record<RateLimitPolicy, string> = {
  strict: 'Fail immediately when the provider returns a rate-limit error.',
  fallback: 'Automatically switch to the fallback provider on rate-limit errors.',
  queue: 'Queue requests and retry when the rate limit window resets.',
};

export const pickLabels: Record<Pick, string> = {
  priority: 'Priority order',
  first_non_null: 'First non-empty',
  most_recent: 'Most recent',
  min: 'Minimum',
  max: 'Maximum',
  mean: 'Mean',
  median: 'Median',
  consensus: 'Consensus within a tolerance',
  union: 'Union of lists',
};
export const pickHelp: Record<Pick, string> = {
  priority: 'The value of the first provider in the order that answered.',
  first_non_null: 'The first provider in the order whose value is not empty.',
  most_recent: 'The value of the provider whose record is the newest (by the recency field).',
  min: 'The smallest value.',
  max: 'The largest value.',
  mean: 'The average of the values.',
  median: 'The middle value.',
  consensus: 'The value most providers agree on within the tolerance; disagreements are reported as conflicts.',
  union: 'Every item of every provider’s list, once.',
};

export const operatorLabels: Record<Operator, string> = {
  $eq: 'is',
  $ne: 'is not',
  $in: 'is one of',
  $nin: 'is none of',
  $gt: '>',
  $gte: '≥',
  $lt: '<',
  $lte: '≤',
  $regex: 'matches',
};

export const breakerLabels: Record<BreakerState, string> = {
  closed: 'Closed',
  open: 'Open',
  half_open: 'Half-open',
};
export const breakerTone: Record<BreakerState, string> = { closed: 'good', open: 'bad', half_open: 'warn' };

/** The Badge tone of each outcome word (an attempt's or a call's); an unknown word is neutral. */
export const outcomeTone: Record<string, string> = {
  ok: 'good',
  fused: 'good',
  fallback: 'warn',
  empty: 'neutral',
  no_data: 'neutral',
  skipped: 'neutral',
  queued: 'info',
  rate_limited: 'warn',
  quota_exhausted: 'warn',
  expired: 'bad',
  timeout: 'bad',
  failed: 'bad',
};

/** "Primary", "Fallback", then "3rd", "4th"…: a provider's place in a route's order. */
export function positionLabel(index: number): string {
  if (index === 0) return 'Primary';
  if (index === 1) return 'Fallback';
  const n = index + 1;
  const suffix = n % 10 === 3 && n % 100 !== 13 ? 'rd' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : 'th';
  return `${n}${suffix}`;
}
