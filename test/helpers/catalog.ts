import { expect } from 'vitest';
import { expectData, type JsonBody } from './api.js';
import type { TestApp } from './app.js';
import { uniqueName } from './fixtures.js';

/**
 * A custom connector manifest as a superuser would send it (JSON), with overrides per test: an API-key JSON API at
 * a configured base URL. Not validated here, so tests can also send broken ones.
 */
export function customManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: 1,
    slug: uniqueName('custom'),
    name: 'Custom API',
    description: 'A connector a superuser added.',
    category: 'Generic',
    logo: { initials: 'CA', color: '#123456' },
    config: [{ key: 'base_url', label: 'Base URL', type: 'url' }],
    auth: [
      {
        type: 'api_key',
        name: 'x-api-key',
        fields: [{ key: 'api_key', label: 'API key', type: 'password', secret: true }],
      },
    ],
    base_url: '{{config.base_url}}',
    test: { kind: 'http', request: { method: 'GET', path: '/me' } },
    ...overrides,
  };
}

/** Add a custom connector through the API (with the superuser's token); returns its slug. */
export async function createCustomConnector(t: TestApp, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request({ method: 'POST', url: '/v1/connectors', body: customManifest(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.slug as string;
}

/** Attach platform credentials to a connector through the API; returns the API key value sealed. */
export async function setSystemConnection(t: TestApp, slug: string, apiKey = uniqueName('platform-key')) {
  const res = await t.request({
    method: 'PUT',
    url: `/v1/connectors/${slug}/system-connection`,
    body: { config: { base_url: 'https://api.example.test' }, credentials: { api_key: apiKey } },
  });
  expect(res.statusCode, res.body).toBe(200);
  return apiKey;
}

/**
 * An API-key connection through the API (as the administrator, or as `token`), stored without its test call
 * (`validate: false`): to `generic_rest` at an example URL unless `body` says otherwise. Returns its id.
 */
export async function createApiKeyConnection(
  t: TestApp,
  body: Partial<JsonBody<'/v1/connections', 'post'>> = {},
  token?: string,
): Promise<string> {
  const created = await expectData(
    (token ? t.apiAs(token) : t.api).POST('/v1/connections', {
      body: {
        connector: 'generic_rest',
        auth_method: 'api_key',
        config: { base_url: 'https://api.example.test' },
        credentials: { api_key: 'k' },
        validate: false,
        ...body,
      },
    }),
    201,
  );
  return created.id;
}
