import { describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import { auditOf } from '../../../test/helpers/fixtures.js';
import { useOAuthConnection } from '../../../test/helpers/oauth-connection.js';
import { endpointsOf, installOAuthConnector, type OAuthEndpoints } from '../../../test/helpers/oauth-connector.js';

// Disconnect revokes the tokens at the authorization server (RFC 7009) before the local removal, and records how
// that went; the local record goes whatever the vendor says.
const o = useOAuthConnection();

/** Alice's connection, to the fixture's connector or to one with other endpoints. */
async function connected(endpoints?: OAuthEndpoints) {
  return o.connect('alice', endpoints ? { slug: await installOAuthConnector(o.t, endpoints) } : {});
}

const disconnect = (id: string) => o.t.api.DELETE('/v1/connections/{id}', { params: { path: { id } } });
const read = (id: string) => o.t.api.GET('/v1/connections/{id}', { params: { path: { id } } });

async function eventOf(id: string) {
  const { rows } = await o.t.db.query<{ data: Record<string, unknown> }>(
    `select data from events where type = 'connection.deleted' and data->>'connection_id' = $1`,
    [id],
  );
  return rows[0]?.data;
}

describe('disconnecting an OAuth connection', () => {
  it('revokes the refresh and access tokens at the server, then removes the connection', async () => {
    const { id, tokens } = await connected();
    expect(await o.server.isActive(tokens.refresh_token as string)).toBe(true);
    const before = o.server.counts.revocation;

    const res = await disconnect(id);
    await expectData(res, 204);
    expect(o.server.counts.revocation).toBe(before + 2);
    expect(await o.server.isActive(tokens.refresh_token as string)).toBe(false);
    expect(await o.server.isActive(tokens.access_token)).toBe(false);

    const [entry] = await auditOf(o.t, res);
    expect(entry).toMatchObject({ action: 'connection.delete', outcome: 'success' });
    expect(entry?.diff).toMatchObject({ revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } });
    expect(await eventOf(id)).toMatchObject({ revocation: { outcome: 'revoked' } });
    expect(JSON.stringify(entry?.diff)).not.toContain(tokens.access_token);
    expect((await read(id)).response.status).toBe(404);
    const { rows } = await o.t.db.query('select 1 from connection_credentials where connection_id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('removes the connection when the revocation endpoint cannot be reached, recording that', async () => {
    const { id, tokens } = await connected({
      ...endpointsOf(o.server),
      revocationUrl: 'http://127.0.0.1:9/revoke',
    });
    const res = await disconnect(id);
    await expectData(res, 204);
    const [entry] = await auditOf(o.t, res);
    expect(entry?.diff).toMatchObject({
      revocation: { outcome: 'unreachable', tokens: 2, revoked: 0, detail: expect.stringMatching(/127\.0\.0\.1:9/) },
    });
    expect((await read(id)).response.status).toBe(404);
    // Nothing reached the server: the tokens stay valid there, as the audit entry says.
    expect(await o.server.isActive(tokens.refresh_token as string)).toBe(true);
  });

  it('records a connector without a revocation endpoint as not supported', async () => {
    const { revocationUrl: _unused, ...withoutRevocation } = endpointsOf(o.server);
    const { id } = await connected(withoutRevocation);
    const res = await disconnect(id);
    await expectData(res, 204);
    expect((await auditOf(o.t, res))[0]?.diff).toMatchObject({ revocation: { outcome: 'not_supported' } });
  });
});
