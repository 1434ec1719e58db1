import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Zoho CRM API v8, as documented:
// - GET /crm/v8/{Module}?fields=<required, <= 50>&per_page (<= 200)&page | page_token&sort_by&sort_order
//   -> {data, info: {per_page, count, page, sort_by, sort_order, more_records, next_page_token, previous_page_token,
//   page_token_expiry}}; `page` reaches the first 2,000 records only, page_token goes beyond;
//   https://www.zoho.wiki/crm/developer/docs/api/v8/get-records.html
// - If-Modified-Since: records modified after the given time (ISO 8601 with offset); 304 when none;
//   https://www.zoho.com/crm/developer/docs/api/v2/get-records.html
// - 204 No Content for an empty module; errors {code, details, message, status: "error"}; over the concurrency
//   limit 429 TOO_MANY_REQUESTS.
// - GET /crm/v8/users?type=AllUsers&page&per_page -> {users, info: {more_records, ...}}.

export type ZohoRecord = { id: string; Modified_Time: string; [k: string]: unknown };
export const ZOHO_MODULES: Record<string, string> = {
  leads: 'Leads',
  contacts: 'Contacts',
  accounts: 'Accounts',
  deals: 'Deals',
  tasks: 'Tasks',
  notes: 'Notes',
  products: 'Products',
};
const PER_PAGE = 200;
const PAGE_LIMIT = 2000;
const zohoTime = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+05:30');

export async function startZohoFake() {
  const modules = new Map<string, ZohoRecord[]>([...Object.values(ZOHO_MODULES), 'users'].map((m) => [m, []]));
  const error = (status: number, code: string, message: string): FakeReply => ({
    status,
    json: { code, details: {}, message, status: 'error' },
  });

  function handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== 'Zoho-oauthtoken sync-access')
      return error(401, 'INVALID_TOKEN', 'invalid oauth token');
    const m = /^\/crm\/v8\/([A-Za-z_]+)$/.exec(req.path);
    const rows = m ? modules.get(m[1] as string) : undefined;
    if (!m || !rows)
      return error(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
    if (m[1] !== 'users' && !req.query.get('fields'))
      return error(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing');
    const perPage = Number(req.query.get('per_page') ?? PER_PAGE);
    if (perPage > PER_PAGE) return error(400, 'INVALID_DATA', `per_page must be at most ${PER_PAGE}`);
    let view = [...rows];
    const since = req.headers['if-modified-since'] as string | undefined;
    if (since) view = view.filter((r) => Date.parse(r.Modified_Time) > Date.parse(since));
    if (req.query.get('sort_by') === 'Modified_Time') {
      const dir = req.query.get('sort_order') === 'desc' ? -1 : 1;
      view.sort((a, b) => dir * (Date.parse(a.Modified_Time) - Date.parse(b.Modified_Time)) || (a.id < b.id ? -1 : 1));
    }
    const token = req.query.get('page_token');
    const page = Number(req.query.get('page') ?? 1);
    if (token && req.query.has('page'))
      return error(400, 'INVALID_DATA', 'page and page_token cannot be used together');
    const start = token ? Number(Buffer.from(token, 'base64url').toString()) : (page - 1) * perPage;
    if (!token && start >= PAGE_LIMIT)
      return error(400, 'LIMIT_REACHED', 'use page_token to fetch more than 2000 records');
    if (view.length === 0) return since ? { status: 304 } : { status: 204 };
    const data = view.slice(start, start + perPage);
    const more = start + perPage < view.length;
    const info = {
      per_page: perPage,
      count: data.length,
      page: token ? null : page,
      sort_by: req.query.get('sort_by') ?? 'id',
      sort_order: req.query.get('sort_order') ?? 'desc',
      more_records: more,
      next_page_token: more ? Buffer.from(String(start + perPage)).toString('base64url') : null,
      previous_page_token: null,
      page_token_expiry: more ? '2026-12-06T10:00:00+05:30' : null,
    };
    return { json: m[1] === 'users' ? { users: data, info } : { data, info } };
  }

  const server = await startFakeServer(handle);
  let id = 4150868000000000000n;
  return {
    ...server,
    modules,
    seed(module: string, count: number, from: number) {
      for (let i = 0; i < count; i++)
        modules
          .get(module)
          ?.push({ id: String(++id), Modified_Time: zohoTime(from + i * 1000), Last_Name: `Row ${i}` });
    },
    touch(module: string, recordId: string, at: number) {
      const r = modules.get(module)?.find((x) => x.id === recordId);
      if (r) r.Modified_Time = zohoTime(at);
    },
    tooMany: () =>
      error(429, 'TOO_MANY_REQUESTS', 'number of API requests per minute/concurrency limit has been exceeded'),
  };
}
