import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { milvusListCollections } from '../fakes/vector-stores.js';
import { startConformance, type Conformance } from './harness.js';
import { checkCredential } from './vector-store-checks.js';

// Milvus / Zilliz Cloud's shipped manifest against a fake of the RESTful v2 POST /v2/vectordb/collections/list as
// documented (https://milvus.io/api-reference/restful/v2.4.x/About.md) and as the HTTP server answers: errors in the
// body {"code", "message"} with merr codes (pkg/util/merr: 1800 user hasn't authenticated, 1401 privilege not
// permitted), HTTP 401/403 on current servers and 200 on older ones.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('milvus');
});
afterAll(() => c.close());

const TOKEN = 'reader:milvus-conformance-password';
const config = (database = 'default') => ({ uri: c.vendor.url, database });
const route = 'POST /v2/vectordb/collections/list';

describe('milvus conformance', () => {
  it('test call: lists the configured database with the token as a bearer token; a wrong token is credential_revoked', async () => {
    const { sent, refused } = await checkCredential(c, {
      route,
      fake: milvusListCollections(TOKEN),
      field: 'token',
      good: TOKEN,
      config: config(),
    });
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(sent.body.toString())).toEqual({ dbName: 'default' });
    expect(refused).toMatchObject({ outcome: 'credential_revoked', status: 401 });
  });

  it('test call: an older server answering 200 with code 1800 is credential_revoked too', async () => {
    c.vendor.on(route, milvusListCollections(TOKEN, { legacyStatus: true }));
    const res = await c.connect({ credentials: { token: 'reader:wrong' }, config: config() });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'credential_revoked', status: 200 });
  });

  it('test call: an unknown database (code 800 with HTTP 200) is a vendor_error naming the code', async () => {
    c.vendor.on(route, milvusListCollections(TOKEN));
    const res = await c.connect({ credentials: { token: TOKEN }, config: config('missing') });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({
      outcome: 'vendor_error',
      status: 200,
      vendor_code: '800',
      message: '200: database not found[database=missing]',
    });
  });

  it('test call: privilege not permitted (1401) is scope_insufficient', async () => {
    const reply = { status: 200, json: { code: 1401, message: 'privilege not permitted' } };
    const { res } = await c.testCall({ credentials: { token: TOKEN }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'scope_insufficient' });
  });
});
