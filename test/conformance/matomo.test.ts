import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Matomo's shipped manifest against a fake that answers as Matomo documents (https://matomo.org/faq/general/faq_114,
// https://developer.matomo.org/guides/querying-the-reporting-api) and as its Login plugin throws
// (https://github.com/matomo-org/matomo/blob/803382fb83233f9310c228709a129e56bb31c3a0/plugins/Login/Login.php).
// Errors are {"result": "error", "message": "..."}.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('matomo');
});
afterAll(() => c.close());

const TOKEN = 'a3f5c0e1d2b4a6978877665544332211';
const config = () => ({ base_url: `${c.vendor.url}/matomo` });

// SitesManager.getSitesWithAtLeastViewAccess (https://developer.matomo.org/api-reference/reporting-api): the sites the
// token's user can view.
const site = {
  idsite: '1',
  name: 'Example',
  main_url: 'https://www.example.com',
  ts_created: '2024-01-01 00:00:00',
  ecommerce: '0',
  sitesearch: '1',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  type: 'website',
  group: '',
};
const REJECTED =
  'Unable to authenticate with the provided token. It is either invalid, expired or is required to be sent as a POST parameter.';

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ credentials: { token_auth: TOKEN }, config: config(), reply: { json: [site] } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('matomo conformance', () => {
  it('test call: SitesManager.getSitesWithAtLeastViewAccess with token_auth; connected with the first site', async () => {
    const { res, sent } = await c.testCall({
      credentials: { token_auth: TOKEN },
      config: config(),
      reply: { json: [site] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const query = new URL(sent.url, c.vendor.url).searchParams;
    expect(sent.url.split('?')[0]).toBe('/matomo/index.php');
    expect(Object.fromEntries(query)).toMatchObject({
      module: 'API',
      method: 'SitesManager.getSitesWithAtLeastViewAccess',
      format: 'JSON',
      filter_limit: '1',
      token_auth: TOKEN,
    });
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '1',
      vendor_account_name: 'Example',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // A rejected token (Login.php): 401 on current Matomo and Matomo Cloud, 200 on older releases
    // (https://github.com/matomo-org/matomo/issues/18055): the message decides.
    [{ status: 401, json: { result: 'error', message: REJECTED } }, 'credential_revoked'],
    [{ status: 200, json: { result: 'error', message: REJECTED } }, 'credential_revoked'],
    // Any other API error is the vendor's (https://github.com/matomo-org/matomo/issues/21425: errors are non-200 now),
    // also when an older release answers it with 200: an error object is not the empty list of sites.
    [
      {
        status: 400,
        json: {
          result: 'error',
          message:
            "The method 'Foo' does not exist or is not available in the module '\\Piwik\\Plugins\\SitesManager\\API'.",
        },
      },
      'vendor_error',
    ],
    [
      {
        status: 200,
        json: {
          result: 'error',
          message:
            "The method 'Foo' does not exist or is not available in the module '\\Piwik\\Plugins\\SitesManager\\API'.",
        },
      },
      'vendor_error',
    ],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ credentials: { token_auth: TOKEN }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('test call: a valid token whose user can view no site (200 []) is connected, limited', async () => {
    const { res } = await c.testCall({ credentials: { token_auth: TOKEN }, config: config(), reply: { json: [] } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected_limited' } });
  });

  it('rate limit: none is documented; a 429 from a proxy in front is retried once like any 429', async () => {
    // Self-hosted Matomo has no rate limit and Matomo Cloud's is not documented: the manifest declares no rate_limit,
    // and the proxy's defaults apply (429 retried after a backoff).
    expect(c.manifest.rate_limit).toBeUndefined();
    const id = await connected();
    const route = c.routeOf('GET', '/index.php', config());
    let calls = 0;
    c.vendor.on(route, () => (++calls === 1 ? { status: 429, body: 'Too Many Requests' } : { json: [site] }));
    const res = await c.proxyGet(id, '/index.php', { module: 'API', method: 'API.getMatomoVersion', format: 'JSON' });
    expect(res.statusCode, res.body).toBe(200);
    expect(calls).toBe(2);
  });

  it('streams: one page of every stream, asked with its method; report rows keyed with the site and date asked', async () => {
    const id = await connected();
    const asked = { idSite: '1', period: 'day', date: '2026-12-05' };
    // Rows carry neither idSite nor date: the reader adds what it asked for (the manifest says so).
    const withRequest = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ idSite: '1', date: '2026-12-05', ...r }));
    // date=lastN answers an object keyed by date (https://developer.matomo.org/guides/querying-the-reporting-api).
    const byDate = (body: unknown) =>
      Object.entries(body as Record<string, Record<string, unknown>>).map(([date, v]) => ({ idSite: '1', date, ...v }));
    const cases: Record<
      string,
      {
        reply: unknown;
        query: Record<string, string>;
        records?: (body: unknown) => Record<string, unknown>[];
        count: number;
        paged: boolean;
      }
    > = {
      sites: { reply: [site], query: {}, count: 1, paged: true },
      visits_summary: {
        reply: {
          '2026-12-04': {
            nb_uniq_visitors: 120,
            nb_visits: 150,
            nb_actions: 410,
            bounce_count: 60,
            sum_visit_length: 9000,
          },
          '2026-12-05': {
            nb_uniq_visitors: 98,
            nb_visits: 121,
            nb_actions: 300,
            bounce_count: 50,
            sum_visit_length: 7000,
          },
        },
        query: { ...asked, date: 'last2' },
        records: byDate,
        count: 2,
        paged: false,
      },
      page_urls: {
        reply: [
          { label: '/index', nb_visits: 80, nb_hits: 95, url: 'https://www.example.com/' },
          { label: '/pricing', nb_visits: 20, nb_hits: 22, url: 'https://www.example.com/pricing' },
        ],
        query: asked,
        records: (b) => withRequest(b as Record<string, unknown>[]),
        count: 2,
        paged: true,
      },
      referrers: {
        reply: [{ label: 'Google', nb_visits: 40, referer_type: 'search' }],
        query: asked,
        records: (b) => withRequest(b as Record<string, unknown>[]),
        count: 1,
        paged: true,
      },
      goals: {
        reply: { '2026-12-05': { nb_conversions: 4, nb_visits_converted: 4, revenue: 120 } },
        query: { ...asked, date: 'last1' },
        records: byDate,
        count: 1,
        paged: false,
      },
      live_visits: {
        reply: [
          {
            idSite: '1',
            idVisit: '45781',
            visitIp: '192.0.2.0',
            firstActionTimestamp: 1764929000,
            lastActionTimestamp: 1764929400,
            actionDetails: [{ type: 'action', url: 'https://www.example.com/', timestamp: 1764929000 }],
          },
        ],
        query: { idSite: '1' },
        count: 1,
        paged: true,
      },
    };
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(cases).sort());
    for (const stream of c.manifest.streams) {
      const k = cases[stream.name] as (typeof cases)[string];
      const page = await c.streamPage(
        id,
        stream.name,
        { json: k.reply },
        { config: config(), query: k.query, ...(k.records ? { records: k.records } : {}) },
      );
      expect(page.sent.url.split('?')[0]).toBe('/matomo/index.php');
      expect(page.query.get('module')).toBe('API');
      expect(page.query.get('method')).toBe(stream.params.method);
      expect(page.query.get('format')).toBe('JSON');
      expect(page.query.get('token_auth')).toBe(TOKEN);
      expect(page.records).toHaveLength(k.count);
      if (stream.name === 'page_urls') expect(page.query.get('flat')).toBe('1');
      if (k.paged) {
        // filter_limit + filter_offset; no next link: the reader stops on a short page.
        expect(page.query.get('filter_limit')).toBe('10');
        const next = await c.streamPage(
          id,
          stream.name,
          { json: [] },
          { config: config(), query: k.query, cursor: '10' },
        );
        expect(next.query.get('filter_offset')).toBe('10');
      } else {
        expect(page.query.get('filter_limit')).toBeNull();
      }
    }
  });

  it('declares no webhooks or OAuth revocation (tokens are deleted under Administration > Personal > Security)', () => {
    expect(c.manifest.webhooks).toBeUndefined();
    expect(c.manifest.auth.map((a) => a.type)).toEqual(['api_key']);
  });
});
