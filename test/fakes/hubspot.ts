import { jsonOf, sortBy, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// HubSpot CRM objects API (2026-03), as documented:
// - list: GET /crm/objects/2026-03/{type}?limit&after -> {results: [{id, properties, createdAt, updatedAt, archived}],
//   paging: {next: {after, link}}} (no paging on the last page); https://developers.hubspot.com/docs/api-reference/2026-03/overview
// - search: POST /crm/objects/2026-03/{type}/search {filterGroups, sorts, limit <= 200, after} -> {total, results,
//   paging}; at most 10,000 results per query (a later `after` is refused with 400);
//   https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm
// - rate limits: X-HubSpot-RateLimit-Max / -Remaining on answers; 429 {status: "error", errorType: "RATE_LIMIT",
//   policyName: "TEN_SECONDLY_ROLLING"}; https://developers.hubspot.com/apps/api_guidelines
// - writes: POST creates {properties} -> 201, PATCH /{id} updates -> 200; errors {status, message, correlationId,
//   category: VALIDATION_ERROR}.

export type HubspotRecord = {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
};

const LIST_MAX = 100;
const SEARCH_MAX = 200;
const SEARCH_CAP = 10_000;
export const HUBSPOT_TYPES = ['contacts', 'companies', 'deals', 'tickets', 'line_items', 'products'] as const;

export async function startHubspotFake() {
  const objects = new Map<string, Map<string, HubspotRecord>>(HUBSPOT_TYPES.map((t) => [t, new Map()]));
  let nextId = 1000;
  const cap = SEARCH_CAP;
  const error = (status: number, message: string, category = 'VALIDATION_ERROR'): FakeReply => ({
    status,
    json: { status: 'error', message, correlationId: 'c0ffee00-0000-4000-8000-000000000000', category },
  });
  const headers = {
    'x-hubspot-ratelimit-max': '190',
    'x-hubspot-ratelimit-remaining': '189',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
  };
  const ordered = (type: string) => sortBy([...(objects.get(type)?.values() ?? [])], (r) => Number(r.id));

  function handle(req: FakeRequest): FakeReply {
    const m = /^\/crm\/objects\/2026-03\/([a-z_]+)(?:\/(search|\d+))?$/.exec(req.path);
    const store = m ? objects.get(m[1] as string) : undefined;
    if (!m || !store) return error(404, `Unknown path ${req.path}`, 'OBJECT_NOT_FOUND');
    if (req.method === 'GET' && !m[2]) {
      const limit = Math.min(Number(req.query.get('limit') ?? 10), LIST_MAX);
      const after = Number(req.query.get('after') ?? 0);
      const all = ordered(m[1] as string);
      const results = all.slice(after, after + limit);
      const next = after + limit < all.length ? { next: { after: String(after + limit), link: '?after=' } } : undefined;
      return { headers, json: { results, ...(next ? { paging: next } : {}) } };
    }
    if (req.method === 'POST' && m[2] === 'search') return search(m[1] as string, jsonOf(req) ?? {});
    if (req.method === 'POST' && !m[2]) return write(store, undefined, jsonOf(req) ?? {});
    if (req.method === 'PATCH' && m[2]) return write(store, m[2], jsonOf(req) ?? {});
    return error(405, 'Method not allowed');
  }

  function search(type: string, body: Record<string, unknown>): FakeReply {
    const limit = Number(body.limit ?? 10);
    if (limit > SEARCH_MAX) return error(400, `limit must be at most ${SEARCH_MAX}`);
    const after = Number(body.after ?? 0);
    if (after >= cap) return error(400, `The search API returns at most ${cap} results`);
    const filters =
      (body.filterGroups as { filters: { propertyName: string; operator: string; value: string }[] }[])?.[0]?.filters ??
      [];
    let rows = ordered(type);
    for (const f of filters) {
      if (!/lastmodifieddate$/.test(f.propertyName) || f.operator !== 'GTE')
        return error(400, 'unsupported filter in this fake');
      rows = rows.filter((r) => Date.parse(r.updatedAt) >= Number(f.value));
    }
    rows = sortBy(
      rows,
      (r) => Date.parse(r.updatedAt),
      (r) => Number(r.id),
    );
    const results = rows.slice(after, Math.min(after + limit, cap));
    // The next token is offered even at the cap; asking for it is what HubSpot refuses.
    const more = after + limit < rows.length;
    return {
      json: { total: rows.length, results, ...(more ? { paging: { next: { after: String(after + limit) } } } : {}) },
    };
  }

  function write(store: Map<string, HubspotRecord>, id: string | undefined, body: Record<string, unknown>): FakeReply {
    const properties = (body.properties ?? {}) as Record<string, string>;
    if (properties.email !== undefined && !String(properties.email).includes('@')) {
      return error(400, `Property values were not valid: email "${properties.email}" is not a valid email address`);
    }
    const existing = id ? store.get(id) : undefined;
    if (id && !existing) return error(404, `Object ${id} not found`, 'OBJECT_NOT_FOUND');
    const now = new Date().toISOString();
    const record: HubspotRecord = existing
      ? { ...existing, properties: { ...existing.properties, ...properties }, updatedAt: now }
      : { id: String(nextId++), properties, createdAt: now, updatedAt: now, archived: false };
    store.set(record.id, record);
    return { status: existing ? 200 : 201, json: record };
  }

  const server = await startFakeServer(handle);
  return {
    ...server,
    objects,
    /** `count` records of `type`, modified one second apart from `from` (or `at` for all of them). */
    seed(type: string, count: number, from: number, step = 1000) {
      for (let i = 0; i < count; i++) {
        const at = new Date(from + i * step).toISOString();
        const id = String(nextId++);
        objects
          .get(type)
          ?.set(id, { id, properties: { name: `${type} ${id}` }, createdAt: at, updatedAt: at, archived: false });
      }
    },
    /** Modify a record at `at`. */
    touch(type: string, id: string, at: number) {
      const r = objects.get(type)?.get(id);
      if (r) r.updatedAt = new Date(at).toISOString();
    },
    rateLimit(): FakeReply {
      return {
        status: 429,
        headers: { ...headers, 'x-hubspot-ratelimit-remaining': '0' },
        json: {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
      };
    },
  };
}
