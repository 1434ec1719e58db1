import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditOf, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
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
  slug = await installOAuthConnector(f);
  await registerClient(f.t, slug);
});
afterEach(async () => {
  await stopOAuthFixture(f);
});

const reauthorize = (id: string, body?: Record<string, unknown>, token?: string) =>
  f.t.request({
    method: 'POST',
    url: `/v1/connections/${id}/reauthorize`,
    ...(body ? { body } : {}),
    ...(token ? { token } : {}),
  });

async function appTokens(id: string) {
  const row = await getOAuthCredential(f.t.db, id, null);
  return openTokens(f.t.db, f.t.built.vault, f.t.tenantId, row as never);
}

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
    const id = await connectThroughFlow(f, slug, { body: { scopes: ['read'] } });
    const before = await appTokens(id);
    const started = await reauthorize(id, { scopes: ['read', 'write'] });
    expect(started.statusCode, started.body).toBe(200);
    expect(new URL(started.data.authorization_url as string).searchParams.get('scope')).toBe('read write');
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'alice');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Re-authorized Harness API');

    const connection = await f.t.request({ url: `/v1/connections/${id}` });
    expect(connection.data.state).toBe('active');
    expect([...(connection.data.scopes_granted as string[])].sort()).toEqual(['read', 'write']);
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
    const narrow = await reauthorize(id, { scopes: ['write'] });
    await approveAndReturn(f, narrow.data.authorization_url as string, 'alice');
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data.scopes_granted).toEqual(['write']);
  });

  it('renewed consent brings an auth_revoked connection back to active, with history and an event', async () => {
    const id = await connectThroughFlow(f, slug);
    await f.t.db.query(`update connections set state = 'auth_revoked', state_reason = 'revoked' where id = $1`, [id]);
    const started = await reauthorize(id);
    expect(started.statusCode, started.body).toBe(200);
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'alice');
    expect(page.statusCode, page.body).toBe(200);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data).toMatchObject({
      state: 'active',
      state_reason: null,
    });
    const history = await f.t.request({ url: `/v1/connections/${id}/history` });
    expect((history.data.data as { from: string; to: string }[])[0]).toMatchObject({
      from: 'auth_revoked',
      to: 'active',
    });
    expect(await events('connection.state_changed')).toEqual([
      expect.objectContaining({ connection_id: id, from: 'auth_revoked', to: 'active' }),
    ]);
    expect(await events('connection.scopes_changed')).toEqual([]);
  });

  it('an editor may renew consent, but a scope change needs edit_scopes', async () => {
    const id = await connectThroughFlow(f, slug, { body: { scopes: ['read'] } });
    const editor = await f.t.keyWithRole('editor');
    const flows = await rowCounts(f.t, ['oauth_flows']);
    const change = await reauthorize(id, { scopes: ['read', 'admin'] }, editor.token);
    expectProblem(change, 403, 'forbidden');
    expect(change.data.missing_capability).toBe('edit_scopes');
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
    expect(same.statusCode, same.body).toBe(200);
    const [started] = await auditOf(f.t, same);
    expect(started).toMatchObject({ target_type: 'connection', target_id: id, outcome: 'success' });
    expect(started?.diff).toMatchObject({ flow_id: same.data.flow_id, purpose: 'reauthorize' });
    expect((await approveAndReturn(f, same.data.authorization_url as string, 'alice')).statusCode).toBe(200);
  });

  it('signing in as another vendor account needs create_connection', async () => {
    const id = await connectThroughFlow(f, slug, { account: 'alice' });
    const before = await appTokens(id);
    const editor = await f.t.keyWithRole('editor');
    const started = await reauthorize(id, undefined, editor.token);
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'mallory');
    expect(page.statusCode, page.body).toBe(403);
    expect(page.body).toContain('mallory');
    expect((await appTokens(id)).access_token).toBe(before.access_token);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data.vendor_account_id).toBe('alice');

    const admin = await reauthorize(id);
    expect((await approveAndReturn(f, admin.data.authorization_url as string, 'mallory')).statusCode).toBe(200);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data.vendor_account_id).toBe('mallory');
  });

  it('a paused connection stays paused', async () => {
    const id = await connectThroughFlow(f, slug);
    expect((await f.t.request({ method: 'POST', url: `/v1/connections/${id}/pause` })).statusCode).toBe(200);
    const started = await reauthorize(id);
    expect((await approveAndReturn(f, started.data.authorization_url as string, 'alice')).statusCode).toBe(200);
    expect((await f.t.request({ url: `/v1/connections/${id}` })).data.state).toBe('paused');
  });

  it('refuses connections that are not OAuth, unknown ones and unknown scopes', async () => {
    const plain = await f.t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        auth_method: 'api_key',
        config: { base_url: f.server.api.url },
        credentials: { api_key: 'k' },
        validate: false,
      },
    });
    expect(plain.statusCode, plain.body).toBe(201);
    expectProblem(await reauthorize(plain.data.id as string), 409, 'conflict');
    expectProblem(await reauthorize('conn_missing'), 404, 'not_found');
    const id = await connectThroughFlow(f, slug);
    // Another tenant's administrator does not see the connection at all.
    const other = await f.t.otherTenant();
    expectProblem(await reauthorize(id, undefined, other.token), 404, 'not_found');
    const foreign = await f.t.request({ method: 'POST', url: `/v1/connections/${id}/connect`, token: other.token });
    expectProblem(foreign, 404, 'not_found');
    const unknown = await reauthorize(id, { scopes: ['superpowers'] });
    expectProblem(unknown, 400, 'validation_failed');
    expect(unknown.data.errors).toEqual([expect.objectContaining({ path: 'body.scopes.0' })]);
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
    const id = await connectThroughFlow(f, slug);
    const before = await appTokens(id);
    const revocations = f.server.counts.revocation;
    const started = await reauthorize(id);
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'alice');
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
        diff: { flow_id: started.data.flow_id, revocation: { outcome: 'revoked', tokens: 2, revoked: 2 } },
      },
    ]);
    expect((await f.t.request({ url: `/v1/connections/${id}/proxy/me` })).statusCode).toBe(200);
  });

  it('a callback refused after the exchange (another account) revokes what the exchange returned', async () => {
    const id = await connectThroughFlow(f, slug, { account: 'alice' });
    const held = await appTokens(id);
    const editor = await f.t.keyWithRole('editor');
    const revocations = f.server.counts.revocation;
    const started = await reauthorize(id, undefined, editor.token);
    const page = await approveAndReturn(f, started.data.authorization_url as string, 'mallory');
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
    const grantWide = await installOAuthConnector(f, { oauth: { revocation_ends_grant: true } });
    await registerClient(f.t, grantWide);
    const id = await connectThroughFlow(f, grantWide);
    const before = await appTokens(id);
    const revocations = f.server.counts.revocation;
    const started = await reauthorize(id);
    expect((await approveAndReturn(f, started.data.authorization_url as string, 'alice')).statusCode).toBe(200);
    expect(f.server.counts.revocation).toBe(revocations);
    expect(await f.server.isActive(before.refresh_token as string)).toBe(true);
    expect((await revocationEntries(id))[0]?.diff).toMatchObject({ revocation: { outcome: 'skipped' } });
  });
});
