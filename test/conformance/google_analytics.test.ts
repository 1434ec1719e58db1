import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { google401s, googleExpiredTokenTest, googleRevocationTests, googleScope403, googleTokens } from './google.js';
import { startConformance, type Conformance } from './harness.js';

// Google Analytics 4's shipped manifest (Data API on analyticsdata.googleapis.com, Admin API on
// analyticsadmin.googleapis.com, both /v1beta) against a fake that answers as Google documents. Every answer cites
// its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('google_analytics');
});
afterAll(() => c.close());

const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
const PROPERTY = '456789';
const config = { property_id: PROPERTY };

// ADMIN_DISCOVERY below: the Admin API v1beta discovery document,
// https://github.com/googleapis/google-api-go-client/blob/main/analyticsadmin/v1beta/analyticsadmin-api.json

// accountSummaries.list (ADMIN_DISCOVERY, ListAccountSummariesResponse): {accountSummaries: [{name, account,
// displayName, propertySummaries: [...]}], nextPageToken}; a user without Analytics access gets {}.
const summaries = {
  status: 200,
  json: {
    accountSummaries: [
      {
        name: 'accountSummaries/123',
        account: 'accounts/123',
        displayName: 'Example Ltd',
        propertySummaries: [
          {
            property: `properties/${PROPERTY}`,
            displayName: 'www.example.com',
            propertyType: 'PROPERTY_TYPE_ORDINARY',
            parent: 'accounts/123',
          },
        ],
      },
    ],
    nextPageToken: 'AFpdQ2next',
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(googleTokens(SCOPE), undefined, config);
  const { res } = await c.retest(id, summaries);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('google_analytics conformance', () => {
  it('the Data API is the base URL; the Admin API streams and the test call are on their own host', () => {
    expect(c.shipped.base_url).toBe('https://analyticsdata.googleapis.com/v1beta');
    const admin = c.shipped.streams.filter((s) => s.base_url).map((s) => [s.name, s.base_url]);
    expect(admin).toEqual([
      ['account_summaries', 'https://analyticsadmin.googleapis.com/v1beta'],
      ['data_streams', 'https://analyticsadmin.googleapis.com/v1beta'],
    ]);
    // ADMIN_DISCOVERY declares analytics.readonly and analytics.edit for v1beta: read-only by default.
    const auth = c.shipped.auth[0];
    expect(auth?.type === 'oauth2' && auth.scopes.default).toEqual([SCOPE]);
  });

  it('test call: GET analyticsadmin.googleapis.com/v1beta/accountSummaries?pageSize=1; connected as the first account', async () => {
    const t = googleTokens(SCOPE);
    const { id } = await c.oauthConnection(t, undefined, config);
    const { res, sent } = await c.retest(id, summaries);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.url).toBe('/v1beta/accountSummaries?pageSize=1');
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'accounts/123',
      vendor_account_name: 'Example Ltd',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it('test call: a user without Analytics accounts (200 {}) is connected without an account', async () => {
    // ADMIN_DISCOVERY: accountSummaries is omitted when empty (proto3 JSON).
    const { id } = await c.oauthConnection(googleTokens(SCOPE), undefined, config);
    const { res } = await c.retest(id, { json: {} });
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: null,
      last_test_outcome: { outcome: 'connected' },
    });
  });

  // https://github.com/googleapis/googleapis/blob/master/google/api/error_reason.proto and
  // https://developers.google.com/analytics/devguides/reporting/data/v1/quotas: the GA APIs answer with
  // {error: {code, message, status}}.
  const noPropertyAccess: VendorReply = {
    status: 403,
    json: {
      error: {
        code: 403,
        message:
          'User does not have sufficient permissions for this property. To learn more about Property ID, see ' +
          'https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
        status: 'PERMISSION_DENIED',
      },
    },
  };
  const internal: VendorReply = {
    status: 500,
    json: { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } },
  };
  it.each([
    // A 401 is credential_expired (the manifest's rule); on a token issued moments ago, as here, Google refusing it
    // means consent is missing, not age: scope_insufficient with the 401 (googleExpiredTokenTest: an older token).
    ...google401s.map((r): [VendorReply, string, string | undefined] => [r, 'scope_insufficient', undefined]),
    [googleScope403(SCOPE, 'analyticsadmin.googleapis.com'), 'scope_insufficient', undefined],
    // A 403 without ACCESS_TOKEN_SCOPE_INSUFFICIENT (no access to the property) is the vendor's refusal.
    [noPropertyAccess, 'vendor_error', 'PERMISSION_DENIED'],
    [internal, 'vendor_error', 'INTERNAL'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome, code) => {
    const { id } = await c.oauthConnection(googleTokens(SCOPE), undefined, config);
    const { res } = await c.retest(id, reply);
    expect(res.data.state).not.toBe('active');
    expect(res.data.vendor_account_id).toBeNull();
    expect(res.data.last_test_outcome, JSON.stringify(res.data)).toMatchObject({ outcome, status: reply.status });
    if (code) expect(res.data.last_test_outcome).toMatchObject({ vendor_code: code });
  });

  it('rate limit: a 429 RESOURCE_EXHAUSTED (no Retry-After or rate headers) is retried through the proxy', async () => {
    // https://developers.google.com/analytics/devguides/reporting/data/v1/quotas: token quotas per property; an
    // exhausted quota is 429 RESOURCE_EXHAUSTED; remaining quota is only in a 200 body (propertyQuota).
    const id = await connected();
    const metadata = { status: 200, json: { name: `properties/${PROPERTY}/metadata`, dimensions: [], metrics: [] } };
    const { res, attempts } = await c.rateLimited(id, `/properties/${PROPERTY}/metadata`, {
      limited: {
        status: 429,
        json: {
          error: {
            code: 429,
            message: 'Exhausted property tokens per hour for a project per property.',
            status: 'RESOURCE_EXHAUSTED',
          },
        },
      },
      ok: metadata,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: account_summaries and data_streams page by pageSize/pageToken on the Admin API', async () => {
    const id = await connected();
    // ADMIN_DISCOVERY: accountSummaries.list and properties.dataStreams.list take pageSize (max 200) and pageToken,
    // and answer nextPageToken.
    const accounts = await c.streamPage(id, 'account_summaries', summaries, { config });
    expect(accounts.sent.url.split('?')[0]).toBe('/v1beta/accountSummaries');
    expect(Object.fromEntries(accounts.query)).toEqual({ pageSize: '200' });
    expect(accounts.records.map((r) => r.account)).toEqual(['accounts/123']);
    expect(accounts.nextCursor).toBe('AFpdQ2next');
    // The last page: no nextPageToken.
    const last = { json: { accountSummaries: [{ ...summaries.json.accountSummaries[0], account: 'accounts/124' }] } };
    const nextAccounts = await c.streamPage(id, 'account_summaries', last, { config, cursor: 'AFpdQ2next' });
    expect(nextAccounts.query.get('pageToken')).toBe('AFpdQ2next');
    expect(nextAccounts.nextCursor).toBeUndefined();

    const dataStreams = {
      json: {
        dataStreams: [
          {
            name: `properties/${PROPERTY}/dataStreams/111`,
            type: 'WEB_DATA_STREAM',
            displayName: 'Web',
            webStreamData: { measurementId: 'G-ABC123', defaultUri: 'https://www.example.com' },
          },
        ],
        nextPageToken: 'AFpdQ2streams',
      },
    };
    const streams = await c.streamPage(id, 'data_streams', dataStreams, { config, cursor: 'AFpdQ2first' });
    expect(streams.sent.url.split('?')[0]).toBe(`/v1beta/properties/${PROPERTY}/dataStreams`);
    expect(Object.fromEntries(streams.query)).toEqual({ pageSize: '200', pageToken: 'AFpdQ2first' });
    expect(streams.records.map((r) => r.name)).toEqual([`properties/${PROPERTY}/dataStreams/111`]);
    expect(streams.nextCursor).toBe('AFpdQ2streams');
  });

  it('streams: daily_report is a runReport POST paged by offset/limit in its JSON body', async () => {
    const id = await connected();
    // https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport: limit
    // (default 10,000, max 250,000) and offset in the body; rows positional to the headers; rowCount is the total.
    const report = (dates: string[]) => ({
      json: {
        dimensionHeaders: [{ name: 'date' }],
        metricHeaders: [
          { name: 'activeUsers', type: 'TYPE_INTEGER' },
          { name: 'sessions', type: 'TYPE_INTEGER' },
        ],
        rows: dates.map((d) => ({
          dimensionValues: [{ value: d }],
          metricValues: [{ value: '812' }, { value: '1034' }],
        })),
        rowCount: 30,
        metadata: { currencyCode: 'GBP', timeZone: 'Europe/London' },
        kind: 'analyticsData#runReport',
      },
    });
    const first = await c.streamPage(id, 'daily_report', report(['20261101', '20261102']), { config, limit: 2 });
    expect(first.sent.method).toBe('POST');
    expect(first.sent.url).toBe(`/v1beta/properties/${PROPERTY}:runReport`);
    expect([...first.query.keys()]).toEqual([]);
    expect(first.body).toEqual({
      dateRanges: [{ startDate: '30daysAgo', endDate: 'yesterday' }],
      dimensions: [{ name: 'date' }],
      metrics: [{ name: 'activeUsers' }, { name: 'sessions' }],
      limit: 2,
    });
    expect(first.records).toHaveLength(2);
    expect(first.stream).toMatchObject({
      primary_key: ['dimensionValues'],
      cursor_field: 'dimensionValues[0].value',
    });
    // Offset paging: no cursor in the answer; the reader sends offset = rows read so far, until rowCount.
    expect(first.nextCursor).toBeUndefined();
    const second = await c.streamPage(id, 'daily_report', report(['20261103', '20261104']), {
      config,
      limit: 2,
      cursor: '2',
    });
    expect(second.body).toMatchObject({ limit: 2, offset: 2 });
  });

  it('streams: realtime_report is one runRealtimeReport POST (a limit, no offset)', async () => {
    const id = await connected();
    // https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runRealtimeReport:
    // body dimensions, metrics, limit, minuteRanges — no offset; the window is the last 30 minutes.
    const page = await c.streamPage(
      id,
      'realtime_report',
      {
        json: {
          dimensionHeaders: [{ name: 'minutesAgo' }],
          metricHeaders: [{ name: 'activeUsers', type: 'TYPE_INTEGER' }],
          rows: [{ dimensionValues: [{ value: '00' }], metricValues: [{ value: '14' }] }],
          rowCount: 1,
          kind: 'analyticsData#runRealtimeReport',
        },
      },
      { config },
    );
    expect(page.sent.url).toBe(`/v1beta/properties/${PROPERTY}:runRealtimeReport`);
    expect(page.body).toEqual({ dimensions: [{ name: 'minutesAgo' }], metrics: [{ name: 'activeUsers' }] });
    expect(page.records.map((r) => r.dimensionValues)).toEqual([[{ value: '00' }]]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('streams: metadata_dimensions and metadata_metrics read one getMetadata object, keyed by apiName', async () => {
    const id = await connected();
    // https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/getMetadata:
    // {name, dimensions: [DimensionMetadata], metrics: [MetricMetadata]}, unpaged.
    const metadata = {
      json: {
        name: `properties/${PROPERTY}/metadata`,
        dimensions: [{ apiName: 'date', uiName: 'Date', category: 'Time' }],
        metrics: [{ apiName: 'activeUsers', uiName: 'Active users', type: 'TYPE_INTEGER' }],
      },
    };
    const dims = await c.streamPage(id, 'metadata_dimensions', metadata, { config });
    expect(dims.sent.method).toBe('GET');
    expect(dims.sent.url).toBe(`/v1beta/properties/${PROPERTY}/metadata`);
    expect(dims.records.map((r) => r.apiName)).toEqual(['date']);
    const metrics = await c.streamPage(id, 'metadata_metrics', metadata, { config });
    expect(metrics.records.map((r) => r.apiName)).toEqual(['activeUsers']);
    expect(metrics.nextCursor).toBeUndefined();
  });

  it('streams: every stream of the manifest is read above', () => {
    expect(c.manifest.streams.map((s) => s.name)).toEqual([
      'account_summaries',
      'daily_report',
      'realtime_report',
      'metadata_dimensions',
      'metadata_metrics',
      'data_streams',
    ]);
  });

  googleExpiredTokenTest(() => c, SCOPE, summaries, config);

  googleRevocationTests(() => c, SCOPE);

  it('webhooks: none — GA4 has no push notifications', () => {
    expect(c.manifest.webhooks).toBeUndefined();
  });
});
