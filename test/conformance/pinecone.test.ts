import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pineconeListIndexes } from '../fakes/vector-stores.js';
import { startConformance, type Conformance } from './harness.js';
import { checkCredential } from './vector-store-checks.js';

// Pinecone's shipped manifest against a fake of its control plane as documented: GET /indexes with the Api-Key header
// (https://docs.pinecone.io/reference/api/2026-04/control-plane; errors https://docs.pinecone.io/reference/api/errors,
// bodies from pinecone-io/pinecone-api 2026-04/db_control_2026-04.oas.yaml).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('pinecone');
});
afterAll(() => c.close());

const KEY = 'pcsk_conformance_0123456789abcdef';

describe('pinecone conformance', () => {
  it('test call: GET /indexes with the key in Api-Key and the pinned API version; a wrong key is 401 credential_revoked', async () => {
    const { sent, refused } = await checkCredential(c, {
      route: 'GET /indexes',
      fake: pineconeListIndexes(KEY),
      field: 'api_key',
      good: KEY,
      config: {},
    });
    expect(sent.headers['api-key']).toBe(KEY);
    expect(sent.headers['x-pinecone-api-version']).toBe('2026-04');
    expect(sent.headers.authorization).toBeUndefined();
    expect(refused).toMatchObject({ outcome: 'credential_revoked', status: 401, message: '401: Invalid API key.' });
  });

  it.each([
    // 403 FORBIDDEN (quota, deletion protection): the vendor's error, not a scope problem.
    [
      {
        status: 403,
        json: {
          error: { code: 'FORBIDDEN', message: 'Increase your quota or upgrade to create more indexes.' },
          status: 403,
        },
      },
      'vendor_error',
      'FORBIDDEN',
    ],
    [
      {
        status: 402,
        json: {
          error: {
            code: 'PAYMENT_REQUIRED',
            message: 'Request failed. Pay all past due invoices to lift restrictions on your account.',
          },
          status: 402,
        },
      },
      'vendor_error',
      'PAYMENT_REQUIRED',
    ],
    [
      { status: 500, json: { error: { code: 'UNKNOWN', message: 'Internal server error' }, status: 500 } },
      'vendor_error',
      'UNKNOWN',
    ],
  ])('test call: documented error %# is %s with its code', async (reply, outcome, code) => {
    const { res } = await c.testCall({ credentials: { api_key: KEY }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome, status: reply.status, vendor_code: code });
  });
});
