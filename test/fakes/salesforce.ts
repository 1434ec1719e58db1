import { jsonOf, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Salesforce REST API, as documented:
// - GET /services/data/vXX.X/query|queryAll?q=<SOQL> -> {totalSize, done, nextRecordsUrl?, records: [{attributes:
//   {type, url}, ...}]}, up to 2,000 records a batch; the rest through GET nextRecordsUrl (a path on the instance,
//   /services/data/vXX.X/query/<locator>-<offset>) until done is true; /query leaves deleted records out, /queryAll
//   includes them with IsDeleted = true; https://developer.salesforce.com/docs/platform/api-rest/guide/resources-queryall.md
// - SOQL dateTime literals are unquoted ISO 8601 (2026-01-01T00:00:00Z); SystemModstamp reads back as
//   2026-01-01T00:00:00.000+0000.
// - writes: POST /sobjects/<Object> -> 201 {id, errors: [], success: true}; PATCH /sobjects/<Object>/<Id> -> 204 (no
//   body); DELETE -> 204 (to the Recycle Bin); an Id in the body is 400 INVALID_FIELD "The Id field should not be
//   specified in the sobject data."; https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/
//   dome_sobject_create.htm, dome_update_fields.htm, errorcodes.htm. A missing required field is 400
//   REQUIRED_FIELD_MISSING with `fields`; an unknown Id 404 NOT_FOUND; a deleted one ENTITY_IS_DELETED (standard
//   StatusCodes; the message texts are as Salesforce usually words them - unconfirmed). A delete stamping
//   SystemModstamp is how incremental queryAll readers see it - assumed, not re-read.
// - values: Email fields store addresses lower-cased (salesforce.stackexchange.com/questions/246995 - community
//   knowledge, not the reference); phones are stored as sent through the API.
// - errors are [{message, errorCode, fields?}]; the daily API cap answers 403 REQUEST_LIMIT_EXCEEDED (there is no
//   429). No webhooks the platform verifies (Outbound Messages are SOAP; change events come over the Pub/Sub API).
// - sObject Collections: POST /composite/sobjects creates and PATCH /composite/sobjects updates {allOrNone, records:
//   [{attributes: {type}, id (update only), ...fields}]}, up to 200 records; each record follows the single write's
//   rules. A well-formed request answers 200 with one SaveResult {id, success, errors: [{statusCode, message,
//   fields}]} per record "in the order in which the create requests were specified"; allOrNone false writes each
//   valid record, allOrNone true writes none when one fails (the others answer ALL_OR_NONE_OPERATION_ROLLED_BACK);
//   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html,
//   resources-composite-sobjects-collections-update.html. A request that is not well formed (no records, a record
//   without attributes.type) is 400; more than 200 records is 400 EXCEEDED_ID_LIMIT "record limit reached. cannot
//   submit more than 200 records into this call" (the text integrators quote). A record's refusal carries the single
//   write's errorCode as statusCode (the codes for an unknown Id in a collection are assumed, not re-read).

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

/** Required on create (standard fields only). */
const REQUIRED: Record<string, string[]> = {
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
  Campaign: ['Name'],
};
const PREFIX: Record<string, string> = { Account: '001', Contact: '003', Opportunity: '006', Lead: '00Q' };
const SYSTEM = ['SystemModstamp', 'LastModifiedDate', 'CreatedDate', 'IsDeleted'];
const BATCH = 2000;
const COLLECTION_MAX = 200;
const VERSION = 'v68.0';
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export async function startSalesforceFake(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const objects = new Map<string, SalesforceRecord[]>(Object.values(SALESFORCE_OBJECTS).map((o) => [o, []]));
  const cursors = new Map<string, SalesforceRecord[]>();
  let n = 0;
  let id = 0;
  const error = (status: number, errorCode: string, message: string, fields?: string[]): FakeReply => ({
    status,
    json: [{ message, errorCode, ...(fields ? { fields } : {}) }],
  });
  const base = `/services/data/${VERSION}`;

  function handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== 'Bearer sync-access')
      return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (req.path === `${base}/query` || req.path === `${base}/queryAll`)
      return query(req.query.get('q') ?? '', req.path.endsWith('queryAll'));
    const more = new RegExp(`^${base}/query/([^/]+)-(\\d+)$`).exec(req.path);
    if (more) {
      const rows = cursors.get(more[1] as string);
      return rows
        ? batch(more[1] as string, rows, Number(more[2]))
        : error(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    if (req.path === `${base}/composite/sobjects` && (req.method === 'POST' || req.method === 'PATCH'))
      return collection(req.method === 'PATCH', jsonOf(req));
    const sobject = new RegExp(`^${base}/sobjects/(\\w+)(?:/(\\w+))?$`).exec(req.path);
    const rows = sobject ? objects.get(sobject[1] as string) : undefined;
    if (sobject && rows) return sobjectCall(req, sobject[1] as string, rows, sobject[2]);
    return error(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function sobjectCall(req: FakeRequest, object: string, rows: SalesforceRecord[], recordId?: string): FakeReply {
    const body = jsonOf(req) ?? {};
    if (req.method === 'POST' && !recordId) return create(object, rows, body);
    if (req.method === 'PATCH') return update(rows, recordId as string, object, body);
    const record = existing(rows, recordId as string);
    if (!('Id' in record)) return record;
    if (req.method === 'GET') return { json: record };
    if (req.method === 'DELETE') {
      remove(record);
      return { status: 204 };
    }
    return error(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed`);
  }

  function refuse(object: string, body: Record<string, unknown>, creating: boolean): FakeReply | undefined {
    if ('Id' in body || 'id' in body)
      return error(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
    const system = SYSTEM.filter((f) => f in body);
    if (system.length)
      return error(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${system.join(', ')}. Please check the security settings of this field.`,
        system,
      );
    const missing = (REQUIRED[object] ?? []).filter((f) =>
      creating ? body[f] === undefined || body[f] === null || body[f] === '' : f in body && !body[f],
    );
    if (missing.length)
      return error(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    const email = body.Email;
    if (typeof email === 'string' && email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      return error(400, 'INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${email}`, ['Email']);
    return undefined;
  }

  /** The live record an Id names, or Salesforce’s answer that there is none. */
  function existing(rows: SalesforceRecord[], recordId: string): SalesforceRecord | FakeReply {
    const record = rows.find((r) => r.Id === recordId);
    if (!record) return error(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (record.IsDeleted) return error(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return record;
  }

  function update(
    rows: SalesforceRecord[],
    recordId: string,
    object: string,
    body: Record<string, unknown>,
  ): FakeReply {
    const record = existing(rows, recordId);
    if (!('Id' in record)) return record;
    const refused = refuse(object, body, false);
    if (refused) return refused;
    change(record, body);
    return { status: 204 };
  }

  function create(object: string, rows: SalesforceRecord[], body: Record<string, unknown>): FakeReply {
    const refused = refuse(object, body, true);
    if (refused) return refused;
    const Id = `${PREFIX[object] ?? '001'}${String(++id).padStart(12, '0')}AAA`;
    const at = stamp(now());
    const record: SalesforceRecord = {
      attributes: { type: object, url: `${base}/sobjects/${object}/${Id}` },
      Id,
      IsDeleted: false,
      CreatedDate: at,
      LastModifiedDate: at,
      SystemModstamp: at,
      ...normalised(body),
    };
    rows.push(record);
    return { status: 201, json: { id: Id, success: true, errors: [] } };
  }

  /**
   * sObject Collections: every record checked as its single write checks it, then (allOrNone false) the valid ones
   * written, each answered by a SaveResult in the records' order.
   */
  function collection(updating: boolean, body: Record<string, unknown> | undefined): FakeReply {
    const records = body?.records;
    if (!Array.isArray(records) || records.length === 0)
      return error(400, 'JSON_PARSER_ERROR', 'The request body must contain a list of records');
    if (records.length > COLLECTION_MAX)
      return error(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COLLECTION_MAX} records into this call`,
      );
    const inputs = records as Record<string, unknown>[];
    const types = inputs.map((r) => (r?.attributes as { type?: unknown } | undefined)?.type);
    const bad = types.findIndex((t) => typeof t !== 'string' || !objects.has(t));
    if (bad >= 0) return error(400, 'INVALID_TYPE', `sObject type '${String(types[bad])}' is not supported.`);
    // Each record's fields as its single write would send them: without attributes, and an update's id taken out.
    const writes = inputs.map((input, i) => {
      const { attributes: _attributes, id, ...fields } = input;
      const object = types[i] as string;
      const rows = objects.get(object) as SalesforceRecord[];
      if (!updating) return { object, rows, fields, refused: refuse(object, fields, true) };
      if (typeof id !== 'string' || id === '')
        return { object, rows, fields, refused: error(400, 'MISSING_ARGUMENT', 'Id not specified in an update call') };
      const record = existing(rows, id);
      if (!('Id' in record)) return { object, rows, fields, refused: record };
      return { object, rows, fields, record, refused: refuse(object, fields, false) };
    });
    const failed = writes.some((w) => w.refused);
    const allOrNone = body?.allOrNone === true;
    const results = writes.map((w) => {
      if (w.refused) {
        const [said] = w.refused.json as { message: string; errorCode: string; fields?: string[] }[];
        return {
          success: false,
          errors: [{ statusCode: said?.errorCode, message: said?.message, fields: said?.fields ?? [] }],
        };
      }
      if (failed && allOrNone) {
        const message = 'Record rolled back because not all records were valid and the request was using AllOrNone';
        return { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message, fields: [] }] };
      }
      if (w.record) {
        change(w.record, w.fields);
        return { id: w.record.Id, success: true, errors: [] };
      }
      const created = create(w.object, w.rows, w.fields).json as { id: string };
      return { id: created.id, success: true, errors: [] };
    });
    return { status: 200, json: results };
  }

  const normalised = (body: Record<string, unknown>) =>
    typeof body.Email === 'string' ? { ...body, Email: body.Email.toLowerCase() } : body;

  function change(record: SalesforceRecord, body: Record<string, unknown>) {
    const at = stamp(now());
    Object.assign(record, normalised(body), { LastModifiedDate: at, SystemModstamp: at });
  }

  function remove(record: SalesforceRecord) {
    Object.assign(record, { IsDeleted: true, SystemModstamp: stamp(now()) });
  }

  function query(soql: string, all: boolean): FakeReply {
    const m =
      /^SELECT FIELDS\(STANDARD\) FROM (\w+)(?: WHERE SystemModstamp >= (\S+))? ORDER BY SystemModstamp(, Id)?$/.exec(
        soql,
      );
    if (!m) return error(400, 'MALFORMED_QUERY', `unexpected SOQL in this fake: ${soql}`);
    let rows = (objects.get(m[1] as string) ?? []).filter((r) => all || !r.IsDeleted);
    if (m[2]) {
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(m[2]))
        return error(400, 'MALFORMED_QUERY', `bad dateTime ${m[2]}`);
      rows = rows.filter((r) => Date.parse(r.SystemModstamp) >= Date.parse(m[2] as string));
    }
    rows.sort((a, b) => Date.parse(a.SystemModstamp) - Date.parse(b.SystemModstamp) || (a.Id < b.Id ? -1 : 1));
    // A snapshot: later changes do not move records between the batches of this query.
    rows = rows.map((r) => ({ ...r }));
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
        ...(done ? {} : { nextRecordsUrl: `${base}/query/${locator}-${from + BATCH}` }),
        records,
      },
    };
  }

  const recordOf = (object: string, Id: string) => {
    const r = objects.get(object)?.find((x) => x.Id === Id);
    if (!r) throw new Error(`no ${object} ${Id} in the Salesforce fake`);
    return r;
  };

  const server = await startFakeServer(handle);
  return {
    ...server,
    objects,
    seed(object: string, count: number, from: number, step = 1000) {
      for (let i = 0; i < count; i++) {
        const Id = `001${String(++id).padStart(15, '0')}`;
        objects.get(object)?.push({
          Id,
          SystemModstamp: stamp(from + i * step),
          attributes: { type: object, url: `${base}/sobjects/${object}/${Id}` },
        });
      }
    },
    touch(object: string, Id: string, at: number) {
      const r = objects.get(object)?.find((x) => x.Id === Id);
      if (r) r.SystemModstamp = stamp(at);
    },
    /** A record created in Salesforce's UI; answers its Id. */
    create(object: string, fields: Record<string, unknown>): string {
      const reply = create(object, objects.get(object) ?? [], fields);
      if (reply.status !== 201) throw new Error(`Salesforce refused: ${JSON.stringify(reply.json)}`);
      return (reply.json as { id: string }).id;
    },
    /** A user edits a record in Salesforce's UI: values stored as Salesforce stores them, SystemModstamp bumped. */
    edit: (object: string, Id: string, fields: Record<string, unknown>) => change(recordOf(object, Id), fields),
    /** A user deletes a record (to the Recycle Bin): /queryAll shows it with IsDeleted = true. */
    remove: (object: string, Id: string) => remove(recordOf(object, Id)),
    limitExceeded: () => error(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  };
}

export type SalesforceFake = Awaited<ReturnType<typeof startSalesforceFake>>;
