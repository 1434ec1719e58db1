import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Polygon.io (Massive)'s shipped manifest against a fake that answers as Massive documents and as its official client
// reads it (docs/connector-audit/polygon.md). Answers are {status, request_id, results, next_url}; errors
// {"status": "ERROR"|"NOT_AUTHORIZED", "request_id", "error"|"message"}.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('polygon');
});
afterAll(() => c.close());

const KEY = 'pgConformanceKey_0123456789';
const requestId = 'e70013d92930de90e089dc8fa098888e';

// Reference tickers in the list envelope the official client reads (https://github.com/massive-com/client-js): one
// ticker and the next page's URL (limit=1).
const tickers = (next: string | undefined) => ({
  json: {
    results: [
      {
        ticker: 'A',
        name: 'Agilent Technologies Inc.',
        market: 'stocks',
        locale: 'us',
        primary_exchange: 'XNYS',
        type: 'CS',
        active: true,
        currency_name: 'usd',
        cik: '0001090872',
        composite_figi: 'BBG000C2V3D6',
        last_updated_utc: '2026-12-04T00:00:00Z',
      },
    ],
    status: 'OK',
    request_id: requestId,
    count: 1,
    ...(next ? { next_url: next } : {}),
  },
});

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply: tickers(undefined) });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('polygon conformance', () => {
  it('test call: GET /v3/reference/tickers?limit=1 with the key as a bearer token; connected on status OK', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'bearer',
      credentials: { api_key: KEY },
      reply: tickers(undefined),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(new URL(sent.url, c.vendor.url).searchParams.get('limit')).toBe('1');
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    // https://github.com/massive-com/client-js: the clients default to api.massive.com (the rebrand).
    expect(c.shipped.base_url).toBe('https://api.massive.com');
  });

  it('test call: the apiKey query parameter method sends the key there', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'api_key',
      credentials: { api_key: KEY },
      reply: tickers(undefined),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(new URL(sent.url, c.vendor.url).searchParams.get('apiKey')).toBe(KEY);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it.each([
    // 401 "Unknown API Key" (https://github.com/polygon-io/issues/issues/219 shows the error envelope).
    [{ status: 401, json: { status: 'ERROR', request_id: requestId, error: 'Unknown API Key' } }, 'credential_revoked'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: 403 NOT_AUTHORIZED (plan not entitled) is connected, limited: the key is valid', async () => {
    const reply = {
      status: 403,
      json: {
        status: 'NOT_AUTHORIZED',
        request_id: requestId,
        message: 'You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing',
      },
    };
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      last_test_outcome: { outcome: 'connected_limited', status: 403 },
    });
  });

  it('rate limit: a 429 without headers spends the connection’s budget: passed on once, the next call refused here', async () => {
    const id = await connected();
    // The free key "supports up to 5 API calls per minute" (https://github.com/massive-com/client-python/pull/601);
    // past it 429 with the error envelope and no rate headers (https://github.com/polygon-io/issues/issues/112).
    const limited = {
      status: 429,
      json: {
        status: 'ERROR',
        request_id: requestId,
        error:
          "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://massive.com/pricing",
      },
    };
    const { res, attempts } = await c.rateLimited(id, '/v3/reference/tickers', { limited, ok: tickers(undefined) });
    // The manifest's signal says the minute's window is spent: a retry within it would be refused again.
    expect(res.statusCode, res.body).toBe(429);
    expect(attempts).toBe(1);
    const next = await c.proxyGet(id, '/v3/reference/tickers');
    expect(next.statusCode, next.body).toBe(429);
    expect(next.data.code).toBe('rate_budget_exhausted');
  });

  it('streams: one page of every stream; next_url is the cursor where the stream pages', async () => {
    const id = await connected();
    const base = 'https://api.massive.com';
    // Pages in the list envelope (docs/connector-audit/polygon.md); next_url carries the cursor and is followed as-is
    // with the same Authorization header (https://app.unpkg.com/@polygon.io/client-js@7.4.0/files/dist/main.js).
    const aggsNext = `${base}/v2/aggs/ticker/AAPL/range/1/day/1764738000000/2026-12-04?cursor=bGltaXQ9MiZzb3J0PWFzYw`;
    const cases: Record<
      string,
      {
        reply: { json: Record<string, unknown> };
        pathParams?: Record<string, string>;
        query?: Record<string, string>;
        limit?: string;
        next?: string;
        records?: (body: unknown) => Record<string, unknown>[];
      }
    > = {
      tickers: {
        reply: tickers(`${base}/v3/reference/tickers?cursor=YWN0aXZlPXRydWUmZGF0ZT0yMDI2LTEyLTA1`),
        limit: '1000',
        next: `${base}/v3/reference/tickers?cursor=YWN0aXZlPXRydWUmZGF0ZT0yMDI2LTEyLTA1`,
      },
      daily_aggregates: {
        reply: {
          json: {
            ticker: 'AAPL',
            queryCount: 4,
            resultsCount: 2,
            adjusted: true,
            status: 'OK',
            request_id: requestId,
            results: [
              { v: 41250000, vw: 232.1, o: 231.1, c: 232.8, h: 233.0, l: 230.5, t: 1764565200000, n: 512345 },
              { v: 38870000, vw: 230.6, o: 229.9, c: 231.1, h: 231.4, l: 229.0, t: 1764651600000, n: 498210 },
            ],
            next_url: aggsNext,
          },
        },
        pathParams: { ticker: 'AAPL', from: '2026-12-01', to: '2026-12-04' },
        limit: '50000',
        next: aggsNext,
        // The bars carry no ticker: it is the answer's $.ticker (the stream's description says so).
        records: (body) => {
          const b = body as { ticker: string; results: Record<string, unknown>[] };
          return b.results.map((r) => ({ ticker: b.ticker, ...r }));
        },
      },
      previous_close: {
        reply: {
          json: {
            ticker: 'AAPL',
            status: 'OK',
            request_id: requestId,
            resultsCount: 1,
            results: [{ T: 'AAPL', v: 41250000, o: 231.1, c: 232.8, h: 233.0, l: 230.5, t: 1764882000000 }],
          },
        },
        pathParams: { ticker: 'AAPL' },
      },
      exchanges: {
        reply: {
          json: {
            status: 'OK',
            request_id: requestId,
            count: 2,
            results: [
              { id: 1, type: 'exchange', asset_class: 'stocks', locale: 'us', name: 'NYSE American, LLC', mic: 'XASE' },
              { id: 1, type: 'exchange', asset_class: 'crypto', locale: 'global', name: 'Coinbase', mic: 'COIN' },
            ],
          },
        },
      },
      news: {
        reply: {
          json: {
            status: 'OK',
            request_id: requestId,
            count: 1,
            results: [
              {
                id: '8ec638777ca03b553ae516761c2a22ba2fdd2f37befae3ab6fdab74e9e5193eb',
                publisher: { name: 'The Motley Fool' },
                title: 'Apple earnings',
                published_utc: '2026-12-01T13:00:00Z',
                tickers: ['AAPL'],
              },
            ],
            next_url: `${base}/v2/reference/news?cursor=YXA9MjAyNi0xMi0wMQ`,
          },
        },
        query: { 'published_utc.gte': '2026-12-01T00:00:00Z' },
        limit: '1000',
        next: `${base}/v2/reference/news?cursor=YXA9MjAyNi0xMi0wMQ`,
      },
    };
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(cases).sort());
    for (const stream of c.manifest.streams) {
      const k = cases[stream.name] as (typeof cases)[string];
      const page = await c.streamPage(id, stream.name, k.reply, {
        ...(k.pathParams ? { pathParams: k.pathParams } : {}),
        ...(k.query ? { query: k.query } : {}),
        ...(k.records ? { records: k.records } : {}),
      });
      expect(page.sent.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(page.sent.url).not.toMatch(/[{}]|%7B/i);
      expect(page.query.get('limit') ?? undefined).toBe(k.limit);
      expect(page.nextCursor).toBe(k.next);
      expect(page.records.length).toBeGreaterThan(0);
      const keys = page.records.map((r) => stream.primary_key.map((f) => String(r[f])).join('|'));
      expect(new Set(keys).size, `${stream.name} keys collide`).toBe(keys.length);
      if (stream.name === 'news') {
        expect(page.query.get('order')).toBe('asc');
        expect(page.query.get('sort')).toBe('published_utc');
        expect(page.query.get('published_utc.gte')).toBe('2026-12-01T00:00:00Z');
      }
    }
  });

  it('declares no webhooks or OAuth revocation (real-time data is a WebSocket API)', () => {
    expect(c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.auth.map((a) => a.type)).toEqual(['bearer', 'api_key']);
  });
});
