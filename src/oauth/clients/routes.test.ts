import { describe, expect, it } from 'vitest';
import { installSystemConnection } from '../../../test/helpers/connectors.js';
import { auditOf, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import { connectThroughFlow, useOAuthFlow } from '../../../test/helpers/oauth-flows.js';

// The connector has no app registered: registering one is what these tests do.
const f = useOAuthFlow({ client: null });

const put = (connector: string, body: Record<string, unknown>, token?: string) =>
  f.t.request({ method: 'PUT', url: `/v1/oauth/clients/${connector}`, body, ...(token ? { token } : {}) });

describe('tenant OAuth apps', () => {
  it('PUT seals the secret and never returns it; GET says whether there is one', async () => {
    const res = await put(f.slug, { client_id: 'web-app', client_secret: 'web-app-secret' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ connector: f.slug, client_id: 'web-app', has_secret: true, source: 'tenant' });
    expect(res.body).not.toContain('web-app-secret');
    const { rows } = await f.t.db.query<{ client_secret_sealed: string }>(
      'select client_secret_sealed from oauth_clients where connector_slug = $1',
      [f.slug],
    );
    expect(rows[0]?.client_secret_sealed).toBeTruthy();
    expect(rows[0]?.client_secret_sealed).not.toContain('web-app-secret');
    const [entry] = await auditOf(f.t, res);
    expect(entry).toMatchObject({ action: 'oauth_client.update', target_type: 'oauth_client', target_id: f.slug });
    expect(JSON.stringify(entry)).not.toContain('web-app-secret');

    const viewer = await f.t.keyWithRole('viewer');
    const read = await f.t.request({ url: `/v1/oauth/clients/${f.slug}`, token: viewer.token });
    expect(read.data).toMatchObject({ client_id: 'web-app', has_secret: true, source: 'tenant' });
    expect(read.body).not.toContain('web-app-secret');

    // Another tenant has no app for the connector: this tenant's is its own.
    const other = await f.t.otherTenant();
    expectProblem(await f.t.request({ url: `/v1/oauth/clients/${f.slug}`, token: other.token }), 404, 'not_found');

    // Replacing it without a secret makes it a public client.
    expect((await put(f.slug, { client_id: 'spa' })).data).toMatchObject({ client_id: 'spa', has_secret: false });
  });

  it('404 for an unknown connector, 400 for one without OAuth 2.0 or a shared one', async () => {
    expectProblem(await put('no_such_connector', { client_id: 'x' }), 404, 'not_found');
    expectProblem(await f.t.request({ url: '/v1/oauth/clients/no_such_connector' }), 404, 'not_found');
    const plain = await put('generic_rest', { client_id: 'x' });
    expectProblem(plain, 400, 'validation_failed');
    expect(plain.data.errors).toEqual([expect.objectContaining({ path: 'params.connector' })]);
    const shared = await f.install({ manifest: { management: 'shared' }, client: null });
    expectProblem(await put(shared, { client_id: 'x' }), 400, 'validation_failed');
    expectProblem(await put(f.slug, { client_id: '' }), 400, 'validation_failed');
    expect((await rowCounts(f.t, ['oauth_clients'])).oauth_clients).toBe(0);
  });

  it('GET falls back to the platform’s app where the pattern allows it, else 404', async () => {
    expectProblem(await f.t.request({ url: `/v1/oauth/clients/${f.slug}` }), 404, 'not_found');
    const shared = await f.install({ manifest: { management: 'shared' }, client: null });
    await installSystemConnection(f.t, shared, 'oauth2', { client_id: 'platform-app', client_secret: 's3cret' });
    const res = await f.t.request({ url: `/v1/oauth/clients/${shared}` });
    expect(res.data).toMatchObject({ client_id: 'platform-app', has_secret: true, source: 'system' });
    expect(res.body).not.toContain('s3cret');
    // A tenant-template connector never uses the platform's app.
    await installSystemConnection(f.t, f.slug, 'oauth2', { client_id: 'platform-app', client_secret: 's3cret' });
    expectProblem(await f.t.request({ url: `/v1/oauth/clients/${f.slug}` }), 404, 'not_found');
  });

  it('DELETE removes the app, but not while connections hold tokens it issued', async () => {
    expect((await put(f.slug, { client_id: 'web-app', client_secret: 'web-app-secret' })).statusCode).toBe(200);
    const id = await connectThroughFlow(f, f.slug);
    const refused = await f.t.request({ method: 'DELETE', url: `/v1/oauth/clients/${f.slug}` });
    expectProblem(refused, 409, 'in_use');
    expect((await rowCounts(f.t, ['oauth_clients'])).oauth_clients).toBe(1);
    expect((await f.t.request({ method: 'DELETE', url: `/v1/connections/${id}` })).statusCode).toBe(204);
    const res = await f.t.request({ method: 'DELETE', url: `/v1/oauth/clients/${f.slug}` });
    expect(res.statusCode, res.body).toBe(204);
    expect((await auditOf(f.t, res))[0]).toMatchObject({ action: 'oauth_client.delete', target_id: f.slug });
    expectProblem(await f.t.request({ method: 'DELETE', url: `/v1/oauth/clients/${f.slug}` }), 404, 'not_found');
  });

  it('an editor can read but not register or remove an app', async () => {
    const editor = await f.t.keyWithRole('editor');
    const res = await put(f.slug, { client_id: 'web-app' }, editor.token);
    expectProblem(res, 403, 'forbidden');
    expect(res.data.missing_capability).toBe('create_connection');
  });
});
