import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../core/db/postgres.js';
import { randomToken } from '../../core/ids.js';
import { createVault } from '../../vault/vault.js';
import { generateMasterKey, keyringFromText } from '../../vault/keyring.js';
import { testDatabaseUrl, testEngine } from '../../../test/helpers/db.js';
import {
  endpointsOf,
  insertOAuthConnection,
  minutesAgo,
  oauthManifest,
  obtainTokens,
  storedTokens,
  WEB_APP,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer } from '../../../test/helpers/oauth-server.js';
import { createScratchDatabase, startServeProcess, type ServeProcess } from '../../../test/helpers/serve-process.js';

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

// PGlite is one process: two nodes on one database need the PostgreSQL server.
describe.skipIf(!onPostgres)('refresh race across two serve processes on one PostgreSQL', () => {
  it('100 concurrent calls through a connection whose token expired: one refresh, every call succeeds', async () => {
    // Hour-long tokens, so that the one refreshed token is not due again while the calls run.
    const server = await startOAuthServer({ accessTokenTtl: 3600 });
    cleanup.push(() => server.close());
    const database = await createScratchDatabase(testDatabaseUrl());
    cleanup.push(() => database.drop());
    const masterKey = generateMasterKey();
    const admin = randomToken('syk_');
    const env = {
      DATABASE_URL: database.url,
      SWITCHYARD_MASTER_KEY: masterKey,
      SWITCHYARD_ADMIN_TOKEN: admin,
      SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      SWITCHYARD_LOG_LEVEL: 'warn',
    };
    const [a, b] = await Promise.all([startServeProcess(env), startServeProcess(env)]);
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    await Promise.all([a.waitHealthy(), b.waitHealthy()]);

    // The connector and the platform's OAuth app through the API (both nodes hear of them), the connection and its
    // expired credential written as the authorization callback would.
    const manifest = oauthManifest(endpointsOf(server));
    expect((await api(a, admin, 'POST', '/v1/connectors', manifest)).status).toBe(201);
    const system = await api(a, admin, 'PUT', `/v1/connectors/${manifest.slug}/system-connection`, {
      auth_method: 'oauth2',
      credentials: WEB_APP,
    });
    expect(system.status, JSON.stringify(system.data)).toBe(200);
    const db = await openPostgres({ url: database.url });
    cleanup.push(() => db.close());
    const store = { db, vault: createVault({ db, keyring: keyringFromText(masterKey, 'environment', 'test') }) };
    const { rows } = await db.query<{ id: string }>('select id from tenants');
    const tenantId = rows[0]?.id as string;
    const tokens = await obtainTokens(server, 'racer');
    const id = await insertOAuthConnection(store, {
      tenantId,
      slug: manifest.slug,
      tokens,
      expiresAt: minutesAgo(1),
    });

    const before = server.counts.refresh_token;
    const calls = Array.from({ length: 100 }, (_, i) =>
      fetch(`${(i % 2 ? b : a).url}/v1/connections/${id}/proxy/things/${i}`, {
        headers: { authorization: `Bearer ${admin}` },
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> })),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.map((r) => r.body.path)).toEqual(Array.from({ length: 100 }, (_, i) => `/things/${i}`));
    expect(results.every((r) => r.body.account === 'racer')).toBe(true);
    expect(server.counts.refresh_token).toBe(before + 1);

    // The one rotated refresh token is stored and alive; the lease is free again.
    const after = await storedTokens(store, tenantId, id);
    expect(after.refresh_token).not.toBe(tokens.refresh_token);
    expect(await server.isActive(after.refresh_token as string)).toBe(true);
    const lease = await db.query('select lease_owner from connection_credentials where connection_id = $1', [id]);
    expect(lease.rows).toEqual([{ lease_owner: null }]);
    expect(server.serverErrors).toEqual([]);
  });
});
