import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditOf } from '../../../test/helpers/fixtures.js';
import {
  endpointsOf,
  insertOAuthConnection,
  installOAuthConnector,
  obtainTokens,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer, type OAuthServer } from '../../../test/helpers/oauth-server.js';

// Disconnect revokes the tokens at the authorization server (RFC 7009) before the local removal, and records how
// that went; the local record goes whatever the vendor says.
let server: OAuthServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function connected(endpoints = endpointsOf(server)) {
  const app = (t = await createTestApp());
  const slug = await installOAuthConnector(app, endpoints);
  const tokens = await obtainTokens(server, 'alice');
  const id = await insertOAuthConnection(
    { db: app.db, vault: app.built.vault },
    { tenantId: app.tenantId, slug, tokens },
  );
  return { app, id, tokens };
}

const disconnect = (app: TestApp, id: string) => app.request({ method: 'DELETE', url: `/v1/connections/${id}` });

async function eventOf(app: TestApp, id: string) {
  const { rows } = await app.db.query<{ data: Record<string, unknown> }>(
    `select data from events where type = 'connection.deleted' and data->>'connection_id' = $1`,
    [id],
  );
  return rows[0]?.data;
}

describe('disconnecting an OAuth connection', () => {
  it('revokes the refresh and access tokens at the server, then removes the connection', async () => {
    const { app, id, tokens } = await connected();
    expect(await server.isActive(tokens.refresh_token as string)).toBe(true);
    const before = server.counts.revocation;

    const res = await disconnect(app, id);
    expect(res.statusCode, res.body).toBe(204);
    expect(server.counts.revocation).toBe(before + 2);
    expect(await server.isActive(tokens.refresh_token as string)).toBe(false);
    expect(await server.isActive(tokens.access_token)).toBe(false);

    const [entry] = await auditOf(app, res);
    expect(entry).toMatchObject({ action: 'connection.delete', outcome: 'success' });
    expect(entry?.diff).toMatchObject({ revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } });
    expect(await eventOf(app, id)).toMatchObject({ revocation: { outcome: 'revoked' } });
    expect(JSON.stringify(entry?.diff)).not.toContain(tokens.access_token);
    expect((await app.request({ url: `/v1/connections/${id}` })).statusCode).toBe(404);
    const { rows } = await app.db.query('select 1 from connection_credentials where connection_id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('removes the connection when the revocation endpoint cannot be reached, recording that', async () => {
    const { app, id, tokens } = await connected({
      ...endpointsOf(server),
      revocationUrl: 'http://127.0.0.1:9/revoke',
    });
    const res = await disconnect(app, id);
    expect(res.statusCode, res.body).toBe(204);
    const [entry] = await auditOf(app, res);
    expect(entry?.diff).toMatchObject({
      revocation: { outcome: 'unreachable', tokens: 2, revoked: 0, detail: expect.stringMatching(/127\.0\.0\.1:9/) },
    });
    expect((await app.request({ url: `/v1/connections/${id}` })).statusCode).toBe(404);
    // Nothing reached the server: the tokens stay valid there, as the audit entry says.
    expect(await server.isActive(tokens.refresh_token as string)).toBe(true);
  });

  it('records a connector without a revocation endpoint as not supported', async () => {
    const { revocationUrl: _unused, ...withoutRevocation } = endpointsOf(server);
    const { app, id } = await connected(withoutRevocation);
    const res = await disconnect(app, id);
    expect(res.statusCode).toBe(204);
    expect((await auditOf(app, res))[0]?.diff).toMatchObject({ revocation: { outcome: 'not_supported' } });
  });
});
