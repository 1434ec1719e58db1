import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Alpha Vantage's shipped manifest against a fake that answers as Alpha Vantage documents and as its staff describe
// it (docs/connector-audit/alpha_vantage.md). Every answer is HTTP 200 with a JSON body, for any apikey value.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('alpha_vantage');
});
afterAll(() => c.close());

const KEY = 'AV0CONFORMANCE42';

// https://www.alphavantage.co/documentation/#latestprice: GLOBAL_QUOTE answers {"Global Quote": {…}} with numbered keys.
const globalQuote = {
  json: {
    'Global Quote': {
      '01. symbol': 'IBM',
      '02. open': '232.1000',
      '03. high': '234.0000',
      '04. low': '231.5000',
      '05. price': '233.4500',
      '06. volume': '3912345',
      '07. latest trading day': '2026-12-04',
      '08. previous close': '232.0000',
      '09. change': '1.4500',
      '10. change percent': '0.6250%',
    },
  },
};

// https://www.alphavantage.co/documentation/#daily: "Meta Data" plus "Time Series (Daily)", an object keyed by date.
const daily = {
  json: {
    'Meta Data': {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': 'IBM',
      '3. Last Refreshed': '2026-12-04',
      '4. Output Size': 'Compact',
      '5. Time Zone': 'US/Eastern',
    },
    'Time Series (Daily)': {
      '2026-12-04': {
        '1. open': '232.1000',
        '2. high': '234.0000',
        '3. low': '231.5000',
        '4. close': '233.4500',
        '5. volume': '3912345',
      },
      '2026-12-03': {
        '1. open': '230.0000',
        '2. high': '232.5000',
        '3. low': '229.8000',
        '4. close': '232.0000',
        '5. volume': '3550000',
      },
    },
  },
};

// https://www.alphavantage.co/documentation/#intraday: "Time Series (5min)" keyed by timestamp; interval in Meta Data.
const intraday = {
  json: {
    'Meta Data': {
      '1. Information': 'Intraday (5min) open, high, low, close prices and volume',
      '2. Symbol': 'IBM',
      '3. Last Refreshed': '2026-12-04 19:55:00',
      '4. Interval': '5min',
      '5. Output Size': 'Compact',
      '6. Time Zone': 'US/Eastern',
    },
    'Time Series (5min)': {
      '2026-12-04 19:55:00': {
        '1. open': '233.4000',
        '2. high': '233.5000',
        '3. low': '233.3000',
        '4. close': '233.4500',
        '5. volume': '1200',
      },
    },
  },
};

// https://www.alphavantage.co/documentation/#fx-daily: "Time Series FX (Daily)" keyed by date; the pair in Meta Data.
const fxDaily = {
  json: {
    'Meta Data': {
      '1. Information': 'Forex Daily Prices (open, high, low, close)',
      '2. From Symbol': 'EUR',
      '3. To Symbol': 'USD',
      '4. Output Size': 'Compact',
      '5. Last Refreshed': '2026-12-04 22:00:00',
      '6. Time Zone': 'UTC',
    },
    'Time Series FX (Daily)': {
      '2026-12-04': { '1. open': '1.0550', '2. high': '1.0590', '3. low': '1.0530', '4. close': '1.0570' },
    },
  },
};

// https://www.alphavantage.co/documentation/#company-overview: one flat object.
const overview = {
  json: {
    Symbol: 'IBM',
    AssetType: 'Common Stock',
    Name: 'International Business Machines',
    Exchange: 'NYSE',
    Currency: 'USD',
  },
};

/**
 * The manifest cannot point a results_path at the entries of an object (its stream descriptions say so); this is the
 * reading they describe: one record per entry, the entry key as `keyField`, plus the series' identity from Meta Data.
 */
const entriesOf =
  (seriesKey: string, keyField: string, identity: (meta: Record<string, string>) => Record<string, string>) =>
  (body: unknown) => {
    const b = body as Record<string, Record<string, Record<string, string>>>;
    const meta = b['Meta Data'] as unknown as Record<string, string>;
    return Object.entries(b[seriesKey] ?? {}).map(([k, v]) => ({ ...identity(meta), [keyField]: k, ...v }));
  };

