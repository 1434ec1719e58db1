import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weaviateMeta } from '../fakes/vector-stores.js';
import { startConformance, type Conformance } from './harness.js';
import { checkCredential } from './vector-store-checks.js';

// Weaviate's shipped manifest against a fake of GET /v1/meta as documented (https://docs.weaviate.io/deploy/configuration/meta)
// with API-key authentication as the server answers it: 401 {"code": 401, "message": ...}
// (usecases/auth/authentication/apikey/client.go; https://github.com/weaviate/weaviate/pull/6947).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('weaviate');
});
afterAll(() => c.close());

const KEY = 'weaviate-conformance-key-0123456789';
const config = () => ({ url: c.vendor.url });

describe('weaviate conformance', () => {
  it('test call: GET /v1/meta with the key as a bearer token; an unknown key is 401 credential_revoked', async () => {
    const { sent, refused } = await checkCredential(c, {
      route: 'GET /v1/meta',
      fake: weaviateMeta(KEY),
      field: 'api_key',
      good: KEY,
      config: config(),
    });
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(refused).toMatchObject({
      outcome: 'credential_revoked',
      status: 401,
      message: '401: invalid api key, please provide a valid api key',
    });
  });

  it('test call: an RBAC refusal (403) is scope_insufficient', async () => {
    const reply = {
      status: 403,
      json: { error: [{ message: "forbidden: user 'reader' has insufficient permissions" }] },
    };
    const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
  });
});
