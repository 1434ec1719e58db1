import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/core/db/migrate.js';
import { randomToken } from '../src/core/ids.js';
import { generateMasterKey } from '../src/vault/keyring.js';
import { testDatabaseUrl, testEngine } from './helpers/db.js';
import { createScratchDatabase, startServeProcess, type ServeProcess } from './helpers/serve-process.js';

const onPostgres = testEngine() === 'postgres';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function api(node: ServeProcess, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, data: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(!onPostgres)('two serve processes on one PostgreSQL database', () => {
  it('both start healthy, migrations and bootstrap happen once, and a revocation on one node holds on the other', async () => {
    const database = await createScratchDatabase(testDatabaseUrl());
    cleanup.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      SWITCHYARD_MASTER_KEY: generateMasterKey(),
      SWITCHYARD_ADMIN_TOKEN: randomToken('syk_'),
      SWITCHYARD_LOG_LEVEL: 'warn',
    };
    // Started together, so both race to migrate and bootstrap.
    const [a, b] = await Promise.all([startServeProcess(env), startServeProcess(env)]);
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    await Promise.all([a.waitHealthy(), b.waitHealthy()]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanup.push(() => client.end());
    const migrations = await client.query('select id from switchyard_migrations order by id');
    expect(migrations.rows.map((r) => r.id)).toEqual(loadMigrations().map((m) => m.id));
    const tenants = await client.query('select count(*)::int as n from tenants');
    expect(tenants.rows[0].n).toBe(1);
    const boots = await client.query("select count(*)::int as n from audit_log where action = 'system.bootstrap'");
    expect(boots.rows[0].n).toBe(1);

    // A key minted on node A works on node B; revoked on B, it stops working on A at once (NOTIFY, not the TTL).
    const created = await api(a, env.SWITCHYARD_ADMIN_TOKEN, 'POST', '/v1/api-keys', {
      name: 'shared',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const token = created.data.token as string;
    const id = (created.data.api_key as { id: string }).id;
    expect((await api(b, token, 'GET', '/v1/me')).status).toBe(200);
    expect((await api(a, token, 'GET', '/v1/me')).status).toBe(200); // now cached on A
    expect((await api(b, env.SWITCHYARD_ADMIN_TOKEN, 'DELETE', `/v1/api-keys/${id}`)).status).toBe(200);
    await expect.poll(async () => (await api(a, token, 'GET', '/v1/me')).status, { timeout: 5000 }).toBe(401);

    const [stopA, stopB] = await Promise.all([a.stop(), b.stop()]);
    expect(stopA.code).toBe(0);
    expect(stopB.code).toBe(0);
  });
});
