import { randomUUID } from 'node:crypto';
import { createNotifier, type Delivery, type WebhookOptions } from './notify.js';
import { jsonOf, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Pipedrive API v2 (and v1 leads/users), as documented:
// - v2 lists: GET /api/v2/{entity}?cursor&limit (default 100, max 500)&updated_since (RFC 3339, update_time >= it)
//   &sort_by=update_time&sort_direction=asc -> {success, data, additional_data: {next_cursor}} (null at the end);
//   deleted items are not listed; https://pipedrive.readme.io/docs/core-api-concepts-pagination,
//   https://developers.pipedrive.com/docs/api/v1/Persons (the v2 persons list: updated_since "later than or equal")
// - v2 writes: POST /api/v2/{entity} and PATCH /api/v2/{entity}/{id} -> 200 {success, data: <the item>}; DELETE
//   /api/v2/{entity}/{id} -> 200 {success, data: {id}} (marked deleted, purged after 30 days); persons carry
//   emails / phones as [{value, primary, label}] and answer first_name / last_name split from name; deals need a
//   title; numeric fields no longer coerce strings (a validation error); timestamps are RFC 3339 in seconds
//   (2021-01-01T00:00:00Z); https://pipedrive.readme.io/docs/pipedrive-api-v2-migration-guide and the persons
//   reference. The texts of validation and not-found messages are not documented (the fake's are its own).
// - errors {success: false, error, error_info, data: null, additional_data: null};
//   https://pipedrive.readme.io/docs/core-api-concepts-responses
// - v1 leads: start + limit -> additional_data.pagination {start, limit, more_items_in_collection, next_start}.
// - rate limits: x-ratelimit-limit / -remaining / -reset (seconds left in the window) on every answer, 429 when the
//   burst limit is spent; https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting
// - webhooks v2: one POST per change (create | change | delete), body {meta: {action, entity, entity_id, id,
//   company_id, user_id, timestamp, attempt, version: "2.0", webhook_id, change_source}, data, previous} (previous:
//   the changed fields' old values), with Authorization: Basic of the pair set on the webhook;
//   https://pipedrive.readme.io/docs/guide-for-webhooks-v2, https://pipedrive.readme.io/docs/webhooks-v2-migration-guide
// - auth: the x-api-token header.

export type PipedriveRecord = { id: number | string; update_time: string; [k: string]: unknown };
export type PipedriveEvent = {
  action: 'create' | 'change' | 'delete';
  entity: string;
  id: number;
  at: number;
  data: PipedriveRecord | null;
  previous: Record<string, unknown> | null;
  source: 'app' | 'api';
};
export const PIPEDRIVE_V2 = ['deals', 'persons', 'organizations', 'activities', 'products', 'pipelines'] as const;
const MAX = 500;
const ENTITY: Record<string, string> = { persons: 'person', deals: 'deal', organizations: 'organization' };
const NUMERIC = ['value', 'probability', 'org_id', 'person_id', 'owner_id', 'stage_id', 'pipeline_id', 'visible_to'];
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pipedriveDeliveries(events: PipedriveEvent[], to: WebhookOptions): Delivery[] {
  return events.map((e) => ({
    url: to.url,
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(to.secret).toString('base64')}`,
    },
    body: JSON.stringify({
      meta: {
        action: e.action,
        entity: ENTITY[e.entity] ?? e.entity,
        entity_id: String(e.id),
        id: randomUUID(),
        company_id: '5678',
        user_id: '123',
        timestamp: new Date(e.at).toISOString(),
        attempt: 1,
        version: '2.0',
        webhook_id: '42',
        change_source: e.source,
      },
      data: e.data,
      previous: e.previous,
    }),
  }));
}

export async function startPipedriveFake(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const entities = new Map<string, PipedriveRecord[]>([...PIPEDRIVE_V2, 'leads', 'users'].map((e) => [e, []]));
  const notifier = createNotifier(pipedriveDeliveries);
  let remaining = 80;
  let id = 0;
  const rateHeaders = () => ({
    'x-ratelimit-limit': '80',
    'x-ratelimit-remaining': String(Math.max(remaining, 0)),
    'x-ratelimit-reset': '2',
  });
  const error = (status: number, message: string, errorCode = 'BadRequest'): FakeReply => ({
    status,
    headers: rateHeaders(),
    json: {
      success: false,
      error: message,
      errorCode,
      error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
      data: null,
      additional_data: null,
    },
  });
  const ok = (data: unknown): FakeReply => ({ headers: rateHeaders(), json: { success: true, data } });

  function handle(req: FakeRequest): FakeReply {
    if (req.headers['x-api-token'] !== 'pd-token') return error(401, 'unauthorized access', 'unauthorized');
    remaining = remaining > 1 ? remaining - 1 : 80;
    const v2 = /^\/api\/v2\/([a-z]+)(?:\/(\d+))?$/.exec(req.path);
    const rows = v2 ? entities.get(v2[1] as string) : undefined;
    if (v2 && rows) {
      const entity = v2[1] as string;
      const itemId = v2[2] ? Number(v2[2]) : undefined;
      if (req.method === 'GET' && itemId === undefined) return listV2(rows, req.query);
      if (req.method === 'POST' && itemId === undefined) return create(entity, jsonOf(req) ?? {}, 'api');
      const item = rows.find((r) => r.id === itemId && !r.is_deleted);
      if (!item) return error(404, `${ENTITY[entity] ?? entity} not found`, 'NotFound');
      if (req.method === 'GET') return ok(item);
      if (req.method === 'PATCH') return update(entity, item, jsonOf(req) ?? {}, 'api');
      if (req.method === 'DELETE') return ok({ id: remove(entity, item, 'api').id });
      return error(405, 'Method not allowed', 'MethodNotAllowed');
    }
    if (req.path === '/api/v1/leads') return listLeads(entities.get('leads') ?? [], req.query);
    if (req.path === '/api/v1/users')
      return { headers: rateHeaders(), json: { success: true, data: entities.get('users') } };
    return error(404, 'Not found', 'NotFound');
  }

  function listV2(all: PipedriveRecord[], q: URLSearchParams): FakeReply {
    const limit = Number(q.get('limit') ?? 100);
    if (limit > MAX) return error(400, `limit must be at most ${MAX}`);
    let view = all.filter((r) => !r.is_deleted);
    const since = q.get('updated_since');
    if (since) {
      if (Number.isNaN(Date.parse(since))) return error(400, 'updated_since must be RFC 3339');
      view = view.filter((r) => Date.parse(r.update_time) >= Date.parse(since));
    }
    if (q.get('sort_by') === 'update_time') {
      const dir = q.get('sort_direction') === 'desc' ? -1 : 1;
      view.sort((a, b) => dir * (Date.parse(a.update_time) - Date.parse(b.update_time)) || Number(a.id) - Number(b.id));
    } else view.sort((a, b) => Number(a.id) - Number(b.id));
    const start = q.get('cursor') ? Number(Buffer.from(q.get('cursor') as string, 'base64').toString()) : 0;
    const page = view.slice(start, start + limit);
    const next = start + limit < view.length ? Buffer.from(String(start + limit)).toString('base64') : null;
    return { headers: rateHeaders(), json: { success: true, data: page, additional_data: { next_cursor: next } } };
  }

  /** Pipedrive's validation of a v2 body; a message, or undefined when it is accepted. */
  function invalid(entity: string, body: Record<string, unknown>, creating: boolean): string | undefined {
    const bad = NUMERIC.find((k) => body[k] !== undefined && body[k] !== null && typeof body[k] !== 'number');
    if (bad) return `Validation failed: ${bad}: Expected number, received ${typeof body[bad]}`;
    if (entity === 'persons' && (creating ? !body.name : 'name' in body && !body.name))
      return 'Validation failed: name: Required';
    if (entity === 'deals' && (creating ? !body.title : 'title' in body && !body.title))
      return 'Validation failed: title: Required';
    for (const key of ['emails', 'phones']) {
      const list = body[key];
      if (
        list !== undefined &&
        (!Array.isArray(list) || list.some((e) => typeof (e as { value?: unknown })?.value !== 'string'))
      )
        return `Validation failed: ${key}: Expected array of {value, primary?, label?}`;
    }
    return undefined;
  }

  /** The stored form: a person's name split into first_name / last_name as Pipedrive answers it. */
  function stored(entity: string, body: Record<string, unknown>): Record<string, unknown> {
    if (entity !== 'persons' || typeof body.name !== 'string') return body;
    const [first, ...rest] = body.name.trim().split(/\s+/);
    return { ...body, first_name: first ?? '', last_name: rest.join(' ') || null };
  }

  function create(entity: string, body: Record<string, unknown>, source: 'app' | 'api'): FakeReply {
    const refused = invalid(entity, body, true);
    if (refused) return error(400, refused);
    const at = now();
    const item: PipedriveRecord = {
      id: ++id,
      ...stored(entity, body),
      add_time: rfc3339(at),
      update_time: rfc3339(at),
      is_deleted: false,
    };
    entities.get(entity)?.push(item);
    notifier.emit({ action: 'create', entity, id: Number(item.id), at, data: { ...item }, previous: null, source });
    return ok(item);
  }

  function update(entity: string, item: PipedriveRecord, body: Record<string, unknown>, source: 'app' | 'api') {
    const refused = invalid(entity, body, false);
    if (refused) return error(400, refused);
    const at = now();
    const changes = stored(entity, body);
    const previous = Object.fromEntries(
      Object.keys(changes)
        .filter((k) => JSON.stringify(item[k]) !== JSON.stringify(changes[k]))
        .map((k) => [k, item[k] ?? null]),
    );
    Object.assign(item, changes, { update_time: rfc3339(at) });
    notifier.emit({ action: 'change', entity, id: Number(item.id), at, data: { ...item }, previous, source });
    return ok(item);
  }

  function remove(entity: string, item: PipedriveRecord, source: 'app' | 'api') {
    const at = now();
    Object.assign(item, { is_deleted: true, update_time: rfc3339(at) });
    notifier.emit({ action: 'delete', entity, id: Number(item.id), at, data: null, previous: { ...item }, source });
    return item;
  }

  function listLeads(rows: PipedriveRecord[], q: URLSearchParams): FakeReply {
    const limit = Math.min(Number(q.get('limit') ?? 100), MAX);
    const start = Number(q.get('start') ?? 0);
    const page = rows.slice(start, start + limit);
    const more = start + limit < rows.length;
    return {
      headers: rateHeaders(),
      json: {
        success: true,
        data: page,
        additional_data: {
          pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) },
        },
      },
    };
  }

  const itemOf = (entity: string, itemId: number) => {
    const item = entities.get(entity)?.find((r) => r.id === itemId && !r.is_deleted);
    if (!item) throw new Error(`no ${entity} ${itemId} in the Pipedrive fake`);
    return item;
  };
  const accepted = (reply: FakeReply) => {
    if (reply.status && reply.status >= 400) throw new Error(`Pipedrive refused: ${JSON.stringify(reply.json)}`);
    return (reply.json as { data: PipedriveRecord }).data;
  };

  const server = await startFakeServer(handle);
  return {
    ...server,
    entities,
    seed(entity: string, count: number, from: number) {
      for (let i = 0; i < count; i++) {
        const key = entity === 'leads' ? `adf21080-0e10-11eb-879b-${String(++id).padStart(12, '0')}` : ++id;
        entities.get(entity)?.push({
          id: key,
          update_time: new Date(from + i * 1000).toISOString().replace('.000', ''),
          title: `${entity} ${id}`,
        });
      }
    },
    touch(entity: string, recordId: number | string, at: number) {
      const r = entities.get(entity)?.find((x) => x.id === recordId);
      if (r) r.update_time = new Date(at).toISOString().replace('.000', '');
    },
    /** An item created in Pipedrive's app (validated as the API would); answers it. */
    create: (entity: string, fields: Record<string, unknown>) => accepted(create(entity, fields, 'app')),
    /** A user edits an item in Pipedrive's app: stored, update_time bumped, a change webhook sent. */
    edit: (entity: string, itemId: number, fields: Record<string, unknown>) =>
      accepted(update(entity, itemOf(entity, itemId), fields, 'app')),
    /** A user deletes an item: it leaves the lists; a delete webhook is the only signal. */
    remove: (entity: string, itemId: number) => void remove(entity, itemOf(entity, itemId), 'app'),
    /** Send v2 webhooks to `url` with HTTP Basic `secret` ("user:password", as set on the webhook). */
    webhook: (webhook: WebhookOptions) => notifier.subscribe(webhook),
    webhooks: notifier,
    rateLimit: (): FakeReply => ({
      status: 429,
      headers: {
        'x-ratelimit-limit': '80',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1',
        'retry-after': '1',
      },
      json: { success: false, error: 'Request over limit', errorCode: 'RateLimitExceeded' },
    }),
  };
}

export type PipedriveFake = Awaited<ReturnType<typeof startPipedriveFake>>;
