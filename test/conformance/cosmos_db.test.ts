import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosmosListDatabases } from '../fakes/nosql.js';
import { startConformance, type Conformance } from './harness.js';

// Azure Cosmos DB's shipped manifest against a fake of List Databases (GET /dbs) that checks the master-key token as
// Microsoft documents it (test/fakes/nosql.ts): the platform's HMAC strategy must produce exactly that signature.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('cosmos_db');
});
afterAll(() => c.close());

const KEY = Buffer.from('cosmos-conformance-account-key-0123456789').toString('base64');
const config = () => ({ account_endpoint: `${c.vendor.url}/` });
const count = async () => (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

describe('cosmos_db conformance', () => {
  it('test call: GET /dbs signed with the account key (type=master, x-ms-date, x-ms-version); connected', async () => {
    c.vendor.on('GET /dbs', cosmosListDatabases(KEY));
    const res = await c.connect({ credentials: { account_key: KEY }, config: config() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    expect(res.body).not.toContain(KEY);
    const sent = c.requestsTo('GET /dbs').at(-1);
    expect(sent?.headers['x-ms-version']).toBe('2018-12-31');
    expect(sent?.headers['x-ms-date']).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(decodeURIComponent(sent?.headers.authorization as string)).toMatch(
      /^type=master&ver=1\.0&sig=[A-Za-z0-9+/]+=*$/,
    );
  });

  it('test call: another key (a regenerated one) is 401 Unauthorized, credential_revoked; nothing stored', async () => {
    c.vendor.on('GET /dbs', cosmosListDatabases(KEY));
    const before = await count();
    const other = Buffer.from('a-regenerated-key').toString('base64');
    const res = await c.connect({ credentials: { account_key: other }, config: config() });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({
      outcome: 'credential_revoked',
      status: 401,
      message: expect.stringContaining("The input authorization token can't serve the request"),
    });
    expect(await count()).toBe(before);
  });

  it('test call: a clock 20 minutes off is 403 "token expired", the vendor’s error, not the key', async () => {
    c.vendor.on(
      'GET /dbs',
      cosmosListDatabases(KEY, () => new Date(Date.now() + 20 * 60_000)),
    );
    const res = await c.connect({ credentials: { account_key: KEY }, config: config() });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'vendor_error', status: 403, vendor_code: 'Forbidden' });
  });

  it('the account key must be base64, as the portal shows it', async () => {
    const res = await c.connect({ credentials: { account_key: 'not base64!' }, config: config() });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.code).toBe('validation_failed');
  });
});
