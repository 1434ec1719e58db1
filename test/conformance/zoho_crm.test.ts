import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { shippedManifest, startConformance, type Conformance } from './harness.js';
import { pushBatch, pushRecord, readChanges } from './two-way.js';

// Zoho CRM's shipped manifest against a fake that answers as Zoho documents. Every answer cites its page. Zoho CRM is
// OAuth only: connections are made as the callback stores them, and tested with POST …/test.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('zoho_crm');
});
afterAll(() => c.close());

// The fake plays the accounts server (its host replaces accounts.{{config.dc}}) and the api_domain.
const config = () => ({ dc: 'zoho.eu', api_domain: c.vendor.url });
const TEST_ROUTE = 'GET /crm/v8/org';

// https://www.zoho.com/crm/developer/docs/api/v8/get-org-data.html: {org: [{id, company_name, primary_email, ...}]}.
const org = {
  status: 200,
  json: {
    org: [
      {
        id: '4150868000000225013',
        company_name: 'Zylker',
        primary_email: 'admin@zylker.com',
        time_zone: 'PST',
        currency: 'USD',
      },
    ],
  },
};

// https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html: errors {code, details, message, status: "error"}.
const zohoError = (status: number, code: string, message: string): VendorReply => ({
  status,
  json: { code, details: {}, message, status: 'error' },
});

async function oauthConnection(refresh = '1000.refresh') {
  return c.oauthConnection(
    { access_token: '1000.access', refresh_token: refresh, token_type: 'Bearer', extra: {} },
    undefined,
    config(),
  );
}

const test = (id: string) => c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });

/** The stored token issued an hour ago (Zoho access tokens last one hour). */
const ageToken = (id: string) =>
  c.t.db.query(
    `update connection_credentials set updated_at = now() - interval '1 hour', refreshed_at = now() - interval '1 hour'
      where connection_id = $1`,
    [id],
  );

