import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../src/vault/keyring.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createUser, expectProblem } from './helpers/fixtures.js';
import { createSampleFixtures, sampleRequest, type Caller, type SampleFixtures } from './helpers/route-samples.js';
import { snapshotData } from './helpers/snapshot.js';

/**
 * Input classes swept over every registered route, from the valid sample request of each (the RBAC matrix's), made
 * by a superuser so that access never decides the answer.
 */
let t: TestApp;
let fixtures: SampleFixtures;
let superuser: Caller;

beforeEach(async () => {
  // Two environment keys, so the master-key rotation has something to do (as in the RBAC matrix).
  t = await createTestApp({ masterKey: `${generateMasterKey()},${generateMasterKey()}` });
  fixtures = await createSampleFixtures(t);
  superuser = {
    name: 'superuser',
    token: t.adminToken,
    newUser: () => createUser(t, { role: 'administrator', superuser: true }),
  };
});
afterEach(async () => {
  await t.close();
});

/** Text PostgreSQL cannot store as sent: jsonb refuses the first, text and jsonb the second. */
const UNSTORABLE = [
  { name: 'a lone UTF-16 surrogate', text: 'a\uD800b', says: 'surrogate' },
  { name: 'a NUL character', text: 'a\u0000b', says: 'NUL' },
];

/** The body with `text` in its first string (depth first), and that string's path; none if it has none. */
function withText(value: unknown, path: string, text: string): { body: unknown; path: string } | undefined {
  if (typeof value === 'string') return { body: text, path };
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    const found = withText(item, `${path}.${key}`, text);
    if (!found) continue;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
    (copy as Record<string, unknown>)[key] = found.body;
    return { body: copy, path: found.path };
  }
  return undefined;
}

const routeKeys = () => t.built.routes.map((r) => `${r.method} ${r.url}`);
/** Routes whose body is bytes (a file's), not JSON. */
const rawBodyRoutes = () =>
  t.built.routes
    .filter((r) => r.requestTypes && !r.requestTypes.includes('application/json'))
    .map((r) => `${r.method} ${r.url}`);

describe('bad input swept over every route', () => {
  it.each(UNSTORABLE)(
    '$name in any string of a body → 400 validation_failed naming it, nothing written',
    async (bad) => {
      let swept = 0;
      for (const route of routeKeys()) {
        // Inbound webhooks and file uploads keep the bytes as sent: stored raw, never refused for their content.
        if (route.includes('/hooks/') || rawBodyRoutes().includes(route)) continue;
        const sample = await sampleRequest(route, fixtures, superuser);
        const changed = withText(sample.body, 'body', bad.text);
        if (!changed) continue;
        swept++;
        const before = await snapshotData(t);
        const res = await t.request({ ...sample, body: changed.body, token: sample.token ?? superuser.token });
        expectProblem(res, 400, 'validation_failed');
        expect(res.data.errors, route).toEqual([{ path: changed.path, message: expect.stringContaining(bad.says) }]);
        expect(await snapshotData(t), route).toEqual(before);
      }
      // Every route that takes a JSON body with text in it was tried (a guard against the sweep finding nothing).
      expect(swept).toBeGreaterThan(20);
    },
  );

  it('a lone surrogate in an object key, deep down, is refused the same way', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/roles',
      body: JSON.parse('{"name":"r","capabilities":[],"description":"d","x":{"\\udc00":1}}') as object,
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([{ path: 'body.x.\uFFFD', message: expect.stringContaining('surrogate') }]);
    // A well-formed pair (an emoji) is ordinary text.
    const ok = await t.request({ method: 'POST', url: '/v1/roles', body: { name: 'r \u{1F600}', capabilities: [] } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.data.name).toBe('r \u{1F600}');
  });

  it('routes without a body accept an empty body sent with Content-Type: application/json', async () => {
    let swept = 0;
    for (const route of routeKeys()) {
      const sample = await sampleRequest(route, fixtures, superuser);
      if (sample.body !== undefined || sample.method === 'GET' || sample.method === 'HEAD') continue;
      swept++;
      const res = await t.request({
        ...sample,
        body: '',
        headers: { 'content-type': 'application/json' },
        token: sample.token ?? superuser.token,
      });
      expect(res.statusCode, `${route}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(res.statusCode, `${route}: ${res.body.slice(0, 300)}`).toBeLessThan(400);
    }
    expect(swept).toBeGreaterThan(10);
    // Where a body is required, an empty one is still malformed JSON.
    const empty = await t.request({
      method: 'POST',
      url: '/v1/roles',
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(empty, 400, 'malformed_json');
  });
});
