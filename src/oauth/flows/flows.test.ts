import { describe, expect, it } from 'vitest';
import { expectData, getConnection } from '../../../test/helpers/api.js';
import { auditOf, createRole, expectProblem } from '../../../test/helpers/fixtures.js';
import { PUBLIC_URL, REDIRECT_URI } from '../../../test/helpers/oauth-connector.js';
import {
  approveAndReturn,
  authorize,
  connectionIdOf,
  followCallback,
  registerClient,
  useOAuthFlow,
} from '../../../test/helpers/oauth-flows.js';
import { sha256Hex } from '../../core/ids.js';
import { openTokens, getOAuthCredential } from '../tokens.js';

const f = useOAuthFlow();

describe('authorization code + PKCE through the API', () => {
  it('authorize → consent at the vendor → callback creates the connection active, tokens sealed, audited', async () => {
    const started = await authorize(f, {
      connector: f.slug,
      name: 'Harness (Alice)',
      scopes: ['read', 'write'],
      level: 'app',
    });
    expect(started.redirect_uri).toBe(REDIRECT_URI);
    const url = new URL(started.authorization_url);
    expect(`${url.origin}${url.pathname}`).toBe(f.server.authorizationUrl);
    expect(url.searchParams.get('client_id')).toBe('web-app');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('scope')).toBe('read write');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const state = url.searchParams.get('state') as string;
    // 32 random bytes, base64url; the database holds only its SHA-256 and the sealed verifier.
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows: flows } = await f.t.db.query<Record<string, unknown>>('select * from oauth_flows where id = $1', [
      started.flow_id,
    ]);
    expect(flows[0]).toMatchObject({ state_hash: sha256Hex(state), purpose: 'create', used_at: null });
    expect(JSON.stringify(flows[0])).not.toContain(state);
    const expiresIn = Date.parse(started.state_expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(10 * 60_000 + 5_000);

    const page = await approveAndReturn(f, started.authorization_url, 'alice');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
    expect(page.body).toContain('Connected Harness (Alice)');
    expect(page.body).toContain(`"origin":"${PUBLIC_URL}"`);
    expect(page.body).not.toMatch(/<(link|img|iframe)\b/);
    expect(f.server.counts.authorization_code).toBe(1);
    const id = connectionIdOf(page);

    const connection = await getConnection(f.t, id);
    expect(connection).toMatchObject({
      name: 'Harness (Alice)',
      state: 'active',
      auth_method: 'oauth2',
      credential_source: 'tenant',
      level: 'app',
      vendor_account_id: 'alice',
      config: { base_url: f.server.api.url },
    });
    expect([...connection.scopes_granted].sort()).toEqual(['read', 'write']);
    const { rows } = await f.t.db.query<{ scopes_requested: string[] }>(
      'select scopes_requested from connections where id = $1',
      [id],
    );
    expect(rows[0]?.scopes_requested).toEqual(['read', 'write']);

    // The tokens are sealed (not in the row as text) and work at the vendor.
    const credential = await getOAuthCredential(f.t.db, id, null);
    expect(credential?.expires_at).toBeInstanceOf(Date);
    const tokens = await openTokens(f.t.db, f.t.built.vault, f.t.tenantId, credential as never);
    expect(credential?.sealed).not.toContain(tokens.access_token);
    expect(await f.server.isActive(tokens.access_token)).toBe(true);
    expect(tokens.refresh_token && (await f.server.isActive(tokens.refresh_token))).toBe(true);

    const history = await expectData(f.t.api.GET('/v1/connections/{id}/history', { params: { path: { id } } }));
    expect(history.data).toEqual([expect.objectContaining({ from: null, to: 'active', actor_type: 'api_key' })]);
    const { rows: events } = await f.t.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'connection.created'`,
    );
    expect(events.map((e) => e.data.connection_id)).toEqual([id]);
    const [entry] = await auditOf(f.t, page);
    expect(entry).toMatchObject({
      action: 'connection.create',
      target_type: 'connection',
      target_id: id,
      outcome: 'success',
      actor_type: 'api_key',
      tenant_id: f.t.tenantId,
    });
    expect(entry?.actor_id).toBeTruthy();
    expect(f.server.serverErrors).toEqual([]);
  });

  it('a public client (no secret) connects with PKCE alone', async () => {
    const slug = await f.install({ client: { client_id: 'spa' } });
    const started = await authorize(f, { connector: slug });
    expect(new URL(started.authorization_url).searchParams.get('scope')).toBe('read');
    const id = connectionIdOf(await approveAndReturn(f, started.authorization_url, 'bob'));
    const connection = await getConnection(f.t, id);
    expect(connection).toMatchObject({ state: 'active', vendor_account_id: 'bob', name: 'Harness API' });
  });

  it('always asks for the scopes the manifest marks required, whatever the caller names', async () => {
    const slug = await f.install({
      oauth: {
        scopes: {
          default: ['read'],
          available: [{ name: 'read' }, { name: 'write' }, { name: 'offline_access', required: true }],
        },
      },
    });
    const byDefault = await authorize(f, { connector: slug });
    expect(new URL(byDefault.authorization_url).searchParams.get('scope')).toBe('offline_access read');
    const chosen = await authorize(f, { connector: slug, scopes: ['write'] });
    expect(new URL(chosen.authorization_url).searchParams.get('scope')).toBe('offline_access write');
  });

  it('with pkce: false the authorization URL carries no challenge and no verifier is kept', async () => {
    const slug = await f.install({ oauth: { pkce: false } });
    const started = await authorize(f, { connector: slug });
    const url = new URL(started.authorization_url);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    const { rows } = await f.t.db.query<{ code_verifier_sealed: string | null }>(
      'select code_verifier_sealed from oauth_flows where id = $1',
      [started.flow_id],
    );
    expect(rows[0]?.code_verifier_sealed).toBeNull();
  });

  it('GET /v1/oauth/flows/{id}: pending, then connected with the connection, failed with the page’s words, or expired', async () => {
    const status = async (id: string, token?: string) => {
      const res = await f.t.request({ url: `/v1/oauth/flows/${id}`, ...(token ? { token } : {}) });
      return { code: res.statusCode, data: res.data };
    };
    const started = await authorize(f, { connector: f.slug, name: 'Watched' });
    expect((await status(started.flow_id)).data).toMatchObject({
      id: started.flow_id,
      connector: f.slug,
      purpose: 'create',
      status: 'pending',
      connection_id: null,
      error: null,
      finished_at: null,
    });
    const id = connectionIdOf(await approveAndReturn(f, started.authorization_url, 'alice'));
    const done = await status(started.flow_id);
    expect(done.data).toMatchObject({ status: 'connected', connection_id: id, error: null });
    expect(done.data.finished_at).toEqual(expect.any(String));

    const denied = await authorize(f, { connector: f.slug });
    const page = await followCallback(
      f.t,
      await f.server.approve(denied.authorization_url, { account: 'alice', deny: true }),
    );
    expect(page.statusCode).toBe(400);
    const failed = (await status(denied.flow_id)).data;
    expect(failed).toMatchObject({ status: 'failed', connection_id: null, error: { code: 'oauth_refused' } });
    expect(page.body).toContain((failed.error as { message: string }).message);

    const abandoned = await authorize(f, { connector: f.slug });
    await f.t.db.query(`update oauth_flows set expires_at = now() - interval '1 second' where id = $1`, [
      abandoned.flow_id,
    ]);
    expect((await status(abandoned.flow_id)).data).toMatchObject({ status: 'expired' });

    // The starter reads its own flow whatever its role; others need list_connections; other tenants see nothing.
    const starter = await f.t.keyWithRole(await createRole(f.t, ['create_connection']));
    const outsider = await f.t.keyWithRole(await createRole(f.t, ['create_connection']));
    const own = await authorize(f, { connector: f.slug }, starter.token);
    expect((await status(own.flow_id, starter.token)).data).toMatchObject({ status: 'pending' });
    const hidden = await status(own.flow_id, outsider.token);
    expect(hidden.code).toBe(404);
    expect(hidden.data).toMatchObject({ code: 'not_found' });
    expect((await status(own.flow_id)).code).toBe(200);
    expect((await status('flow_unknown')).code).toBe(404);
  });

  it('return_to: the callback answers 303 to it with ?connection_id=', async () => {
    const started = await authorize(f, { connector: f.slug, return_to: '/console/connections?tab=oauth' });
    const res = await approveAndReturn(f, started.authorization_url, 'alice');
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers['cache-control']).toBe('no-store');
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${PUBLIC_URL}/console/connections`);
    expect(location.searchParams.get('tab')).toBe('oauth');
    const id = location.searchParams.get('connection_id') as string;
    expect((await getConnection(f.t, id)).state).toBe('active');
  });

  it('the platform’s OAuth app (hybrid, shared) or the tenant’s own, per the management pattern', async () => {
    const hybrid = await f.install({ manifest: { management: 'hybrid' }, client: null });
    const start = (connector: string) =>
      f.t.api.POST('/v1/oauth/authorize', { body: { connector, config: { base_url: f.server.api.url } } });
    expectProblem(await start(hybrid), 409, 'oauth_client_missing');

    await expectData(
      f.t.api.PUT('/v1/connectors/{slug}/system-connection', {
        params: { path: { slug: hybrid } },
        body: {
          auth_method: 'oauth2',
          config: { base_url: f.server.api.url },
          credentials: { client_id: 'web-app', client_secret: 'web-app-secret' },
        },
      }),
    );
    const viaSystem = await expectData(
      f.t.api.GET('/v1/oauth/clients/{connector}', { params: { path: { connector: hybrid } } }),
    );
    expect(viaSystem).toMatchObject({ client_id: 'web-app', has_secret: true, source: 'system' });
    const platformId = connectionIdOf(
      await approveAndReturn(f, (await authorize(f, { connector: hybrid })).authorization_url, 'carol'),
    );
    expect(await getConnection(f.t, platformId)).toMatchObject({ credential_source: 'system', state: 'active' });

    // The tenant's own app overrides the platform's on a hybrid connector.
    await registerClient(f.t, hybrid, { client_id: 'spa' });
    const own = await authorize(f, { connector: hybrid });
    expect(new URL(own.authorization_url).searchParams.get('client_id')).toBe('spa');
    const ownId = connectionIdOf(await approveAndReturn(f, own.authorization_url, 'carol'));
    expect((await getConnection(f.t, ownId)).credential_source).toBe('tenant');

    // A tenant-template connector needs the tenant's app even when the platform has one.
    const template = await f.install({ manifest: { management: 'tenant_template' }, client: null });
    expect((await start(template)).error?.code).toBe('oauth_client_missing');
  });
});
