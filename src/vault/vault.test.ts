import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';
import { DecryptionError, parseSealed } from './envelope.js';
import { assertSecretReferencesExist, resolveSecretReferences } from './secrets/references.js';
import { latestDataKeyId } from './sql.js';
import type { Vault } from './vault.js';

let t: TestApp;
let vault: Vault;
beforeEach(async () => {
  t = await createTestApp();
  vault = t.built.vault;
});
afterEach(async () => {
  await t.close();
});

const context = { record: 'conn_1', field: 'api_key' };

describe('envelope sealing', () => {
  it('round-trips a value, and the sealed text names the tenant’s data key', async () => {
    const sealed = await vault.seal(t.db, t.tenantId, context, 'plain value ✓');
    expect(sealed).not.toContain('plain value');
    const { dataKeyId } = parseSealed(sealed);
    expect(sealed.startsWith(`v1:${dataKeyId}:`)).toBe(true);
    expect(dataKeyId).toBe(await latestDataKeyId(t.db, t.tenantId));
    expect(await vault.open(t.db, t.tenantId, context, sealed)).toBe('plain value ✓');
    // A fresh IV every time: sealing the same value twice gives different texts.
    expect(await vault.seal(t.db, t.tenantId, context, 'plain value ✓')).not.toBe(sealed);
  });

  it('refuses to open a value under another tenant, record or field (AAD)', async () => {
    const other = await t.otherTenant();
    const sealed = await vault.seal(t.db, t.tenantId, context, 'bound');
    const wrongPlaces = [
      [other.tenantId, context],
      [t.tenantId, { ...context, record: 'conn_2' }],
      [t.tenantId, { ...context, field: 'password' }],
    ] as const;
    for (const [tenantId, ctx] of wrongPlaces) {
      await expect(vault.open(t.db, tenantId, ctx, sealed)).rejects.toBeInstanceOf(DecryptionError);
    }
  });

  it('refuses a tampered, truncated or foreign sealed value', async () => {
    const sealed = await vault.seal(t.db, t.tenantId, context, 'intact');
    const { dataKeyId, payload } = parseSealed(sealed);
    for (const i of [0, 12, payload.length - 1]) {
      const tampered = Buffer.from(payload);
      tampered[i] = (tampered[i] as number) ^ 1;
      const text = `v1:${dataKeyId}:${tampered.toString('base64url')}`;
      await expect(vault.open(t.db, t.tenantId, context, text)).rejects.toBeInstanceOf(DecryptionError);
    }
    const truncated = `v1:${dataKeyId}:${payload.subarray(0, 20).toString('base64url')}`;
    await expect(vault.open(t.db, t.tenantId, context, truncated)).rejects.toBeInstanceOf(DecryptionError);
    await expect(vault.open(t.db, t.tenantId, context, 'not sealed')).rejects.toBeInstanceOf(DecryptionError);
    const unknownKey = `v1:dek_nope:${payload.toString('base64url')}`;
    await expect(vault.open(t.db, t.tenantId, context, unknownKey)).rejects.toBeInstanceOf(DecryptionError);
  });
});

