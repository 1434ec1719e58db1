import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { google429, googleRevocationTests, googleTestAnswers, googleTokens } from './google.js';
import { startConformance, type Conformance } from './harness.js';

// Google Search Console's shipped manifest against a fake that answers as Google documents. Every answer cites its
// page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('google_search_console');
});
afterAll(() => c.close());

const SCOPE = 'https://www.googleapis.com/auth/webmasters.readonly';

// sites.list (https://github.com/googleapis/google-api-go-client/blob/main/searchconsole/v1/searchconsole-api.json,
// SitesListResponse): {siteEntry: [{siteUrl, permissionLevel}]}; a user without properties gets {}.
const sites = {
  status: 200,
  json: {
    siteEntry: [
      { siteUrl: 'sc-domain:example.com', permissionLevel: 'siteOwner' },
      { siteUrl: 'https://www.example.com/', permissionLevel: 'siteFullUser' },
    ],
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(googleTokens(SCOPE));
  const { res } = await c.retest(id, sites);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('google_search_console conformance', () => {
  it('test call: GET searchconsole.googleapis.com/webmasters/v3/sites; connected as the first property', async () => {
    expect(c.shipped.base_url).toBe('https://searchconsole.googleapis.com/webmasters/v3');
    const t = googleTokens(SCOPE);
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, sites);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'sc-domain:example.com',
      vendor_account_name: 'sc-domain:example.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it('test call: a user without properties (200 {}) is connected', async () => {
    const { id } = await c.oauthConnection(googleTokens(SCOPE));
    const { res } = await c.retest(id, { json: {} });
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it.each(googleTestAnswers(SCOPE, 'searchconsole.googleapis.com'))(
    'test call: answer %# maps to its outcome',
    async (reply, outcome, code) => {
      const { id } = await c.oauthConnection(googleTokens(SCOPE));
      const { res } = await c.retest(id, reply);
      expect(res.data.state).not.toBe('active');
      expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
      if (code) expect(res.data.last_test_outcome).toMatchObject({ vendor_code: code });
    },
  );

  it('rate limit: a 429 quota answer (no Retry-After documented) is retried through the proxy', async () => {
    // https://developers.google.com/webmaster-tools/limits: every exhaustion is the same "quota exceeded" error;
    // no rate-limit headers are documented.
    const id = await connected();
    const { res, attempts } = await c.rateLimited(id, '/sites', { limited: google429, ok: sites });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: sites and sitemaps (unpaged lists under $.siteEntry and $.sitemap)', async () => {
    const id = await connected();
    const list = await c.streamPage(id, 'sites', sites);
    expect(list.records.map((r) => r.siteUrl)).toEqual(['sc-domain:example.com', 'https://www.example.com/']);
    expect([...list.query.keys()]).toEqual([]);
    // sitemaps.list (discovery: SitemapsListResponse {sitemap: [WmxSitemap]}); siteUrl percent-encoded in the path.
    const sitemaps = await c.streamPage(
      id,
      'sitemaps',
      {
        json: {
          sitemap: [
            {
              path: 'https://www.example.com/sitemap.xml',
              lastSubmitted: '2026-11-20T10:00:00.000Z',
              isPending: false,
              isSitemapsIndex: false,
              lastDownloaded: '2026-11-21T03:00:00.000Z',
              warnings: '0',
              errors: '0',
            },
          ],
        },
      },
      { parent: { siteUrl: 'sc-domain:example.com' } },
    );
    expect(sitemaps.sent.url).toBe('/webmasters/v3/sites/sc-domain%3Aexample.com/sitemaps');
    expect(sitemaps.records.map((r) => r.path)).toEqual(['https://www.example.com/sitemap.xml']);
    expect(sitemaps.stream.primary_key).toEqual(['siteUrl', 'path']);
  });

  it('streams: every search-analytics stream is a POST query per property, paged in its body', async () => {
    const id = await connected();
    // https://developers.google.cn/webmaster-tools/search-console-api-original/v3/searchanalytics (query): rows of
    // {keys: [dimension values in order], clicks, impressions, ctr, position}; rowLimit 1-25,000, startRow.
    const dimensions: Record<string, string[]> = {
      search_analytics_by_date: ['date'],
      search_analytics_by_query: ['date', 'query'],
      search_analytics_by_page: ['date', 'page'],
    };
    for (const [name, dims] of Object.entries(dimensions)) {
      const row = (n: number) => ({
        keys: ['2026-11-01', ...dims.slice(1).map((d) => `${d} ${n}`)],
        clicks: 12,
        impressions: 340,
        ctr: 0.0353,
        position: 4.2,
      });
      const page = await c.streamPage(
        id,
        name,
        { json: { rows: [row(1), row(2)], responseAggregationType: 'byProperty' } },
        { parent: { siteUrl: 'https://www.example.com/' } },
      );
      expect(page.sent.method).toBe('POST');
      expect(page.sent.url).toBe('/webmasters/v3/sites/https%3A%2F%2Fwww.example.com%2F/searchAnalytics/query');
      // The page parameters arrive in the JSON body (pagination in: body), not in the query.
      expect(page.body).toEqual({ dimensions: dims, dataState: 'final', rowLimit: 25000 });
      expect([...page.query.keys()]).toEqual([]);
      expect(page.pagination).toMatchObject({ style: 'offset', in: 'body', cursor_param: 'startRow' });
      expect(page.records).toHaveLength(2);
      expect(page.stream.primary_key).toEqual(['siteUrl', 'keys']);
      // No next-page token: the reader advances startRow by the rows read and stops on a page shorter than rowLimit.
      expect(page.nextCursor).toBeUndefined();
      const next = await c.streamPage(
        id,
        name,
        { json: { rows: [row(3)], responseAggregationType: 'byProperty' } },
        { parent: { siteUrl: 'https://www.example.com/' }, limit: 2, cursor: '2' },
      );
      expect(next.body).toEqual({ dimensions: dims, dataState: 'final', rowLimit: 2, startRow: 2 });
      expect(next.records).toHaveLength(1);
    }
  });

  googleRevocationTests(() => c, SCOPE);

  it('webhooks: none — Search Console has no push notifications', () => {
    expect(c.manifest.webhooks).toBeUndefined();
  });
});
