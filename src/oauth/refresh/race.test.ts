import { describe, expect, it, onTestFinished } from 'vitest';
import { openPostgres } from '../../core/db/postgres.js';
import { createVault } from '../../vault/vault.js';
import { keyringFromText } from '../../vault/keyring.js';
import { expectData } from '../../../test/helpers/api.js';
import {
  insertOAuthConnection,
  minutesAgo,
  obtainTokens,
  storedTokens,
} from '../../../test/helpers/oauth-connection.js';
import { endpointsOf, oauthManifest, oauthTestClients, WEB_APP } from '../../../test/helpers/oauth-connector.js';
import { startOAuthServer } from '../../../test/helpers/oauth-server.js';
import { useTwoNodes } from '../../../test/helpers/two-nodes.js';

// The embedded database belongs to one process: two nodes on one database need a shared PostgreSQL server.
describe('refresh race across two serve processes on one PostgreSQL', () => {
  const nodes = useTwoNodes({ SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' });

  it('100 concurrent calls through a connection whose token expired: one refresh, every call succeeds', async () => {
    // Hour-long tokens, so that the one refreshed token is not due again while the calls run.
    const server = await startOAuthServer({ clients: oauthTestClients('platform'), accessTokenTtl: 3600 });
    onTestFinished(() => server.close());
    const { a, b } = nodes;

    // The connector and the platform's OAuth app through the API (both nodes hear of them), the connection and its
    // expired credential written as the authorization callback would.
    const manifest = oauthManifest(endpointsOf(server));
    await expectData(nodes.client(a).POST('/v1/connectors', { body: manifest }), 201);
    await expectData(
      nodes.client(a).PUT('/v1/connectors/{slug}/system-connection', {
        params: { path: { slug: manifest.slug } },
        body: { auth_method: 'oauth2', credentials: WEB_APP },
      }),
    );
    const db = await openPostgres({ url: nodes.databaseUrl });
    // Closed before the nodes stop and the database is dropped (afterEach): a dropped database ends its connections.
    try {
      const store = {
        db,
        vault: createVault({ db, keyring: keyringFromText(nodes.masterKey, 'environment', 'test') }),
      };
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
          headers: { authorization: `Bearer ${nodes.adminToken}` },
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
    } finally {
      await db.close();
    }
  });
});
