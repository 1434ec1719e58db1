import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createCustomConnector } from '../../test/helpers/catalog.js';

let t: TestApp;
let viewer: string;
beforeEach(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://switchyard.example.test' } });
  viewer = (await t.keyWithRole('viewer')).token;
});
afterEach(async () => {
  await t.close();
});

const detail = (slug: string) => t.request({ url: `/v1/connectors/${slug}`, token: viewer });

describe('connector detail', () => {
  it('gives the form of every auth method, secret fields flagged, and what the connector can do', async () => {
    const res = await detail('generic_rest');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      slug: 'generic_rest',
      category: 'Generic',
      source: 'builtin',
      availability: 'active',
      test: { available: true, kind: 'http' },
      rate_limit: { remaining_header: 'x-ratelimit-remaining', retry_after_header: 'retry-after' },
      warnings: [],
    });
    expect(res.data.config).toContainEqual(
      expect.objectContaining({ key: 'base_url', type: 'url', required: true, secret: false }),
    );
    const auth = res.data.auth as { type: string; label: string; fields: { key: string; secret: boolean }[] }[];
    expect(auth.map((a) => a.type)).toEqual(res.data.auth_methods);
    expect(auth.find((a) => a.type === 'basic')?.fields).toEqual([
      { key: 'username', label: 'Username', type: 'string', required: true, secret: false },
      { key: 'password', label: 'Password', type: 'password', required: true, secret: true },
    ]);
    // Only form properties: how the credentials are applied (header names, templates) stays server-side.
    expect(Object.keys(auth.find((a) => a.type === 'api_key') ?? {}).sort()).toEqual([
      'fields',
      'id',
      'label',
      'test',
      'type',
    ]);
    // Methods are named by id, which is the type unless two share one.
    expect(auth.every((a) => (a as { id?: string }).id === a.type)).toBe(true);
  });

  it('never shows a secret field’s default, and shows the OAuth scopes, levels and redirect URI', async () => {
    const slug = await createCustomConnector(t, {
      auth: [
        {
          type: 'oauth2',
          authorization_url: 'https://auth.example.test/authorize',
          token_url: 'https://auth.example.test/token',
          scopes: {
            default: ['read'],
            available: [
              { name: 'read', description: 'Read' },
              { name: 'write', required: true },
            ],
          },
          levels: ['app', 'user'],
          fields: [
            { key: 'client_id', label: 'Client id', default: 'visible-default' },
            { key: 'client_secret', label: 'Client secret', secret: true, default: 'hunter2-default' },
          ],
        },
      ],
    });
    const res = await detail(slug);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('hunter2-default');
    expect(res.data.auth).toEqual([
      {
        id: 'oauth2',
        type: 'oauth2',
        label: 'OAuth 2.0',
        fields: [
          {
            key: 'client_id',
            label: 'Client id',
            type: 'string',
            required: true,
            secret: false,
            default: 'visible-default',
          },
          { key: 'client_secret', label: 'Client secret', type: 'string', required: true, secret: true },
        ],
        grant: 'authorization_code',
        scopes: {
          default: ['read'],
          available: [
            { name: 'read', description: 'Read', required: false },
            { name: 'write', required: true },
          ],
        },
        levels: ['app', 'user'],
        pkce: true,
        redirect_uri: 'https://switchyard.example.test/v1/oauth/callback',
        test: expect.objectContaining({ available: expect.any(Boolean) }),
      },
    ]);
  });

  it('says per auth method how its credential is checked: its own test, or the connector’s', async () => {
    const key = (id: string, test?: Record<string, unknown>) => ({
      type: 'api_key',
      id,
      name: 'x-key',
      fields: [{ key: 'api_key', label: 'Key', secret: true }],
      ...(test ? { test } : {}),
    });
    const slug = await createCustomConnector(t, {
      auth: [
        key('api_key'),
        key('restricted', { kind: 'http', request: { path: '/restricted/me' } }),
        key('legacy', { kind: 'none', reason: 'legacy keys are accepted for any request' }),
      ],
    });
    const res = await detail(slug);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.auth_methods).toEqual(['api_key']);
    expect((res.data.auth as { id: string; test: unknown }[]).map((a) => [a.id, a.test])).toEqual([
      ['api_key', res.data.test],
      ['restricted', { available: true, kind: 'http' }],
      ['legacy', { available: false, kind: 'none', reason: 'legacy keys are accepted for any request' }],
    ]);
  });

  it('warns about availability, retirement and missing platform credentials', async () => {
    const slug = await createCustomConnector(t, { name: 'Acme' });
    const patch = (body: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/v1/connectors/${slug}`, body });
    const warnings = async () => (await detail(slug)).data.warnings as string[];

    await patch({ availability: 'coming_soon' });
    expect(await warnings()).toEqual(['Acme is coming soon and cannot be connected yet.']);
    await patch({ availability: 'deprecated' });
    expect(await warnings()).toEqual([expect.stringMatching(/^Acme is deprecated: it can still be connected/)]);
    await patch({ availability: 'maintenance' });
    expect(await warnings()).toEqual([expect.stringMatching(/^Acme is under maintenance/)]);
    await patch({ availability: 'active', management: 'shared' });
    expect(await warnings()).toEqual([expect.stringMatching(/platform’s credentials, which the operator has not/)]);
    expect((await detail(slug)).data).toMatchObject({ connectable: false, system_connection_configured: false });
    await patch({ management: 'byop', retired: true });
    // A retired entry is out of the library but its page stays, for the connections that still use it.
    expect(await warnings()).toEqual([expect.stringMatching(/^Acme has been retired/)]);
  });

  it('shows the API version, each section’s verification and the known sunsets, and none for an entry without', async () => {
    const slug = await createCustomConnector(t, {
      api_version: '2024-06-20',
      verified: {
        auth: { date: '2026-12-05', sources: ['https://vendor.example.test/docs/oauth'] },
        test: { date: '2026-11-30', sources: ['https://vendor.example.test/docs/me', 'changelog 2026-11'] },
      },
      sunsets: [
        {
          what: 'OAuth token endpoint /oauth/v1/token',
          date: '2027-02-16',
          replacement: '/oauth/2026-03/token',
          source: 'https://vendor.example.test/changelog',
        },
        { what: 'API version 2019-01-01', date: '2027-09-01', source: 'https://vendor.example.test/versions' },
      ],
    });
    const res = await detail(slug);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      api_version: '2024-06-20',
      verified: {
        auth: { date: '2026-12-05', sources: ['https://vendor.example.test/docs/oauth'] },
        test: { date: '2026-11-30', sources: ['https://vendor.example.test/docs/me', 'changelog 2026-11'] },
      },
      sunsets: [
        { what: 'OAuth token endpoint /oauth/v1/token', date: '2027-02-16', replacement: '/oauth/2026-03/token' },
        { what: 'API version 2019-01-01', date: '2027-09-01', replacement: null },
      ],
    });
    expect(Object.keys(res.data.verified as object).sort()).toEqual(['auth', 'test']);
    const bare = await detail(await createCustomConnector(t));
    expect(bare.data).toMatchObject({ api_version: null, verified: {}, sunsets: [] });
  });

  it('answers 404 not_found for an unknown slug', async () => {
    const res = await detail('no_such_connector');
    expect(res.statusCode).toBe(404);
    expect(res.data.code).toBe('not_found');
  });
});
