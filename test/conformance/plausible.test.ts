import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Plausible Analytics' shipped manifest against a fake that answers as Plausible documents
// (https://plausible.io/docs/stats-api, https://plausible.io/docs/stats-api-v1) and as its API authorisation plug
// answers (https://github.com/plausible/analytics/blob/master/lib/plausible_web/plugs/authorize_public_api.ex).
// Errors are {"error": "..."}.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('plausible');
});
afterAll(() => c.close());

const KEY = 'plausible-conformance-key-0123456789';
const config = () => ({ base_url: c.vendor.url, site_id: 'example.com' });

// https://plausible.io/docs/stats-api: POST /api/v2/query answers results rows {metrics, dimensions}, meta and the
// query as the server read it (date_range resolved, default pagination {limit: 10000, offset: 0}).
const v2Answer = {
  json: {
    results: [{ metrics: [201], dimensions: [] }],
    meta: {},
    query: {
      site_id: 'example.com',
      metrics: ['visitors'],
      date_range: ['2026-12-05T00:00:00+00:00', '2026-12-05T23:59:59+00:00'],
      filters: [],
      dimensions: [],
      order_by: [['visitors', 'desc']],
      include: {},
      pagination: { limit: 10000, offset: 0 },
    },
  },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply: v2Answer });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('plausible conformance', () => {
  it('test call: POST /api/v2/query for the configured site, the key as a bearer token; connected', async () => {
    const { res, sent } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply: v2Answer });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/api/v2/query');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    // The body's template is rendered: the configured site, not "{{config.site_id}}".
    expect(JSON.parse(sent.body.toString())).toEqual({
      site_id: 'example.com',
      metrics: ['visitors'],
      date_range: 'day',
    });
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it.each([
    // authorize_public_api.ex: one 401 for a dead key, an unknown site and a site the key's user is not a member of.
    [
      {
        status: 401,
        json: {
          error:
            "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested.",
        },
      },
      'credential_revoked',
    ],
    // authorize_public_api.ex: 402 when the owner's plan lacks the Stats API - the vendor's error, its message kept.
    [
      {
        status: 402,
        json: {
          error:
            "The account that owns this API key does not have access to Stats API. Please make sure you're using the API key of a subscriber account and that the subscription plan includes Stats API",
        },
      },
      'vendor_error',
    ],
    // https://plausible.io/docs/stats-api-v1: 400 for a query it cannot run.
    [
      {
        status: 400,
        json: { error: 'Missing site ID. Please provide the required site_id parameter with your request.' },
      },
      'vendor_error',
    ],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: a 429 without headers is retried through the proxy after a backoff', async () => {
    const id = await connected();
    // https://plausible.io/docs/stats-api (600 requests an hour per key by default) and the plug's 429 body; no
    // rate-limit or Retry-After headers.
    const limited = {
      status: 429,
      json: {
        error:
          'Too many API requests. Your API key is limited to 600 requests per hour. Please contact us to request more capacity.',
      },
    };
    const route = c.routeOf('GET', '/v1/stats/timeseries', config());
    let calls = 0;
    c.vendor.on(route, () => (++calls === 1 ? limited : { json: { results: [] } }));
    const res = await c.proxyGet(id, '/v1/stats/timeseries', { site_id: 'example.com' });
    expect(res.statusCode, res.body).toBe(200);
    expect(calls).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: one page of every stream, for the configured site; breakdowns page by limit and page', async () => {
    const id = await connected();
    // Answers from https://plausible.io/docs/stats-api-v1 (aggregate, timeseries, breakdown, realtime/visitors).
    const cases: Record<
      string,
      {
        reply: { json: unknown };
        property?: string;
        records?: (body: unknown) => Record<string, unknown>[];
        count: number;
      }
    > = {
      // One object keyed by metric, not rows: read as one record per metric (the stream's description says so).
      aggregate: {
        reply: { json: { results: { visitors: { value: 201 }, pageviews: { value: 655 } } } },
        records: (b) =>
          Object.entries((b as { results: Record<string, { value: number }> }).results).map(([metric, v]) => ({
            metric,
            ...v,
          })),
        count: 2,
      },
      timeseries: {
        reply: {
          json: {
            results: [
              { date: '2026-12-01', visitors: 812 },
              { date: '2026-12-02', visitors: 790 },
            ],
          },
        },
        count: 2,
      },
      pages: {
        reply: {
          json: {
            results: [
              { page: '/', visitors: 94298 },
              { page: '/pricing', visitors: 18803 },
            ],
          },
        },
        property: 'event:page',
        count: 2,
      },
      sources: {
        reply: { json: { results: [{ source: 'Google', visitors: 16909 }] } },
        property: 'visit:source',
        count: 1,
      },
      countries: {
        reply: { json: { results: [{ country: 'EE', visitors: 120 }] } },
        property: 'visit:country',
        count: 1,
      },
      // A bare integer: one record for the site.
      realtime_visitors: { reply: { json: 21 }, records: (b) => [{ site_id: 'example.com', visitors: b }], count: 1 },
    };
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(cases).sort());
    for (const stream of c.manifest.streams) {
      const k = cases[stream.name] as (typeof cases)[string];
      const page = await c.streamPage(id, stream.name, k.reply, {
        config: config(),
        ...(k.records ? { records: k.records } : {}),
      });
      expect(page.sent.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(page.query.get('site_id')).toBe('example.com');
      expect(page.query.get('property') ?? undefined).toBe(k.property);
      expect(page.records).toHaveLength(k.count);
      expect(page.nextCursor).toBeUndefined();
      if (k.property) {
        // v1 breakdown: limit + 1-based page, no next link; the reader asks page 2 while pages come back full.
        expect(page.pagination).toMatchObject({ style: 'page', cursor_param: 'page', limit_param: 'limit' });
        expect(page.query.get('limit')).toBe('10');
        const second = await c.streamPage(
          id,
          stream.name,
          { json: { results: [] } },
          { config: config(), cursor: '2' },
        );
        expect(second.query.get('page')).toBe('2');
        expect(second.records).toEqual([]);
      } else {
        expect(page.query.get('limit')).toBeNull();
      }
    }
  });

  it('declares no webhooks or OAuth revocation (API keys are deleted in Plausible settings)', () => {
    expect(c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.auth.map((a) => a.type)).toEqual(['bearer']);
  });
});
