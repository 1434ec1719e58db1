import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditOf, createUser, expectProblem, rowCounts, signIn } from '../../../test/helpers/fixtures.js';
import {
  approveAndReturn,
  connectThroughFlow,
  installOAuthConnector,
  registerClient,
  startOAuthFixture,
  stopOAuthFixture,
  type OAuthFixture,
} from '../../../test/helpers/oauth-flows.js';
import { getOAuthCredential, openTokens } from '../tokens.js';

let f: OAuthFixture;
let slug: string;
beforeEach(async () => {
  f = await startOAuthFixture();
  slug = await installOAuthConnector(f, { oauth: { levels: ['user', 'app'] } });
  await registerClient(f.t, slug);
});
afterEach(async () => {
  await stopOAuthFixture(f);
});

async function sessionOf(role: string) {
  const user = await createUser(f.t, { role });
  return { id: user.id, token: (await signIn(f.t, user)).token };
}

/** Whose account a stored credential reaches at the vendor (the protected API's GET /me). */
async function vendorAccountOf(connectionId: string, userId: string | null): Promise<string> {
  const row = await getOAuthCredential(f.t.db, connectionId, userId);
  expect(row, `credential of ${userId ?? 'the app'}`).toBeDefined();
  const { access_token } = await openTokens(f.t.db, f.t.built.vault, f.t.tenantId, row as never);
  const res = await fetch(`${f.server.api.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
  return ((await res.json()) as { id: string }).id;
}

const connect = (id: string, token: string) =>
  f.t.request({ method: 'POST', url: `/v1/connections/${id}/connect`, token });

describe('user-level connections: each user connects their own account', () => {
  it('two users, two credentials under one connection, each reaching its own vendor account', async () => {
    const ann = await sessionOf('administrator');
    const ben = await sessionOf('editor');
    // The default level is the connector's first (user here).
    const id = await connectThroughFlow(f, slug, { account: 'ann-at-vendor', token: ann.token });
    const connection = await f.t.request({ url: `/v1/connections/${id}`, token: ann.token });
    expect(connection.data).toMatchObject({ level: 'user', state: 'active', operator_of_record: ann.id });
    expect(await getOAuthCredential(f.t.db, id, null)).toBeUndefined();
    expect(await vendorAccountOf(id, ann.id)).toBe('ann-at-vendor');

    const started = await connect(id, ben.token);
    expect(started.statusCode, started.body).toBe(200);
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'ben-at-vendor');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Connected your account to Harness API');
    expect(await vendorAccountOf(id, ben.id)).toBe('ben-at-vendor');
    expect(await vendorAccountOf(id, ann.id)).toBe('ann-at-vendor');
    const { rows } = await f.t.db.query<{ user_id: string }>(
      'select user_id from connection_credentials where connection_id = $1 order by user_id',
      [id],
    );
    expect(rows.map((r) => r.user_id).sort()).toEqual([ann.id, ben.id].sort());
    const [entry] = await auditOf(f.t, page);
    expect(entry).toMatchObject({
      action: 'connection.connect_user',
      actor_type: 'user',
      actor_id: ben.id,
      target_id: id,
      outcome: 'success',
    });
    const { rows: events } = await f.t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.user_connected'`,
    );
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ connection_id: id, user_id: ben.id })]);

    // Connecting again replaces the user's own credential only.
    const again = await connect(id, ben.token);
    await approveAndReturn(f, again.data.authorization_url as string, 'ben-second-account');
    expect(await vendorAccountOf(id, ben.id)).toBe('ben-second-account');
    expect(await vendorAccountOf(id, ann.id)).toBe('ann-at-vendor');
    expect((await rowCounts(f.t, ['connection_credentials'])).connection_credentials).toBe(2);
  });

  it('an app-level connection stores the tenant’s credential (user_id null); connect is refused there', async () => {
    const id = await connectThroughFlow(f, slug, { body: { level: 'app' } });
    expect(await vendorAccountOf(id, null)).toBe('alice');
    const res = await connect(id, f.t.adminToken);
    expectProblem(res, 409, 'conflict');
  });

  it('an API key connects under its own id; a failing test call stores nothing', async () => {
    const id = await connectThroughFlow(f, slug);
    const key = await f.t.keyWithRole('editor');
    const started = await connect(id, key.token);
    await approveAndReturn(f, started.data.authorization_url as string, 'robot');
    expect(await vendorAccountOf(id, key.id)).toBe('robot');

    const limited = await installOAuthConnector(f, {
      oauth: { levels: ['user'] },
      manifest: { test: { kind: 'http', request: { method: 'GET', path: '/scoped/write' } } },
    });
    await registerClient(f.t, limited);
    const other = await connectThroughFlow(f, limited, { body: { scopes: ['read', 'write'] } });
    // The connection asks for read + write; consent at the vendor grants what is asked, so narrow what is asked.
    await f.t.db.query(`update connections set scopes_requested = '{read}' where id = $1`, [other]);
    const before = await rowCounts(f.t, ['connection_credentials']);
    const attempt = await connect(other, key.token);
    const page = await approveAndReturn(f, attempt.data.authorization_url as string, 'robot');
    expect(page.statusCode, page.body).toBe(422);
    expect(await rowCounts(f.t, ['connection_credentials'])).toEqual(before);
  });
});
