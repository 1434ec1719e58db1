import { describe, expect, it } from 'vitest';
import { expectData, getConnection } from '../../../test/helpers/api.js';
import { createApiKeyConnection } from '../../../test/helpers/catalog.js';
import { auditOf, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import { storedTokens } from '../../../test/helpers/oauth-connection.js';
import { approveAndReturn, connectThroughFlow, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';
import { getOAuthCredential } from '../tokens.js';

const f = useOAuthFlow();

/** Start a re-authorization (as the administrator, or as `token`): answers the call, success or problem. */
const reauthorize = (id: string, body: { scopes?: string[] } = {}, token?: string) =>
  (token ? f.t.apiAs(token) : f.t.api).POST('/v1/connections/{id}/reauthorize', { params: { path: { id } }, body });

/** A re-authorization that must start: its authorization URL and flow id. */
const reauthorizeOk = (id: string, body: { scopes?: string[] } = {}, token?: string) =>
  expectData(reauthorize(id, body, token));

const appTokens = (id: string) => storedTokens({ db: f.t.db, vault: f.t.built.vault }, f.t.tenantId, id);

async function requested(id: string): Promise<string[]> {
  const { rows } = await f.t.db.query<{ scopes_requested: string[] }>(
    'select scopes_requested from connections where id = $1',
    [id],
  );
  return rows[0]?.scopes_requested ?? [];
}

async function events(type: string) {
  const { rows } = await f.t.db.query<{ data: Record<string, unknown> }>(
    'select data from events where type = $1 order by id',
    [type],
  );
  return rows.map((r) => r.data);
}

describe('re-authorization and scope change', () => {
  it('a new scope set: consent again, scopes_granted and the tokens are replaced, scopes_changed published', async () => {
    const id = await connectThroughFlow(f, f.slug, { body: { scopes: ['read'] } });
    const before = await appTokens(id);
    const started = await reauthorizeOk(id, { scopes: ['read', 'write'] });
    expect(new URL(started.authorization_url).searchParams.get('scope')).toBe('read write');
    const page = await approveAndReturn(f, started.authorization_url, 'alice');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Re-authorized Harness API');

    const connection = await getConnection(f.t, id);
    expect(connection.state).toBe('active');
    expect([...connection.scopes_granted].sort()).toEqual(['read', 'write']);
    expect(await requested(id)).toEqual(['read', 'write']);
    const after = await appTokens(id);
    expect(after.access_token).not.toBe(before.access_token);
    expect(await f.server.isActive(after.access_token)).toBe(true);
    const credential = await getOAuthCredential(f.t.db, id, null);
    expect([...(credential?.scopes ?? [])].sort()).toEqual(['read', 'write']);
    expect(await events('connection.scopes_changed')).toEqual([
      expect.objectContaining({
        connection_id: id,
        scopes_requested: { from: ['read'], to: ['read', 'write'] },
      }),
    ]);
    const [entry] = await auditOf(f.t, page);
    expect(entry).toMatchObject({ action: 'connection.reauthorize', target_id: id, outcome: 'success' });

    // Narrowing works the same way.
    const narrow = await reauthorizeOk(id, { scopes: ['write'] });
    await approveAndReturn(f, narrow.authorization_url, 'alice');
    expect((await getConnection(f.t, id)).scopes_granted).toEqual(['write']);
  });

  it('renewed consent brings an auth_revoked connection back to active, with history and an event', async () => {
    const id = await connectThroughFlow(f, f.slug);
    await f.t.db.query(`update connections set state = 'auth_revoked', state_reason = 'revoked' where id = $1`, [id]);
    const started = await reauthorizeOk(id);
    const page = await approveAndReturn(f, started.authorization_url, 'alice');
    expect(page.statusCode, page.body).toBe(200);
    expect(await getConnection(f.t, id)).toMatchObject({ state: 'active', state_reason: null });
    const history = await expectData(f.t.api.GET('/v1/connections/{id}/history', { params: { path: { id } } }));
    expect(history.data[0]).toMatchObject({ from: 'auth_revoked', to: 'active' });
    expect(await events('connection.state_changed')).toEqual([
      expect.objectContaining({ connection_id: id, from: 'auth_revoked', to: 'active' }),
    ]);
    expect(await events('connection.scopes_changed')).toEqual([]);
  });

  it('an editor may renew consent, but a scope change needs edit_scopes', async () => {
    const id = await connectThroughFlow(f, f.slug, { body: { scopes: ['read'] } });
    const editor = await f.t.keyWithRole('editor');
    const flows = await rowCounts(f.t, ['oauth_flows']);
    const change = await reauthorize(id, { scopes: ['read', 'admin'] }, editor.token);
    expectProblem(change, 403, 'forbidden');
    expect(change.error?.missing_capability).toBe('edit_scopes');
    expect(await rowCounts(f.t, ['oauth_flows'])).toEqual(flows);
    // The refusal is recorded against the connection, as the re-authorization it refused.
    expect((await auditOf(f.t, change))[0]).toMatchObject({
      action: 'oauth_flow.start',
      target_type: 'connection',
      target_id: id,
      outcome: 'denied',
      error_code: 'forbidden',
    });
    // The same set in another order is not a change.
    const same = await reauthorize(id, { scopes: ['read'] }, editor.token);
    const sameFlow = await expectData(same);
    const [started] = await auditOf(f.t, same);
    expect(started).toMatchObject({ target_type: 'connection', target_id: id, outcome: 'success' });
    expect(started?.diff).toMatchObject({ flow_id: sameFlow.flow_id, purpose: 'reauthorize' });
    expect((await approveAndReturn(f, sameFlow.authorization_url, 'alice')).statusCode).toBe(200);
  });

  it('signing in as another vendor account needs create_connection', async () => {
    const id = await connectThroughFlow(f, f.slug, { account: 'alice' });
    const before = await appTokens(id);
    const editor = await f.t.keyWithRole('editor');
    const started = await reauthorizeOk(id, {}, editor.token);
    const page = await approveAndReturn(f, started.authorization_url, 'mallory');
    expect(page.statusCode, page.body).toBe(403);
    expect(page.body).toContain('mallory');
    expect((await appTokens(id)).access_token).toBe(before.access_token);
    expect((await getConnection(f.t, id)).vendor_account_id).toBe('alice');

    const admin = await reauthorizeOk(id);
    expect((await approveAndReturn(f, admin.authorization_url, 'mallory')).statusCode).toBe(200);
    expect((await getConnection(f.t, id)).vendor_account_id).toBe('mallory');
  });

  it('a paused connection stays paused', async () => {
    const id = await connectThroughFlow(f, f.slug);
    await expectData(f.t.api.POST('/v1/connections/{id}/pause', { params: { path: { id } } }));
    const started = await reauthorizeOk(id);
    expect((await approveAndReturn(f, started.authorization_url, 'alice')).statusCode).toBe(200);
    expect((await getConnection(f.t, id)).state).toBe('paused');
  });

  it('refuses connections that are not OAuth, unknown ones and unknown scopes', async () => {
    const plain = await createApiKeyConnection(f.t, { config: { base_url: f.server.api.url } });
    expectProblem(await reauthorize(plain), 409, 'conflict');
    expectProblem(await reauthorize('conn_missing'), 404, 'not_found');
    const id = await connectThroughFlow(f, f.slug);
    // Another tenant's administrator does not see the connection at all.
    const other = await f.t.otherTenant();
    expectProblem(await reauthorize(id, {}, other.token), 404, 'not_found');
    const foreign = await f.t.apiAs(other.token).POST('/v1/connections/{id}/connect', {
      params: { path: { id } },
      body: {},
    });
    expectProblem(foreign, 404, 'not_found');
    const unknown = await reauthorize(id, { scopes: ['superpowers'] });
    expectProblem(unknown, 400, 'validation_failed');
    expect(unknown.error?.errors).toEqual([expect.objectContaining({ path: 'body.scopes.0' })]);
  });
});

describe('tokens Switchyard stops using are revoked at the vendor', () => {
  async function revocationEntries(id: string) {
    const { rows } = await f.t.db.query<{ action: string; outcome: string; diff: Record<string, unknown> }>(
      `select action, outcome, diff from audit_log where target_id = $1 and action = 'connection.revoke_replaced'`,
      [id],
    );
    return rows;
  }

  it('a re-authorization revokes the grant it replaced; the new one works', async () => {
    const id = await connectThroughFlow(f, f.slug);
    const before = await appTokens(id);
    const revocations = f.server.counts.revocation;
    const started = await reauthorizeOk(id);
    const page = await approveAndReturn(f, started.authorization_url, 'alice');
    expect(page.statusCode, page.body).toBe(200);

    const after = await appTokens(id);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(f.server.counts.revocation).toBe(revocations + 2);
    expect(await f.server.isActive(before.refresh_token as string)).toBe(false);
    expect(await f.server.isActive(before.access_token)).toBe(false);
    expect(await f.server.isActive(after.refresh_token as string)).toBe(true);
    expect(await f.server.isActive(after.access_token)).toBe(true);
    expect(await revocationEntries(id)).toEqual([
      {
        action: 'connection.revoke_replaced',
        outcome: 'success',
        diff: { flow_id: started.flow_id, revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } },
      },
    ]);
    expect((await f.t.request({ url: `/v1/connections/${id}/proxy/me` })).statusCode).toBe(200);
  });

  it('a callback refused after the exchange (another account) revokes what the exchange returned', async () => {
    const id = await connectThroughFlow(f, f.slug, { account: 'alice' });
    const held = await appTokens(id);
    const editor = await f.t.keyWithRole('editor');
    const revocations = f.server.counts.revocation;
    const started = await reauthorizeOk(id, {}, editor.token);
    const page = await approveAndReturn(f, started.authorization_url, 'mallory');
    expect(page.statusCode, page.body).toBe(403);
    expect(f.server.counts.revocation).toBe(revocations + 2);
    const [entry] = await auditOf(f.t, page);
    expect(entry).toMatchObject({ action: 'connection.reauthorize', outcome: 'denied' });
    expect(entry?.diff).toMatchObject({ revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } });
    // The connection's own grant is untouched.
    expect(await appTokens(id)).toEqual(held);
    expect(await f.server.isActive(held.refresh_token as string)).toBe(true);
  });

  it('at a vendor where revoking any token ends the whole grant, nothing is revoked (recorded as skipped)', async () => {
    const grantWide = await f.install({ oauth: { revocation_ends_grant: true } });
    const id = await connectThroughFlow(f, grantWide);
    const before = await appTokens(id);
    const revocations = f.server.counts.revocation;
    const started = await reauthorizeOk(id);
    expect((await approveAndReturn(f, started.authorization_url, 'alice')).statusCode).toBe(200);
    expect(f.server.counts.revocation).toBe(revocations);
    expect(await f.server.isActive(before.refresh_token as string)).toBe(true);
    expect((await revocationEntries(id))[0]?.diff).toMatchObject({ revocation: { outcome: 'skipped' } });
  });
});
