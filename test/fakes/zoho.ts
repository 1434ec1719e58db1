import { createNotifier, type Delivery, type WebhookOptions } from './notify.js';
import { jsonOf, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Zoho CRM API v8, as documented:
// - GET /crm/v8/{Module}?fields=<required, <= 50>&per_page (<= 200)&page | page_token&sort_by&sort_order
//   -> {data, info: {per_page, count, page, sort_by, sort_order, more_records, next_page_token, previous_page_token,
//   page_token_expiry}}; `page` reaches the first 2,000 records only, page_token goes beyond;
//   https://www.zoho.wiki/crm/developer/docs/api/v8/get-records.html
// - If-Modified-Since: records modified after the given time (ISO 8601 with offset); 304 when none;
//   https://www.zoho.com/crm/developer/docs/api/v2/get-records.html
// - 204 No Content for an empty module; errors {code, details, message, status: "error"}; over the concurrency
//   limit 429 TOO_MANY_REQUESTS.
// - writes: POST /crm/v8/{Module} (insert), PUT /crm/v8/{Module} (update, each record carrying its id) and PUT
//   /crm/v8/{Module}/{id} (one record) with {data: [record, ...]} (up to 100) answer per record, in the records'
//   order ("the Response JSON array maintains the same order as the input records"), {data: [{code: SUCCESS,
//   details: {Modified_Time, Modified_By, Created_Time, id, Created_By}, message: "record added" | "record updated",
//   status: "success"}]} - 201 for an insert, 200 for an update; a record refused is {code: MANDATORY_NOT_FOUND |
//   INVALID_DATA, details: {api_name, json_path} | {id}, message, status: "error"} in the same list (400 when every
//   record is refused, 207 Multi-Status when some are); more than 100 records is 400 {data: [{code: LIMIT_EXCEEDED,
//   details: {maximum_length: 100, api_name: "data"}, message: "count of records in your request exceeds the
//   limit"}]}; https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html, update-records.html, and Zoho's
//   OpenAPI (github.com/zoho/crm-oas, v8.0/record: createRecords, updateRecords) for the order, the 207 and the
//   limit (the error cases as their samples show them; "the id given seems to be invalid" for an unknown id is
//   Zoho's usual wording).
//   DELETE /crm/v8/{Module}/{id} -> {data: [{code: SUCCESS, details: {id}, message: "record deleted"}]}; GET
//   /crm/v8/{Module}/deleted?type=all|recycle|permanent lists {id, display_name, type, deleted_by, deleted_time}.
// - Modified_Time reads back in the organisation's time zone with its offset, to the second.
// - GET /crm/v8/users?type=AllUsers&page&per_page -> {users, info: {more_records, ...}}.
// - notifications (POST /actions/watch channels): {server_time, query_params, module, resource_uri, ids, operation
//   (insert | update | delete), channel_id, token}, one per operation, echoing the channel's token;
//   https://www.zoho.com/crm/developer/docs/api/notifications/enable.html

export type ZohoRecord = { id: string; Modified_Time: string; [k: string]: unknown };
type Refusal = { code: string; message: string; details: object };
export type ZohoEvent = { module: string; ids: string[]; operation: 'insert' | 'update' | 'delete'; at: number };
export const ZOHO_MODULES: Record<string, string> = {
  leads: 'Leads',
  contacts: 'Contacts',
  accounts: 'Accounts',
  deals: 'Deals',
  tasks: 'Tasks',
  notes: 'Notes',
  products: 'Products',
};
const MANDATORY: Record<string, string[]> = {
  Leads: ['Last_Name'],
  Contacts: ['Last_Name'],
  Accounts: ['Account_Name'],
  Deals: ['Deal_Name', 'Stage'],
};
const PER_PAGE = 200;
const WRITE_MAX = 100;
const PAGE_LIMIT = 2000;
const USER = { name: 'Patricia Boyle', id: '4150868000000225013' };
const zohoTime = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+05:30');

function zohoDeliveries(events: ZohoEvent[], to: WebhookOptions): Delivery[] {
  return events.map((e) => ({
    url: to.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      server_time: e.at,
      query_params: {},
      module: e.module,
      resource_uri: `https://www.zohoapis.com/crm/v8/${e.module}`,
      ids: e.ids,
      operation: e.operation,
      channel_id: '1000000068001',
      token: to.secret,
    }),
  }));
}

