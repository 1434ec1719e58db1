import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  endpointsOf,
  insertOAuthConnection,
  installOAuthConnector,
  minutesAgo,
  obtainTokens,
  storeCredential,
  storedTokens,
  WEB_APP,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer, type OAuthServer } from '../../../test/helpers/oauth-server.js';
import { recordRefreshFailure } from '../tokens.js';

/**
 * Waiting for another node's refresh, in one process: the test plays the other node by holding the credential's
 * lease in the database and then finishing (or failing) the refresh itself.
 */
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

async function setup(account: string) {
  const app = (t = await createTestApp());
  const slug = await installOAuthConnector(app, endpointsOf(server));
  const tokens = await obtainTokens(server, account);
  const store = { db: app.db, vault: app.built.vault };
  const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, tokens, expiresAt: minutesAgo(1) });
  const { rows } = await app.db.query<{ id: string }>(
    `update connection_credentials set lease_owner = 'other-node', lease_until = now() + interval '1 minute'
     where connection_id = $1 returning id`,
    [id],
  );
  return { app, id, tokens, store, credentialId: rows[0]?.id as string };
}

/** What the other node does: refresh with the server, as any OAuth client would. */
async function refreshElsewhere(refreshToken: string) {
  const as: oauth.AuthorizationServer = { issuer: server.issuer, token_endpoint: server.tokenUrl };
  const client = { client_id: WEB_APP.client_id };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(WEB_APP.client_secret),
    refreshToken,
    { [oauth.allowInsecureRequests]: true },
  );
  const t = await oauth.processRefreshTokenResponse(as, client, response);
  return {
    access_token: t.access_token,
    ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
    token_type: t.token_type,
    ...(t.expires_in ? { expires_at: new Date(Date.now() + t.expires_in * 1000) } : {}),
    extra: {},
  };
}

/** The waiting call has read the credential (it records the use as it does): what it saw is fixed from here. */
async function readBy(app: TestApp, credentialId: string) {
  await expect
    .poll(async () => {
      const { rows } = await app.db.query<{ used: boolean }>(
        'select last_used_at is not null as used from connection_credentials where id = $1',
        [credentialId],
      );
      return rows[0]?.used;
    })
    .toBe(true);
}

describe('a refresh another node holds the lease for', () => {
  it('is waited for, and its tokens are used: no second refresh', async () => {
    const { app, id, tokens, store, credentialId } = await setup('wanda');
    const before = server.counts.refresh_token;
    const call = app.request({ url: `/v1/connections/${id}/proxy/me` });
    await readBy(app, credentialId);
    // The other node refreshes and stores the tokens, which releases the lease.
    const fresh = await refreshElsewhere(tokens.refresh_token as string);
    await storeCredential(store, { tenantId: app.tenantId, connectionId: id, userId: null, tokens: fresh });

    const res = await call;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.id).toBe('wanda');
    expect(server.counts.refresh_token).toBe(before + 1);
    expect((await storedTokens(store, app.tenantId, id)).refresh_token).toBe(fresh.refresh_token);
  });

  it('reports the failure the holder recorded', async () => {
    const { app, id, credentialId } = await setup('walt');
    const before = server.counts.refresh_token;
    const call = app.request({ url: `/v1/connections/${id}/proxy/me` });
    await readBy(app, credentialId);
    // The grant is still valid: only the recorded failure can make the waiter give up instead of refreshing.
    await recordRefreshFailure(
      app.db,
      credentialId,
      'other-node',
      'revoked: invalid_grant: grant request is invalid',
      true,
    );

    const res = await call;
    expect(res.statusCode).toBe(409);
    expect(res.data.code).toBe('connection_unusable');
    expect(res.data.detail).toContain('invalid_grant');
    expect(server.counts.refresh_token).toBe(before);
  });

  it('is taken over once the holder’s lease has run out', async () => {
    const { app, id, tokens } = await setup('xena');
    await app.db.query(`update connection_credentials set lease_until = now() - interval '1 second'`);
    const before = server.counts.refresh_token;
    const res = await app.request({ url: `/v1/connections/${id}/proxy/me` });
    expect(res.statusCode, res.body).toBe(200);
    expect(server.counts.refresh_token).toBe(before + 1);
    expect(await server.isActive(tokens.refresh_token as string)).toBe(false);
  });
});
