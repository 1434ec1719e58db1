import { describe, expect, it } from 'vitest';
import { fuse, fusionRulesSchema, type FusionAnswer, type FusionRules } from './fusion.js';

/** Answers as the route engine hands them over: mapped to the standard record, in the route's priority order. */
const T0 = Date.parse('2025-03-03T15:00:00Z');

function answer(
  connector: string,
  records: Record<string, unknown>[],
  extra: Partial<FusionAnswer> = {},
): FusionAnswer {
  return { connection_id: `conn_${connector}`, connector, redistributable: true, records, fetched_at: T0, ...extra };
}

const quote = (values: Record<string, unknown>) => ({ symbol: 'AAPL', ...values });

function fuseQuotes(answers: FusionAnswer[], rules?: FusionRules) {
  return fuse({ key: ['symbol'], many: false, answers, rules });
}

describe('fuse: one record per provider', () => {
  it('takes each field from the first provider with a non-null value by default, and says which', () => {
    const result = fuseQuotes([
      answer('fmp', [quote({ price: 189.84, volume: null, exchange: 'NASDAQ' })]),
      answer('alpha_vantage', [quote({ price: 189.84, volume: 52_000_000, change: 1.2 })]),
    ]);
    expect(result.data).toEqual({ symbol: 'AAPL', price: 189.84, volume: 52_000_000, exchange: 'NASDAQ', change: 1.2 });
    expect(result.provenance).toEqual({
      symbol: { connection_id: 'conn_fmp', connector: 'fmp' },
      price: { connection_id: 'conn_fmp', connector: 'fmp' },
      volume: { connection_id: 'conn_alpha_vantage', connector: 'alpha_vantage' },
      exchange: { connection_id: 'conn_fmp', connector: 'fmp' },
      change: { connection_id: 'conn_alpha_vantage', connector: 'alpha_vantage' },
    });
    expect(result.conflicts).toEqual([]);
    expect(result).toMatchObject({ redistributable: true, tainted_fields: [] });
  });

  it('priority keeps the first provider that has the field, its null included; a provider without it is passed over', () => {
    const result = fuseQuotes(
      [
        answer('fmp', [quote({ price: 189.84, market_cap: null })]),
        answer('polygon', [quote({ price: 190.1, market_cap: 2.9e12, name: 'Apple Inc.' })]),
      ],
      { fields: { '*': { pick: 'priority' } } },
    );
    expect(result.data).toEqual({ symbol: 'AAPL', price: 189.84, market_cap: null, name: 'Apple Inc.' });
    expect(result.provenance.market_cap).toEqual({ connection_id: 'conn_fmp', connector: 'fmp' });
    expect(result.provenance.name).toEqual({ connection_id: 'conn_polygon', connector: 'polygon' });
  });

  it("tries the rule's order first, then the other providers in route order", () => {
    const answers = [
      answer('fmp', [quote({ price: 189.84, name: 'Apple Inc' })]),
      answer('alpha_vantage', [quote({ price: 189.8, name: null })]),
      answer('polygon', [quote({ price: 189.9, name: 'Apple Inc.' })]),
    ];
    const rules: FusionRules = {
      fields: {
        price: { pick: 'priority', order: ['conn_polygon'] },
        name: { pick: 'first_non_null', order: ['conn_alpha_vantage', 'conn_unknown', 'conn_polygon'] },
      },
    };
    const result = fuseQuotes(answers, rules);
    expect(result.data).toMatchObject({ price: 189.9, name: 'Apple Inc.' });
    expect(result.provenance.price).toEqual({ connection_id: 'conn_polygon', connector: 'polygon' });
    // The names differ (a missing full stop): reported, with the values in the rule's order.
    expect(result.conflicts).toEqual([
      {
        field: 'name',
        values: [
          { connection_id: 'conn_polygon', value: 'Apple Inc.' },
          { connection_id: 'conn_fmp', value: 'Apple Inc' },
        ],
      },
    ]);
  });

  it('most_recent goes by the recency field (ISO or epoch seconds), else by when the answer was fetched', () => {
    const byField = fuseQuotes(
      [
        answer('fmp', [quote({ price: 189.84, timestamp: 1_741_010_400 })]), // 2025-03-03T14:00:00Z in seconds
        answer('polygon', [quote({ price: 190.02, timestamp: '2025-03-03T14:30:00Z' })]),
        answer('alpha_vantage', [quote({ price: 188.5, timestamp: '2025-02-28' })]),
      ],
      { fields: { price: { pick: 'most_recent', recency_field: 'timestamp', tolerance: 0.05 } } },
    );
    expect(byField.data).toMatchObject({ price: 190.02 });
    expect(byField.provenance.price).toEqual({ connection_id: 'conn_polygon', connector: 'polygon' });

    const byFetch = fuseQuotes(
      [
        answer('fmp', [quote({ price: 189.84 })], { fetched_at: T0 }),
        answer('polygon', [quote({ price: 190.02 })], { fetched_at: T0 + 1500 }),
        answer('alpha_vantage', [quote({ price: null })], { fetched_at: T0 + 9000 }),
      ],
      { fields: { price: { pick: 'most_recent', recency_field: 'updated_at' } } },
    );
    // Alpha Vantage's is the newest answer but has no price: the newest value wins.
    expect(byFetch.data).toMatchObject({ price: 190.02 });
  });

  it('min, max, mean and median read numeric strings as numbers, ignore non-numbers and list every contributor', () => {
    const answers = [
      answer('fmp', [quote({ low: 187.5, high: 190.2, price: 189.84, volume: 51_000_000 })]),
      answer('alpha_vantage', [quote({ low: '187.4500', high: '190.3000', price: '189.8400', volume: 'n/a' })]),
      answer('polygon', [quote({ low: 187.52, high: null, price: 190.3, volume: 53_000_000 })]),
    ];
    const result = fuseQuotes(answers, {
      fields: {
        low: { pick: 'min' },
        high: { pick: 'max' },
        price: { pick: 'median', tolerance: 0.01 },
        volume: { pick: 'mean', tolerance: 0.1 },
      },
    });
    expect(result.data).toEqual({ symbol: 'AAPL', low: 187.45, high: 190.3, price: 189.84, volume: 52_000_000 });
    expect(result.provenance).toMatchObject({
      low: { connection_ids: ['conn_fmp', 'conn_alpha_vantage', 'conn_polygon'] },
      high: { connection_ids: ['conn_fmp', 'conn_alpha_vantage'] },
      volume: { connection_ids: ['conn_fmp', 'conn_polygon'] },
    });
    // Volume: "n/a" is not a number and 51M/53M are within 10%, but a number and a word disagree.
    expect(result.conflicts.map((c) => c.field)).toEqual(['volume']);
  });

  it('an aggregate over no numbers is null with no contributor', () => {
    const result = fuseQuotes(
      [answer('fmp', [quote({ pe: null })]), answer('polygon', [quote({ pe: 'not reported' })])],
      { fields: { pe: { pick: 'max' } } },
    );
    expect(result.data).toEqual({ symbol: 'AAPL', pe: null });
    expect(result.provenance.pe).toEqual({ connection_ids: [] });
  });

  it('consensus: the median when every value is within tolerance, else the priority value and a conflict', () => {
    const rules: FusionRules = { fields: { price: { pick: 'consensus', tolerance: 0.001 } } };
    const agreed = fuseQuotes(
      [
        answer('fmp', [quote({ price: 189.84 })]),
        answer('alpha_vantage', [quote({ price: '189.8400' })]),
        answer('polygon', [quote({ price: 189.9 })]),
        answer('bloomberg', [quote({ price: null })]),
      ],
      rules,
    );
    expect(agreed.data).toEqual({ symbol: 'AAPL', price: 189.84 });
    expect(agreed.provenance.price).toEqual({ connection_ids: ['conn_fmp', 'conn_alpha_vantage', 'conn_polygon'] });
    expect(agreed.conflicts).toEqual([]);

    const disputed = fuseQuotes(
      [
        answer('fmp', [quote({ price: null })]),
        answer('alpha_vantage', [quote({ price: '189.8400' })]),
        answer('polygon', [quote({ price: 191.5 })]),
      ],
      rules,
    );
    // The first non-null value, as a number like the other provider's.
    expect(disputed.data).toEqual({ symbol: 'AAPL', price: 189.84 });
    expect(disputed.provenance.price).toEqual({ connection_id: 'conn_alpha_vantage', connector: 'alpha_vantage' });
    expect(disputed.conflicts).toEqual([
      {
        field: 'price',
        values: [
          { connection_id: 'conn_alpha_vantage', value: '189.8400' },
          { connection_id: 'conn_polygon', value: 191.5 },
        ],
      },
    ]);

    const words = fuseQuotes(
      [answer('fmp', [quote({ currency: 'USD' })]), answer('polygon', [quote({ currency: 'USD' })])],
      { fields: { currency: { pick: 'consensus' } } },
    );
    expect(words.data).toEqual({ symbol: 'AAPL', currency: 'USD' });
    expect(words.conflicts).toEqual([]);
  });

  it("reports numbers more than 0.5% (or the rule's tolerance) off their median, other values unequal, never a null", () => {
    const answers = [
      answer('fmp', [quote({ price: 100, open: 100, close: 100, sector: 'Technology', beta: null })]),
      answer('polygon', [quote({ price: 100.4, open: 101.2, close: 101.2, sector: 'technology', beta: 1.2 })]),
    ];
    // price: 0.2 off the median 100.2 (0.2%); open: 0.6 off 100.6 (0.6%); close: the same, within its rule's 1%.
    const result = fuseQuotes(answers, { fields: { close: { pick: 'first_non_null', tolerance: 0.01 } } });
    expect(result.data).toEqual({ symbol: 'AAPL', price: 100, open: 100, close: 100, sector: 'Technology', beta: 1.2 });
    expect(result.conflicts).toEqual([
      {
        field: 'open',
        values: [
          { connection_id: 'conn_fmp', value: 100 },
          { connection_id: 'conn_polygon', value: 101.2 },
        ],
      },
      {
        field: 'sector',
        values: [
          { connection_id: 'conn_fmp', value: 'Technology' },
          { connection_id: 'conn_polygon', value: 'technology' },
        ],
      },
    ]);
  });

  it('union merges arrays once per element (deep equality) in provider order, and is never a conflict', () => {
    const result = fuseQuotes(
      [
        answer('fmp', [quote({ tags: ['tech', { index: 'S&P 500' }], peers: 'MSFT' })]),
        answer('polygon', [quote({ tags: [{ index: 'S&P 500' }, 'hardware', 'tech'], peers: ['MSFT', 'GOOG'] })]),
        answer('alpha_vantage', [quote({ tags: null, peers: ['GOOG', 'AMZN'] })]),
      ],
      { fields: { tags: { pick: 'union' }, peers: { pick: 'union' } } },
    );
    expect(result.data).toEqual({
      symbol: 'AAPL',
      tags: ['tech', { index: 'S&P 500' }, 'hardware'],
      peers: ['MSFT', 'GOOG', 'AMZN'],
    });
    expect(result.provenance.tags).toEqual({ connection_ids: ['conn_fmp', 'conn_polygon'] });
    expect(result.provenance.peers).toEqual({ connection_ids: ['conn_polygon', 'conn_alpha_vantage'] });
    expect(result.conflicts).toEqual([]);
  });

  it('keeps a numeric string a string when no provider sent the field as a number', () => {
    const result = fuse({
      key: ['symbol'],
      many: false,
      answers: [
        answer('fmp', [quote({ cik: '0000320193', price: '189.84' })]),
        answer('polygon', [quote({ price: 190 })]),
      ],
      rules: { fields: { price: { pick: 'priority', tolerance: 0.01 } } },
    });
    expect(result.data).toEqual({ symbol: 'AAPL', cik: '0000320193', price: 189.84 });
  });

  it('answers null when no provider had a record', () => {
    const result = fuseQuotes([answer('fmp', []), answer('polygon', [])]);
    expect(result).toEqual({ data: null, provenance: {}, conflicts: [], redistributable: true, tainted_fields: [] });
  });
});

