import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromaIdentity } from '../fakes/vector-stores.js';
import { startConformance, type Conformance } from './harness.js';
import { checkCredential } from './vector-store-checks.js';

// Chroma's shipped manifest against a fake of GET /api/v2/auth/identity as documented
// (https://docs.trychroma.com/reference/chroma-api/authentication/get-user-identity) with the token in x-chroma-token
// and errors as the server answers them: {"error": "ChromaError", "message": ...}, 401/403
// (chroma-core/chroma rust/frontend/src/types/errors.rs, rust/error/src/lib.rs).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('chroma');
});
afterAll(() => c.close());

const KEY = 'ck-conformance-0123456789abcdef';
const config = () => ({ url: c.vendor.url });

describe('chroma conformance', () => {
  it('test call: GET /api/v2/auth/identity with x-chroma-token; the tenant is the account; a wrong token is credential_revoked', async () => {
    const { connection, sent, refused } = await checkCredential(c, {
      route: 'GET /api/v2/auth/identity',
      fake: chromaIdentity(KEY),
      field: 'api_key',
      good: KEY,
      config: config(),
    });
    expect(sent.headers['x-chroma-token']).toBe(KEY);
    expect(connection).toMatchObject({ vendor_account_id: 'acme' });
    expect(refused).toMatchObject({ outcome: 'credential_revoked', status: 401, message: '401: Permission denied.' });
  });

  it('test call: 403 permission denied is scope_insufficient', async () => {
    const reply = { status: 403, json: { error: 'ChromaError', message: 'Permission denied.' } };
    const { res } = await c.testCall({ credentials: { api_key: KEY }, config: config(), reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
  });
});