describe('secrets API', () => {
  it('creates, lists (names and versions only), rotates, reads versions and deletes', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/secrets',
      body: { name: 'STRIPE_KEY', value: 'sk_live_first', description: 'payments' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'STRIPE_KEY', version: 1, reference: '{{secrets.STRIPE_KEY}}' });
    const rotated = await t.request({
      method: 'PUT',
      url: '/v1/secrets/STRIPE_KEY',
      body: { value: 'sk_live_second' },
    });
    expect(rotated.data).toMatchObject({ version: 2, description: 'payments' });

    const list = await t.request({ url: '/v1/secrets' });
    expect(list.data.data).toEqual([
      {
        name: 'STRIPE_KEY',
        description: 'payments',
        version: 2,
        reference: '{{secrets.STRIPE_KEY}}',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    const detail = await t.request({ url: '/v1/secrets/STRIPE_KEY' });
    expect((detail.data.versions as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    for (const body of [created.body, rotated.body, list.body, detail.body]) expect(body).not.toContain('sk_live');

    const { rows } = await t.db.query<{ sealed: string }>(
      'select v.sealed from secret_versions v join secrets s on s.id = v.secret_id where s.name = $1',
      ['STRIPE_KEY'],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.sealed).toMatch(/^v1:dek_[0-9a-z]+:[A-Za-z0-9_-]+$/);

    expect((await t.request({ method: 'DELETE', url: '/v1/secrets/STRIPE_KEY' })).statusCode).toBe(204);
    expectProblem(await t.request({ url: '/v1/secrets/STRIPE_KEY' }), 404, 'not_found');
    expect((await t.db.query('select 1 from secret_versions')).rows).toEqual([]);
  });

  it('concurrent rotations of one secret each get their own version', async () => {
    await t.request({ method: 'POST', url: '/v1/secrets', body: { name: 'BUSY', value: 'v1' } });
    const results = await Promise.all(
      [2, 3, 4, 5, 6].map((i) => t.request({ method: 'PUT', url: '/v1/secrets/BUSY', body: { value: `value ${i}` } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const versions = results.map((r) => r.data.version as number);
    expect([...versions].sort()).toEqual([2, 3, 4, 5, 6]);
    const detail = await t.request({ url: '/v1/secrets/BUSY' });
    expect((detail.data.versions as { version: number }[]).map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    // Each version holds the value of the request that created it.
    for (const [i, version] of versions.entries()) {
      const text = `{{secrets.BUSY@${version}}}`;
      expect(await resolveSecretReferences(t.db, vault, t.tenantId, text)).toBe(`value ${i + 2}`);
    }
  });

  it('lists by name with cursor pagination', async () => {
    for (const name of ['C', 'A', 'B'])
      await t.request({ method: 'POST', url: '/v1/secrets', body: { name, value: 'v' } });
    const first = await t.request({ url: '/v1/secrets?limit=2' });
    const second = await t.request({ url: `/v1/secrets?limit=2&cursor=${first.data.next_cursor as string}` });
    const names = [...(first.data.data as { name: string }[]), ...(second.data.data as { name: string }[])];
    expect(names.map((s) => s.name)).toEqual(['A', 'B', 'C']);
    expect(second.data.next_cursor).toBeNull();
  });
});

describe('secret references', () => {
  it('resolves {{secrets.NAME}} to the current version and {{secrets.NAME@1}} to the pinned one', async () => {
    await t.request({ method: 'POST', url: '/v1/secrets', body: { name: 'TOKEN', value: 'one' } });
    await t.request({ method: 'PUT', url: '/v1/secrets/TOKEN', body: { value: 'two' } });
    const text = 'Bearer {{secrets.TOKEN}}; old={{ secrets.TOKEN@1 }}; again={{secrets.TOKEN}}';
    expect(await resolveSecretReferences(t.db, vault, t.tenantId, text)).toBe('Bearer two; old=one; again=two');
    expect(await resolveSecretReferences(t.db, vault, t.tenantId, 'no references')).toBe('no references');
    await assertSecretReferencesExist(t.db, t.tenantId, text);
  });

  it('refuses a reference to a missing secret or version, and to another tenant’s secret', async () => {
    await t.request({ method: 'POST', url: '/v1/secrets', body: { name: 'TOKEN', value: 'one' } });
    const other = await t.otherTenant();
    for (const text of ['{{secrets.NOPE}}', '{{secrets.TOKEN@2}}', '{{secrets.TOKEN@0}}']) {
      await expect(resolveSecretReferences(t.db, vault, t.tenantId, text)).rejects.toMatchObject({
        code: 'secret_reference_invalid',
      });
      await expect(assertSecretReferencesExist(t.db, t.tenantId, text)).rejects.toMatchObject({
        code: 'secret_reference_invalid',
      });
    }
    await expect(resolveSecretReferences(t.db, vault, other.tenantId, '{{secrets.TOKEN}}')).rejects.toMatchObject({
      code: 'secret_reference_invalid',
    });
  });
});