describe('zoho_crm conformance', () => {
  it('data centres: Saudi Arabia and the United Kingdom are offered besides the seven older ones', () => {
    // https://zoho.com/accounts/protocol/oauth/multi-dc.html lists accounts.zoho.sa and accounts.zoho.uk.
    const dc = c.manifest.config.find((f) => f.key === 'dc');
    expect(dc?.options?.map((o) => o.value)).toEqual(
      expect.arrayContaining([
        'zoho.com',
        'zoho.eu',
        'zoho.in',
        'zoho.com.au',
        'zoho.jp',
        'zohocloud.ca',
        'zoho.sa',
        'zoho.uk',
      ]),
    );
  });

  it('test call: GET /crm/v8/org with the Zoho-oauthtoken header; connected with the org id and company name', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '4150868000000225013',
      vendor_account_name: 'Zylker',
      last_test_outcome: { outcome: 'connected' },
    });
    expect(c.requestsTo(TEST_ROUTE).at(-1)?.headers.authorization).toBe('Zoho-oauthtoken 1000.access');
  });

  it.each([
    // Same page: AUTHENTICATION_FAILURE (401) and OAUTH_SCOPE_MISMATCH (401) "invalid oauth scope to access this URL".
    [zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'), 'credential_revoked'],
    [zohoError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'), 'scope_insufficient'],
    [zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    c.vendor.on(TEST_ROUTE, reply);
    const { id } = await oauthConnection();
    const res = await test(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ last_test_outcome: { outcome, status: reply.status } });
  });

  it('test call: INVALID_TOKEN is expiry — the token is refreshed at the accounts server and the test passes', async () => {
    // https://www.zoho.com/crm/developer/docs/api/v8/refresh.html: POST {accounts}/oauth/v2/token
    // grant_type=refresh_token → {access_token, api_domain, token_type: "Bearer", expires_in: 3600}.
    c.vendor.on('POST /oauth/v2/token', {
      json: { access_token: '1000.fresh', api_domain: c.vendor.url, token_type: 'Bearer', expires_in: 3600 },
    });
    c.vendor.on(TEST_ROUTE, (req) =>
      req.headers.authorization === 'Zoho-oauthtoken 1000.fresh'
        ? org
        : zohoError(401, 'INVALID_TOKEN', 'invalid oauth token'),
    );
    const { id, client } = await oauthConnection('1000.old-refresh');
    await ageToken(id);
    const res = await test(id);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const form = Object.fromEntries(new URLSearchParams(c.requestsTo('POST /oauth/v2/token').at(-1)?.body.toString()));
    expect(form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: '1000.old-refresh',
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
  });

  it('rate limit: 429 TOO_MANY_REQUESTS is retried through the proxy', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    // https://www.zoho.com/crm/help/api/api-limits.html: over the concurrency limit → TOO_MANY_REQUESTS (429); no
    // rate headers documented, so the wait is the proxy's own.
    const { res, attempts } = await c.rateLimited(
      id,
      '/Leads',
      {
        limited: zohoError(429, 'TOO_MANY_REQUESTS', 'The number of concurrent requests exceeded the limit'),
        ok: { json: { data: [], info: { more_records: false } } },
      },
      config(),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream — modules with fields, per_page 200 and page_token; users by page', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    for (const stream of c.manifest.streams) {
      if (stream.name === 'users') {
        // https://www.zoho.com/crm/developer/docs/api/v8/get-users.html: type=AllUsers, page + per_page (<= 200),
        // {users: [...], info: {per_page, count, page, more_records}}.
        const page = await c.streamPage(
          id,
          'users',
          {
            json: {
              users: [
                { id: '4150868000000225013', full_name: 'Patricia Boyle', Modified_Time: '2026-12-02T10:11:12+05:30' },
              ],
              info: { per_page: 200, count: 1, page: 1, more_records: false },
            },
          },
          { config: config() },
        );
        expect(page.query.get('type')).toBe('AllUsers');
        expect(page.query.get('per_page')).toBe('200');
        expect(page.records.map((r) => r.id)).toEqual(['4150868000000225013']);
        continue;
      }
      // https://www.zoho.com/crm/developer/docs/api/v8/get-records.html: fields is mandatory (<= 50 API names);
      // per_page <= 200; page reaches the first 2,000 records only, then page_token = info.next_page_token.
      const token = 'c8582e7a0c1d5e7e6a8b07d4cbd2cc6b';
      const first = await c.streamPage(
        id,
        stream.name,
        {
          json: {
            data: [{ id: '4150868000000624001', Modified_Time: '2026-12-02T10:11:12+05:30' }],
            info: {
              per_page: 200,
              count: 200,
              page: 10,
              sort_by: 'Modified_Time',
              sort_order: 'asc',
              more_records: true,
              next_page_token: token,
              previous_page_token: null,
              page_token_expiry: '2026-12-06T10:11:12+05:30',
            },
          },
        },
        { config: config() },
      );
      const fields = first.query.get('fields')?.split(',') ?? [];
      expect(fields.length, `${stream.name} lists no fields`).toBeGreaterThan(0);
      expect(fields.length).toBeLessThanOrEqual(50);
      expect(fields).toContain('Modified_Time');
      expect(first.query.get('per_page')).toBe('200');
      expect(first.nextCursor).toBe(token);
      const next = await c.streamPage(
        id,
        stream.name,
        { json: { data: [], info: { more_records: false } } },
        { cursor: token, config: config() },
      );
      expect(next.query.get('page_token')).toBe(token);
      expect(next.query.get('page')).toBeNull(); // page and page_token cannot be combined
    }
  });

  it('revocation: disconnect posts the refresh token as a query parameter, no client auth; revoked on {"status":"success"}', async () => {
    // https://zoho.com/accounts/protocol/oauth/revoke-refresh-token.html: POST
    // {accounts}/oauth/v2/token/revoke?token=<refresh token> → 200 {"status":"success"}; an invalid token → 400.
    c.vendor.on('POST /oauth/v2/token/revoke', { json: { status: 'success' } });
    const { id } = await oauthConnection('1000.revoke-me');
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /oauth/v2/token/revoke').at(-1);
    expect(new URL(sent?.url ?? '', c.vendor.url).searchParams.get('token')).toBe('1000.revoke-me');
    expect(sent?.body.length).toBe(0);
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('revocation: a 400 (or a 200 without status success) is not counted as revoked', async () => {
    c.vendor.on('POST /oauth/v2/token/revoke', { status: 400, json: { error: 'invalid_token' } });
    const first = await c.disconnect((await oauthConnection('1000.unknown')).id);
    expect(first.revocation?.outcome).not.toBe('revoked');
    c.vendor.on('POST /oauth/v2/token/revoke', { status: 200, json: { status: 'failure' } });
    const second = await c.disconnect((await oauthConnection('1000.unknown-2')).id);
    expect(second.revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: a notification echoing the channel token is accepted; another or no token refused', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    const channelToken = 'zoho-channel-token-0123456789';
    const { res, path } = await c.inboundSource(id, channelToken);
    expect(res.statusCode, res.body).toBe(201);
    // https://www.zoho.com/crm/developer/docs/api/notifications/enable.html: the channel's token (<= 50 chars) comes
    // back in every notification body with channel_id, module, operation, ids, server_time, resource_uri.
    const note = (token?: string) =>
      JSON.stringify({
        server_time: 1764929000000,
        query_params: {},
        module: 'Leads',
        resource_uri: 'https://www.zohoapis.com/crm/v8/Leads',
        ids: ['4150868000000624001'],
        operation: 'update',
        channel_id: '1000000068001',
        ...(token === undefined ? {} : { token }),
      });
    const accepted = await c.deliver(path as string, note(channelToken), {});
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, note('zoho-other-token'), {});
    expect(forged.statusCode, forged.body).toBe(401);
    const missing = await c.deliver(path as string, note(), {});
    expect(missing.statusCode, missing.body).toBe(401);
  });

  it('two-way contacts: {data: [record]} create and update, the per-record status read, refusals kept', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    // https://zoho.com/crm/developer/docs/api/v7/insert-records.html (v8 the same): POST /crm/v8/Contacts
    // {data: [record]} -> 201 {data: [{code: SUCCESS, details: {Modified_Time, Modified_By, Created_Time, id,
    // Created_By}, message: "record added", status: "success"}]}.
    const who = { name: 'Patricia Boyle', id: '4150868000000225013' };
    const fields = { Last_Name: 'Lovelace', Email: 'ada@example.com' };
    const details = {
      Modified_Time: '2026-12-06T15:30:00+05:30',
      Modified_By: who,
      Created_Time: '2026-12-06T15:30:00+05:30',
      id: '4150868000000624001',
      Created_By: who,
    };
    const created = await pushRecord(
      c,
      id,
      'contacts',
      fields,
      { status: 201, json: { data: [{ code: 'SUCCESS', details, message: 'record added', status: 'success' }] } },
      config(),
    );
    expect(created.outcome).toMatchObject({ created: 1, rejected: [] });
    expect(created.sent).toMatchObject({ method: 'POST', url: '/crm/v8/Contacts' });
    expect(created.body).toEqual({ data: [fields] });
    expect(created.id).toBe('4150868000000624001');
    // update-records.html: PUT /crm/v8/Contacts/{id} {data: [record]} -> 200, message "record updated".
    const updated = await pushRecord(
      c,
      id,
      'contacts',
      { id: '4150868000000624001', ...fields },
      { status: 200, json: { data: [{ code: 'SUCCESS', details, message: 'record updated', status: 'success' }] } },
      config(),
    );
    expect(updated.outcome).toMatchObject({ updated: 1, rejected: [] });
    expect(updated.sent).toMatchObject({ method: 'PUT', url: '/crm/v8/Contacts/4150868000000624001' });
    expect(updated.body).toEqual({ data: [fields] });
    // A refused record: {code, details: {api_name, json_path}, message, status: "error"} in data[0] (400).
    const mandatory = {
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name', json_path: '$.data[0].Last_Name' },
      message: 'required field not found',
      status: 'error',
    };
    const refused = await pushRecord(
      c,
      id,
      'contacts',
      { Email: 'x@example.com' },
      { status: 400, json: { data: [mandatory] } },
      config(),
    );
    expect(refused.outcome.rejected[0]?.reason).toBe('400: required field not found');
    // Zoho reports each record's outcome in the body (207 Multi-Status for a partly refused batch): a 2xx whose
    // data[0].status is not "success" is not taken for a write (the manifest's `success`).
    const quiet = await pushRecord(c, id, 'contacts', fields, { status: 207, json: { data: [mandatory] } }, config());
    expect(quiet.outcome).toMatchObject({ created: 0 });
    expect(quiet.outcome.rejected[0]?.reason).toBe('207: required field not found');
  });

  // The modules written through the records API also write in batches (write.batch); Notes have their own API, which
  // does not say its results keep the records' order, and write one record a request.
  const shipped = shippedManifest('zoho_crm').streams;
  const batched = shipped.filter((s) => s.write?.batch).map((s) => [s.name, s.path as string] as const);
  it('batch writes: the records API modules declare them, at most 100 records a request; Notes do not', () => {
    expect(batched.map(([name]) => name)).toEqual(['leads', 'contacts', 'accounts', 'deals', 'tasks', 'products']);
    expect(shipped.find((s) => s.name === 'notes')?.write?.batch).toBeUndefined();
    expect(shipped.filter((s) => s.write?.batch).every((s) => s.write?.batch?.max === 100)).toBe(true);
  });

  const who = { name: 'Patricia Boyle', id: '4150868000000225013' };
  const written = (id: string, message: string) => ({
    code: 'SUCCESS',
    details: {
      Modified_Time: '2026-12-06T15:30:00+05:30',
      Modified_By: who,
      Created_Time: '2026-12-06T15:30:00+05:30',
      id,
      Created_By: who,
    },
    message,
    status: 'success',
  });
  const refusedAt = (i: number, code: string, api_name: string, message: string) => ({
    code,
    details: { api_name, json_path: `$.data[${i}].${api_name}` },
    message,
    status: 'error',
  });

  it.each(batched)(
    'two-way %s: batch insert and update as Zoho answers them, each result read in the records’ order',
    async (stream, path) => {
      c.vendor.on(TEST_ROUTE, org);
      const { id } = await oauthConnection();
      const url = `/crm/v8${path}`;
      const one = { Last_Name: 'Lovelace', Email: 'ada@example.com' };
      const two = { Email: 'x@example.com' };
      // crm-oas v8.0 createRecords: POST /{module} {data: [up to 100 records]}; "the Response JSON array maintains the
      // same order as the input records"; partial success is 207 Multi-Status, each data[i] its record's outcome.
      const created = await pushBatch(
        c,
        id,
        stream,
        [one, two],
        {
          status: 207,
          json: {
            data: [
              written('4150868000000624001', 'record added'),
              refusedAt(1, 'MANDATORY_NOT_FOUND', 'Last_Name', 'required field not found'),
            ],
          },
        },
        config(),
      );
      expect(created.sent).toMatchObject({ method: 'POST', url });
      expect(created.body).toEqual({ data: [one, two] });
      expect(created.outcome).toMatchObject({ created: 1, ids: ['4150868000000624001', undefined] });
      expect(created.outcome.rejected).toEqual([{ record: two, reason: 'required field not found' }]);
      // updateRecords: PUT /{module} {data: [{id, ...fields}]}, the same order. A 2xx whose data[i].status is not
      // success refuses that record (integrators report sandboxes answering 200 where production answers 207).
      const updated = await pushBatch(
        c,
        id,
        stream,
        [
          { id: '4150868000009999999', ...one },
          { id: '4150868000000624001', ...two },
        ],
        {
          status: 200,
          json: {
            data: [
              refusedAt(0, 'INVALID_DATA', 'id', 'the id given seems to be invalid'),
              written('4150868000000624001', 'record updated'),
            ],
          },
        },
        config(),
      );
      expect(updated.sent).toMatchObject({ method: 'PUT', url });
      expect(updated.body).toEqual({
        data: [
          { ...one, id: '4150868000009999999' },
          { ...two, id: '4150868000000624001' },
        ],
      });
      expect(updated.outcome).toMatchObject({ updated: 1, ids: [undefined, '4150868000000624001'] });
      expect(updated.outcome.rejected.map((r) => r.reason)).toEqual(['the id given seems to be invalid']);
    },
  );

  it('two-way contacts: a batch answered 400 (no record written) is not read by position; each record goes alone', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    // crm-oas v8.0 createRecords: 400 when the records cannot be processed - its list is not one result per record
    // (the samples list one error for the call), so each record is sent again alone for its own answer.
    const refused = {
      status: 400,
      json: { data: [refusedAt(0, 'MANDATORY_NOT_FOUND', 'Last_Name', 'required field not found')] },
    };
    const before = c.requestsTo('POST /crm/v8/Contacts').length;
    const outcome = await pushBatch(
      c,
      id,
      'contacts',
      [{ Email: 'a@example.com' }, { Email: 'b@example.com' }],
      refused,
      config(),
    );
    const sent = c.requestsTo('POST /crm/v8/Contacts').slice(before);
    expect(sent.map((r) => (JSON.parse(r.body.toString()) as { data: unknown[] }).data.length)).toEqual([2, 1, 1]);
    expect(outcome.outcome).toMatchObject({ created: 0 });
    expect(outcome.outcome.rejected.map((r) => r.reason)).toEqual([
      '400: required field not found',
      '400: required field not found',
    ]);
  });

  it('two-way contacts: changes with If-Modified-Since (a second back), sorted by Modified_Time ascending', async () => {
    c.vendor.on(TEST_ROUTE, org);
    const { id } = await oauthConnection();
    const read = await readChanges(
      c,
      id,
      'contacts',
      '2026-12-01T00:00:00.000Z',
      {
        json: {
          data: [{ id: '4150868000000624001', Last_Name: 'Lovelace', Modified_Time: '2026-12-06T15:30:00+05:30' }],
          info: { per_page: 200, count: 1, page: 1, more_records: false, next_page_token: null },
        },
      },
      config(),
    );
    expect(read.sent.url.split('?')[0]).toBe('/crm/v8/Contacts');
    expect(read.sent.headers['if-modified-since']).toBe('2026-11-30T23:59:59Z');
    expect(Object.fromEntries(read.query)).toMatchObject({ sort_by: 'Modified_Time', sort_order: 'asc' });
    expect(read.records.map((r) => r.id)).toEqual(['4150868000000624001']);
  });
});
