import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantCollections } from '../fakes/vector-stores.js';
import { startConformance, type Conformance } from './harness.js';
import { checkCredential } from './vector-store-checks.js';

// Qdrant's shipped manifest against a fake of GET /collections as documented
// (https://api.qdrant.tech/api-reference/collections/get-collections) and as its auth middleware answers: 401 for a
// missing or unknown key, 403 for a JWT that is expired or signed with another key, or lacks the access
// (qdrant/qdrant src/common/auth/mod.rs, jwt_parser.rs; https://github.com/qdrant/qdrant/pull/3968).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('qdrant');
});
afterAll(() => c.close());

const KEY = 'qdrant-conformance-key-0123456789';
const config = () => ({ url: c.vendor.url });

describe('qdrant conformance', () => {
  it('test call: GET /collections with the key in api-key; an unknown key is 401 credential_revoked', async () => {
    const { sent, refused } = await checkCredential(c, {
      route: 'GET /collections',
      fake: qdrantCollections(KEY),
      field: 'api_key',
      good: KEY,
      config: config(),
    });
    expect(sent.headers['api-key']).toBe(KEY);
    expect(refused).toMatchObject({
      outcome: 'credential_revoked',
      status: 401,
      message: '401: Invalid API key or JWT',
    });
  });

  it.each([
    [{ status: 403, body: 'ExpiredSignature' }, 'credential_expired'],
    [{ status: 403, body: 'InvalidSignature' }, 'credential_revoked'],
    [{ status: 403, body: 'Forbidden: Global access is required' }, 'scope_insufficient'],
    [{ status: 401, body: 'Must provide an API key or an Authorization bearer token' }, 'credential_revoked'],
  ])('test call: %j is %s, nothing stored', async (reply, outcome) => {
    const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({
      outcome,
      status: reply.status,
      message: `${reply.status}: ${reply.body}`,
    });
  });
});
