import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from './helpers/app.js';
import { createRole, createSecret, createUser, expectProblem, type UserFixture } from './helpers/fixtures.js';
import { snapshotData } from './helpers/snapshot.js';

/**
 * Every endpoint that takes a body, fed malformed JSON, wrong types, missing and unknown fields, an oversized body
 * and the wrong content type: each answers its 4xx problem (never a 500) and writes nothing at all.
 */
const BODY_LIMIT = 2048;

let t: TestApp;
let ids: { roleId: string; userId: string; tenantId: string; secret: string };
let user: UserFixture;

/**
 * One app per endpoint (below): every case but the last is a rejected request that must write nothing, and
 * asserts so against a snapshot of every data table, so each case meets the data exactly as set up here; the
 * last one, the valid body, is the only write.
 */
async function setUp() {
  t = await createTestApp({ config: { bodyLimit: BODY_LIMIT } });
  user = await createUser(t);
  const other = await t.otherTenant('other');
  ids = {
    roleId: await createRole(t, ['list_connections']),
    userId: user.id,
    tenantId: other.tenantId,
    secret: await createSecret(t, 'original-value'),
  };
}

type BodyEndpoint = {
  method: 'POST' | 'PATCH' | 'PUT';
  url: () => string;
  valid: () => Record<string, unknown>;
  /** A field to give the wrong type, and a required field to leave out (updates have none). */
  field: string;
  required?: string;
};

const endpoints: Record<string, BodyEndpoint> = {
  'POST /v1/api-keys': {
    method: 'POST',
    url: () => '/v1/api-keys',
    valid: () => ({ name: 'k', role: 'viewer' }),
    field: 'name',
    required: 'role',
  },
  'POST /v1/users': {
    method: 'POST',
    url: () => '/v1/users',
    valid: () => ({ email: 'new@example.test', role: 'viewer', password: 'a long enough passphrase' }),
    field: 'email',
    required: 'password',
  },
  'PATCH /v1/users/:id': {
    method: 'PATCH',
    url: () => `/v1/users/${ids.userId}`,
    valid: () => ({ name: 'N' }),
    field: 'disabled',
  },
  'POST /v1/roles': {
    method: 'POST',
    url: () => '/v1/roles',
    valid: () => ({ name: 'R', capabilities: [] }),
    field: 'capabilities',
    required: 'name',
  },
  'PATCH /v1/roles/:id': {
    method: 'PATCH',
    url: () => `/v1/roles/${ids.roleId}`,
    valid: () => ({ name: 'R2' }),
    field: 'description',
  },
  'POST /v1/tenants': {
    method: 'POST',
    url: () => '/v1/tenants',
    valid: () => ({ name: 'T', slug: 'tee' }),
    field: 'name',
    required: 'slug',
  },
  'PATCH /v1/tenants/:id': {
    method: 'PATCH',
    url: () => `/v1/tenants/${ids.tenantId}`,
    valid: () => ({ disabled: true }),
    field: 'disabled',
  },
  'POST /v1/secrets': {
    method: 'POST',
    url: () => '/v1/secrets',
    valid: () => ({ name: 'NEW', value: 'v' }),
    field: 'value',
    required: 'name',
  },
  'PUT /v1/secrets/:name': {
    method: 'PUT',
    url: () => `/v1/secrets/${ids.secret}`,
    valid: () => ({ value: 'v2' }),
    field: 'value',
    required: 'value',
  },
  'POST /v1/sessions': {
    method: 'POST',
    url: () => '/v1/sessions',
    valid: () => ({ email: user.email, password: user.password }),
    field: 'password',
    required: 'email',
  },
};

const json = { 'content-type': 'application/json' };

function expectNoServerError(res: TestResponse) {
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.headers['x-request-id']).toBeTruthy();
}

describe.each(Object.entries(endpoints))('%s', (_name, endpoint) => {
  beforeAll(setUp);
  afterAll(() => t.close());

  const send = (body: unknown, headers: Record<string, string> = {}) =>
    t.request({ method: endpoint.method, url: endpoint.url(), body, headers });

  /** Run `attempt` and assert it wrote nothing. */
  async function rejected(attempt: () => Promise<TestResponse>): Promise<TestResponse> {
    const before = await snapshotData(t);
    const res = await attempt();
    expectNoServerError(res);
    expect(await snapshotData(t)).toEqual(before);
    return res;
  }

  it('malformed JSON → 400 malformed_json', async () => {
    const res = await rejected(() => send('{"name": "k", ', json));
    expectProblem(res, 400, 'malformed_json');
    expectProblem(await rejected(() => send('', json)), 400, 'malformed_json');
  });

  it('a field of the wrong type → 400 validation_failed naming it', async () => {
    const res = await rejected(() => send({ ...endpoint.valid(), [endpoint.field]: 12345 }));
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([expect.objectContaining({ path: `body.${endpoint.field}` })]);
  });

  it('a missing required field, or no body at all → 400 validation_failed', async () => {
    if (endpoint.required) {
      const body = endpoint.valid();
      delete body[endpoint.required];
      const res = await rejected(() => send(body));
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors).toEqual([expect.objectContaining({ path: `body.${endpoint.required}` })]);
    }
    const none = await rejected(() => t.request({ method: endpoint.method, url: endpoint.url() }));
    expectProblem(none, 400, 'validation_failed');
    expect(none.data.errors).toEqual([expect.objectContaining({ path: 'body' })]);
  });

  it('an unknown field → 400 validation_failed naming it', async () => {
    const res = await rejected(() => send({ ...endpoint.valid(), is_admin: true }));
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([{ path: 'body', message: expect.stringContaining('is_admin') }]);
  });

  it('a body over the limit → 413 body_too_large', async () => {
    const res = await rejected(() => send({ ...endpoint.valid(), padding: 'x'.repeat(BODY_LIMIT) }));
    expectProblem(res, 413, 'body_too_large');
  });

  it('a body that is not JSON → 415 unsupported_media_type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await rejected(() => send('name=k&role=viewer', { 'content-type': type }));
      expectProblem(res, 415, 'unsupported_media_type');
    }
  });

  it('the valid body is accepted (the cases above fail for their stated reason only)', async () => {
    const res = await send(endpoint.valid());
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(200);
    expect(res.statusCode).toBeLessThan(300);
  });
});
