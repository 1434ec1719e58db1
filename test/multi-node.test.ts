import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/core/db/migrate.js';
import { expectData } from './helpers/api.js';
import { useTwoNodes } from './helpers/two-nodes.js';

describe('two serve processes on one PostgreSQL database', () => {
  // Started together, so both race to migrate and bootstrap.
  const nodes = useTwoNodes();

  it('both start healthy, migrations and bootstrap happen once, and a revocation on one node holds on the other', async () => {
    const { a, b } = nodes;
    const client = new pg.Client({ connectionString: nodes.databaseUrl });
    await client.connect();
    const [migrations, tenants, boots] = await Promise.all([
      client.query('select id from switchyard_migrations order by id'),
      client.query('select count(*)::int as n from tenants'),
      client.query("select count(*)::int as n from audit_log where action = 'system.bootstrap'"),
    ]).finally(() => client.end());
    expect(migrations.rows.map((r) => r.id)).toEqual(loadMigrations().map((m) => m.id));
    expect(tenants.rows[0].n).toBe(1);
    expect(boots.rows[0].n).toBe(1);

    // A key minted on node A works on node B; revoked on B, it stops working on A at once (NOTIFY, not the TTL).
    const created = await expectData(
      nodes.client(a).POST('/v1/api-keys', { body: { name: 'shared', role: 'viewer' } }),
      201,
    );
    const { token } = created;
    const me = (node: typeof a) => nodes.client(node, token).GET('/v1/me');
    await expectData(me(b));
    await expectData(me(a)); // now cached on A
    await expectData(nodes.client(b).DELETE('/v1/api-keys/{id}', { params: { path: { id: created.api_key.id } } }));
    await expect.poll(async () => (await me(a)).response.status, { timeout: 5000 }).toBe(401);

    const [stopA, stopB] = await Promise.all([a.stop(), b.stop()]);
    expect(stopA.code).toBe(0);
    expect(stopB.code).toBe(0);
  });
});