describe('fuse: licence', () => {
  it('taints the fields a non-redistributable provider supplied, alone or in an aggregate, and only those', () => {
    const bloomberg = answer('bloomberg', [quote({ price: 189.86, bid: 189.85, volume: 51_900_000 })], {
      redistributable: false,
    });
    const result = fuseQuotes([answer('fmp', [quote({ price: 189.84, volume: null })]), bloomberg], {
      fields: { price: { pick: 'mean' } },
    });
    expect(result.data).toEqual({ symbol: 'AAPL', price: 189.85, volume: 51_900_000, bid: 189.85 });
    expect(result.tainted_fields.sort()).toEqual(['bid', 'price', 'volume']);
    expect(result.redistributable).toBe(false);
  });

  it('a non-redistributable provider whose values were not used taints nothing', () => {
    const result = fuseQuotes([
      answer('fmp', [quote({ price: 189.84 })]),
      answer('bloomberg', [quote({ price: 189.84 })], { redistributable: false }),
    ]);
    expect(result).toMatchObject({ redistributable: true, tainted_fields: [] });
  });
});

describe('fuse: many records matched on the key', () => {
  const bar = (date: string, close: unknown, extra: Record<string, unknown> = {}) => ({
    symbol: 'AAPL',
    date,
    close,
    ...extra,
  });

  it('merges bars by [symbol, date], keeps a bar only one provider has, and sorts them by the key', () => {
    // Alpha Vantage lists newest first with quoted numbers; Polygon oldest first; FMP misses a day.
    const answers = [
      answer('fmp', [bar('2025-01-03', 243.36, { volume: 40_244_100 }), bar('2025-01-02', 243.85)]),
      answer('alpha_vantage', [
        bar('2025-01-06', '245.0000', { volume: '45045571' }),
        bar('2025-01-03', '243.3600', { volume: '40244114' }),
        bar('2025-01-02', '243.8500', { volume: '55740731' }),
      ]),
      answer('polygon', [bar('2025-01-02', 243.85, { vwap: 244.1 }), bar('2025-01-03', 250.1)]),
    ];
    const result = fuse({
      key: ['symbol', 'date'],
      many: true,
      answers,
      rules: { fields: { close: { pick: 'priority' }, volume: { pick: 'max', tolerance: 0.01 } } },
    });
    expect(result.data).toEqual([
      { symbol: 'AAPL', date: '2025-01-02', close: 243.85, volume: 55_740_731, vwap: 244.1 },
      { symbol: 'AAPL', date: '2025-01-03', close: 243.36, volume: 40_244_114 },
      // Only Alpha Vantage has the 6th: its quoted numbers stay as it sent them, no other provider typed them here.
      { symbol: 'AAPL', date: '2025-01-06', close: '245.0000', volume: 45_045_571 },
    ]);
    expect(result.provenance).toEqual({
      symbol: { connection_ids: ['conn_fmp', 'conn_alpha_vantage'] },
      date: { connection_ids: ['conn_fmp', 'conn_alpha_vantage'] },
      close: { connection_ids: ['conn_fmp', 'conn_alpha_vantage'] },
      volume: { connection_ids: ['conn_fmp', 'conn_alpha_vantage'] },
      vwap: { connection_id: 'conn_polygon', connector: 'polygon' },
    });
    // Polygon's close of the 3rd is 2.8% off; the conflict names the bar.
    expect(result.conflicts).toEqual([
      {
        field: 'close',
        key: { symbol: 'AAPL', date: '2025-01-03' },
        values: [
          { connection_id: 'conn_fmp', value: 243.36 },
          { connection_id: 'conn_alpha_vantage', value: '243.3600' },
          { connection_id: 'conn_polygon', value: 250.1 },
        ],
      },
    ]);
  });

  it('matches numeric key values across types, ignores a duplicate key within one answer, keeps keyless records last', () => {
    const answers = [
      answer('fmp', [
        { symbol: 'AAPL', fiscal_year: 2024, revenue: 391_035_000_000 },
        { symbol: 'AAPL', fiscal_year: 2024, revenue: 1 },
        { symbol: 'AAPL', revenue: 5 },
      ]),
      answer('alpha_vantage', [
        { symbol: 'AAPL', fiscal_year: '2024', revenue: '391035000000', currency: 'USD' },
        { symbol: 'AAPL', fiscal_year: '2023', revenue: '383285000000', currency: 'USD' },
      ]),
    ];
    const result = fuse({ key: ['symbol', 'fiscal_year'], many: true, answers });
    expect(result.data).toEqual([
      { symbol: 'AAPL', fiscal_year: '2023', revenue: '383285000000', currency: 'USD' },
      { symbol: 'AAPL', fiscal_year: 2024, revenue: 391_035_000_000, currency: 'USD' },
      { symbol: 'AAPL', revenue: 5 },
    ]);
    expect(result.conflicts).toEqual([]);
  });

  it('names a single provider when every record took the field from it, and taints across records', () => {
    const result = fuse({
      key: ['symbol', 'date'],
      many: true,
      answers: [
        answer('polygon', [bar('2025-01-02', 243.85)]),
        answer('bloomberg', [bar('2025-01-02', 243.85, { bid: 243.8 }), bar('2025-01-03', 243.36)], {
          redistributable: false,
        }),
      ],
    });
    expect(result.provenance.close).toEqual({ connection_ids: ['conn_polygon', 'conn_bloomberg'] });
    expect(result.provenance.bid).toEqual({ connection_id: 'conn_bloomberg', connector: 'bloomberg' });
    expect(result.tainted_fields).toEqual(['symbol', 'date', 'close', 'bid']);
    expect(result.redistributable).toBe(false);
  });

  it('answers an empty list when no provider had a record', () => {
    expect(fuse({ key: ['symbol', 'date'], many: true, answers: [answer('fmp', [])] }).data).toEqual([]);
  });
});

describe('fusionRulesSchema', () => {
  it('accepts rules per field and for every other field', () => {
    const rules = {
      fields: {
        price: { pick: 'consensus', tolerance: 0.005, order: ['conn_fmp'] },
        updated: { pick: 'most_recent', recency_field: 'timestamp' },
        '*': { pick: 'first_non_null' },
      },
    };
    expect(fusionRulesSchema.parse(rules)).toEqual(rules);
  });

  it.each([
    [{ fields: { price: { pick: 'average' } } }, 'fields.price.pick'],
    [{ fields: { price: { pick: 'mean', tolerance: -0.1 } } }, 'fields.price.tolerance'],
    [{ fields: { price: { pick: 'mean', recency_field: 'timestamp' } } }, 'fields.price.recency_field'],
    [{ fields: { price: { pick: 'mean', weight: 2 } } }, 'fields.price'],
    [{ fields: { '': { pick: 'mean' } } }, 'fields.'],
    [{}, 'fields'],
  ])('refuses %j at %s', (rules, path) => {
    const parsed = fusionRulesSchema.safeParse(rules);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
