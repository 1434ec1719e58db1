import { randomBytes } from 'node:crypto';
import { bars, companies, LAST_CLOSE_MS, quote, statements, type Vendor } from './financial-data.js';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

export type { Vendor } from './financial-data.js';

/**
 * Fakes of Financial Modeling Prep, Alpha Vantage and Polygon.io (Massive) answering the endpoints their manifests'
 * capability sections use, in their documented shapes (see the comments in connectors/<vendor>.yaml), with each
 * vendor's own limit behaviour: a per-minute limit and a daily quota (off unless set), answered with the vendor's
 * signal — FMP 429 {"Error Message": "Limit Reach ..."} without headers, Alpha Vantage HTTP 200 {"Note"} per minute
 * and {"Information": "... 25 requests per day ..."} per day, Polygon 429 {"status": "ERROR", "error": ...}. An
 * unknown symbol answers as each vendor does (an empty array or object, a 404, an "Invalid API call").
 */

/** FMP's base URL path (/stable); the others serve from the root. */
export const basePath: Record<Vendor, string> = { financial_modeling_prep: '/stable', alpha_vantage: '', polygon: '' };

export const signals = {
  fmpLimit:
    'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/',
  avMinute:
    'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.',
  avDay:
    'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
  avPremium:
    'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
  polygonMinute:
    "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://massive.com/pricing",
};

export type FinancialFakeOptions = {
  /** Calls allowed per minute (fixed windows from the first call); unlimited when absent. */
  perMinute?: number;
  /** Calls allowed per UTC day; unlimited when absent. */
  perDay?: number;
  /** The key the vendor accepts (FMP, Polygon; Alpha Vantage accepts any, as documented). */
  apiKey?: string;
  now?: () => number;
};

const requestId = () => randomBytes(16).toString('hex');

/** The vendor's answer to a request, given whether a limit applies now ('minute' | 'day'). */
export function vendorAnswer(vendor: Vendor, req: FakeRequest, limit?: 'minute' | 'day'): FakeReply {
  if (vendor === 'financial_modeling_prep') return fmp(req, limit);
  if (vendor === 'alpha_vantage') return alphaVantage(req, limit);
  return polygon(req, limit);
}

function fmp(req: FakeRequest, limit: 'minute' | 'day' | undefined): FakeReply {
  if (limit) return { status: 429, json: { 'Error Message': signals.fmpLimit } };
  const symbol = req.query.get('symbol') ?? '';
  const c = companies[symbol];
  const path = req.path.replace(/^\/stable/, '');
  if (!c) return { json: [] };
  if (path === '/quote') {
    const q = quote('financial_modeling_prep', symbol);
    const json = [
      {
        symbol,
        name: c.name,
        price: q.close,
        changePercentage: Math.round((q.change / q.previous_close) * 1e6) / 1e4,
        change: q.change,
        volume: q.volume,
        dayLow: q.low,
        dayHigh: q.high,
        yearHigh: Math.round(q.close * 1.2 * 100) / 100,
        yearLow: Math.round(q.close * 0.75 * 100) / 100,
        marketCap: Math.round(q.close * c.shares),
        priceAvg50: q.vwap,
        priceAvg200: q.vwap,
        exchange: c.exchange,
        open: q.open,
        previousClose: q.previous_close,
        timestamp: LAST_CLOSE_MS / 1000,
      },
    ];
    return { json };
  }
  if (path === '/historical-price-eod/full') {
    const from = req.query.get('from') ?? '0000';
    const to = req.query.get('to') ?? '9999';
    const json = bars('financial_modeling_prep', symbol)
      .filter((b) => b.date >= from && b.date <= to)
      .reverse()
      .map((b) => ({ symbol, ...b, change: Math.round((b.close - b.open) * 100) / 100 }));
    return { json };
  }
  if (path === '/profile') {
    const q = quote('financial_modeling_prep', symbol);
    const json = [
      {
        symbol,
        price: q.close,
        marketCap: Math.round(q.close * c.shares),
        companyName: c.name,
        currency: 'USD',
        cik: c.cik,
        exchangeFullName: c.exchange === 'NYSE' ? 'New York Stock Exchange' : 'NASDAQ Global Select',
        exchange: c.exchange,
        industry: c.industry,
        website: c.website,
        description: c.description,
        ceo: null,
        sector: c.sector,
        country: 'US',
        fullTimeEmployees: String(c.employees),
        isEtf: false,
        isActivelyTrading: true,
      },
    ];
    return { json };
  }
  if (path === '/income-statement') {
    const period = req.query.get('period') === 'quarter' ? 'quarter' : 'annual';
    const json = statements(symbol, period)
      .slice(0, Number(req.query.get('limit') ?? 5))
      .map((s) => ({
        date: s.period_ending,
        symbol,
        reportedCurrency: 'USD',
        cik: c.cik,
        filingDate: s.period_ending,
        fiscalYear: String(s.fiscal_year),
        period: s.fiscal_period,
        revenue: s.revenue,
        costOfRevenue: s.cost_of_revenue,
        grossProfit: s.gross_profit,
        operatingIncome: s.operating_income,
        netIncome: s.net_income,
        eps: s.eps,
        epsDiluted: s.eps_diluted,
      }));
    return { json };
  }
  return { status: 404, json: { 'Error Message': 'Not found' } };
}

