import { describe, expect, it } from 'vitest';
import { expectData, type JsonBody } from '../../../test/helpers/api.js';
import { auditOf, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import { storedTokens } from '../../../test/helpers/oauth-connection.js';
import { registerClient, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';
import { getOAuthCredential } from '../tokens.js';

const stored = ['connections', 'connection_credentials', 'events'];
const service = { client_id: 'service', client_secret: 'service-secret' };
const machine = { grant: 'client_credentials' as const, levels: ['app' as const] };

const f = useOAuthFlow({
  server: { accessTokenTtl: 120 },
  oauth: { ...machine, authorization_url: undefined, pkce: false },
  client: service,
});

const create = (body: Partial<JsonBody<'/v1/connections', 'post'>> = {}) =>
  f.t.api.POST('/v1/connections', {
    body: {
      connector: f.slug,
      auth_method: 'oauth2',
      name: 'Machine',
      config: { base_url: f.server.api.url },
      ...body,
    },
  });

describe('client credentials: POST /v1/connections without a browser', () => {
  it('fetches a token with the tenant’s app, tests it, stores the connection active with the token', async () => {
    const res = await create({ scopes: ['read'] });
    const created = await expectData(res, 201);
    expect(created).toMatchObject({
      name: 'Machine',
      state: 'active',
      auth_method: 'oauth2',
      credential_source: 'tenant',
      level: 'app',
      vendor_account_id: 'service',
      scopes_granted: ['read'],
    });
    expect(f.server.counts.client_credentials).toBe(1);
    const id = created.id;
    const credential = await getOAuthCredential(f.t.db, id, null);
    const expiresIn = (credential?.expires_at?.getTime() ?? 0) - Date.now();
    expect(expiresIn).toBeGreaterThan(100_000);
    expect(expiresIn).toBeLessThanOrEqual(120_000);
    const tokens = await storedTokens({ db: f.t.db, vault: f.t.built.vault }, f.t.tenantId, id);
    expect(tokens.refresh_token).toBeUndefined();
    expect(await f.server.isActive(tokens.access_token)).toBe(true);
    const { rows } = await f.t.db.query<{ scopes_requested: string[] }>(
      'select scopes_requested from connections where id = $1',
      [id],
    );
    expect(rows[0]?.scopes_requested).toEqual(['read']);
    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ action: 'connection.create', target_id: id, outcome: 'success' });
  });

  it('uses the manifest’s default scopes when none are named', async () => {
    expect((await expectData(create(), 201)).scopes_granted).toEqual(['read']);
  });

  it('a refused client (wrong secret) or scope: oauth_refused, nothing stored', async () => {
    const before = await rowCounts(f.t, stored);
    const scope = await create({ scopes: ['admin'] });
    expectProblem(scope, 400, 'oauth_refused');
    expect(scope.error?.oauth_error).toBe('invalid_scope');
    await registerClient(f.t, f.slug, { client_id: 'service', client_secret: 'wrong' });
    const secret = await create();
    expectProblem(secret, 400, 'oauth_refused');
    expect(secret.error?.oauth_error).toBe('invalid_client');
    expect(await rowCounts(f.t, stored)).toEqual(before);
  });

  it('a test call that fails with the token: 422 with the outcome, nothing stored', async () => {
    const limited = await f.install({
      oauth: machine,
      manifest: { test: { kind: 'http', request: { method: 'GET', path: '/scoped/write' } } },
      client: service,
    });
    const before = await rowCounts(f.t, stored);
    const res = await create({ connector: limited, scopes: ['read'] });
    expectProblem(res, 422, 'connection_test_failed');
    expect(res.error?.outcome).toMatchObject({ outcome: 'scope_insufficient', missing_scopes: ['write'] });
    expect(await rowCounts(f.t, stored)).toEqual(before);
    await expectData(create({ connector: limited, scopes: ['read', 'write'] }), 201);
  });

  it('validate: false saves it inactive (the token is still fetched: there is nothing else to store)', async () => {
    const created = await expectData(create({ validate: false }), 201);
    expect(created).toMatchObject({ state: 'inactive', vendor_account_id: null });
    expect(f.server.counts.client_credentials).toBe(1);
    expect(f.server.api.requests).toBe(0);
  });

  it('refuses credentials in the body, unknown scopes, and a missing app', async () => {
    const before = await rowCounts(f.t, stored);
    const credentials = await create({ credentials: { client_id: 'service' } });
    expectProblem(credentials, 400, 'validation_failed');
    expect(credentials.error?.errors).toEqual([expect.objectContaining({ path: 'body.credentials' })]);
    const unknown = await create({ scopes: ['read', 'everything'] });
    expectProblem(unknown, 400, 'validation_failed');
    expect(unknown.error?.errors).toEqual([expect.objectContaining({ path: 'body.scopes.1' })]);
    const bare = await f.install({ oauth: machine, client: null });
    expectProblem(await create({ connector: bare }), 409, 'oauth_client_missing');
    expect(await rowCounts(f.t, stored)).toEqual(before);
    expect(f.server.counts.client_credentials).toBe(0);
  });

  it('an authorization-code connector is still refused here: it needs the browser flow', async () => {
    const browser = await f.install();
    const res = await create({ connector: browser });
    expectProblem(res, 400, 'oauth_flow_required');
    expect(res.error?.detail).toContain('POST /v1/oauth/authorize');
  });

  it('scopes are refused for a method that is not OAuth', async () => {
    const res = await f.t.api.POST('/v1/connections', {
      body: {
        connector: 'generic_rest',
        auth_method: 'api_key',
        config: { base_url: f.server.api.url },
        credentials: { api_key: 'k' },
        scopes: ['read'],
      },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.error?.errors).toEqual([expect.objectContaining({ path: 'body.scopes' })]);
  });
});
