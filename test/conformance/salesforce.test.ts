import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { shippedManifest, startConformance, type Conformance } from './harness.js';
import { pushBatch, pushRecord, readChanges } from './two-way.js';

// Salesforce's shipped manifest against a fake that answers as Salesforce documents. Every answer cites its page.
// Salesforce is OAuth only: connections are made as the callback stores them, and tested with POST …/test.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('salesforce');
});
afterAll(() => c.close());

// The fake plays both the login host and the org's My Domain (instance_url from the token response).
const config = () => ({ login_url: c.vendor.url, instance_url: c.vendor.url, api_version: 'v68.0' });
const TEST_ROUTE = 'GET /services/data/v68.0/query';

// https://developer.salesforce.com/docs/platform/api-rest/guide/dome-query.md: {totalSize, done, records: [{attributes,
// ...fields}]}; the test call reads the Organization row.
const organization = {
  status: 200,
  headers: { 'sforce-limit-info': 'api-usage=18/5000' },
  json: {
    totalSize: 1,
    done: true,
    records: [
      {
        attributes: { type: 'Organization', url: '/services/data/v68.0/sobjects/Organization/00D5g000000AbCdEAK' },
        Id: '00D5g000000AbCdEAK',
        Name: 'Acme Inc',
      },
    ],
  },
};

// https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.md: errors are a JSON array
// [{message, errorCode, fields?}].
const sfError = (status: number, errorCode: string, message: string): VendorReply => ({
  status,
  json: [{ message, errorCode }],
});
// An expired or invalidated session (same page, 401 INVALID_SESSION_ID "Session expired or invalid").
const expired = sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
// A token granted without the api scope: https://help.salesforce.com/s/articleView?id=005226515 — 401
// INVALID_SESSION_ID "This session is not valid for use with the REST API".
const noApiScope = sfError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');

async function oauthConnection(refresh = '5Aep861refresh') {
  return c.oauthConnection(
    { access_token: '00D5g000000AbCd!AQ0AQaccess', refresh_token: refresh, token_type: 'Bearer', extra: {} },
    undefined,
    config(),
  );
}

const test = (id: string) => c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });

/** Make the stored token look issued an hour ago, as a session that may really have expired. */
const ageToken = (id: string) =>
  c.t.db.query(
    `update connection_credentials set updated_at = now() - interval '1 hour', refreshed_at = now() - interval '1 hour'
      where connection_id = $1`,
    [id],
  );

