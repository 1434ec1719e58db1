import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authorize,
  connectionIdOf,
  followCallback,
  installOAuthConnector,
  registerClient,
  startOAuthFixture,
  stopOAuthFixture,
  type OAuthFixture,
} from '../../../test/helpers/oauth-flows.js';

// Partial consent: the user grants fewer scopes than asked for. The connection works with what was granted, and the
// gap is surfaced: `missing_scopes` on the connection, a `connection.scopes_missing` event.

let f: OAuthFixture;
let slug: string;
beforeEach(async () => {
  f = await startOAuthFixture();
  slug = await installOAuthConnector(f);
  await registerClient(f.t, slug);
});
afterEach(async () => {
  await stopOAuthFixture(f);
});

async function consent(authorizationUrl: string, grant?: string[]) {
  return followCallback(
    f.t,
    await f.server.approve(authorizationUrl, { account: 'alice', ...(grant ? { grant } : {}) }),
  );
}

async function missingEvents() {
  const { rows } = await f.t.db.query<{ data: Record<string, unknown> }>(
    `select data from events where type = 'connection.scopes_missing' order by id`,
  );
  return rows.map((r) => r.data);
}

describe('partial consent', () => {
  it('a new connection granted fewer scopes is active, lists the missing ones and publishes scopes_missing', async () => {
    const started = await authorize(f, { connector: slug, scopes: ['read', 'write'] });
    const id = connectionIdOf(await consent(started.authorization_url, ['read']));

    const connection = (await f.t.request({ url: `/v1/connections/${id}` })).data;
    expect(connection).toMatchObject({ state: 'active', scopes_granted: ['read'], missing_scopes: ['write'] });
    expect(await missingEvents()).toEqual([
      {
        connection_id: id,
        connector: slug,
        user_id: null,
        scopes_requested: ['read', 'write'],
        scopes_granted: ['read'],
        missing_scopes: ['write'],
      },
    ]);
    const list = await f.t.request({ url: '/v1/connections' });
    expect((list.data.data as { id: string; missing_scopes: string[] }[]).find((c) => c.id === id)).toMatchObject({
      missing_scopes: ['write'],
    });
    // What was granted works; a call that declares it needs the missing scope is refused.
    expect((await f.t.request({ url: `/v1/connections/${id}/proxy/me` })).statusCode).toBe(200);
    const needs = await f.t.request({
      url: `/v1/connections/${id}/proxy/me`,
      headers: { 'switchyard-required-scopes': 'write' },
    });
    expect(needs.statusCode).toBe(403);

    // A re-authorization granting everything clears it.
    const again = await f.t.request({ method: 'POST', url: `/v1/connections/${id}/reauthorize` });
    expect((await consent(again.data.authorization_url as string)).statusCode).toBe(200);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data).toMatchObject({ missing_scopes: [] });
    expect(await missingEvents()).toHaveLength(1);
  });

  it('full consent: no missing scopes, no event', async () => {
    const started = await authorize(f, { connector: slug, scopes: ['read', 'write'] });
    const id = connectionIdOf(await consent(started.authorization_url));
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data).toMatchObject({ missing_scopes: [] });
    expect(await missingEvents()).toEqual([]);
  });

  it('a re-authorization granted fewer scopes publishes scopes_missing too', async () => {
    const started = await authorize(f, { connector: slug, scopes: ['read'] });
    const id = connectionIdOf(await consent(started.authorization_url));
    const wider = await f.t.request({
      method: 'POST',
      url: `/v1/connections/${id}/reauthorize`,
      body: { scopes: ['read', 'admin'] },
    });
    expect((await consent(wider.data.authorization_url as string, ['read'])).statusCode).toBe(200);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data).toMatchObject({
      state: 'active',
      missing_scopes: ['admin'],
    });
    expect(await missingEvents()).toEqual([expect.objectContaining({ connection_id: id, missing_scopes: ['admin'] })]);
  });
});
