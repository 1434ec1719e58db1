import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { minutesAgo, storeCredential, useOAuthConnection } from '../../../test/helpers/oauth-connection.js';
import { WEB_APP } from '../../../test/helpers/oauth-connector.js';
import { recordRefreshFailure } from '../tokens.js';

/**
 * Waiting for another node's refresh, in one process: the test plays the other node by holding the credential's
 * lease in the database and then finishing (or failing) the refresh itself.
 */
const o = useOAuthConnection();

/** An expired credential whose refresh lease another node holds. */
async function setup(account: string) {
  const { id, tokens } = await o.connect(account, { expiresAt: minutesAgo(1) });
  const { rows } = await o.t.db.query<{ id: string }>(
    `update connection_credentials set lease_owner = 'other-node', lease_until = now() + interval '1 minute'
     where connection_id = $1 returning id`,
    [id],
  );
  return { id, tokens, credentialId: rows[0]?.id as string };
}

/** What the other node does: refresh with the server, as any OAuth client would. */
async function refreshElsewhere(refreshToken: string) {
  const as: oauth.AuthorizationServer = { issuer: o.server.issuer, token_endpoint: o.server.tokenUrl };
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
async function readBy(credentialId: string) {
  await expect
    .poll(async () => {
      const { rows } = await o.t.db.query<{ used: boolean }>(
        'select last_used_at is not null as used from connection_credentials where id = $1',
        [credentialId],
      );
      return rows[0]?.used;
    })
    .toBe(true);
}

describe('a refresh another node holds the lease for', () => {
  it('is waited for, and its tokens are used: no second refresh', async () => {
    const { id, tokens, credentialId } = await setup('wanda');
    const before = o.server.counts.refresh_token;
    const call = o.t.request({ url: `/v1/connections/${id}/proxy/me` });
    await readBy(credentialId);
    // The other node refreshes and stores the tokens, which releases the lease.
    const fresh = await refreshElsewhere(tokens.refresh_token as string);
    await storeCredential(o.store, { tenantId: o.t.tenantId, connectionId: id, userId: null, tokens: fresh });

    const res = await call;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.id).toBe('wanda');
    expect(o.server.counts.refresh_token).toBe(before + 1);
    expect((await o.stored(id)).refresh_token).toBe(fresh.refresh_token);
  });

  it('reports the failure the holder recorded', async () => {
    const { id, credentialId } = await setup('walt');
    const before = o.server.counts.refresh_token;
    const call = o.t.request({ url: `/v1/connections/${id}/proxy/me` });
    await readBy(credentialId);
    // The grant is still valid: only the recorded failure can make the waiter give up instead of refreshing.
    await recordRefreshFailure(
      o.t.db,
      credentialId,
      'other-node',
      'revoked: invalid_grant: grant request is invalid',
      true,
    );

    const res = await call;
    expect(res.statusCode).toBe(409);
    expect(res.data.code).toBe('connection_unusable');
    expect(res.data.detail).toContain('invalid_grant');
    expect(o.server.counts.refresh_token).toBe(before);
  });

  it('is taken over once the holder’s lease has run out', async () => {
    const { id, tokens } = await setup('xena');
    await o.t.db.query(`update connection_credentials set lease_until = now() - interval '1 second'`);
    const before = o.server.counts.refresh_token;
    const res = await o.t.request({ url: `/v1/connections/${id}/proxy/me` });
    expect(res.statusCode, res.body).toBe(200);
    expect(o.server.counts.refresh_token).toBe(before + 1);
    expect(await o.server.isActive(tokens.refresh_token as string)).toBe(false);
  });
});
