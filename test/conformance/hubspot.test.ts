import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';
import { pushBatch, pushRecord, readChanges } from './two-way.js';

// HubSpot's shipped manifest against a fake that answers as HubSpot documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('hubspot');
});
afterAll(() => c.close());

const SERVICE_KEY = 'pat-na1-11111111-2222-3333-4444-555555555555';

// https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details:
// GET /account-info/2026-03/details answers the account's portalId, type, time zone and currencies (no name).
const details = {
  status: 200,
  json: {
    portalId: 123456,
    accountType: 'STANDARD',
    timeZone: 'US/Eastern',
    companyCurrency: 'USD',
    additionalCurrencies: [],
    utcOffset: '-05:00',
    utcOffsetMilliseconds: -18000000,
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
  },
};

// HubSpot's error body (https://developers.hubspot.com/docs/api-reference/latest/overview, error handling):
// {status: "error", message, correlationId, category, context?}.
const hubspotError = (status: number, category: string, message: string, context?: Record<string, unknown>) => ({
  status,
  json: {
    status: 'error',
    message,
    correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
    category,
    ...(context ? { context } : {}),
  },
});

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'bearer', credentials: { token: SERVICE_KEY }, reply: details });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('hubspot conformance', () => {
  it('test call: GET /account-info/2026-03/details with the service key as a bearer token; connected, portalId', async () => {
    const { res, sent } = await c.testCall({
      auth_method: 'bearer',
      credentials: { token: SERVICE_KEY },
      reply: details,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/account-info/2026-03/details');
    expect(sent.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '123456',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it('test call: a 200 without portalId is not taken for the account (success needs $.portalId)', async () => {
    const { res } = await c.testCall({
      auth_method: 'bearer',
      credentials: { token: SERVICE_KEY },
      reply: { status: 200, json: { status: 'ok' } },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ outcome: { outcome: 'vendor_error', status: 200 } });
  });

  it.each([
    // An expired OAuth token: 401 category EXPIRED_AUTHENTICATION
    // (https://developers.hubspot.com/docs/api-reference/latest/overview, error handling; the audit's answer).
    [
      hubspotError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 2 minute(s) ago.'),
      'credential_expired',
    ],
    // An unknown or deleted key: 401 INVALID_AUTHENTICATION "Authentication credentials not found."
    [hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.'), 'credential_revoked'],
    // A token without the oauth scope: 403 MISSING_SCOPES with context.missingScopes
    [
      hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
        missingScopes: ['oauth'],
      }),
      'scope_insufficient',
    ],
    // Anything else is HubSpot's error, its category kept.
    [hubspotError(500, 'INTERNAL_ERROR', 'internal error'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { token: SERVICE_KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    const found = res.data.outcome as { missing_scopes?: string[]; vendor_code?: string };
    if (outcome === 'scope_insufficient') expect(found.missing_scopes).toEqual(['oauth']);
    if (outcome === 'vendor_error') expect(found.vendor_code).toBe('INTERNAL_ERROR');
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: a 429 RATE_LIMIT answer is retried through the proxy', async () => {
    const id = await connected();
    // https://developers.hubspot.com/apps/api_guidelines: 429 {status:"error", errorType:"RATE_LIMIT",
    // policyName:"TEN_SECONDLY_ROLLING"}; X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds on answers.
    const limited = {
      status: 429,
      headers: {
        'x-hubspot-ratelimit-max': '190',
        'x-hubspot-ratelimit-remaining': '0',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'retry-after': '1',
      },
      json: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    };
    const { res, attempts } = await c.rateLimited(id, '/crm/objects/2026-03/contacts', {
      limited,
      ok: { json: { results: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(c.manifest.rate_limit).toMatchObject({
      remaining: 'x-hubspot-ratelimit-remaining',
      limit: 'x-hubspot-ratelimit-max',
    });
  });

  it('streams: one page of every stream on the date-based paths, the next page asked with after', async () => {
    const id = await connected();
    for (const stream of c.manifest.streams) {
      expect(stream.path).not.toMatch(/^\/crm\/v3\/(objects|pipelines)/);
      if (stream.name === 'pipelines') {
        // https://developers.hubspot.com/docs/api-reference/2026-03/crm/pipelines/get-pipelines: every pipeline of
        // the object type in one answer, {results: [{id, label, displayOrder, stages, archived}]}, not paged.
        const page = await c.streamPage(id, stream.name, {
          json: { results: [{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, stages: [], archived: false }] },
        });
        expect(page.records.map((r) => r.id)).toEqual(['default']);
        expect(page.query.get('limit')).toBeNull();
        expect(page.nextCursor).toBeUndefined();
        continue;
      }
      // https://developers.hubspot.com/docs/api-reference/2026-03/overview (paging): {results: [...], paging:
      // {next: {after, link}}}, no paging on the last page; owners (/crm/v3/owners) page the same way.
      const page = {
        json: {
          results: [
            {
              id: '512',
              properties: { hs_object_id: '512', lastmodifieddate: '2026-12-02T10:11:12.000Z' },
              createdAt: '2026-01-01T00:00:00.000Z',
              updatedAt: '2026-12-02T10:11:12.000Z',
              archived: false,
            },
          ],
          paging: {
            next: { after: 'MTAyNA%3D%3D', link: `https://api.hubapi.com${stream.path}?after=MTAyNA%3D%3D` },
          },
        },
      };
      const first = await c.streamPage(id, stream.name, page);
      expect(first.query.get('limit')).toBe('10');
      expect(first.records.map((r) => r.id)).toEqual(['512']);
      expect(first.nextCursor).toBe('MTAyNA%3D%3D');
      const second = await c.streamPage(id, stream.name, { json: { results: [] } }, { cursor: 'MTAyNA%3D%3D' });
      expect(second.query.get('after')).toBe('MTAyNA%3D%3D');
      expect(second.nextCursor).toBeUndefined();
    }
  });

  it('token refresh goes to /oauth/2026-03/token with the parameters in the form body', async () => {
    // https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide:
    // POST /oauth/2026-03/token, form body only; answer {token_type, refresh_token, hub_id, scopes, access_token,
    // expires_in: 1800}.
    c.vendor.on('POST /oauth/2026-03/token', {
      json: {
        token_type: 'bearer',
        refresh_token: 'na1-ab12-cd34-ef56-gh78-abcdef123456',
        hub_id: 62515,
        scopes: ['oauth', 'crm.objects.contacts.read'],
        access_token: 'AAA1234-TOKEN-2',
        expires_in: 1800,
      },
    });
    const { id, client } = await c.oauthConnection({
      access_token: 'AAA1234-TOKEN',
      refresh_token: 'na1-ab12-cd34-ef56-gh78-abcdef123456',
      token_type: 'bearer',
      expires_at: new Date(Date.now() + 1_800_000),
      extra: {},
    });
    const res = await c.t.request({ method: 'POST', url: `/v1/connections/${id}/refresh` });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const [sent] = c.requestsTo('POST /oauth/2026-03/token');
    expect(sent?.url).toBe('/oauth/2026-03/token');
    expect(Object.fromEntries(new URLSearchParams(sent?.body.toString()))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'na1-ab12-cd34-ef56-gh78-abcdef123456',
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(c.requestsTo('POST /oauth/v1/token')).toHaveLength(0);
  });

  it('revocation: disconnect posts the refresh token to /oauth/2026-03/token/revoke, counted on HubSpot’s 200', async () => {
    // https://developers.hubspot.com/docs/api-reference/latest/authentication/oauth-tokens/revoke-token: POST form
    // client_id, client_secret, token, token_type_hint.
    c.vendor.on('POST /oauth/2026-03/token/revoke', { status: 200, body: '' });
    const { id, client } = await c.oauthConnection({
      access_token: 'AAA1234-TOKEN',
      refresh_token: 'na1-revoke-me',
      token_type: 'bearer',
      extra: {},
    });
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /oauth/2026-03/token/revoke').at(-1);
    expect(Object.fromEntries(new URLSearchParams(sent?.body.toString()))).toMatchObject({
      client_id: client.client_id,
      client_secret: client.client_secret,
      token: 'na1-revoke-me',
      token_type_hint: 'refresh_token',
    });
  });

  it('revocation: a VALIDATION_ERROR answer is not counted as revoked', async () => {
    // Same page: errors are {message, correlationId, category: "VALIDATION_ERROR"}.
    c.vendor.on('POST /oauth/2026-03/token/revoke', {
      status: 400,
      json: { message: 'Invalid input', correlationId: 'aeb5f871', category: 'VALIDATION_ERROR' },
    });
    const { id } = await c.oauthConnection({
      access_token: 'AAA1234-TOKEN',
      refresh_token: 'na1-unknown',
      token_type: 'bearer',
      extra: {},
    });
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: a v3-signed delivery (app client secret) is accepted, a forged one refused', async () => {
    const { id, client } = await c.oauthConnection({
      access_token: 'AAA1234-TOKEN',
      refresh_token: 'na1-webhooks',
      token_type: 'bearer',
      extra: {},
    });
    const { res, path } = await c.inboundSource(id, client.client_secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'hubspot_v3', tolerance_seconds: 300 } });
    const url = (res.data.source as { url: string }).url;
    // https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation:
    // X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret, method + URI + body + timestamp)),
    // X-HubSpot-Request-Timestamp in ms; the body is an array of events
    // (https://developers.hubspot.com/docs/faq/v1-request-validation has the event fields).
    const body = JSON.stringify([
      {
        eventId: 1,
        subscriptionId: 12345,
        portalId: 62515,
        occurredAt: 1564113600000,
        subscriptionType: 'contact.creation',
        attemptNumber: 0,
        objectId: 123,
        changeSource: 'CRM',
        changeFlag: 'NEW',
        appId: 54321,
      },
    ]);
    const sign = (secret: string) => {
      const ts = String(Date.now());
      const sig = createHmac('sha256', secret).update(`POST${url}${body}${ts}`).digest('base64');
      return { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts };
    };
    const accepted = await c.deliver(path as string, body, sign(client.client_secret));
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, sign('someone-elses-secret'));
    expect(forged.statusCode, forged.body).toBe(401);
  });

  it.each([
    ['contacts', 'lastmodifieddate', { email: 'ada@example.com', firstname: 'Ada' }],
    ['companies', 'hs_lastmodifieddate', { name: 'Analytical Engines', domain: 'engines.example' }],
    ['deals', 'hs_lastmodifieddate', { dealname: 'Engine No. 2', amount: '1200' }],
  ])('two-way %s: create, update and refusal as HubSpot answers them', async (stream, modified, properties) => {
    const id = await connected();
    // https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/create-contact: POST
    // /crm/objects/2026-03/{type} {properties} -> 201 with the record {id, properties, createdAt, updatedAt,
    // archived}; the values come back as strings, with HubSpot's own properties added.
    const at = '2026-12-06T10:00:00.000Z';
    const created = await pushRecord(c, id, stream, properties, {
      status: 201,
      json: {
        id: '512',
        properties: { ...properties, hs_object_id: '512', createdate: at, [modified]: at },
        createdAt: at,
        updatedAt: at,
        archived: false,
      },
    });
    expect(created.outcome).toMatchObject({ created: 1, rejected: [] });
    expect(created.sent.url).toBe(`/crm/objects/2026-03/${stream}`);
    expect(created.body).toEqual({ properties });
    expect(created.id).toBe('512');
    // PATCH /{id} {properties} -> 200 with the record.
    const updated = await pushRecord(c, id, stream, { id: '512', ...properties }, { status: 200, json: {} });
    expect(updated.outcome).toMatchObject({ updated: 1, rejected: [] });
    expect(updated.sent).toMatchObject({ method: 'PATCH', url: `/crm/objects/2026-03/${stream}/512` });
    expect(updated.body).toEqual({ properties });
    // A refusal (here a 404 for an id HubSpot does not know) rejects the record with HubSpot's message.
    const refused = await pushRecord(
      c,
      id,
      stream,
      { id: '999', ...properties },
      hubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found'),
    );
    expect(refused.outcome.rejected).toEqual([expect.objectContaining({ reason: '404: resource not found' })]);
  });

  it('two-way contacts: a second contact with an existing email is refused with HubSpot’s 409 message', async () => {
    const id = await connected();
    // The v1 createOrUpdate page documents the 409 for an email another contact holds; the 2026-03 answer keeps
    // the error body {status, message, correlationId, category: CONFLICT}.
    const refused = await pushRecord(
      c,
      id,
      'contacts',
      { email: 'ada@example.com' },
      hubspotError(409, 'CONFLICT', 'Contact already exists. Existing ID: 512'),
    );
    expect(refused.outcome).toMatchObject({ created: 0 });
    expect(refused.outcome.rejected[0]?.reason).toBe('409: Contact already exists. Existing ID: 512');
  });

  it.each([
    ['contacts', { email: 'ada@example.com' }, { email: 'grace@example.com' }],
    ['companies', { name: 'Analytical Engines' }, { name: 'Difference Engines' }],
    ['deals', { dealname: 'Engine No. 1' }, { dealname: 'Engine No. 2' }],
  ])(
    'two-way %s: batch create and update as HubSpot answers them, a 207 naming the inputs it refused',
    async (stream, one, two) => {
      const id = await connected();
      const at = '2026-12-06T10:00:00.000Z';
      const record = (rid: string, properties: Record<string, string>, trace: string) => ({
        id: rid,
        properties,
        createdAt: at,
        updatedAt: at,
        archived: false,
        objectWriteTraceId: trace,
      });
      // https://developers.hubspot.com/docs/api-reference/latest/crm/objects/partner-clients/batch/create-partner-clients:
      // POST .../{type}/batch/create {inputs: [{properties, associations, objectWriteTraceId}]}. With a unique
      // objectWriteTraceId per input, a partial failure is a 207 whose errors name the inputs in
      // context.objectWriteTraceId (https://developers.hubspot.com/docs/api-reference/latest/error-handling).
      const created = await pushBatch(c, id, stream, [{ properties: one }, { properties: two }], {
        status: 207,
        json: {
          status: 'COMPLETE',
          results: [record('513', two, '1')],
          numErrors: 1,
          errors: [
            {
              status: 'error',
              category: 'VALIDATION_ERROR',
              message: 'Property values were not valid',
              context: { objectWriteTraceId: ['0'] },
            },
          ],
          startedAt: at,
          completedAt: at,
        },
      });
      expect(created.sent).toMatchObject({ method: 'POST', url: `/crm/objects/2026-03/${stream}/batch/create` });
      expect(created.body).toEqual({
        inputs: [
          { properties: one, associations: [], objectWriteTraceId: '0' },
          { properties: two, associations: [], objectWriteTraceId: '1' },
        ],
      });
      expect(created.outcome).toMatchObject({ created: 1, ids: [undefined, '513'] });
      expect(created.outcome.rejected.map((r) => r.reason)).toEqual(['Property values were not valid']);
      // .../batch/update {inputs: [{id, properties}]} -> 200 {status, results} when every input was written
      // (https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts).
      const updated = await pushBatch(
        c,
        id,
        stream,
        [
          { id: '512', properties: one },
          { id: '513', properties: two },
        ],
        { status: 200, json: { status: 'COMPLETE', results: [record('513', two, '1'), record('512', one, '0')] } },
      );
      expect(updated.sent).toMatchObject({ method: 'POST', url: `/crm/objects/2026-03/${stream}/batch/update` });
      expect(updated.body).toEqual({
        inputs: [
          { id: '512', properties: one, objectWriteTraceId: '0' },
          { id: '513', properties: two, objectWriteTraceId: '1' },
        ],
      });
      expect(updated.outcome).toMatchObject({ updated: 2, rejected: [], ids: ['512', '513'] });
    },
  );

  it.each([
    ['contacts', 'lastmodifieddate'],
    ['companies', 'hs_lastmodifieddate'],
    ['deals', 'hs_lastmodifieddate'],
  ])('two-way %s: changes are searched from the cursor (GTE %s, epoch ms, ascending)', async (stream, modified) => {
    const id = await connected();
    // https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm: POST .../search {filterGroups,
    // sorts, limit <= 200, after} -> {total, results, paging?}.
    const at = '2026-12-06T10:00:00.000Z';
    const read = await readChanges(c, id, stream, '2026-12-01T00:00:00.000Z', {
      json: {
        total: 1,
        results: [{ id: '512', properties: { [modified]: at }, createdAt: at, updatedAt: at, archived: false }],
      },
    });
    expect(read.sent).toMatchObject({ method: 'POST', url: `/crm/objects/2026-03/${stream}/search` });
    expect(read.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: modified, operator: 'GTE', value: String(Date.UTC(2026, 11, 1)) }] }],
      sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(read.records.map((r) => r.id)).toEqual(['512']);
    expect(read.state).toMatchObject({ cursor: at });
  });
});
