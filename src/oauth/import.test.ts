import { describe, expect, it } from 'vitest';
import { auditOf, createRole, expectProblem } from '../../test/helpers/fixtures.js';
import { connectThroughFlow, useOAuthFlow } from '../../test/helpers/oauth-flows.js';
import { getOAuthCredential, openTokens } from './tokens.js';

const f = useOAuthFlow();

/** Tokens "held by another platform": a grant made at the test authorization server, read back from its credential. */
async function heldElsewhere() {
  const id = await connectThroughFlow(f, f.slug, { body: { scopes: ['read', 'write'] } });
  const credential = await getOAuthCredential(f.t.db, id, null);
  const tokens = await openTokens(f.t.db, f.t.built.vault, f.t.tenantId, credential as never);
  await f.t.db.query('delete from connections where id = $1', [id]);
  return tokens;
}

const importing = (body: Record<string, unknown>, token?: string) =>
  f.t.request({ method: 'POST', url: '/v1/connections/import', body, ...(token ? { token } : {}) });

describe('POST /v1/connections/import', () => {
  it('imports OAuth tokens: tested with the access token, sealed, audited, and the refresh engine takes it from there', async () => {
    const held = await heldElsewhere();
    const res = await importing({
      connector: f.slug,
      name: 'Moved from elsewhere',
      config: { base_url: f.server.api.url },
      oauth: {
        access_token: held.access_token,
        refresh_token: held.refresh_token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        scopes: ['read', 'write'],
      },
      key: 'moved-1',
      end_user: { id: 'u-1' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      name: 'Moved from elsewhere',
      state: 'active',
      auth_method: 'oauth2',
      vendor_account_id: 'alice',
      key: 'moved-1',
      end_user: { id: 'u-1' },
    });
    expect([...(res.data.scopes_granted as string[])].sort()).toEqual(['read', 'write']);
    expect(res.body).not.toContain(held.access_token);
    const id = res.data.id as string;
    const credential = await getOAuthCredential(f.t.db, id, null);
    expect(credential?.sealed).not.toContain(held.access_token);
    expect(credential?.expires_at).toBeInstanceOf(Date);

    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ target_id: id, outcome: 'success' });
    expect(JSON.stringify(entry)).not.toContain(held.access_token);
    expect(JSON.stringify(entry)).not.toContain(held.refresh_token);

    // The imported refresh token works through Switchyard's own refresh.
    const refreshes = f.server.counts.refresh_token;
    const refreshed = await f.t.request({ method: 'POST', url: `/v1/connections/${id}/refresh` });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(f.server.counts.refresh_token).toBe(refreshes + 1);
    const me = await f.t.request({ url: '/v1/connections/moved-1/proxy/me' });
    expect(me.data).toMatchObject({ id: 'alice' });
  });

  it('refreshes an expired access token first; refuses a dead one and stores nothing', async () => {
    const held = await heldElsewhere();
    const refreshes = f.server.counts.refresh_token;
    const res = await importing({
      connector: f.slug,
      config: { base_url: f.server.api.url },
      oauth: {
        access_token: 'long-gone',
        refresh_token: held.refresh_token,
        expires_at: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(f.server.counts.refresh_token).toBe(refreshes + 1);
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: 'alice' });

    const before = (await f.t.db.query('select count(*)::int as n from connections')).rows[0];
    const dead = await importing({
      connector: f.slug,
      config: { base_url: f.server.api.url },
      oauth: { access_token: 'not-a-token' },
    });
    expectProblem(dead, 422, 'connection_test_failed');
    const expired = await importing({
      connector: f.slug,
      config: { base_url: f.server.api.url },
      oauth: { access_token: 'x', expires_at: '2020-01-01T00:00:00Z' },
    });
    expectProblem(expired, 400, 'validation_failed');
    const both = await importing({
      connector: f.slug,
      config: { base_url: f.server.api.url },
      oauth: { access_token: 'x' },
      credentials: { api_key: 'y' },
    });
    expectProblem(both, 400, 'validation_failed');
    expect((await f.t.db.query('select count(*)::int as n from connections')).rows[0]).toEqual(before);
  });

  it('needs import_connections: create_connection alone is not enough', async () => {
    const creator = await f.t.keyWithRole(await createRole(f.t, ['create_connection', 'list_connections']));
    const res = await importing(
      { connector: f.slug, config: { base_url: f.server.api.url }, oauth: { access_token: 'x' } },
      creator.token,
    );
    expectProblem(res, 403, 'forbidden');
    expect(res.data.missing_capability).toBe('import_connections');
  });
});
