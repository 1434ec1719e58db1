import { describe, expect, it } from 'vitest';
import { matchesCondition } from './conditions.js';

describe('route conditions', () => {
  const query = { symbol: 'AAPL', exchange: 'NASDAQ', limit: 5, filter: { region: 'us' } };

  it('matches values and every operator, all fields together', () => {
    expect(matchesCondition({ symbol: 'AAPL' }, query)).toBe(true);
    expect(matchesCondition({ symbol: 'MSFT' }, query)).toBe(false);
    expect(matchesCondition({ exchange: { $in: ['NYSE', 'NASDAQ'] } }, query)).toBe(true);
    expect(matchesCondition({ exchange: { $nin: ['NASDAQ'] } }, query)).toBe(false);
    expect(matchesCondition({ symbol: { $ne: 'IBM' }, limit: { $gte: 5, $lt: 10 } }, query)).toBe(true);
    expect(matchesCondition({ limit: { $gt: 5 } }, query)).toBe(false);
    expect(matchesCondition({ symbol: { $regex: '^AA' } }, query)).toBe(true);
    expect(matchesCondition({ 'filter.region': 'us' }, query)).toBe(true);
    expect(matchesCondition({ symbol: 'AAPL', exchange: 'NYSE' }, query)).toBe(false);
  });

  it('compares numeric text as numbers and treats a missing field as no match for ranges', () => {
    expect(matchesCondition({ limit: { $gt: '10' } }, { limit: '9' })).toBe(false);
    expect(matchesCondition({ limit: { $lt: '10' } }, { limit: '9' })).toBe(true);
    expect(matchesCondition({ limit: { $lt: 10 } }, {})).toBe(false);
    expect(matchesCondition({ symbol: { $regex: 'A' } }, { symbol: 42 })).toBe(false);
    expect(matchesCondition({ missing: { $nin: ['x'] } }, {})).toBe(true);
  });
});
