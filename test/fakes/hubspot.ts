import { createHmac } from 'node:crypto';
import { createNotifier, type Delivery, type WebhookOptions } from './notify.js';
import { jsonOf, sortBy, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// HubSpot CRM objects API (2026-03), as documented:
// - list: GET /crm/objects/2026-03/{type}?limit&after&archived -> {results: [{id, properties, createdAt, updatedAt,
//   archived}], paging: {next: {after, link}}} (no paging on the last page); archived=true lists only archived
//   (deleted) records; https://developers.hubspot.com/docs/api-reference/2026-03/overview
// - search: POST /crm/objects/2026-03/{type}/search {filterGroups, sorts, limit <= 200, after} -> {total, results,
//   paging}; at most 10,000 results per query (a later `after` is refused with 400); archived records are not
//   searched; https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm
// - rate limits: X-HubSpot-RateLimit-Max / -Remaining on answers; 429 {status: "error", errorType: "RATE_LIMIT",
//   policyName: "TEN_SECONDLY_ROLLING"}; https://developers.hubspot.com/apps/api_guidelines
// - writes: POST creates {properties} -> 201, PATCH /{id} updates -> 200, both answering the record; DELETE /{id}
//   archives -> 204; https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/create-contact.
//   Errors {status, message, correlationId, category}: an invalid email is 400 VALIDATION_ERROR "Property values
//   were not valid: [{isValid, message, error: INVALID_EMAIL, name: email}]" (community.hubspot.com answer quoting
//   the API); a second contact with an existing email is 409 CONFLICT "Contact already exists. Existing ID: <id>"
//   (the v1 createOrUpdate page documents the 409; the message text is as integrators quote it - unconfirmed).
// - batch writes: POST /{type}/batch/create {inputs: [{properties, associations, objectWriteTraceId?}]} and
//   /{type}/batch/update {inputs: [{id, properties, objectWriteTraceId?}]}, at most 100 inputs (more: 400
//   VALIDATION_ERROR "The maximum number of inputs supported in a batch is 100. Please reduce the number of items and
//   try again", the text integrators quote from live answers); each input follows the single write's rules. All
//   written: 201 (create) / 200 (update) {status: COMPLETE, results, startedAt, completedAt}. Partial failures are
//   reported only when every input carries an objectWriteTraceId: 207 Multi-Status with the written records in
//   results (each echoing its objectWriteTraceId) and errors [{status, category, message, context:
//   {objectWriteTraceId: [..]}}], numErrors (https://developers.hubspot.com/docs/api-reference/latest/error-handling,
//   https://developers.hubspot.com/changelog/simplifying-batch-update-response-codes-for-crm-v3-apis); without them one
//   bad input refuses the whole batch with that input's error and nothing is written (as integrators report for
//   batch create: a 409 naming only the first duplicate). HubSpot does not document that results keep the inputs'
//   order, so the fake answers them in reverse: a client relying on the order is caught.
// - values: every property value reads back as a string (numbers and booleans included); the email property is
//   stored lower-cased (well-known HubSpot behaviour, not found in the reference - unconfirmed); a write stamps
//   lastmodifieddate (contacts) / hs_lastmodifieddate (others) and updatedAt.
// - webhooks (apps): a JSON array of up to 100 events {eventId, subscriptionId, portalId, appId, occurredAt,
//   subscriptionType (contact.creation | contact.propertyChange | contact.deletion, company.*, deal.*), attemptNumber,
//   objectId, changeSource, propertyName, propertyValue}, signed v3: base64(HMAC-SHA256(client secret, method + URI +
//   body + X-HubSpot-Request-Timestamp)); https://developers.hubspot.com/docs/apps/developer-platform/build-apps/
//   authentication/request-validation. Whether HubSpot notifies an app of its own API writes was not confirmed: the
//   fake does (changeSource INTEGRATION), the harder case for echo suppression.

export type HubspotRecord = {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
};

export type HubspotEvent = {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
};

const LIST_MAX = 100;
const SEARCH_MAX = 200;
const SEARCH_CAP = 10_000;
const BATCH_MAX = 100;
const PORTAL_ID = 62515;
const APP_ID = 54321;
export const HUBSPOT_TYPES = ['contacts', 'companies', 'deals', 'tickets', 'line_items', 'products'] as const;
const SINGULAR: Record<string, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
  line_items: 'line_item',
  products: 'product',
};
const modifiedProperty = (type: string) => (type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');

/** HubSpot's v3 signature headers for a delivery of `body` to `url`. */
export function signHubspotV3(secret: string, url: string, body: string, timestamp = Date.now()) {
  const signature = createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

/** Events to deliveries: batches of up to 100, each signed. */
function hubspotDeliveries(events: HubspotEvent[], to: WebhookOptions): Delivery[] {
  const out: Delivery[] = [];
  for (let i = 0; i < events.length; i += BATCH_MAX) {
    const body = JSON.stringify(events.slice(i, i + BATCH_MAX));
    out.push({
      url: to.url,
      body,
      headers: { 'content-type': 'application/json', ...signHubspotV3(to.secret, to.url, body) },
    });
  }
  return out;
}

export async function startHubspotFake(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const objects = new Map<string, Map<string, HubspotRecord>>(HUBSPOT_TYPES.map((t) => [t, new Map()]));
  const notifier = createNotifier(hubspotDeliveries);
  let nextId = 1000;
  let nextEvent = 1;
  const error = (status: number, message: string, category = 'VALIDATION_ERROR'): FakeReply => ({
    status,
    json: { status: 'error', message, correlationId: 'c0ffee00-0000-4000-8000-000000000000', category },
  });
  const headers = {
    'x-hubspot-ratelimit-max': '190',
    'x-hubspot-ratelimit-remaining': '189',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
  };
  const ordered = (type: string, archived = false) =>
    sortBy(
      [...(objects.get(type)?.values() ?? [])].filter((r) => r.archived === archived),
      (r) => Number(r.id),
    );

  function handle(req: FakeRequest): FakeReply {
    const m = /^\/crm\/objects\/2026-03\/([a-z_]+)(?:\/(search|\d+|batch\/create|batch\/update))?$/.exec(req.path);
    const type = m?.[1] as string;
    const store = m ? objects.get(type) : undefined;
    if (!m || !store) return error(404, `Unknown path ${req.path}`, 'OBJECT_NOT_FOUND');
    if (req.method === 'POST' && m[2]?.startsWith('batch/')) return batch(type, m[2] === 'batch/update', jsonOf(req));
    const id = m[2] && /^\d+$/.test(m[2]) ? m[2] : undefined;
    if (req.method === 'GET' && !m[2]) return list(type, req.query);
    if (req.method === 'GET' && id) {
      const r = store.get(id);
      return r && !r.archived ? { headers, json: r } : error(404, `Object ${id} not found`, 'OBJECT_NOT_FOUND');
    }
    if (req.method === 'POST' && m[2] === 'search') return search(type, jsonOf(req) ?? {});
    if (req.method === 'POST' && !m[2]) return write(type, undefined, jsonOf(req) ?? {});
    if (req.method === 'PATCH' && id) return write(type, id, jsonOf(req) ?? {});
    if (req.method === 'DELETE' && id) {
      const r = store.get(id);
      if (!r || r.archived) return error(404, `Object ${id} not found`, 'OBJECT_NOT_FOUND');
      archive(type, r, 'INTEGRATION');
      return { status: 204, headers };
    }
    return error(405, 'Method not allowed');
  }

  function list(type: string, q: URLSearchParams): FakeReply {
    const limit = Math.min(Number(q.get('limit') ?? 10), LIST_MAX);
    const after = Number(q.get('after') ?? 0);
    const all = ordered(type, q.get('archived') === 'true');
    const results = all.slice(after, after + limit);
    const next = after + limit < all.length ? { next: { after: String(after + limit), link: '?after=' } } : undefined;
    return { headers, json: { results, ...(next ? { paging: next } : {}) } };
  }

  function search(type: string, body: Record<string, unknown>): FakeReply {
    const limit = Number(body.limit ?? 10);
    if (limit > SEARCH_MAX) return error(400, `limit must be at most ${SEARCH_MAX}`);
    const after = Number(body.after ?? 0);
    if (after >= SEARCH_CAP) return error(400, `The search API returns at most ${SEARCH_CAP} results`);
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
    const results = rows.slice(after, Math.min(after + limit, SEARCH_CAP));
    // The next token is offered even at the cap; asking for it is what HubSpot refuses.
    const more = after + limit < rows.length;
    return {
      json: { total: rows.length, results, ...(more ? { paging: { next: { after: String(after + limit) } } } : {}) },
    };
  }

  /** HubSpot's stored form of written values: strings, the email lower-cased. */
  function stored(input: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(input).map(([k, v]) => {
        const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        return [k, k === 'email' ? text.toLowerCase() : text];
      }),
    );
  }

  function write(type: string, id: string | undefined, body: Record<string, unknown>): FakeReply {
    const checked = check(type, id, body, new Map());
    if ('refused' in checked) return checked.refused;
    const record = apply(type, checked.existing, checked.properties, 'INTEGRATION');
    return { status: checked.existing ? 200 : 201, headers, json: record };
  }

  /**
   * One write's input checked as HubSpot checks it (an invalid email, an unknown id, a second contact with an email
   * another holds, `claimed` holding the emails earlier inputs of the same batch take): its stored properties and
   * the record it updates, or HubSpot's refusal.
   */
  function check(
    type: string,
    id: string | undefined,
    body: Record<string, unknown>,
    claimed: Map<string, string>,
  ): { properties: Record<string, string>; existing?: HubspotRecord } | { refused: FakeReply } {
    const store = objects.get(type) as Map<string, HubspotRecord>;
    const properties = stored((body.properties ?? {}) as Record<string, unknown>);
    if (properties.email && !/^[^@\s"]+@[^@\s]+\.[a-z]{2,}$/i.test(properties.email)) {
      const detail = {
        isValid: false,
        message: `Email address ${properties.email} is invalid`,
        error: 'INVALID_EMAIL',
      };
      return {
        refused: error(400, `Property values were not valid: ${JSON.stringify([{ ...detail, name: 'email' }])}`),
      };
    }
    const existing = id ? store.get(id) : undefined;
    if (id && (!existing || existing.archived))
      return { refused: error(404, `Object ${id} not found`, 'OBJECT_NOT_FOUND') };
    if (type === 'contacts' && properties.email) {
      const holder =
        claimed.get(properties.email) ??
        [...store.values()].find((r) => !r.archived && r.properties.email === properties.email)?.id;
      if (holder !== undefined && holder !== id)
        return { refused: error(409, `Contact already exists. Existing ID: ${holder}`, 'CONFLICT') };
    }
    return { properties, ...(existing ? { existing } : {}) };
  }

  /** batch/create and batch/update: every input checked first, then the valid ones written (or none, see above). */
  function batch(type: string, update: boolean, body: Record<string, unknown> | undefined): FakeReply {
    const inputs = (body?.inputs ?? []) as { id?: unknown; properties?: unknown; objectWriteTraceId?: unknown }[];
    if (!Array.isArray(inputs) || inputs.length === 0) return error(400, 'inputs: must not be empty');
    if (inputs.length > BATCH_MAX) {
      return error(
        400,
        `The maximum number of inputs supported in a batch is ${BATCH_MAX}. Please reduce the number of items and try again`,
      );
    }
    const startedAt = new Date(now()).toISOString();
    const claimed = new Map<string, string>();
    let creates = 0;
    const checked = inputs.map((input): ReturnType<typeof check> => {
      if (update && (typeof input.id !== 'string' || input.id === ''))
        return { refused: error(400, 'Invalid input: every input needs an id') };
      const c = check(type, update ? (input.id as string) : undefined, input as Record<string, unknown>, claimed);
      if ('refused' in c) return c;
      // An email an earlier input of the batch takes is taken (by the id that input's record has or will get).
      const id = c.existing?.id ?? String(nextId + creates++);
      if (c.properties.email) claimed.set(c.properties.email, id);
      return c;
    });
    const traced = inputs.every((i) => typeof i.objectWriteTraceId === 'string' && i.objectWriteTraceId !== '');
    const failed = checked.findIndex((c) => 'refused' in c);
    if (failed >= 0 && !traced) return (checked[failed] as { refused: FakeReply }).refused;
    const results: (HubspotRecord & { objectWriteTraceId?: string })[] = [];
    const errors: Record<string, unknown>[] = [];
    checked.forEach((c, i) => {
      const trace = inputs[i]?.objectWriteTraceId as string | undefined;
      if ('refused' in c) {
        const said = c.refused.json as { status: string; message: string; category: string };
        errors.push({
          status: said.status,
          category: said.category,
          message: said.message,
          context: { objectWriteTraceId: [trace] },
        });
        return;
      }
      const record = apply(type, c.existing, c.properties, 'INTEGRATION');
      results.push({ ...record, ...(trace !== undefined ? { objectWriteTraceId: trace } : {}) });
    });
    const answer = {
      status: 'COMPLETE',
      results: results.reverse(),
      startedAt,
      completedAt: new Date(now()).toISOString(),
    };
    if (errors.length === 0) return { status: update ? 200 : 201, headers, json: answer };
    return { status: 207, headers, json: { ...answer, numErrors: errors.length, errors } };
  }

  /** Create or change a record (API or "UI"), stamping the modified time and announcing each changed property. */
  function apply(
    type: string,
    existing: HubspotRecord | undefined,
    properties: Record<string, string>,
    source: string,
  ): HubspotRecord {
    const at = now();
    const stamp = new Date(at).toISOString();
    const id = existing?.id ?? String(nextId++);
    const changed = Object.entries(properties).filter(([k, v]) => existing?.properties[k] !== v);
    const record: HubspotRecord = existing
      ? { ...existing, properties: { ...existing.properties, ...properties }, updatedAt: stamp }
      : {
          id,
          properties: { ...properties, hs_object_id: id, createdate: stamp },
          createdAt: stamp,
          updatedAt: stamp,
          archived: false,
        };
    record.properties[modifiedProperty(type)] = stamp;
    objects.get(type)?.set(id, record);
    if (!existing) notify(type, 'creation', id, at, source);
    for (const [name, value] of changed) notify(type, 'propertyChange', id, at, source, name, value);
    return record;
  }

  function archive(type: string, record: HubspotRecord, source: string) {
    const at = now();
    record.archived = true;
    record.updatedAt = new Date(at).toISOString();
    notify(type, 'deletion', record.id, at, source);
  }

  function notify(type: string, what: string, id: string, at: number, source: string, name?: string, value?: string) {
    notifier.emit({
      eventId: nextEvent++,
      subscriptionId: 12345,
      portalId: PORTAL_ID,
      appId: APP_ID,
      occurredAt: at,
      subscriptionType: `${SINGULAR[type] ?? type}.${what}`,
      attemptNumber: 0,
      objectId: Number(id),
      changeSource: source,
      ...(name !== undefined ? { propertyName: name, propertyValue: value } : {}),
    });
  }

  const recordOf = (type: string, id: string) => {
    const r = objects.get(type)?.get(id);
    if (!r) throw new Error(`no ${type} ${id} in the HubSpot fake`);
    return r;
  };

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
    /** Modify a record at `at` (its modified time only, nothing announced). */
    touch(type: string, id: string, at: number) {
      const r = objects.get(type)?.get(id);
      if (r) r.updatedAt = new Date(at).toISOString();
    },
    /** A record created in HubSpot's UI (stored as HubSpot stores it); answers it. */
    create: (type: string, properties: Record<string, unknown>) => apply(type, undefined, stored(properties), 'CRM_UI'),
    /** A user edits a record in HubSpot's UI: the values stored, the modified time bumped, webhooks sent. */
    edit: (type: string, id: string, properties: Record<string, unknown>) =>
      apply(type, recordOf(type, id), stored(properties), 'CRM_UI'),
    /** A user deletes (archives) a record in HubSpot's UI. */
    archive: (type: string, id: string) => archive(type, recordOf(type, id), 'CRM_UI'),
    /** Send change notifications to `url`, signed v3 with `secret` (the app's client secret). */
    webhook: (webhook: WebhookOptions) => notifier.subscribe(webhook),
    webhooks: notifier,
    rateLimit(): FakeReply {
      return {
        status: 429,
        headers: { ...headers, 'x-hubspot-ratelimit-remaining': '0' },
        json: {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
      };
    },
  };
}

export type HubspotFake = Awaited<ReturnType<typeof startHubspotFake>>;