const avText = (n: number, digits = 4) => n.toFixed(digits);

function alphaVantage(req: FakeRequest, limit: 'minute' | 'day' | undefined): FakeReply {
  if (limit === 'minute') return { json: { Note: signals.avMinute } };
  if (limit === 'day') return { json: { Information: signals.avDay } };
  const fn = req.query.get('function');
  const symbol = req.query.get('symbol') ?? '';
  const c = companies[symbol];
  const invalid = {
    json: {
      'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`,
    },
  };
  if (fn === 'GLOBAL_QUOTE') {
    if (!c) return { json: { 'Global Quote': {} } };
    const q = quote('alpha_vantage', symbol);
    return {
      json: {
        'Global Quote': {
          '01. symbol': symbol,
          '02. open': avText(q.open),
          '03. high': avText(q.high),
          '04. low': avText(q.low),
          '05. price': avText(q.close),
          '06. volume': String(q.volume),
          '07. latest trading day': q.date,
          '08. previous close': avText(q.previous_close),
          '09. change': avText(q.change),
          '10. change percent': `${avText((q.change / q.previous_close) * 100)}%`,
        },
      },
    };
  }
  if (fn === 'TIME_SERIES_DAILY') {
    if (!c) return invalid;
    const series = Object.fromEntries(
      bars('alpha_vantage', symbol)
        .reverse()
        .map((b) => [
          b.date,
          {
            '1. open': avText(b.open),
            '2. high': avText(b.high),
            '3. low': avText(b.low),
            '4. close': avText(b.close),
            '5. volume': String(b.volume),
          },
        ]),
    );
    const meta = {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': symbol,
      '3. Last Refreshed': Object.keys(series)[0],
      '4. Output Size': 'Compact',
      '5. Time Zone': 'US/Eastern',
    };
    return { json: { 'Meta Data': meta, 'Time Series (Daily)': series } };
  }
  if (fn === 'OVERVIEW') {
    if (!c) return { json: {} };
    const q = quote('alpha_vantage', symbol);
    return {
      json: {
        Symbol: symbol,
        AssetType: 'Common Stock',
        Name: c.name,
        Description: c.description,
        CIK: c.cik.replace(/^0+/, ''),
        Exchange: c.exchange,
        Currency: 'USD',
        Country: 'USA',
        Sector: c.sector.toUpperCase(),
        Industry: c.industry.toUpperCase(),
        Address: 'None',
        OfficialSite: c.website,
        FiscalYearEnd: 'September',
        MarketCapitalization: String(Math.round(q.close * c.shares)),
        PERatio: 'None',
      },
    };
  }
  if (fn === 'INCOME_STATEMENT') {
    if (!c) return { json: {} };
    const report = (s: ReturnType<typeof statements>[number]) => ({
      fiscalDateEnding: s.period_ending,
      reportedCurrency: 'USD',
      grossProfit: String(s.gross_profit),
      totalRevenue: String(s.revenue),
      costOfRevenue: String(s.cost_of_revenue),
      operatingIncome: String(s.operating_income),
      netIncome: String(s.net_income),
      interestIncome: 'None',
    });
    return {
      json: {
        symbol,
        annualReports: statements(symbol, 'annual').map(report),
        quarterlyReports: statements(symbol, 'quarter').map(report),
      },
    };
  }
  if (fn === 'TIME_SERIES_DAILY_ADJUSTED') return { json: { Information: signals.avPremium } };
  return invalid;
}

