import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectVendorSaw, startSdkProxy, type SdkSetup } from './harness.js';

// @hubspot/api-client pointed at the proxy (the recipe in the README, "Vendor SDKs through the proxy"), against a
// fake that answers as HubSpot documents the CRM objects API the client calls (its /crm/v3 paths).

/** The README's recipe: the proxy is the client's basePath, the Switchyard key its access token. */
const hubspotThroughSwitchyard = (switchyardUrl: string, connectionId: string, switchyardKey: string) =>
  new Client({ accessToken: switchyardKey, basePath: `${switchyardUrl}/v1/connections/${connectionId}/proxy` });

const SERVICE_KEY = 'pat-na1-11111111-2222-3333-4444-vendorkeyheld';

const contact = (id: number, email: string) => ({
  id: String(id),
  properties: { email, createdate: '2026-12-01T10:00:00.000Z', hs_object_id: String(id) },
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  archived: false,
});

let s: SdkSetup;
let hubspot: Client;
beforeAll(async () => {
  s = await startSdkProxy('hubspot', { auth_method: 'bearer', credentials: { token: SERVICE_KEY } });
  hubspot = hubspotThroughSwitchyard(s.url, s.connectionId, s.token);

  // https://developers.hubspot.com/docs/api-reference/latest/overview: lists take limit + after and answer
  // {results, paging: {next: {after, link}}}, without paging on the last page.
  const contacts = [1, 2, 3, 4, 5].map((n) => contact(100 + n, `c${n}@example.com`));
  s.vendor.on('GET /crm/v3/objects/contacts', (req) => {
    const q = new URL(req.url, s.vendor.url).searchParams;
    const limit = Number(q.get('limit') ?? 10);
    const after = Number(q.get('after') ?? 0);
    const next = after + limit < contacts.length ? String(after + limit) : undefined;
    return {
      headers: { 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-remaining': '180' },
      json: {
        results: contacts.slice(after, after + limit),
        ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
      },
    };
  });
  // Create: 201 with the object; an existing email: 409 {status: "error", message, correlationId, category:
  // "CONFLICT"} (HubSpot's error body: https://developers.hubspot.com/docs/api-reference/latest/overview).
  s.vendor.on('POST /crm/v3/objects/contacts', (req) => {
    const { properties } = JSON.parse(req.body.toString()) as { properties: { email: string } };
    if (properties.email === 'c1@example.com') {
      return {
        status: 409,
        json: {
          status: 'error',
          message: 'Contact already exists. Existing ID: 101',
          correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
          category: 'CONFLICT',
        },
      };
    }
    return { status: 201, json: contact(200, properties.email) };
  });
});
afterAll(() => s.close());

const sinceNow = () => s.vendor.requests.length;

describe('@hubspot/api-client through the proxy', () => {
  it('pages with getPage and after, and getAll follows paging.next.after to the end', async () => {
    const from = sinceNow();
    const first = await hubspot.crm.contacts.basicApi.getPage(2);
    expect(first.results.map((c) => c.id)).toEqual(['101', '102']);
    expect(first.paging?.next?.after).toBe('2');
    const second = await hubspot.crm.contacts.basicApi.getPage(2, first.paging?.next?.after);
    expect(second.results.map((c) => c.id)).toEqual(['103', '104']);
    const all = await hubspot.crm.contacts.getAll(2);
    expect(all.map((c) => c.properties.email)).toEqual([1, 2, 3, 4, 5].map((n) => `c${n}@example.com`));
    const seen = s.received(from);
    expect(seen.map((r) => r.url)).toEqual([
      '/crm/v3/objects/contacts?limit=2',
      '/crm/v3/objects/contacts?limit=2&after=2',
      '/crm/v3/objects/contacts?limit=2',
      '/crm/v3/objects/contacts?limit=2&after=2',
      '/crm/v3/objects/contacts?limit=2&after=4',
    ]);
    expectVendorSaw(seen, `Bearer ${SERVICE_KEY}`, s.token);
  });

  it('creates with a JSON POST', async () => {
    const from = sinceNow();
    const created = await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com', firstname: 'Ada' },
      associations: [],
    });
    expect(created).toMatchObject({ id: '200', properties: { email: 'ada@example.com' } });
    expect(created.createdAt).toBeInstanceOf(Date);
    const seen = s.received(from);
    expectVendorSaw(seen, `Bearer ${SERVICE_KEY}`, s.token);
    expect(seen[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(seen[0]?.body.toString() ?? '')).toEqual({
      properties: { email: 'ada@example.com', firstname: 'Ada' },
      associations: [],
    });
  });

  it('a vendor error is the client’s ApiException with HubSpot’s status, category and message', async () => {
    const error = await hubspot.crm.contacts.basicApi
      .create({ properties: { email: 'c1@example.com' }, associations: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 409,
      body: { category: 'CONFLICT', message: 'Contact already exists. Existing ID: 101' },
    });
  });

  it('a refusal of Switchyard’s own is an ApiException whose body is the problem document', async () => {
    // No such connection: 404 not_found, answered by Switchyard before any vendor is asked.
    const from = sinceNow();
    const elsewhere = hubspotThroughSwitchyard(s.url, 'conn_doesnotexist', s.token);
    const error = await elsewhere.crm.contacts.basicApi.getPage(2).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 404,
      body: { code: 'not_found', detail: 'Connection conn_doesnotexist does not exist' },
      headers: { 'content-type': expect.stringMatching(/^application\/problem\+json/) as unknown },
    });
    expect(s.received(from)).toEqual([]);
  });
});
