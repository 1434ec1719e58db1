import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jQuery } from '../fakes/nosql.js';
import { startConformance, type Conformance } from './harness.js';

// Neo4j's shipped manifest against a fake of the Query API (POST /db/<database>/query/v2) with Basic authentication,
// answering as documented (https://neo4j.com/docs/query-api/current/query/,
// https://neo4j.com/docs/query-api/current/authentication-authorization/; codes from
// https://neo4j.com/docs/status-codes/current/errors/all-errors/).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('neo4j');
});
afterAll(() => c.close());

const config = () => ({ url: c.vendor.url, database: 'movies' });
const route = 'POST /db/movies/query/v2';

describe('neo4j conformance', () => {
  it('test call: RETURN 1 on the configured database as Basic user:password; a wrong password is 401 credential_revoked', async () => {
    c.vendor.on(route, neo4jQuery('reader', 'graph-pw'));
    const ok = await c.connect({ credentials: { username: 'reader', password: 'graph-pw' }, config: config() });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected', status: 202 } });
    const sent = c.requestsTo(route).at(-1);
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({ statement: 'RETURN 1 AS ok' });

    const bad = await c.connect({ credentials: { username: 'reader', password: 'wrong' }, config: config() });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.data.outcome).toMatchObject({
      outcome: 'credential_revoked',
      status: 401,
      message: '401: {"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"Invalid credential."}]}',
    });
  });

  it.each([
    ['Neo.ClientError.Security.CredentialsExpired', 403, 'credential_expired'],
    ['Neo.ClientError.Security.Forbidden', 403, 'scope_insufficient'],
    ['Neo.ClientError.Security.AuthenticationRateLimit', 429, 'vendor_error'],
    ['Neo.ClientError.Database.DatabaseNotFound', 404, 'vendor_error'],
  ])('test call: %s is %s', async (code, status, outcome) => {
    const reply = { status, json: { errors: [{ code, message: 'documented' }] } };
    const { res } = await c.testCall({
      credentials: { username: 'reader', password: 'graph-pw' },
      config: config(),
      reply,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome, status });
  });
});
