import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Bloomberg's shipped manifest (DL REST API, coming soon) against a fake that answers as the DL REST API OpenAPI
// description 2.8.8 documents (embedded in https://github.com/majodomenech/main-template/blob/main/src/blapi/rest.py;
// docs/connector-audit/bloomberg.md). The connector is coming soon, so the test makes its registry entry active to
// drive it; everything else is the shipped manifest.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('bloomberg');
  await c.t.db.query("update connectors set availability = 'active' where slug = 'bloomberg'");
  await c.t.built.registry.invalidate(c.t.db);
  const res = await c.t.request({
    method: 'PUT',
    url: '/v1/oauth/clients/bloomberg',
    body: { client_id: 'dl-conformance-client', client_secret: 'dl-conformance-secret' },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
});
afterAll(() => c.close());

const TOKEN_PATH = '/ext/api/as/token.oauth2';

// RFC 6749 §5.1 token answer (client credentials at the token URL of Bloomberg's sample code).
const issueToken = () =>
  c.vendor.on(`POST ${TOKEN_PATH}`, { json: { access_token: 'eyJ.dl.token', token_type: 'Bearer', expires_in: 3599 } });

// Spec 2.8.8: the catalogs container (JSON-LD), "contains" the account's catalogs.
const catalogs = {
  json: {
    '@context': 'https://api.bloomberg.com/eap/context.jsonld',
    '@id': 'https://api.bloomberg.com/eap/catalogs/',
    '@type': 'Container',
    contains: [
      { '@id': 'https://api.bloomberg.com/eap/catalogs/bbg/', identifier: 'bbg', title: 'Bloomberg' },
      { '@id': 'https://api.bloomberg.com/eap/catalogs/12345/', identifier: '12345', title: 'Acme Capital' },
    ],
  },
};

const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function connected(): Promise<string> {
  issueToken();
  const { res } = await c.testCall({ auth_method: 'oauth2', reply: catalogs });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

describe('bloomberg conformance', () => {
  it('test call: a client-credentials token, then GET /eap/catalogs/ with it and api-version: 2; connected', async () => {
    issueToken();
    const { res, sent } = await c.testCall({ auth_method: 'oauth2', reply: catalogs });
    expect(res.statusCode, res.body).toBe(201);
    const [token] = c.requestsTo(`POST ${TOKEN_PATH}`).slice(-1);
    expect(Object.fromEntries(new URLSearchParams(token?.body.toString()))).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'dl-conformance-client',
    });
    expect(sent.url).toBe('/eap/catalogs/');
    expect(sent.headers.authorization).toBe('Bearer eyJ.dl.token');
    // Spec 2.8.8 "Version Headers": every request carries api-version: 2, else 400.
    expect(sent.headers['api-version']).toBe('2');
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it.each([
    // A 401 whose detail names the IP allow-list (https://www.quotaguard.com/docs/apis/bloomberg/bloomberg-integration/):
    // the credential just got a token, so this is the vendor's refusal, not a revoked credential.
    [
      { status: 401, json: { errors: [{ status: '401', detail: 'Request IP address is not whitelisted.' }] } },
      'vendor_error',
    ],
    // Spec 2.8.8: not entitled to the resource.
    [{ status: 403, json: { errors: [{ status: '403', detail: 'Forbidden' }] } }, 'scope_insufficient'],
    // Spec 2.8.8: a request without api-version is rejected with 400 (JSON-API errors).
    [{ status: 400, json: { errors: [{ status: '400', detail: 'api-version header required' }] } }, 'vendor_error'],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    issueToken();
    const before = await connectionCount();
    const { res } = await c.testCall({ auth_method: 'oauth2', reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    expect(await connectionCount()).toBe(before);
  });

  it('rate limit: a 429 (1000 req/s per IP, 1200 req/min per application) is retried through the proxy', async () => {
    const id = await connected();
    // Spec 2.8.8 "Rate Limiting": rejected with HTTP 429; no rate headers documented.
    const { res, attempts } = await c.rateLimited(id, '/catalogs/', {
      limited: { status: 429, json: { errors: [{ status: '429', detail: 'Too Many Requests' }] } },
      ok: catalogs,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream with a path; datasets and requests per catalog, next page in the Link header', async () => {
    const id = await connected();
    const first = await c.streamPage(id, 'catalogs', catalogs);
    expect(first.query.get('pageSize')).toBe('10');
    expect(first.records.map((r) => r.identifier)).toEqual(['bbg', '12345']);
    // Spec 2.8.8 "Pagination": LDP-Paging links (first/next/last) in the headers; pageSize where supported.
    const link =
      '<https://api.bloomberg.com/eap/catalogs/bbg/datasets/?page=2&pageSize=2>; rel="next", ' +
      '<https://api.bloomberg.com/eap/catalogs/bbg/datasets/?page=1&pageSize=2>; rel="first"';
    for (const name of ['datasets', 'requests']) {
      const page = await c.streamPage(
        id,
        name,
        {
          json: {
            contains: [
              { identifier: `${name}1`, title: 'One' },
              { identifier: `${name}2`, title: 'Two' },
            ],
          },
          headers: { link },
        },
        { parent: { identifier: 'bbg' }, limit: 2 },
      );
      expect(page.sent.url.split('?')[0]).toBe(`/eap/catalogs/bbg/${name}/`);
      expect(page.query.get('pageSize')).toBe('2');
      expect(page.stream.primary_key).toEqual(['catalog', 'identifier']);
      expect(page.res.headers.link).toContain('rel="next"');
      expect(page.records).toHaveLength(2);
    }
    // content_responses has no confirmed path: declared, not read.
    expect(c.manifest.streams.find((s) => s.name === 'content_responses')?.path).toBeUndefined();
  });

  it('declares no webhooks (push notifications are Server-Sent Events) and no token revocation', () => {
    expect(c.manifest.webhooks).toBeUndefined();
    const oauth = c.manifest.auth[0];
    expect(oauth).toMatchObject({ type: 'oauth2', grant: 'client_credentials' });
    expect(oauth?.type === 'oauth2' && (oauth.revocation ?? oauth.revocation_url)).toBeFalsy();
  });
});
