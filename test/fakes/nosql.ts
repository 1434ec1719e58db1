import { createHmac } from 'node:crypto';
import type { RecordedRequest, VendorHandler } from '../helpers/fake-vendor.js';

const header = (req: RecordedRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Azure Cosmos DB, GET /dbs (https://learn.microsoft.com/rest/api/cosmos-db/list-databases), checking the master-key
 * token as the access-control page defines it, written here from the documentation (not from the platform's code):
 * the Authorization header is the URL-encoded "type=master&ver=1.0&sig=<base64 HMAC-SHA256>" of
 * "get\ndbs\n\n<x-ms-date, lower case>\n\n" under the base64-decoded account key; x-ms-date and x-ms-version are
 * required; a date 15 minutes or more away is refused with 403 "The authorization token expired"
 * (https://learn.microsoft.com/rest/api/cosmos-db/http-status-codes-for-cosmosdb).
 */
export function cosmosListDatabases(accountKey: string, now: () => Date = () => new Date()): VendorHandler {
  return (req) => {
    const date = header(req, 'x-ms-date');
    if (!date || !header(req, 'x-ms-version'))
      return {
        status: 400,
        json: { code: 'BadRequest', message: 'Required Header authorization or x-ms-date is missing.' },
      };
    const skew = Math.abs(now().getTime() - Date.parse(date));
    if (!(skew < 15 * 60_000))
      return { status: 403, json: { code: 'Forbidden', message: 'The authorization token expired.' } };
    const payload = `get\ndbs\n\n${date.toLowerCase()}\n\n`;
    const signature = createHmac('sha256', Buffer.from(accountKey, 'base64')).update(payload).digest('base64');
    let token = '';
    try {
      token = decodeURIComponent(header(req, 'authorization') ?? '');
    } catch {
      token = '';
    }
    if (token !== `type=master&ver=1.0&sig=${signature}`)
      return {
        status: 401,
        json: {
          code: 'Unauthorized',
          message:
            "The input authorization token can't serve the request. The wrong key is being used or the expected payload " +
            `is not built as per the protocol. Server used the following payload to sign: '${payload}'`,
        },
      };
    return {
      json: {
        _rid: '',
        Databases: [
          {
            id: 'iot2',
            _rid: 'qicAAA==',
            _ts: 1446192371,
            _self: 'dbs/qicAAA==/',
            _etag: '"00001800-0000-0000-0000-563324f30000"',
            _colls: 'colls/',
            _users: 'users/',
          },
        ],
        _count: 1,
      },
    };
  };
}

/**
 * Neo4j Query API, POST /db/<database>/query/v2 (https://neo4j.com/docs/query-api/current/query/), Basic
 * authentication (https://neo4j.com/docs/query-api/current/authentication-authorization/): 401 with
 * {"errors": [{"code": "Neo.ClientError.Security.Unauthorized", ...}]} without or with wrong credentials; 202 with
 * {"data": {"fields", "values"}, "bookmarks"} for a statement that runs.
 */
export function neo4jQuery(user: string, password: string): VendorHandler {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return (req) => {
    const auth = header(req, 'authorization');
    if (!auth)
      return {
        status: 401,
        json: {
          errors: [{ code: 'Neo.ClientError.Security.Unauthorized', message: 'No authentication header supplied.' }],
        },
      };
    if (auth !== expected)
      return {
        status: 401,
        json: { errors: [{ code: 'Neo.ClientError.Security.Unauthorized', message: 'Invalid credential.' }] },
      };
    const { statement } = JSON.parse(req.body.toString() || '{}') as { statement?: string };
    if (statement !== 'RETURN 1 AS ok')
      return {
        status: 400,
        json: { errors: [{ code: 'Neo.ClientError.Statement.SyntaxError', message: 'unexpected' }] },
      };
    return {
      status: 202,
      json: { data: { fields: ['ok'], values: [[1]] }, bookmarks: ['FB:kcwQ/wTfJf8rS1WY+GiIKXsCXgmQ'] },
    };
  };
}
