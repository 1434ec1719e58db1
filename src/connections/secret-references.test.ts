import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { createSecret, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';
import { getCredential } from './sql.js';
import { credentialContext } from '../vault/contexts.js';

/** Credentials given as `{{secrets.NAME}}`: checked at save time, stored as written, resolved at every use. */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({ 'GET /me': { json: { id: 'acct_1' } } });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const create = (credentials: Record<string, string>, config: Record<string, string> = {}) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      auth_method: 'api_key',
      config: { base_url: vendor.url, test_path: '/me', ...config },
      credentials,
    },
  });
const testCall = (id: string) => t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
const rotate = (name: string, value: string) =>
  t.request({ method: 'PUT', url: `/v1/secrets/${name}`, body: { value } });
const sentKeys = () => vendor.requests.map((r) => r.headers['x-api-key']);

/** What the vault holds for the connection, opened. */
async function storedCredentials(connectionId: string): Promise<Record<string, string>> {
  const row = await getCredential(t.db, connectionId, null);
  if (!row) throw new Error('no credential row');
  const opened = await t.built.vault.open(t.db, t.tenantId, credentialContext(connectionId, row.id), row.sealed);
  return JSON.parse(opened) as Record<string, string>;
}

describe('secret references in connection credentials', () => {
  it('resolve at use time: a rotated secret is what the next test sends; the stored credential is the reference', async () => {
    const name = await createSecret(t, 'key-version-1');
    const res = await create({ api_key: `{{secrets.${name}}}` });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.data.id as string;
    expect(await storedCredentials(id)).toEqual({ api_key: `{{secrets.${name}}}` });

    expect((await rotate(name, 'key-version-2')).statusCode).toBe(200);
    expect((await testCall(id)).data.state).toBe('active');
    expect(sentKeys()).toEqual(['key-version-1', 'key-version-2']);

    // Nothing outside the vault holds either value.
    const dump = JSON.stringify([
      (await t.db.query('select * from connections')).rows,
      (await t.db.query('select * from connection_credentials')).rows,
      (await t.db.query('select * from events')).rows,
      (await t.db.query('select * from audit_log')).rows,
    ]);
    expect(dump).not.toMatch(/key-version-/);
  });

  it('a pinned version stays on that version after a rotation', async () => {
    const name = await createSecret(t, 'pinned-1');
    await rotate(name, 'pinned-2');
    const res = await create({ api_key: `{{secrets.${name}@1}}` });
    expect(res.statusCode, res.body).toBe(201);
    await rotate(name, 'pinned-3');
    await testCall(res.data.id as string);
    expect(sentKeys()).toEqual(['pinned-1', 'pinned-1']);
  });

  it('a reference inside a longer value and in config resolves; GET shows the references, not the values', async () => {
    const key = await createSecret(t, 'inner');
    const path = await createSecret(t, '/me');
    const res = await create({ api_key: `prefix-{{secrets.${key}}}-suffix` }, { test_path: `{{secrets.${path}}}` });
    expect(res.statusCode, res.body).toBe(201);
    expect(sentKeys()).toEqual(['prefix-inner-suffix']);
    const got = await t.request({ url: `/v1/connections/${res.data.id as string}` });
    expect(got.data.config).toMatchObject({ test_path: `{{secrets.${path}}}` });
  });

  it('a reference to a missing secret or version is refused at save time: 400, nothing stored, no vendor call', async () => {
    const name = await createSecret(t, 'exists');
    const before = await rowCounts(t, ['connections', 'connection_credentials', 'events']);
    for (const [credentials, field] of [
      [{ api_key: '{{secrets.NO_SUCH_SECRET}}' }, 'body.credentials.api_key'],
      [{ api_key: `{{secrets.${name}@2}}` }, 'body.credentials.api_key'],
    ] as const) {
      const res = await create(credentials);
      expectProblem(res, 400, 'secret_reference_invalid');
      expect(res.data.errors).toEqual([{ path: field, message: expect.stringContaining('no existing secret') }]);
    }
    const inConfig = await create({ api_key: 'k' }, { test_path: '{{secrets.MISSING_PATH}}' });
    expectProblem(inConfig, 400, 'secret_reference_invalid');
    expect(inConfig.data.errors).toEqual([{ path: 'body.config.test_path', message: expect.any(String) }]);
    expect(await rowCounts(t, ['connections', 'connection_credentials', 'events'])).toEqual(before);
    expect(vendor.requests).toEqual([]);
  });

  it('a rotation to a missing secret is refused and the old credential stays', async () => {
    const name = await createSecret(t, 'old-key');
    const id = (await create({ api_key: `{{secrets.${name}}}` })).data.id as string;
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/connections/${id}`,
      body: { credentials: { api_key: '{{secrets.GONE}}' } },
    });
    expectProblem(res, 400, 'secret_reference_invalid');
    expect(await storedCredentials(id)).toEqual({ api_key: `{{secrets.${name}}}` });
  });

  it('a secret deleted after saving: the test cannot run, the state is put back and the vendor is not called', async () => {
    const name = await createSecret(t, 'soon-gone');
    const id = (await create({ api_key: `{{secrets.${name}}}` })).data.id as string;
    expect((await t.request({ method: 'DELETE', url: `/v1/secrets/${name}` })).statusCode).toBe(204);
    expectProblem(await testCall(id), 400, 'secret_reference_invalid');
    const after = await t.request({ url: `/v1/connections/${id}` });
    expect(after.data.state).toBe('active');
    expect(vendor.requests).toHaveLength(1);
  });
});