async function connected(): Promise<string> {
  const res = await c.connect({ credentials: { api_key: KEY } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('alpha_vantage conformance', () => {
  it('test call: none is sent; the connection is active and unverified, saying plainly why', async () => {
    const before = c.vendor.requests.length;
    const res = await c.connect({ credentials: { api_key: KEY } });
    expect(res.statusCode, res.body).toBe(201);
    // https://github.com/RomelTorres/alpha_vantage/issues/194 (Alpha Vantage staff: unknown keys are served, "a bit
    // of a feature") and /issues/234 ("IP addresses and API key are used in combination to determine the rate
    // limits"): no answer tells a valid key from an unknown one, so nothing is asked.
    expect(c.vendor.requests.length).toBe(before);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: null,
      last_test_outcome: { outcome: 'unverified' },
    });
    const message = (res.data.last_test_outcome as { message: string }).message;
    expect(message).toMatch(/accepts unknown API keys/);
    expect(message).toMatch(/no call can tell a valid key from an invalid one/);
  });

  it('an "Error Message" answer is a bad request passed through, never a credential outcome', async () => {
    const id = await connected();
    // https://github.com/RomelTorres/alpha_vantage/issues/289: HTTP 200 {"Error Message": "Invalid API call. …"} for
    // a wrong function or symbol (even intermittently on the demo key). The connection is left as it was.
    c.vendor.on('GET /query', {
      json: {
        'Error Message':
          'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.',
      },
    });
    const res = await c.proxyGet(id, '/query', { function: 'TIME_SERIES_DAILY', symbol: 'NOPE' });
    expect(res.statusCode).toBe(200);
    expect(res.data['Error Message']).toMatch(/^Invalid API call/);
    const after = await c.t.request({ url: `/v1/connections/${id}` });
    expect(after.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'unverified' } });
  });

  it('rate limit: the documented signal is a 200 "Information" body; the proxy passes it on once, unretried', async () => {
    const id = await connected();
    // The quota answer (wording quoted in public code, docs/connector-audit/alpha_vantage.md): HTTP 200, no headers.
    // The manifest's signal matches the 200 body (a daily quota); the streamed HTTP proxy never reads bodies, so the
    // caller sees the vendor's answer, unretried. Routes read the signal (test/routing/failover.test.ts, S06 and S08).
    const limited = {
      json: {
        Information:
          'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
      },
    };
    const { res, attempts } = await c.rateLimited(id, '/query', { limited, ok: globalQuote });
    expect(attempts).toBe(1);
    expect(res.statusCode).toBe(200);
    expect(res.data.Information).toMatch(/25 requests per day/);
    expect(c.manifest.rate_limit?.signals.map((s) => s.meaning)).toEqual(
      expect.arrayContaining(['quota_exhausted', 'retry_after_reset', 'plan_refused']),
    );
  });

  it('streams: one answer of every stream, asked with its function and the key as apikey', async () => {
    const id = await connected();
    const cases = {
      time_series_daily: {
        reply: daily,
        query: { symbol: 'IBM', outputsize: 'compact' },
        records: entriesOf('Time Series (Daily)', 'date', (m) => ({ symbol: m['2. Symbol'] as string })),
        keys: [
          ['IBM', '2026-12-04'],
          ['IBM', '2026-12-03'],
        ],
      },
      time_series_intraday: {
        reply: intraday,
        query: { symbol: 'IBM', interval: '5min' },
        records: entriesOf('Time Series (5min)', 'timestamp', (m) => ({
          symbol: m['2. Symbol'] as string,
          interval: m['4. Interval'] as string,
        })),
        keys: [['IBM', '5min', '2026-12-04 19:55:00']],
      },
      global_quote: {
        reply: globalQuote,
        query: { symbol: 'IBM' },
        records: (b: unknown) => [(b as Record<string, Record<string, unknown>>)['Global Quote'] ?? {}],
        keys: [['IBM']],
      },
      fx_daily: {
        reply: fxDaily,
        query: { from_symbol: 'EUR', to_symbol: 'USD' },
        records: entriesOf('Time Series FX (Daily)', 'date', (m) => ({
          from_symbol: m['2. From Symbol'] as string,
          to_symbol: m['3. To Symbol'] as string,
        })),
        keys: [['EUR', 'USD', '2026-12-04']],
      },
      company_overview: {
        reply: overview,
        query: { symbol: 'IBM' },
        records: (b: unknown) => [b as Record<string, unknown>],
        keys: [['IBM']],
      },
    } as const;
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(cases).sort());
    for (const stream of c.manifest.streams) {
      const k = cases[stream.name as keyof typeof cases];
      const page = await c.streamPage(id, stream.name, k.reply, { query: { ...k.query }, records: k.records });
      expect(page.query.get('function')).toBe(stream.params.function);
      expect(page.query.get('apikey')).toBe(KEY);
      expect(page.records.map((r) => stream.primary_key.map((f) => r[f]))).toEqual(k.keys);
      // No pagination: outputsize=compact is the latest 100 points, one answer.
      expect(page.pagination).toBeUndefined();
      expect(page.nextCursor).toBeUndefined();
    }
  });

  it('declares no webhooks, pagination or OAuth revocation', () => {
    expect(c.manifest.webhooks ?? c.manifest.pagination).toBeUndefined();
    expect(c.manifest.auth.map((a) => a.type)).toEqual(['api_key']);
  });
});