describe('salesforce conformance', () => {
  it('test call: a SOQL query for the Organization row, bearer token; connected with the org id and name', async () => {
    c.vendor.on(TEST_ROUTE, organization);
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '00D5g000000AbCdEAK',
      vendor_account_name: 'Acme Inc',
      last_test_outcome: { outcome: 'connected' },
    });
    const sent = c.requestsTo(TEST_ROUTE).at(-1);
    expect(sent?.headers.authorization).toBe('Bearer 00D5g000000AbCd!AQ0AQaccess');
    expect(new URL(sent?.url ?? '', c.vendor.url).searchParams.get('q')).toBe(
      'SELECT Id, Name FROM Organization LIMIT 1',
    );
  });

  it.each([
    // https://developer.salesforce.com/docs/platform/api-rest/guide/intro-rest-compatible-editions.md: a user without
    // the "API Enabled" permission (API_CURRENTLY_DISABLED) or an edition without API access (API_DISABLED_FOR_ORG).
    [sfError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User'), 'scope_insufficient'],
    [sfError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'), 'scope_insufficient'],
    // The token without the api scope: consent, not expiry (https://help.salesforce.com/s/articleView?id=005226515).
    [noApiScope, 'scope_insufficient'],
    // The rolling 24 h cap: 403 REQUEST_LIMIT_EXCEEDED
    // (https://developer.salesforce.com/docs/atlas.en-us.264.0.api_rest.meta/api_rest/headers_api_usage.htm): the
    // vendor's error, its code kept — not a scope problem.
    [sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    c.vendor.on(TEST_ROUTE, reply);
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ last_test_outcome: { outcome, status: reply.status } });
    if (outcome === 'vendor_error') {
      expect(res.data.last_test_outcome).toMatchObject({ vendor_code: 'REQUEST_LIMIT_EXCEEDED' });
    }
  });

  it('test call: an old session answered "Session expired or invalid" is refreshed and tested again', async () => {
    // https://help.salesforce.com/s/articleView?id=remoteaccess_oauth_refresh_token_flow.htm: POST
    // /services/oauth2/token grant_type=refresh_token answers {access_token, instance_url, id, issued_at, signature}
    // (no expires_in; with rotation on, a new refresh_token too).
    c.vendor.on('POST /services/oauth2/token', {
      json: {
        access_token: '00D5g000000AbCd!AQ0AQrefreshed',
        refresh_token: '5Aep861rotated',
        instance_url: c.vendor.url,
        id: 'https://login.salesforce.com/id/00D5g000000AbCdEAK/0055g000001AbCdAAK',
        token_type: 'Bearer',
        issued_at: '1764929000000',
        signature: 'c2lnbmF0dXJl',
      },
    });
    c.vendor.on(TEST_ROUTE, (req) =>
      req.headers.authorization === 'Bearer 00D5g000000AbCd!AQ0AQrefreshed' ? organization : expired,
    );
    const { id } = await oauthConnection('5Aep861old');
    await ageToken(id);
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const form = new URLSearchParams(c.requestsTo('POST /services/oauth2/token').at(-1)?.body.toString());
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe('5Aep861old');
  });

  it('test call: a freshly refreshed token still refused as expired ends in consent (scope_insufficient), not a refresh loop', async () => {
    let refreshes = 0;
    c.vendor.on('POST /services/oauth2/token', () => ({
      json: {
        access_token: `00D5g000000AbCd!AQ0AQfresh${++refreshes}`,
        instance_url: c.vendor.url,
        token_type: 'Bearer',
        issued_at: '1764929000000',
      },
    }));
    // A gateway or an older org answering the missing api scope with the expiry wording: every token refused.
    c.vendor.on(TEST_ROUTE, expired);
    const { id } = await oauthConnection('5Aep861loop');
    await ageToken(id);
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      state: 'error',
      last_test_outcome: { outcome: 'scope_insufficient', status: 401 },
    });
    expect(refreshes).toBe(1);
    // Tested again right away (a manual refresh, or the reauthorize button's retry), the fresh token is not refreshed
    // once more: the answer is the same, consent.
    const again = await test(id);
    expect(again.data).toMatchObject({ last_test_outcome: { outcome: 'scope_insufficient' } });
    expect(refreshes).toBe(1);
  });

  it('rate limit: the 24 h cap is a 403 REQUEST_LIMIT_EXCEEDED, passed through unretried; usage in Sforce-Limit-Info', async () => {
    c.vendor.on(TEST_ROUTE, organization);
    const { id } = await oauthConnection();
    // https://developer.salesforce.com/docs/atlas.en-us.264.0.api_rest.meta/api_rest/headers_api_usage.htm: no 429
    // and no Retry-After on the REST API; usage in Sforce-Limit-Info: api-usage=<used>/<limit>.
    const { res, attempts } = await c.rateLimited(
      id,
      '/limits',
      {
        limited: {
          ...sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
          headers: { 'sforce-limit-info': 'api-usage=5000/5000' },
        },
        ok: organization,
      },
      config(),
    );
    expect(res.statusCode, res.body).toBe(403);
    expect(attempts).toBe(1);
    expect(res.headers['sforce-limit-info']).toBe('api-usage=5000/5000');
    expect(c.manifest.rate_limit).toBeUndefined();
  });

  it('streams: one page of every stream through queryAll (users through query), the next page by nextRecordsUrl', async () => {
    c.vendor.on(TEST_ROUTE, organization);
    const { id } = await oauthConnection();
    for (const stream of c.manifest.streams) {
      const object = /FROM (\w+)/.exec(stream.params.q ?? '')?.[1] as string;
      expect(object, `${stream.name} has no SOQL`).toBeDefined();
      // https://developer.salesforce.com/docs/platform/api-rest/guide/resources-queryall.md: up to 2,000 records a
      // batch, done:false with nextRecordsUrl (a path on the instance host) while more remain; IsDeleted rows too.
      const next = `/services/data/v68.0/query/01gD0000002HU6KIAW-2000`;
      const page = await c.streamPage(
        id,
        stream.name,
        {
          json: {
            totalSize: 3222,
            done: false,
            nextRecordsUrl: next,
            records: [
              {
                attributes: { type: object, url: `/services/data/v68.0/sobjects/${object}/001D000000IqhSLIAZ` },
                Id: '001D000000IqhSLIAZ',
                SystemModstamp: '2026-12-02T10:11:12.000+0000',
                IsDeleted: true,
              },
            ],
          },
        },
        { config: config() },
      );
      expect(page.sent.url.split('?')[0]).toBe(
        `/services/data/v68.0${stream.name === 'users' ? '/query' : '/queryAll'}`,
      );
      expect(page.query.get('q')).toBe(`SELECT FIELDS(STANDARD) FROM ${object} ORDER BY SystemModstamp`);
      expect(page.records.map((r) => r.Id)).toEqual(['001D000000IqhSLIAZ']);
      expect(page.nextCursor).toBe(next);
    }
    expect(c.manifest.pagination).toMatchObject({ style: 'next_url', max_limit: 2000 });
  });

  it('revocation: disconnect posts token=<refresh> with no client credentials; revoked on Salesforce’s 200', async () => {
    // https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html: POST
    // /services/oauth2/revoke, form token=<token>; 200 = revoked, 400 invalid_token / unsupported_token_type.
    c.vendor.on('POST /services/oauth2/revoke', { status: 200, body: '' });
    const { id } = await oauthConnection('5Aep861revoke');
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /services/oauth2/revoke').at(-1);
    // The rfc7009 style adds token_type_hint, which the endpoint (an RFC 7009 one) may ignore; no client credentials.
    const form = Object.fromEntries(new URLSearchParams(sent?.body.toString()));
    expect(form).toMatchObject({ token: '5Aep861revoke' });
    expect(form.client_id).toBeUndefined();
    expect(form.client_secret).toBeUndefined();
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('revocation: 400 invalid_token is not counted as revoked', async () => {
    c.vendor.on('POST /services/oauth2/revoke', { status: 400, json: { error: 'invalid_token' } });
    const { id } = await oauthConnection('5Aep861unknown');
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: none declared (Outbound Messages are SOAP, events come over the Pub/Sub API)', () => {
    expect(c.manifest.webhooks).toBeUndefined();
  });

  it.each([
    ['contacts', 'Contact', '003', { LastName: 'Lovelace', Email: 'ada@example.com' }],
    ['accounts', 'Account', '001', { Name: 'Analytical Engines' }],
    [
      'opportunities',
      'Opportunity',
      '006',
      { Name: 'Engine No. 2', StageName: 'Prospecting', CloseDate: '2027-01-31' },
    ],
  ])(
    'two-way %s: sObject create, update and refusal as Salesforce answers them',
    async (stream, object, prefix, fields) => {
      const { id } = await oauthConnection();
      const sobjects = `/services/data/v68.0/sobjects/${object}`;
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/dome_sobject_create.htm: POST
      // /sobjects/<Object> {fields} -> 201 {id, errors: [], success: true}.
      const newId = `${prefix}D000000IqhSLIAZ`;
      const created = await pushRecord(
        c,
        id,
        stream,
        fields,
        { status: 201, json: { id: newId, errors: [], success: true } },
        config(),
      );
      expect(created.outcome).toMatchObject({ created: 1, rejected: [] });
      expect(created.sent).toMatchObject({ method: 'POST', url: sobjects });
      expect(created.body).toEqual(fields);
      expect(created.id).toBe(newId);
      // dome_update_fields.htm: PATCH /sobjects/<Object>/<Id> {fields} -> 204, no body; the Id is in the path only
      // (an Id in the body is refused: INVALID_FIELD).
      const updated = await pushRecord(c, id, stream, { Id: newId, ...fields }, { status: 204 }, config());
      expect(updated.outcome).toMatchObject({ updated: 1, rejected: [] });
      expect(updated.sent).toMatchObject({ method: 'PATCH', url: `${sobjects}/${newId}` });
      expect(updated.body).toEqual(fields);
      // errorcodes.htm: errors are [{message, errorCode, fields}]; the record is rejected with the message.
      const refused = await pushRecord(
        c,
        id,
        stream,
        fields,
        {
          status: 400,
          json: [
            { message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] },
          ],
        },
        config(),
      );
      expect(refused.outcome.rejected[0]?.reason).toBe('400: Required fields are missing: [Name]');
    },
  );

  // Every writable stream also writes in batches through sObject Collections (write.batch).
  const shipped = shippedManifest('salesforce').streams;
  const batched = shipped.filter((s) => s.write?.batch).map((s) => s.name);
  it('batch writes: every writable stream declares sObject Collections, at most 200 records a request', () => {
    expect(batched).toEqual(shipped.filter((s) => s.write).map((s) => s.name));
    expect(shipped.filter((s) => s.write?.batch).map((s) => s.write?.batch?.max)).toEqual(batched.map(() => 200));
  });

  it.each(batched)(
    'two-way %s: sObject Collections create and update, each SaveResult read in the records’ order',
    async (stream) => {
      const { id } = await oauthConnection();
      const object = (/FROM (\w+)/.exec(shipped.find((s) => s.name === stream)?.params?.q ?? '') ?? [])[1];
      const url = '/services/data/v68.0/composite/sobjects';
      const one = { Name: 'Analytical Engines', Description: 'first' };
      const two = { Description: 'no name' };
      // resources-composite-sobjects-collections-create: POST /composite/sobjects {allOrNone, records: [{attributes:
      // {type}, ...fields}]} -> 200 with SaveResults {id, success, errors: [{statusCode, message, fields}]} "returned
      // in the order in which the create requests were specified"; allOrNone false: each record written or refused.
      const created = await pushBatch(
        c,
        id,
        stream,
        [one, two],
        {
          status: 200,
          json: [
            { id: '001D000000IqhSLIAZ', success: true, errors: [] },
            {
              success: false,
              errors: [
                {
                  statusCode: 'REQUIRED_FIELD_MISSING',
                  message: 'Required fields are missing: [Name]',
                  fields: ['Name'],
                },
              ],
            },
          ],
        },
        config(),
      );
      expect(created.sent).toMatchObject({ method: 'POST', url });
      expect(created.body).toEqual({
        allOrNone: false,
        records: [
          { attributes: { type: object }, ...one },
          { attributes: { type: object }, ...two },
        ],
      });
      expect(created.outcome).toMatchObject({ created: 1, ids: ['001D000000IqhSLIAZ', undefined] });
      expect(created.outcome.rejected).toEqual([{ record: two, reason: 'Required fields are missing: [Name]' }]);
      // resources-composite-sobjects-collections-update: PATCH /composite/sobjects, each record with its id.
      const updated = await pushBatch(
        c,
        id,
        stream,
        [
          { Id: '001D000000IqhSLIAZ', ...one },
          { Id: '001D000000IqhSMIAZ', ...two },
        ],
        {
          status: 200,
          json: [
            { id: '001D000000IqhSLIAZ', success: true, errors: [] },
            { id: '001D000000IqhSMIAZ', success: true, errors: [] },
          ],
        },
        config(),
      );
      expect(updated.sent).toMatchObject({ method: 'PATCH', url });
      expect(updated.body).toEqual({
        allOrNone: false,
        records: [
          { attributes: { type: object }, id: '001D000000IqhSLIAZ', ...one },
          { attributes: { type: object }, id: '001D000000IqhSMIAZ', ...two },
        ],
      });
      expect(updated.outcome).toMatchObject({
        updated: 2,
        rejected: [],
        ids: ['001D000000IqhSLIAZ', '001D000000IqhSMIAZ'],
      });
    },
  );

  it.each([
    ['contacts', 'Contact'],
    ['accounts', 'Account'],
    ['opportunities', 'Opportunity'],
  ])(
    'two-way %s: changes through queryAll WHERE SystemModstamp >= the cursor, deleted rows included',
    async (stream, object) => {
      const { id } = await oauthConnection();
      // resources-queryall: queryAll also returns deleted rows (IsDeleted = true) - the delete signal of a read.
      const read = await readChanges(
        c,
        id,
        stream,
        '2026-12-01T00:00:00.000Z',
        {
          json: {
            totalSize: 1,
            done: true,
            records: [
              {
                attributes: { type: object, url: `/services/data/v68.0/sobjects/${object}/001D000000IqhSLIAZ` },
                Id: '001D000000IqhSLIAZ',
                IsDeleted: true,
                SystemModstamp: '2026-12-06T10:00:00.000+0000',
              },
            ],
          },
        },
        config(),
      );
      expect(read.sent.url.split('?')[0]).toBe('/services/data/v68.0/queryAll');
      expect(read.query.get('q')).toBe(
        `SELECT FIELDS(STANDARD) FROM ${object} WHERE SystemModstamp >= 2026-12-01T00:00:00Z ORDER BY SystemModstamp, Id`,
      );
      expect(read.records).toEqual([expect.objectContaining({ Id: '001D000000IqhSLIAZ', IsDeleted: true })]);
    },
  );
});
