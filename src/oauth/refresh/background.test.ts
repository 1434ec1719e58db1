import { describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import {
  backgroundRefresh,
  insertOAuthConnection,
  minutesAgo,
  minutesFromNow,
  obtainTokens,
  storedTokens,
  useOAuthConnection,
  type CredentialShape,
} from '../../../test/helpers/oauth-connection.js';

const o = useOAuthConnection();

describe('background OAuth refresh', () => {
  it('refreshes credentials nearing expiry and idle ones, and leaves the rest', async () => {
    const add = (account: string, shape: CredentialShape) => o.connect(account, shape);
    // An hour-long token with two minutes left (inside the 5-minute margin).
    const expiring = await add('erin', { expiresAt: minutesFromNow(2), refreshedAt: minutesAgo(58) });
    // Not refreshed for eight days (the idle period is seven), its access token far from expiry.
    const idle = await add('ivan', { expiresAt: minutesFromNow(50), refreshedAt: minutesAgo(8 * 24 * 60) });
    const fresh = await add('fay', { expiresAt: minutesFromNow(50), refreshedAt: minutesAgo(10) });
    // Known revoked: nothing to refresh.
    const revoked = await add('rita', { expiresAt: minutesFromNow(2), refreshedAt: minutesAgo(58) });
    await o.t.db.query(`update connections set state = 'auth_revoked' where id = $1`, [revoked.id]);

    const before = o.server.counts.refresh_token;
    const run = backgroundRefresh(o.t);
    expect(await run()).toBe(2);
    expect(o.server.counts.refresh_token).toBe(before + 2);
    for (const { id, tokens } of [expiring, idle]) {
      const now = await o.stored(id);
      expect(now.refresh_token).not.toBe(tokens.refresh_token);
      expect(await o.server.isActive(now.refresh_token as string)).toBe(true);
    }
    for (const { id, tokens } of [fresh, revoked]) {
      expect((await o.stored(id)).refresh_token).toBe(tokens.refresh_token);
    }
    const events = await o.t.db.query<{ data: { connection_id: string; trigger: string } }>(
      `select data from events where type = 'connection.credentials_refreshed' order by id`,
    );
    expect(events.rows.map((e) => [e.data.connection_id, e.data.trigger]).sort()).toEqual(
      [
        [expiring.id, 'background'],
        [idle.id, 'idle'],
      ].sort(),
    );

    // Nothing is due any more.
    expect(await run()).toBe(0);
    expect(o.server.counts.refresh_token).toBe(before + 2);
  });

  it('skips a credential another node holds the lease on', async () => {
    const { id } = await o.connect('lena', { expiresAt: minutesFromNow(2), refreshedAt: minutesAgo(58) });
    await o.t.db.query(
      `update connection_credentials set lease_owner = 'other-node', lease_until = now() + interval '1 minute'
       where connection_id = $1`,
      [id],
    );
    const before = o.server.counts.refresh_token;
    expect(await backgroundRefresh(o.t)()).toBe(0);
    expect(o.server.counts.refresh_token).toBe(before);
  });
});

describe('background OAuth refresh and disabled tenants', () => {
  it('leaves the credentials of a disabled tenant alone, and refreshes them once it is enabled again', async () => {
    const other = await o.t.otherTenant();
    const tokens = await obtainTokens(o.server, 'dora');
    const id = await insertOAuthConnection(o.store, {
      tenantId: other.tenantId,
      slug: o.slug,
      tokens,
      expiresAt: minutesFromNow(2),
      refreshedAt: minutesAgo(58),
    });
    const disable = (disabled: boolean) =>
      expectData(o.t.api.PATCH('/v1/tenants/{id}', { params: { path: { id: other.tenantId } }, body: { disabled } }));
    await disable(true);

    const before = o.server.counts.refresh_token;
    const run = backgroundRefresh(o.t);
    expect(await run()).toBe(0);
    expect(o.server.counts.refresh_token).toBe(before);
    expect((await storedTokens(o.store, other.tenantId, id)).refresh_token).toBe(tokens.refresh_token);

    await disable(false);
    expect(await run()).toBe(1);
    expect(o.server.counts.refresh_token).toBe(before + 1);
  });
});