function polygon(req: FakeRequest, limit: 'minute' | 'day' | undefined): FakeReply {
  const id = requestId();
  if (limit) return { status: 429, json: { status: 'ERROR', request_id: id, error: signals.polygonMinute } };
  const notFound = { status: 404, json: { status: 'NOT_FOUND', request_id: id, message: 'Ticker not found.' } };
  let m = /^\/v2\/aggs\/ticker\/([^/]+)\/prev$/.exec(req.path);
  if (m) {
    const symbol = m[1] as string;
    if (!companies[symbol])
      return { json: { ticker: symbol, queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: id } };
    const q = quote('polygon', symbol);
    const t = Date.parse(`${q.date}T05:00:00Z`);
    const results = [{ T: symbol, v: q.volume, vw: q.vwap, o: q.open, c: q.close, h: q.high, l: q.low, t, n: 512345 }];
    return {
      json: { ticker: symbol, queryCount: 1, resultsCount: 1, adjusted: true, results, status: 'OK', request_id: id },
    };
  }
  m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/([^/]+)\/([^/]+)$/.exec(req.path);
  if (m) {
    const [, symbol, from, to] = m as unknown as [string, string, string, string];
    if (!companies[symbol])
      return { json: { ticker: symbol, queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: id } };
    const results = bars('polygon', symbol)
      .filter((b) => b.date >= from && b.date <= to)
      .map((b) => ({
        v: b.volume,
        vw: b.vwap,
        o: b.open,
        c: b.close,
        h: b.high,
        l: b.low,
        t: Date.parse(`${b.date}T05:00:00Z`),
        n: 400000,
      }));
    return {
      json: {
        ticker: symbol,
        queryCount: results.length,
        resultsCount: results.length,
        adjusted: true,
        results,
        status: 'OK',
        request_id: id,
      },
    };
  }
  m = /^\/v3\/reference\/tickers\/([^/]+)$/.exec(req.path);
  if (m) {
    const c = companies[m[1] as string];
    if (!c) return notFound;
    const q = quote('polygon', c.symbol);
    const results = {
      ticker: c.symbol,
      name: c.name,
      market: 'stocks',
      locale: 'us',
      primary_exchange: c.mic,
      type: 'CS',
      active: true,
      currency_name: 'usd',
      cik: c.cik,
      market_cap: Math.round(q.close * c.shares * 100) / 100,
      description: c.description,
      homepage_url: c.website,
      total_employees: c.employees,
      sic_description: c.industry.toUpperCase(),
      list_date: '1980-12-12',
    };
    return { json: { request_id: id, results, status: 'OK' } };
  }
  if (req.path === '/vX/reference/financials') {
    const c = companies[req.query.get('ticker') ?? ''];
    const period = req.query.get('timeframe') === 'quarterly' ? 'quarter' : 'annual';
    const limit = Number(req.query.get('limit') ?? 10);
    const results = c
      ? statements(c.symbol, period)
          .slice(0, limit)
          .map((s) => ({
            start_date: s.period_ending,
            end_date: s.period_ending,
            filing_date: s.period_ending,
            fiscal_period: s.fiscal_period,
            fiscal_year: String(s.fiscal_year),
            cik: c.cik,
            company_name: c.name,
            tickers: [c.symbol],
            timeframe: period === 'annual' ? 'annual' : 'quarterly',
            financials: {
              income_statement: {
                revenues: { label: 'Revenues', value: s.revenue, unit: 'USD', order: 100 },
                cost_of_revenue: { label: 'Cost Of Revenue', value: s.cost_of_revenue, unit: 'USD', order: 300 },
                gross_profit: { label: 'Gross Profit', value: s.gross_profit, unit: 'USD', order: 800 },
                operating_income_loss: {
                  label: 'Operating Income/Loss',
                  value: s.operating_income,
                  unit: 'USD',
                  order: 1100,
                },
                net_income_loss: { label: 'Net Income/Loss', value: s.net_income, unit: 'USD', order: 3200 },
                basic_earnings_per_share: {
                  label: 'Basic Earnings Per Share',
                  value: s.eps,
                  unit: 'USD / shares',
                  order: 4200,
                },
                diluted_earnings_per_share: {
                  label: 'Diluted Earnings Per Share',
                  value: s.eps_diluted,
                  unit: 'USD / shares',
                  order: 4300,
                },
              },
            },
          }))
      : [];
    return { json: { results, status: 'OK', request_id: id, count: results.length } };
  }
  return notFound;
}

