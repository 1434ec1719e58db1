import { describe, expect, it } from 'vitest';
import { expectData } from '../../../test/helpers/api.js';
import { auditOf, createUser, expectProblem, rowCounts, signIn } from '../../../test/helpers/fixtures.js';
import { storedTokens } from '../../../test/helpers/oauth-connection.js';
import { approveAndReturn, connectThroughFlow, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';
import { getOAuthCredential } from '../tokens.js';

const f = useOAuthFlow({ oauth: { levels: ['user', 'app'] } });

async function sessionOf(role: string) {
  const user = await createUser(f.t, { role });
  return { id: user.id, token: (await signIn(f.t, user)).token };
}

/** Whose account a stored credential reaches at the vendor (the protected API's GET /me). */
async function vendorAccountOf(connectionId: string, userId: string | null): Promise<string> {
  const store = { db: f.t.db, vault: f.t.built.vault };
  const { access_token } = await storedTokens(store, f.t.tenantId, connectionId, userId);
  const res = await fetch(`${f.server.api.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
  return ((await res.json()) as { id: string }).id;
}

const connect = (id: string, token: string) =>
  f.t.apiAs(token).POST('/v1/connections/{id}/connect', { params: { path: { id } }, body: {} });

/** A flow connecting `token`'s own account that must start: its authorization URL. */
const connectOk = async (id: string, token: string) => (await expectData(connect(id, token))).authorization_url;

describe('user-level connections: each user connects their own account', () => {
  it('two users, two credentials under one connection, each reaching its own vendor account', async () => {
    const ann = await sessionOf('administrator');
    const ben = await sessionOf('editor');
    // The default level is the connector's first (user here).
    const id = await connectThroughFlow(f, f.slug, { account: 'ann-at-vendor', token: ann.token });
    const connection = await expectData(f.t.apiAs(ann.token).GET('/v1/connections/{id}', { params: { path: { id } } }));
    expect(connection).toMatchObject({ level: 'user', state: 'active', operator_of_record: ann.id });
    expect(await getOAuthCredential(f.t.db, id, null)).toBeUndefined();
    expect(await vendorAccountOf(id, ann.id)).toBe('ann-at-vendor');

    const page = await approveAndReturn(f, await connectOk(id, ben.token), 'ben-at-vendor');
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
    await approveAndReturn(f, await connectOk(id, ben.token), 'ben-second-account');
    expect(await vendorAccountOf(id, ben.id)).toBe('ben-second-account');
    expect(await vendorAccountOf(id, ann.id)).toBe('ann-at-vendor');
    expect((await rowCounts(f.t, ['connection_credentials'])).connection_credentials).toBe(2);
  });

  it('an app-level connection stores the tenant’s credential (user_id null); connect is refused there', async () => {
    const id = await connectThroughFlow(f, f.slug, { body: { level: 'app' } });
    expect(await vendorAccountOf(id, null)).toBe('alice');
    const res = await connect(id, f.t.adminToken);
    expectProblem(res, 409, 'conflict');
  });

  it('an API key connects under its own id; a failing test call stores nothing', async () => {
    const id = await connectThroughFlow(f, f.slug);
    const key = await f.t.keyWithRole('editor');
    await approveAndReturn(f, await connectOk(id, key.token), 'robot');
    expect(await vendorAccountOf(id, key.id)).toBe('robot');

    const limited = await f.install({
      oauth: { levels: ['user'] },
      manifest: { test: { kind: 'http', request: { method: 'GET', path: '/scoped/write' } } },
    });
    const other = await connectThroughFlow(f, limited, { body: { scopes: ['read', 'write'] } });
    // The connection asks for read + write; consent at the vendor grants what is asked, so narrow what is asked.
    await f.t.db.query(`update connections set scopes_requested = '{read}' where id = $1`, [other]);
    const before = await rowCounts(f.t, ['connection_credentials']);
    const page = await approveAndReturn(f, await connectOk(other, key.token), 'robot');
    expect(page.statusCode, page.body).toBe(422);
    expect(await rowCounts(f.t, ['connection_credentials'])).toEqual(before);
  });
});
