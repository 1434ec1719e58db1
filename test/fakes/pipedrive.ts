import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Pipedrive API v2 (and v1 leads/users), as documented:
// - v2 lists: GET /api/v2/{entity}?cursor&limit (default 100, max 500)&updated_since (RFC 3339, update_time >= it)
//   &sort_by=update_time&sort_direction=asc -> {success, data, additional_data: {next_cursor}} (null at the end);
//   https://pipedrive.readme.io/docs/core-api-concepts-pagination
// - v1 leads: start + limit -> additional_data.pagination {start, limit, more_items_in_collection, next_start}.
// - rate limits: x-ratelimit-limit / -remaining / -reset (seconds left in the window) on every answer, 429 when the
//   burst limit is spent; https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting
// - auth: the x-api-token header.

export type PipedriveRecord = { id: number | string; update_time: string; [k: string]: unknown };
export const PIPEDRIVE_V2 = ['deals', 'persons', 'organizations', 'activities', 'products', 'pipelines'] as const;
const MAX = 500;

export async function startPipedriveFake() {
  const entities = new Map<string, PipedriveRecord[]>([...PIPEDRIVE_V2, 'leads', 'users'].map((e) => [e, []]));
  let remaining = 80;
  const rateHeaders = () => ({
    'x-ratelimit-limit': '80',
    'x-ratelimit-remaining': String(Math.max(remaining, 0)),
    'x-ratelimit-reset': '2',
  });
  const error = (status: number, message: string, errorCode = 'BadRequest'): FakeReply => ({
    status,
    headers: rateHeaders(),
    json: { success: false, error: message, errorCode },
  });

  function handle(req: FakeRequest): FakeReply {
    if (req.headers['x-api-token'] !== 'pd-token') return error(401, 'unauthorized access', 'unauthorized');
    remaining = remaining > 1 ? remaining - 1 : 80;
    const v2 = /^\/api\/v2\/([a-z]+)$/.exec(req.path);
    if (v2 && entities.has(v2[1] as string)) return listV2(entities.get(v2[1] as string) ?? [], req.query);
    if (req.path === '/api/v1/leads') return listLeads(entities.get('leads') ?? [], req.query);
    if (req.path === '/api/v1/users')
      return { headers: rateHeaders(), json: { success: true, data: entities.get('users') } };
    return error(404, 'Not found', 'NotFound');
  }

  function listV2(rows: PipedriveRecord[], q: URLSearchParams): FakeReply {
    const limit = Number(q.get('limit') ?? 100);
    if (limit > MAX) return error(400, `limit must be at most ${MAX}`);
    let view = [...rows];
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

  const server = await startFakeServer(handle);
  let id = 0;
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