function authorized(vendor: Vendor, req: FakeRequest, key: string | undefined): FakeReply | undefined {
  if (key === undefined || vendor === 'alpha_vantage') return undefined;
  if (vendor === 'financial_modeling_prep') {
    return req.query.get('apikey') === key
      ? undefined
      : {
          status: 401,
          json: {
            'Error Message':
              'Invalid API KEY. Feel free to create a Free API Key or visit https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid for more information.',
          },
        };
  }
  const sent = req.headers.authorization === `Bearer ${key}` || req.query.get('apiKey') === key;
  return sent
    ? undefined
    : { status: 401, json: { status: 'ERROR', request_id: requestId(), error: 'Unknown API Key' } };
}

/** Start a vendor fake on loopback; its controls misbehave on purpose for failover tests. */
export async function startFinancialFake(vendor: Vendor, options: FinancialFakeOptions = {}) {
  const now = options.now ?? Date.now;
  const state = {
    mode: 'up' as 'up' | 'down' | 'stalled',
    failures: [] as number[],
    truncations: [] as ('json' | 'connection')[],
    exhausted: false,
    minuteStart: 0,
    minuteCount: 0,
    day: '',
    dayCount: 0,
  };
  const handler = (req: FakeRequest): FakeReply | Promise<FakeReply> => {
    if (state.mode === 'stalled') return new Promise<FakeReply>(() => {});
    if (state.mode === 'down') return { status: 503, body: 'Service Unavailable' };
    const failure = state.failures.shift();
    if (failure !== undefined) return { status: failure, body: `fake failure ${failure}` };
    const refused = authorized(vendor, req, options.apiKey);
    if (refused) return refused;
    const reply = vendorAnswer(vendor, req, limitNow());
    const cut = state.truncations.shift();
    if (cut) {
      const whole = JSON.stringify(reply.json);
      const half = Math.floor(whole.length / 2);
      return cut === 'json'
        ? { status: reply.status ?? 200, headers: { 'content-type': 'application/json' }, body: whole.slice(0, half) }
        : { ...reply, json: undefined, body: whole, headers: { 'content-type': 'application/json' }, cutAt: half };
    }
    return reply;
  };
  /** Count the call against the windows, and say which limit (if any) refuses it. */
  function limitNow(): 'minute' | 'day' | undefined {
    const t = now();
    const day = new Date(t).toISOString().slice(0, 10);
    if (day !== state.day) Object.assign(state, { day, dayCount: 0, exhausted: false });
    if (t - state.minuteStart >= 60_000) Object.assign(state, { minuteStart: t, minuteCount: 0 });
    state.dayCount++;
    state.minuteCount++;
    if (state.exhausted || (options.perDay !== undefined && state.dayCount > options.perDay)) return 'day';
    if (options.perMinute !== undefined && state.minuteCount > options.perMinute) return 'minute';
    return undefined;
  }
  const server = await startFakeServer(handler);
  return {
    vendor,
    url: server.url,
    /** The base URL a connection to this fake uses. */
    baseUrl: `${server.url}${basePath[vendor]}`,
    requests: server.requests,
    /** Requests received, optionally only those whose path starts with `prefix`. */
    count: (prefix = '') => server.requests.filter((r) => r.path.startsWith(prefix)).length,
    /** The next `n` requests answer `status` (default 500) with a plain-text body. */
    failNext(n: number, status = 500) {
      state.failures.push(...Array.from({ length: n }, () => status));
    },
    /** Every request answers 503 until up(). */
    down() {
      state.mode = 'down';
    },
    up() {
      state.mode = 'up';
    },
    /** Every request is held, never answered, until up() (held sockets close when the fake stops). */
    stall() {
      state.mode = 'stalled';
    },
    /**
     * The next `n` answers are cut in half: `json` sends the half as a complete answer (it parses as nothing);
     * `connection` announces the whole Content-Length, sends half and closes the connection.
     */
    truncate(n = 1, how: 'json' | 'connection' = 'json') {
      state.truncations.push(...Array.from({ length: n }, () => how));
    },
    /** Back to a healthy vendor: up, no pending failures, cuts or injected faults, the quota not exhausted. */
    reset() {
      Object.assign(state, { mode: 'up', failures: [], truncations: [], exhausted: false });
      server.clearFaults();
    },
    /** The daily quota is used up until the next UTC day: every call gets the vendor's daily signal. */
    quotaExhausted() {
      // Today's: a first call of the day must not start a fresh day over it.
      state.day = new Date(now()).toISOString().slice(0, 10);
      state.exhausted = true;
    },
    /** A one-off misbehaviour (see test/fakes/server.ts). */
    inject: server.inject,
    close: server.close,
  };
}

export type FinancialFake = Awaited<ReturnType<typeof startFinancialFake>>;
