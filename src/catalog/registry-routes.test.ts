import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createCustomConnector, customManifest } from '../../test/helpers/catalog.js';
import { newId } from '../core/ids.js';
import { buildApp } from '../server/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const create = (body: unknown, token?: string) => t.request({ method: 'POST', url: '/v1/connectors', body, token });
const patch = (slug: string, body: unknown, token?: string) =>
  t.request({ method: 'PATCH', url: `/v1/connectors/${slug}`, body, token });
const remove = (slug: string, token?: string) => t.request({ method: 'DELETE', url: `/v1/connectors/${slug}`, token });
const errorsOf = (res: { data: Record<string, unknown> }) => res.data.errors as { path: string; message: string }[];

async function auditOf(action: string) {
  const { rows } = await t.db.query<{ target_id: string; outcome: string; diff: Record<string, unknown> }>(
    'select target_id, outcome, diff from audit_log where action = $1 order by id',
    [action],
  );
  return rows;
}

describe('connector registry (superuser)', () => {
  it('adds a custom connector that the library lists at once, audited', async () => {
    const manifest = customManifest({ name: 'Acme Billing', category: 'ERP' });
    const res = await create(manifest);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ slug: manifest.slug, source: 'custom', category: 'ERP', warnings: [] });
    const listed = await t.request({ url: '/v1/connectors?q=acme%20billing' });
    expect((listed.data.data as { slug: string }[]).map((s) => s.slug)).toEqual([manifest.slug]);
    expect(await auditOf('connector.create')).toEqual([
      {
        target_id: manifest.slug,
        outcome: 'success',
        diff: { name: 'Acme Billing', category: 'ERP', source: 'custom' },
      },
    ]);
  });

  it('refuses an invalid manifest with each problem at its JSON pointer under body', async () => {
    const bad = await create(customManifest({ category: 'Crm' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.data.code).toBe('validation_failed');
    expect(errorsOf(bad)[0]).toEqual({
      path: 'body/category',
      message: expect.stringMatching(/^must be one of "CRM"/),
    });

    const several = await create(
      customManifest({ auth: [{ type: 'magic' }], base_url: 'https://{{config.region}}.example.test' }),
    );
    expect(errorsOf(several)).toEqual([
      { path: 'body/auth/0', message: expect.stringMatching(/^type "magic" is not one of api_key/) },
    ]);
    const template = await create(customManifest({ base_url: 'https://{{config.region}}.example.test' }));
    expect(errorsOf(template)).toEqual([
      { path: 'body/base_url', message: '{{config.region}} names no field in "config"' },
    ]);
    const unknown = await create(customManifest({ colour: 'red' }));
    expect(errorsOf(unknown)).toEqual([{ path: 'body/colour', message: 'unknown property "colour"' }]);
    const notObject = await create([1, 2]);
    expect(notObject.statusCode).toBe(400);
    expect((await t.db.query("select count(*)::int as n from connectors where source = 'custom'")).rows[0]).toEqual({
      n: 0,
    });
  });

  it('answers 409 already_exists for a slug in use, built in or custom', async () => {
    expect((await create(customManifest({ slug: 'generic_rest' }))).data.code).toBe('already_exists');
    const slug = await createCustomConnector(t);
    const again = await create(customManifest({ slug }));
    expect(again.statusCode).toBe(409);
    expect(again.data.code).toBe('already_exists');
  });

  it('keeps availability and management overrides of a built-in entry when its manifest is seeded again', async () => {
    const res = await patch('generic_rest', { availability: 'maintenance', management: 'hybrid' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ availability: 'maintenance', management: 'hybrid' });
    // A changed file: the seed rewrites the manifest but not what the superuser set.
    await t.db.query(
      "update connectors set manifest_hash = 'stale', manifest = manifest || '{\"name\":\"Old\"}' where slug = 'generic_rest'",
    );
    await t.built.registry.seed();
    const after = await t.request({ url: '/v1/connectors/generic_rest' });
    expect(after.data).toMatchObject({ name: 'Generic REST API', availability: 'maintenance', management: 'hybrid' });
    expect(await auditOf('connector.update')).toEqual([
      {
        target_id: 'generic_rest',
        outcome: 'success',
        diff: { availability: { from: 'active', to: 'maintenance' }, management: { from: 'byop', to: 'hybrid' } },
      },
    ]);
  });

  it('overrides a built-in entry’s presentation over newer manifests, and null goes back to the manifest', async () => {
    const presentation = {
      name: 'In-house REST',
      description: 'Our own services, through the proxy.',
      category: 'Analytics',
      complexity: 'high',
      popularity: 95,
      features: ['proxy', 'Audit trail'],
      data_types: ['orders', 'invoices'],
    };
    const res = await patch('generic_rest', { presentation });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ ...presentation, source: 'builtin' });
    expect(res.data.overridden).toEqual([
      'name',
      'description',
      'category',
      'complexity',
      'popularity',
      'features',
      'data_types',
    ]);
    // The library searches and counts by what it shows.
    const found = await t.request({ url: '/v1/connectors?q=in-house&category=Analytics' });
    expect((found.data.data as { slug: string }[]).map((c) => c.slug)).toEqual(['generic_rest']);

    // A changed file: the seed rewrites the manifest, the overrides stay over it.
    await t.db.query("update connectors set manifest_hash = 'stale' where slug = 'generic_rest'");
    await t.built.registry.seed();
    expect((await t.request({ url: '/v1/connectors/generic_rest' })).data).toMatchObject(presentation);

    const back = await patch('generic_rest', { presentation: { name: null, features: null, popularity: 20 } });
    expect(back.data).toMatchObject({
      name: 'Generic REST API',
      features: ['api_playground', 'proxy', 'syncs'],
      popularity: 20,
      category: 'Analytics',
    });
    expect(back.data.overridden).toEqual(['description', 'category', 'complexity', 'popularity', 'data_types']);
    const [first, second] = await auditOf('connector.update');
    expect(first?.diff).toMatchObject({
      name: { from: 'Generic REST API', to: 'In-house REST' },
      category: { from: 'Generic', to: 'Analytics' },
      features: { from: ['api_playground', 'proxy', 'syncs'], to: ['proxy', 'Audit trail'] },
    });
    expect(second?.diff).toEqual({
      name: { from: 'In-house REST', to: 'Generic REST API' },
      popularity: { from: 95, to: 20 },
      features: { from: ['proxy', 'Audit trail'], to: ['api_playground', 'proxy', 'syncs'] },
    });
  });

  it('refuses a presentation value the manifest would refuse, and keeps a custom entry’s over a new manifest', async () => {
    const invalid = await patch('generic_rest', {
      presentation: { popularity: 101, category: 'Crm', name: ' ', colour: 'red' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(errorsOf(invalid).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.presentation.popularity', 'body.presentation.category', 'body.presentation.name']),
    );
    expect((await t.request({ url: '/v1/connectors/generic_rest' })).data.overridden).toEqual([]);

    const slug = await createCustomConnector(t, { name: 'Acme' });
    await patch(slug, { presentation: { name: 'Acme (EU)' } });
    const replaced = await patch(slug, { manifest: customManifest({ slug, name: 'Acme v2', description: 'v2' }) });
    expect(replaced.data).toMatchObject({ name: 'Acme (EU)', description: 'v2', overridden: ['name'] });
  });

  it('shows every change on the next read, on this node and on another one', async () => {
    const slug = await createCustomConnector(t, { name: 'Before' });
    // A second node on the same database: its registry cache learns of changes through the notification.
    const other = await buildApp({
      config: t.config,
      db: t.db,
      log: pino({ level: 'silent' }),
      keyring: t.keyring,
      processMetrics: false,
    });
    try {
      const read = async (app: typeof other.app) =>
        JSON.parse(
          (await app.inject({ url: `/v1/connectors/${slug}`, headers: { authorization: `Bearer ${t.adminToken}` } }))
            .body,
        );
      expect((await read(other.app)).name).toBe('Before');
      const res = await patch(slug, { manifest: customManifest({ slug, name: 'After' }), availability: 'deprecated' });
      expect(res.statusCode, res.body).toBe(200);
      expect((await t.request({ url: `/v1/connectors/${slug}` })).data).toMatchObject({
        name: 'After',
        availability: 'deprecated',
      });
      await expect.poll(async () => (await read(other.app)).name).toBe('After');
      expect((await read(other.app)).availability).toBe('deprecated');
    } finally {
      await other.close();
    }
  });

  it('replaces a custom manifest only with a valid one under the same slug', async () => {
    const slug = await createCustomConnector(t);
    const invalid = await patch(slug, { manifest: customManifest({ slug, category: 'Crm' }) });
    expect(errorsOf(invalid)[0]?.path).toBe('body/manifest/category');
    const renamed = await patch(slug, { manifest: customManifest() });
    expect(renamed.statusCode).toBe(400);
    expect(errorsOf(renamed)).toEqual([{ path: 'body/manifest/slug', message: `must be "${slug}"` }]);
    const builtin = await patch('generic_rest', { manifest: customManifest({ slug: 'generic_rest' }) });
    expect(builtin.statusCode).toBe(409);
    expect(builtin.data.code).toBe('conflict');
    expect((await patch(slug, {})).statusCode).toBe(400);
    expect((await patch('no_such_connector', { retired: true })).statusCode).toBe(404);
  });

  it('retires and restores an entry', async () => {
    const slug = await createCustomConnector(t, { description: 'obsolescent gadget' });
    const retired = await patch(slug, { retired: true });
    expect(retired.data).toMatchObject({ retired: true, connectable: false });
    expect((await t.request({ url: '/v1/connectors?q=obsolescent' })).data.data).toEqual([]);
    const restored = await patch(slug, { retired: false });
    expect(restored.data).toMatchObject({ retired: false, connectable: true });
    expect((await t.request({ url: '/v1/connectors?q=obsolescent' })).data.counts).toMatchObject({ total: 1 });
  });

  it('deletes a custom entry no connection uses; built-in and used ones stay', async () => {
    const slug = await createCustomConnector(t);
    const used = await createCustomConnector(t);
    await t.db.query(
      `insert into connections (id, tenant_id, connector_slug, name, auth_method, credential_source, state)
       values ($1, $2, $3, 'In use', 'api_key', 'tenant', 'inactive')`,
      [newId('conn'), t.tenantId, used],
    );
    const builtin = await remove('generic_rest');
    expect(builtin.statusCode).toBe(409);
    expect(builtin.data.code).toBe('conflict');
    const inUse = await remove(used);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.data).toMatchObject({ code: 'in_use', connections: 1 });

    expect((await remove(slug)).statusCode).toBe(204);
    expect((await t.request({ url: `/v1/connectors/${slug}` })).statusCode).toBe(404);
    expect((await remove(slug)).statusCode).toBe(404);
    expect((await t.request({ url: `/v1/connectors/${used}` })).statusCode).toBe(200);
    expect((await auditOf('connector.delete')).map((r) => [r.target_id, r.outcome])).toEqual([
      ['generic_rest', 'failure'],
      [used, 'failure'],
      [slug, 'success'],
      [slug, 'failure'],
    ]);
  });

  it('refuses registry writes to every tenant role, administrators included', async () => {
    const slug = await createCustomConnector(t);
    const admin = (await t.keyWithRole('administrator')).token;
    const attempts = [
      await create(customManifest(), admin),
      await patch(slug, { availability: 'maintenance' }, admin),
      await remove(slug, admin),
      await t.request({ method: 'PUT', url: `/v1/connectors/${slug}/system-connection`, body: {}, token: admin }),
      await t.request({ url: `/v1/connectors/${slug}/system-connection`, token: admin }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(403);
      expect(res.data).toMatchObject({ code: 'forbidden', missing_capability: 'manage_registry' });
    }
    expect((await t.request({ url: `/v1/connectors/${slug}` })).data).toMatchObject({ availability: 'active' });
  });
});
