import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { maintenanceTasks } from '../../server/maintenance.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  endpointsOf,
  insertOAuthConnection,
  installOAuthConnector,
  minutesAgo,
  minutesFromNow,
  obtainTokens,
  storedTokens,
  type CredentialShape,
} from '../../../test/helpers/oauth-connection.js';
import { startOAuthServer, type OAuthServer } from '../../../test/helpers/oauth-server.js';
import { refreshDueCredentials } from './due.js';

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

/** The maintenance task as `serve` wires it. */
function backgroundRefresh(app: TestApp) {
  const log = pino({ level: 'silent' });
  const [task] = maintenanceTasks({
    refreshOAuthCredentials: (now) => refreshDueCredentials({ db: app.db, refresher: app.built.refresher, log }, now),
  }).filter((task) => task.name === 'oauth.refresh_credentials');
  if (!task) throw new Error('the OAuth refresh task is not scheduled');
  return () => task.run(app.db, systemClock);
}

describe('background OAuth refresh', () => {
  it('refreshes credentials nearing expiry and idle ones, and leaves the rest', async () => {
    const app = (t = await createTestApp());
    const slug = await installOAuthConnector(app, endpointsOf(server));
    const store = { db: app.db, vault: app.built.vault };
    const add = async (account: string, shape: CredentialShape) => {
      const tokens = await obtainTokens(server, account);
      const id = await insertOAuthConnection(store, { tenantId: app.tenantId, slug, tokens, ...shape });
      return { id, tokens };
    };
    // An hour-long token with two minutes left (inside the 5-minute margin).
    const expiring = await add('erin', { expiresAt: minutesFromNow(2), refreshedAt: minutesAgo(58) });
    // Not refreshed for eight days (the idle period is seven), its access token far from expiry.
    const idle = await add('ivan', { expiresAt: minutesFromNow(50), refreshedAt: minutesAgo(8 * 24 * 60) });
    const fresh = await add('fay', { expiresAt: minutesFromNow(50), refreshedAt: minutesAgo(10) });
    // Known revoked: nothing to refresh.
    const revoked = await add('rita', { expiresAt: minutesFromNow(2), refreshedAt: minutesAgo(58) });
    await app.db.query(`update connections set state = 'auth_revoked' where id = $1`, [revoked.id]);

    const before = server.counts.refresh_token;
    const run = backgroundRefresh(app);
    expect(await run()).toBe(2);
    expect(server.counts.refresh_token).toBe(before + 2);
    for (const { id, tokens } of [expiring, idle]) {
      const now = await storedTokens(store, app.tenantId, id);
      expect(now.refresh_token).not.toBe(tokens.refresh_token);
      expect(await server.isActive(now.refresh_token as string)).toBe(true);
    }
    for (const { id, tokens } of [fresh, revoked]) {
      expect((await storedTokens(store, app.tenantId, id)).refresh_token).toBe(tokens.refresh_token);
    }
    const events = await app.db.query<{ data: { connection_id: string; trigger: string } }>(
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
    expect(server.counts.refresh_token).toBe(before + 2);
  });

  it('skips a credential another node holds the lease on', async () => {
    const app = (t = await createTestApp());
    const slug = await installOAuthConnector(app, endpointsOf(server));
    const tokens = await obtainTokens(server, 'lena');
    const store = { db: app.db, vault: app.built.vault };
    const id = await insertOAuthConnection(store, {
      tenantId: app.tenantId,
      slug,
      tokens,
      expiresAt: minutesFromNow(2),
      refreshedAt: minutesAgo(58),
    });
    await app.db.query(
      `update connection_credentials set lease_owner = 'other-node', lease_until = now() + interval '1 minute'
       where connection_id = $1`,
      [id],
    );
    const before = server.counts.refresh_token;
    expect(await backgroundRefresh(app)()).toBe(0);
    expect(server.counts.refresh_token).toBe(before);
  });
});

describe('background OAuth refresh and disabled tenants', () => {
  it('leaves the credentials of a disabled tenant alone, and refreshes them once it is enabled again', async () => {
    const app = (t = await createTestApp());
    const slug = await installOAuthConnector(app, endpointsOf(server));
    const other = await app.otherTenant();
    const tokens = await obtainTokens(server, 'dora');
    const store = { db: app.db, vault: app.built.vault };
    const id = await insertOAuthConnection(store, {
      tenantId: other.tenantId,
      slug,
      tokens,
      expiresAt: minutesFromNow(2),
      refreshedAt: minutesAgo(58),
    });
    const disable = (disabled: boolean) =>
      app.request({ method: 'PATCH', url: `/v1/tenants/${other.tenantId}`, body: { disabled } });
    expect((await disable(true)).statusCode).toBe(200);

    const before = server.counts.refresh_token;
    const run = backgroundRefresh(app);
    expect(await run()).toBe(0);
    expect(server.counts.refresh_token).toBe(before);
    expect((await storedTokens(store, other.tenantId, id)).refresh_token).toBe(tokens.refresh_token);

    expect((await disable(false)).statusCode).toBe(200);
    expect(await run()).toBe(1);
    expect(server.counts.refresh_token).toBe(before + 1);
  });
});
