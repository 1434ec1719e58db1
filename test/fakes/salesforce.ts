import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Salesforce REST API, as documented:
// - GET /services/data/vXX.X/query|queryAll?q=<SOQL> -> {totalSize, done, nextRecordsUrl?, records: [{attributes:
//   {type, url}, ...}]}, up to 2,000 records a batch; the rest through GET nextRecordsUrl (a path on the instance,
//   /services/data/vXX.X/query/<locator>-<offset>) until done is true;
//   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-queryall.md
// - SOQL dateTime literals are unquoted ISO 8601 (2026-01-01T00:00:00Z); SystemModstamp reads back as
//   2026-01-01T00:00:00.000+0000.
// - errors are [{message, errorCode}]; the daily API cap answers 403 REQUEST_LIMIT_EXCEEDED (there is no 429).

export type SalesforceRecord = {
  Id: string;
  SystemModstamp: string;
  attributes: { type: string; url: string };
  [k: string]: unknown;
};

export const SALESFORCE_OBJECTS: Record<string, string> = {
  accounts: 'Account',
  contacts: 'Contact',
  leads: 'Lead',
  opportunities: 'Opportunity',
  cases: 'Case',
  tasks: 'Task',
  users: 'User',
  campaigns: 'Campaign',
};

const BATCH = 2000;
const VERSION = 'v68.0';
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export async function startSalesforceFake() {
  const objects = new Map<string, SalesforceRecord[]>(Object.values(SALESFORCE_OBJECTS).map((o) => [o, []]));
  const cursors = new Map<string, SalesforceRecord[]>();
  let n = 0;
  const error = (status: number, errorCode: string, message: string): FakeReply => ({
    status,
    json: [{ message, errorCode }],
  });

  function handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== 'Bearer sync-access')
      return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const base = `/services/data/${VERSION}`;
    if (req.path === `${base}/query` || req.path === `${base}/queryAll`) return query(req.query.get('q') ?? '');
    const more = new RegExp(`^${base}/query/([^/]+)-(\\d+)$`).exec(req.path);
    if (more) {
      const rows = cursors.get(more[1] as string);
      return rows
        ? batch(more[1] as string, rows, Number(more[2]))
        : error(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return error(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function query(soql: string): FakeReply {
    const m =
      /^SELECT FIELDS\(STANDARD\) FROM (\w+)(?: WHERE SystemModstamp >= (\S+))? ORDER BY SystemModstamp(, Id)?$/.exec(
        soql,
      );
    if (!m) return error(400, 'MALFORMED_QUERY', `unexpected SOQL in this fake: ${soql}`);
    let rows = [...(objects.get(m[1] as string) ?? [])];
    if (m[2]) {
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(m[2]))
        return error(400, 'MALFORMED_QUERY', `bad dateTime ${m[2]}`);
      rows = rows.filter((r) => Date.parse(r.SystemModstamp) >= Date.parse(m[2] as string));
    }
    rows.sort((a, b) => Date.parse(a.SystemModstamp) - Date.parse(b.SystemModstamp) || (a.Id < b.Id ? -1 : 1));
    const locator = `01g${String(cursors.size).padStart(15, '0')}`;
    cursors.set(locator, rows);
    return batch(locator, rows, 0);
  }

  function batch(locator: string, rows: SalesforceRecord[], from: number): FakeReply {
    const records = rows.slice(from, from + BATCH);
    const done = from + BATCH >= rows.length;
    return {
      headers: { 'sforce-limit-info': `api-usage=${++n}/15000` },
      json: {
        totalSize: rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/${VERSION}/query/${locator}-${from + BATCH}` }),
        records,
      },
    };
  }

  const server = await startFakeServer(handle);
  let id = 0;
  return {
    ...server,
    objects,
    seed(object: string, count: number, from: number, step = 1000) {
      for (let i = 0; i < count; i++) {
        const Id = `001${String(++id).padStart(15, '0')}`;
        objects.get(object)?.push({
          Id,
          SystemModstamp: stamp(from + i * step),
          attributes: { type: object, url: `/services/data/${VERSION}/sobjects/${object}/${Id}` },
        });
      }
    },
    touch(object: string, Id: string, at: number) {
      const r = objects.get(object)?.find((x) => x.Id === Id);
      if (r) r.SystemModstamp = stamp(at);
    },
    limitExceeded: () => error(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  };
}
