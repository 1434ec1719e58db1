import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { expectProblem } from '../../test/helpers/fixtures.js';

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({
    'GET /me': (req) =>
      req.headers['x-api-key'] === 'good-key'
        ? { json: { id: 'acct_42' } }
        : { status: 401, json: { message: 'bad key' } },
    'GET /things': { json: { things: [1, 2] } },
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const create = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/v1/connections', body });
const acme = (extra: Record<string, unknown> = {}) => ({
  connector: 'generic_rest',
  name: 'Acme API',
  auth_method: 'api_key',
  config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
  credentials: { api_key: 'good-key' },
  ...extra,
});
const alice = { id: 'u-1', email: 'alice@example.com', display_name: 'Alice', organization: { id: 'org-9' } };

describe('connections that know their end user', () => {
  it('stores key, end user, tags and metadata; every /v1/connections/{id} route takes the key', async () => {
    const created = await create(
      acme({ key: 'acme-u-1', end_user: alice, tags: ['crm', 'beta', 'crm'], metadata: { plan: 'pro' } }),
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({
      key: 'acme-u-1',
      end_user: { ...alice, organization: { id: 'org-9', name: null } },
      tags: ['beta', 'crm'],
      metadata: { plan: 'pro' },
      connect_session_id: null,
    });
    const id = created.data.id as string;
    expect((await t.request({ url: '/v1/connections/acme-u-1' })).data.id).toBe(id);
    expect((await t.request({ method: 'POST', url: '/v1/connections/acme-u-1/test' })).data).toMatchObject({ id });
    const proxied = await t.request({ url: '/v1/connections/acme-u-1/proxy/things' });
    expect(proxied.statusCode).toBe(200);
    expect(proxied.data).toEqual({ things: [1, 2] });
    expect(vendor.requests.at(-1)?.headers['x-api-key']).toBe('good-key');
    expectProblem(await t.request({ url: '/v1/connections/no-such-key' }), 404, 'not_found');

    const audit = await t.db.query<{ diff: Record<string, unknown> }>(
      `select diff from audit_log where action = 'connection.create' and target_id = $1`,
      [id],
    );
    expect(audit.rows[0]?.diff).toMatchObject({ key: 'acme-u-1', end_user_id: 'u-1' });
    const event = await t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.created'`,
    );
    expect(event.rows[0]?.data).toMatchObject({ connection_id: id, key: 'acme-u-1', end_user: { id: 'u-1' } });

    // Tags and metadata are edited later; key and end user are not.
    const edited = await t.request({
      method: 'PATCH',
      url: '/v1/connections/acme-u-1',
      body: { tags: ['crm', 'gold'], metadata: { plan: 'enterprise' } },
    });
    expect(edited.data).toMatchObject({ tags: ['crm', 'gold'], metadata: { plan: 'enterprise' }, key: 'acme-u-1' });
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/connections/${id}`, body: { key: 'other' } }),
      400,
      'validation_failed',
    );
  });

  it('lists by end user and by tags (every tag given)', async () => {
    await create(acme({ name: 'A', end_user: alice, tags: ['crm', 'gold'] }));
    await create(acme({ name: 'B', end_user: alice, tags: ['crm'] }));
    await create(acme({ name: 'C', end_user: { id: 'u-2' }, tags: ['crm', 'gold'] }));
    await create(acme({ name: 'D' }));
    const names = async (query: string) =>
      ((await t.request({ url: `/v1/connections?sort=name&${query}` })).data.data as { name: string }[]).map(
        (c) => c.name,
      );
    expect(await names('end_user_id=u-1')).toEqual(['A', 'B']);
    expect(await names('tags=gold')).toEqual(['A', 'C']);
    expect(await names('tags=crm,gold&end_user_id=u-1')).toEqual(['A']);
    expect(await names('tags=none')).toEqual([]);
  });

  it('a create repeated with the same key answers the first connection; a different request with it is a conflict', async () => {
    const body = acme({ key: 'acme-u-1', end_user: alice, tags: ['crm'] });
    const first = await create(body);
    expect(first.statusCode).toBe(201);
    const tests = vendor.requests.length;
    const again = await create(body);
    expect(again.statusCode).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    // Nothing was tested or written again.
    expect(vendor.requests.length).toBe(tests);
    expect((await t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 1 });

    const other = await create({ ...body, tags: ['other'] });
    expectProblem(other, 409, 'conflict');
    expect(other.data.connection_id).toBe(first.data.id);
    expect((await t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 1 });

    // Two at once with a new key: one connection, both answered with it.
    const [a, b] = await Promise.all([create({ ...body, key: 'k2' }), create({ ...body, key: 'k2' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.data.id).toBe(b.data.id);
  });

  it('refuses keys that could be taken for ids, and bad end users, tags and metadata', async () => {
    for (const [extra, path] of [
      [{ key: 'conn_123' }, 'body.key'],
      [{ key: 'has space' }, 'body.key'],
      [{ end_user: { email: 'x@example.com' } }, 'body.end_user.id'],
      [{ end_user: { id: 'u', email: 'not-an-email' } }, 'body.end_user.email'],
      [{ tags: ['a,b'] }, 'body.tags.0'],
      [{ metadata: { blob: 'x'.repeat(20_000) } }, 'body.metadata'],
    ] as const) {
      const res = await create(acme(extra));
      expectProblem(res, 400, 'validation_failed');
      expect(JSON.stringify(res.data.errors), JSON.stringify(extra)).toContain(path);
    }
    expect((await t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual({ n: 0 });
  });
});
