import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Financial Modeling Prep's shipped manifest against a fake that answers as FMP documents (its FAQ) and as FMP's
// answers are quoted in public issues and fixtures (docs/connector-audit/financial_modeling_prep.md). Errors are
// {"Error Message": "..."}.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('financial_modeling_prep');
});
afterAll(() => c.close());

const KEY = 'fmpConformanceKey0123456789';
const fmpError = (status: number, message: string) => ({ status, json: { 'Error Message': message } });

// /stable/profile?symbol=AAPL: an array with one profile (https://github.com/tradermonty/claude-trading-skills/pull/139,
// https://fmp-node-wrapper-docs.vercel.app/docs/api/financial).
const profile = {
  json: [
    {
      symbol: 'AAPL',
      price: 232.8,
      marketCap: 3500823120000,
      companyName: 'Apple Inc.',
      currency: 'USD',
      exchange: 'NASDAQ',
      industry: 'Consumer Electronics',
      isEtf: false,
      isActivelyTrading: true,
    },
  ],
};

// https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid: the invalid-key answer.
const INVALID_KEY =
  'Invalid API KEY. Feel free to create a Free API Key or visit https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid for more information.';

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ credentials: { api_key: KEY }, reply: profile });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('financial_modeling_prep conformance', () => {
  it('test call: GET /stable/profile?symbol=AAPL with the key as apikey; connected', async () => {
    const { res, sent } = await c.testCall({ credentials: { api_key: KEY }, reply: profile });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url.split('?')[0]).toBe('/stable/profile');
    const query = new URL(sent.url, c.vendor.url).searchParams;
    expect(query.get('symbol')).toBe('AAPL');
    expect(query.get('apikey')).toBe(KEY);
    // FMP has no account endpoint: no account id to read.
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it.each([
    // Invalid key, 401 on /stable; older answers carried the same body with HTTP 200, so the body decides.
    [fmpError(401, INVALID_KEY), 'credential_revoked'],
    [fmpError(200, INVALID_KEY), 'credential_revoked'],
    // A legacy path on a key issued after 2025-08-31 (https://github.com/AI4Finance-Foundation/FinRobot/issues/73):
    // not a credential problem, the vendor's error with its message kept.
    [
      fmpError(
        403,
        'Legacy Endpoint : Due to Legacy endpoints being no longer supported - This endpoint is only available for legacy users who have valid subscriptions prior August 31, 2025.',
      ),
      'vendor_error',
    ],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: a plan-restricted 402 is connected, limited (the key is valid)', async () => {
    // "Premium Query Parameter: … not available under your current subscription" (FMP answer quoted in public
    // fixtures; pricing at https://site.financialmodelingprep.com/developer/docs/pricing).
    const reply = fmpError(
      402,
      "Premium Query Parameter: Special Endpoint: This value set for 'symbol' is not available under your current subscription please visit our subscription page to upgrade your plan at https://site.financialmodelingprep.com/developer/docs/pricing",
    );
    const { res } = await c.testCall({ credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      last_test_outcome: { outcome: 'connected_limited', status: 402 },
    });
  });

  it('rate limit: a 429 "Limit Reach" without Retry-After spends the connection’s budget: passed on once, the next call refused here', async () => {
    const id = await connected();
    // 429 {"Error Message": "Limit Reach . …"}, no Retry-After, no rate headers (public test notes; rate limits per
    // plan at https://docs.rs/crate/rusty-fmp/0.5.2/source/docs/api-inventory.md).
    const limited = fmpError(
      429,
      'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/',
    );
    const { res, attempts } = await c.rateLimited(id, '/quote', { limited, ok: { json: [] } });
    // The manifest's signal says the minute's window is spent: a retry within it would be refused again.
    expect(res.statusCode, res.body).toBe(429);
    expect(attempts).toBe(1);
    const next = await c.proxyGet(id, '/quote');
    expect(next.statusCode, next.body).toBe(429);
    expect(next.data.code).toBe('rate_budget_exhausted');
    expect(attempts).toBe(1);
  });

  it('rate limit: the same "Limit Reach" body with HTTP 200 is not recognised (no body rule exists); passed on as is', async () => {
    const id = await connected();
    const limited = fmpError(
      200,
      'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/',
    );
    const { res, attempts } = await c.rateLimited(id, '/quote', { limited, ok: { json: [] } });
    expect(attempts).toBe(1);
    expect(res.data['Error Message']).toMatch(/^Limit Reach/);
  });

  it('streams: one answer of every stream (full arrays, no pagination), keyed per symbol', async () => {
    const id = await connected();
    // Rows as the /stable endpoints return them (https://fmp-node-wrapper-docs.vercel.app/docs/api/financial,
    // https://github.com/HKUDS/Vibe-Trading/issues/1270 for historical-price-eod/full).
    const statement = (date: string, period: string) => ({
      date,
      symbol: 'AAPL',
      reportedCurrency: 'USD',
      fiscalYear: '2026',
      period,
    });
    const cases: Record<string, { query: Record<string, string>; rows: Record<string, unknown>[] }> = {
      company_profiles: { query: { symbol: 'AAPL' }, rows: profile.json },
      quotes: {
        query: { symbol: 'AAPL' },
        rows: [{ symbol: 'AAPL', name: 'Apple Inc.', price: 232.8, exchange: 'NASDAQ', timestamp: 1764882000 }],
      },
      historical_prices: {
        query: { symbol: 'AAPL', from: '2026-12-01', to: '2026-12-04' },
        rows: [
          { symbol: 'AAPL', date: '2026-12-04', open: 231.1, high: 233.0, low: 230.5, close: 232.8, volume: 41250000 },
          { symbol: 'AAPL', date: '2026-12-03', open: 229.9, high: 231.4, low: 229.0, close: 231.1, volume: 38870000 },
        ],
      },
      // A fiscal year's FY and Q4 statements share a date: the period is part of the key.
      income_statements: {
        query: { symbol: 'AAPL', period: 'quarter', limit: '2' },
        rows: [statement('2026-09-27', 'Q4'), statement('2026-09-27', 'FY')],
      },
      balance_sheets: { query: { symbol: 'AAPL', period: 'quarter' }, rows: [statement('2026-09-27', 'Q4')] },
      cash_flow_statements: { query: { symbol: 'AAPL', period: 'quarter' }, rows: [statement('2026-09-27', 'Q4')] },
    };
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(cases).sort());
    for (const stream of c.manifest.streams) {
      const k = cases[stream.name] as (typeof cases)[string];
      const page = await c.streamPage(id, stream.name, { json: k.rows }, { query: k.query });
      expect(page.sent.url.split('?')[0]).toBe(`/stable${stream.path}`);
      expect(page.query.get('symbol')).toBe('AAPL');
      expect(page.query.get('apikey')).toBe(KEY);
      expect(page.records).toHaveLength(k.rows.length);
      const keys = page.records.map((r) => stream.primary_key.map((f) => r[f]).join('|'));
      expect(new Set(keys).size, `${stream.name} keys collide`).toBe(keys.length);
      expect(page.nextCursor).toBeUndefined();
    }
  });

  it('uses only /stable (the legacy API ended 2025-08-31), and declares no pagination, webhooks or revocation', () => {
    expect(c.shipped.base_url).toMatch(/\/stable$/);
    expect(c.manifest.sunsets).toEqual([]);
    expect(c.manifest.pagination ?? c.manifest.webhooks).toBeUndefined();
  });
});
