import { describe, expect, it } from 'vitest';
import { expectData, getConnection } from '../../../test/helpers/api.js';
import { authorize, connectionIdOf, followCallback, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';

// Partial consent: the user grants fewer scopes than asked for. The connection works with what was granted, and the
// gap is surfaced: `missing_scopes` on the connection, a `connection.scopes_missing` event.

const f = useOAuthFlow();

async function consent(authorizationUrl: string, grant?: string[]) {
  return followCallback(
    f.t,
    await f.server.approve(authorizationUrl, { account: 'alice', ...(grant ? { grant } : {}) }),
  );
}

const reauthorize = (id: string, scopes?: string[]) =>
  expectData(f.t.api.POST('/v1/connections/{id}/reauthorize', { params: { path: { id } }, body: { scopes } }));

async function missingEvents() {
  const { rows } = await f.t.db.query<{ data: Record<string, unknown> }>(
    `select data from events where type = 'connection.scopes_missing' order by id`,
  );
  return rows.map((r) => r.data);
}

describe('partial consent', () => {
  it('a new connection granted fewer scopes is active, lists the missing ones and publishes scopes_missing', async () => {
    const started = await authorize(f, { connector: f.slug, scopes: ['read', 'write'] });
    const id = connectionIdOf(await consent(started.authorization_url, ['read']));

    expect(await getConnection(f.t, id)).toMatchObject({
      state: 'active',
      scopes_granted: ['read'],
      missing_scopes: ['write'],
    });
    expect(await missingEvents()).toEqual([
      {
        connection_id: id,
        connector: f.slug,
        user_id: null,
        scopes_requested: ['read', 'write'],
        scopes_granted: ['read'],
        missing_scopes: ['write'],
      },
    ]);
    const list = await expectData(f.t.api.GET('/v1/connections'));
    expect(list.data.find((c) => c.id === id)).toMatchObject({ missing_scopes: ['write'] });
    // What was granted works; a call that declares it needs the missing scope is refused.
    expect((await f.t.request({ url: `/v1/connections/${id}/proxy/me` })).statusCode).toBe(200);
    const needs = await f.t.request({
      url: `/v1/connections/${id}/proxy/me`,
      headers: { 'switchyard-required-scopes': 'write' },
    });
    expect(needs.statusCode).toBe(403);

    // A re-authorization granting everything clears it.
    const again = await reauthorize(id);
    expect((await consent(again.authorization_url)).statusCode).toBe(200);
    expect(await getConnection(f.t, id)).toMatchObject({ missing_scopes: [] });
    expect(await missingEvents()).toHaveLength(1);
  });

  it('full consent: no missing scopes, no event', async () => {
    const started = await authorize(f, { connector: f.slug, scopes: ['read', 'write'] });
    const id = connectionIdOf(await consent(started.authorization_url));
    expect(await getConnection(f.t, id)).toMatchObject({ missing_scopes: [] });
    expect(await missingEvents()).toEqual([]);
  });

  it('a re-authorization granted fewer scopes publishes scopes_missing too', async () => {
    const started = await authorize(f, { connector: f.slug, scopes: ['read'] });
    const id = connectionIdOf(await consent(started.authorization_url));
    const wider = await reauthorize(id, ['read', 'admin']);
    expect((await consent(wider.authorization_url, ['read'])).statusCode).toBe(200);
    expect(await getConnection(f.t, id)).toMatchObject({ state: 'active', missing_scopes: ['admin'] });
    expect(await missingEvents()).toEqual([expect.objectContaining({ connection_id: id, missing_scopes: ['admin'] })]);
  });
});