export async function startZohoFake(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const modules = new Map<string, ZohoRecord[]>([...Object.values(ZOHO_MODULES), 'users'].map((m) => [m, []]));
  const deleted = new Map<string, { id: string; display_name: string; deleted_time: string }[]>();
  const notifier = createNotifier(zohoDeliveries);
  let id = 4150868000000000000n;
  const error = (status: number, code: string, message: string, details: object = {}): FakeReply => ({
    status,
    json: { code, details, message, status: 'error' },
  });
  const perRecord = (status: number, code: string, message: string, details: object, ok = false): FakeReply => ({
    status,
    json: { data: [{ code, details, message, status: ok ? 'success' : 'error' }] },
  });

  function handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== 'Zoho-oauthtoken sync-access')
      return error(401, 'INVALID_TOKEN', 'invalid oauth token');
    const m = /^\/crm\/v8\/([A-Za-z_]+)(?:\/(\d+|deleted))?$/.exec(req.path);
    const module = m?.[1] as string;
    const rows = m ? modules.get(module) : undefined;
    if (!m || !rows)
      return error(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
    if (m[2] === 'deleted' && req.method === 'GET') return listDeleted(module);
    if (req.method === 'GET' && !m[2]) return list(module, rows, req);
    if (req.method === 'POST' && !m[2]) return writeAll(module, rows, jsonOf(req) ?? {}, false);
    if (req.method === 'PUT' && !m[2]) return writeAll(module, rows, jsonOf(req) ?? {}, true);
    const record = rows.find((r) => r.id === m[2]);
    if (!record) return perRecord(400, 'INVALID_DATA', 'the id given seems to be invalid', { id: m[2] });
    if (req.method === 'GET') return { json: { data: [record] } };
    if (req.method === 'PUT') return update(module, record, jsonOf(req) ?? {});
    if (req.method === 'DELETE') {
      remove(module, record);
      return perRecord(200, 'SUCCESS', 'record deleted', { id: record.id }, true);
    }
    return error(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
  }

  function list(module: string, rows: ZohoRecord[], req: FakeRequest): FakeReply {
    if (module !== 'users' && !req.query.get('fields'))
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
    return { json: module === 'users' ? { users: data, info } : { data, info } };
  }

  function listDeleted(module: string): FakeReply {
    const data = (deleted.get(module) ?? []).map((d) => ({
      deleted_by: USER,
      id: d.id,
      display_name: d.display_name,
      type: 'recycle',
      created_by: USER,
      deleted_time: d.deleted_time,
    }));
    if (data.length === 0) return { status: 204 };
    return { json: { data, info: { per_page: PER_PAGE, count: data.length, page: 1, more_records: false } } };
  }

  /** The first refusal of the `at`-th record of a write, as Zoho reports it, or undefined. */
  function refusal(module: string, record: Record<string, unknown>, creating: boolean, at = 0): Refusal | undefined {
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      return { code: 'INVALID_DATA', message: 'invalid data', details: { json_path: `$.data[${at}]` } };
    for (const field of MANDATORY[module] ?? []) {
      const v = record[field];
      if (creating ? v === undefined || v === null || v === '' : field in record && (v === null || v === ''))
        return {
          code: 'MANDATORY_NOT_FOUND',
          message: 'required field not found',
          details: { api_name: field, json_path: `$.data[${at}].${field}` },
        };
    }
    if ('Modified_Time' in record || 'Created_Time' in record)
      return { code: 'INVALID_DATA', message: 'invalid data', details: { api_name: 'Modified_Time' } };
    return undefined;
  }

  const bodyRecord = (body: Record<string, unknown>) =>
    Array.isArray(body.data) && body.data.length === 1 ? (body.data[0] as Record<string, unknown>) : undefined;

  /**
   * Insert (POST /{Module}) or update (PUT /{Module}) up to 100 records: each checked as a one-record write is, the
   * valid ones written, each answered in the records' order; 400 when none was written, 207 when some were.
   */
  function writeAll(module: string, rows: ZohoRecord[], body: Record<string, unknown>, updating: boolean): FakeReply {
    const inputs = body.data;
    if (!Array.isArray(inputs) || inputs.length === 0)
      return error(400, 'INVALID_DATA', 'invalid data', { expected_data_type: 'jsonarray' });
    if (inputs.length > WRITE_MAX) {
      const details = { maximum_length: WRITE_MAX, api_name: 'data' };
      return perRecord(400, 'LIMIT_EXCEEDED', 'count of records in your request exceeds the limit', details);
    }
    const checked = (inputs as Record<string, unknown>[]).map((input, at) => {
      if (!updating) return { fields: input, refused: refusal(module, input, true, at) };
      const { id, ...fields } = input ?? {};
      const idAt = { api_name: 'id', json_path: `$.data[${at}].id` };
      if (typeof id !== 'string' || id === '') {
        return { fields, refused: { code: 'MANDATORY_NOT_FOUND', message: 'required field not found', details: idAt } };
      }
      const record = rows.find((r) => r.id === id);
      if (!record)
        return {
          fields,
          refused: { code: 'INVALID_DATA', message: 'the id given seems to be invalid', details: idAt },
        };
      return { fields, record, refused: refusal(module, fields, false, at) };
    });
    const data = checked.map(({ fields, record, refused }) => {
      if (refused) return { ...refused, status: 'error' };
      const written = write(module, rows, record, fields);
      const message = record ? 'record updated' : 'record added';
      return { code: 'SUCCESS', details: detailsOf(written), message, status: 'success' };
    });
    const failed = checked.filter((c) => c.refused).length;
    const status = failed === checked.length ? 400 : failed > 0 ? 207 : updating ? 200 : 201;
    return { status, json: { data } };
  }

  /** PUT /{Module}/{id}: one record, the id in the path. */
  function update(module: string, record: ZohoRecord, body: Record<string, unknown>): FakeReply {
    const input = bodyRecord(body);
    if (!input) return error(400, 'INVALID_DATA', 'invalid data', { expected_data_type: 'jsonarray' });
    return writeAll(module, modules.get(module) ?? [], { data: [{ ...input, id: record.id }] }, true);
  }

  const detailsOf = (r: ZohoRecord) => ({
    Modified_Time: r.Modified_Time,
    Modified_By: USER,
    Created_Time: r.Created_Time,
    id: r.id,
    Created_By: USER,
  });

  function write(module: string, rows: ZohoRecord[], existing: ZohoRecord | undefined, fields: object): ZohoRecord {
    const at = now();
    const stamp = zohoTime(at);
    if (existing) {
      Object.assign(existing, fields, { Modified_Time: stamp });
      notifier.emit({ module, ids: [existing.id], operation: 'update', at });
      return existing;
    }
    const record: ZohoRecord = { id: String(++id), ...fields, Created_Time: stamp, Modified_Time: stamp };
    rows.push(record);
    notifier.emit({ module, ids: [record.id], operation: 'insert', at });
    return record;
  }

  function remove(module: string, record: ZohoRecord) {
    const at = now();
    const rows = modules.get(module) ?? [];
    rows.splice(rows.indexOf(record), 1);
    const name = [record.First_Name, record.Last_Name].filter(Boolean).join(' ') || String(record.id);
    deleted.set(module, [
      ...(deleted.get(module) ?? []),
      { id: record.id, display_name: name, deleted_time: zohoTime(at) },
    ]);
    notifier.emit({ module, ids: [record.id], operation: 'delete', at });
  }

  const recordOf = (module: string, recordId: string) => {
    const r = modules.get(module)?.find((x) => x.id === recordId);
    if (!r) throw new Error(`no ${module} ${recordId} in the Zoho fake`);
    return r;
  };

  const server = await startFakeServer(handle);
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
    /** A record created in Zoho's UI; answers it. */
    create: (module: string, fields: Record<string, unknown>) =>
      write(module, modules.get(module) ?? [], undefined, fields),
    /** A user edits a record in Zoho's UI: Modified_Time bumped, an update notification sent. */
    edit: (module: string, recordId: string, fields: Record<string, unknown>) =>
      write(module, modules.get(module) ?? [], recordOf(module, recordId), fields),
    /** A user deletes a record: it leaves the module for GET /{Module}/deleted; a delete notification is sent. */
    remove: (module: string, recordId: string) => remove(module, recordOf(module, recordId)),
    /** Send notifications to `url`, echoing `secret` as the channel token. */
    webhook: (webhook: WebhookOptions) => notifier.subscribe(webhook),
    webhooks: notifier,
    tooMany: () =>
      error(429, 'TOO_MANY_REQUESTS', 'number of API requests per minute/concurrency limit has been exceeded'),
  };
}

export type ZohoFake = Awaited<ReturnType<typeof startZohoFake>>;
