import { issueApiKey } from '../../src/access/api-keys/routes.js';
import type { TestApp } from './app.js';
import { createCustomConnector, customManifest, setSystemConnection } from './catalog.js';
import { createRole, createSecret, createUser, signIn, uniqueName, type UserFixture } from './fixtures.js';

/**
 * A valid request for every route, with real ids, so that a caller allowed to use the route gets a 2xx. Requests
 * that destroy their target create a fresh one first, so each caller acts on its own record.
 */
export type SampleFixtures = {
  t: TestApp;
  user: UserFixture;
  keyId: string;
  roleId: string;
  secretName: string;
  otherTenantId: string;
  /** A custom connector with a system connection. */
  connectorSlug: string;
};

export type Caller = {
  name: string;
  token: string;
  /** A user holding the same role (and superuser flag), for routes that need a session. */
  newUser(): Promise<UserFixture>;
};

export type Sample = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  token?: string;
};

type SampleFn = (f: SampleFixtures, caller: Caller) => Promise<Omit<Sample, 'method'>> | Omit<Sample, 'method'>;

const password = 'correct horse battery staple';

export async function createSampleFixtures(t: TestApp): Promise<SampleFixtures> {
  const user = await createUser(t, { role: 'viewer' });
  const { row } = await issueApiKey(t.db, { tenantId: t.tenantId, name: 'fixture key', role: 'viewer' });
  const roleId = await createRole(t, ['list_connections']);
  const secretName = await createSecret(t, 'fixture-secret-value');
  const other = await t.otherTenant();
  const connectorSlug = await createCustomConnector(t);
  await setSystemConnection(t, connectorSlug);
  return { t, user, keyId: row.id, roleId, secretName, otherTenantId: other.tenantId, connectorSlug };
}

const samples: Record<string, SampleFn> = {
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /readyz': () => ({ url: '/readyz' }),
  'GET /metrics': () => ({ url: '/metrics' }),
  'GET /v1/openapi.json': () => ({ url: '/v1/openapi.json' }),
  'GET /': () => ({ url: '/' }),
  'GET /docs/errors': () => ({ url: '/docs/errors' }),
  'POST /v1/sessions': (f) => ({ url: '/v1/sessions', body: { email: f.user.email, password: f.user.password } }),
  'DELETE /v1/sessions/current': async (f, caller) => ({
    url: '/v1/sessions/current',
    token: (await signIn(f.t, { ...(await caller.newUser()) })).token,
  }),
  'GET /v1/me': () => ({ url: '/v1/me' }),
  'POST /v1/api-keys': () => ({ url: '/v1/api-keys', body: { name: 'matrix', role: 'viewer' } }),
  'GET /v1/api-keys': () => ({ url: '/v1/api-keys' }),
  'GET /v1/api-keys/:id': (f) => ({ url: `/v1/api-keys/${f.keyId}` }),
  'DELETE /v1/api-keys/:id': async (f) => {
    const { row } = await issueApiKey(f.t.db, { tenantId: f.t.tenantId, name: 'doomed', role: 'viewer' });
    return { url: `/v1/api-keys/${row.id}` };
  },
  'POST /v1/users': () => ({
    url: '/v1/users',
    body: { email: `${uniqueName('new')}@example.test`, password, role: 'viewer' },
  }),
  'GET /v1/users': () => ({ url: '/v1/users' }),
  'GET /v1/users/:id': (f) => ({ url: `/v1/users/${f.user.id}` }),
  'PATCH /v1/users/:id': (f) => ({ url: `/v1/users/${f.user.id}`, body: { name: 'Renamed' } }),
  'DELETE /v1/users/:id': async (f) => ({ url: `/v1/users/${(await createUser(f.t)).id}` }),
  'GET /v1/roles': () => ({ url: '/v1/roles' }),
  'GET /v1/roles/capabilities': () => ({ url: '/v1/roles/capabilities' }),
  'GET /v1/roles/:id': (f) => ({ url: `/v1/roles/${f.roleId}` }),
  'POST /v1/roles': () => ({
    url: '/v1/roles',
    body: { name: uniqueName('role'), capabilities: ['list_connections'] },
  }),
  'PATCH /v1/roles/:id': (f) => ({ url: `/v1/roles/${f.roleId}`, body: { description: 'changed' } }),
  'DELETE /v1/roles/:id': async (f) => ({ url: `/v1/roles/${await createRole(f.t, ['list_connections'])}` }),
  'GET /v1/tenants': () => ({ url: '/v1/tenants' }),
  'POST /v1/tenants': () => ({ url: '/v1/tenants', body: { name: 'New', slug: uniqueName('t').replace('_', '-') } }),
  'GET /v1/tenants/:id': (f) => ({ url: `/v1/tenants/${f.otherTenantId}` }),
  'PATCH /v1/tenants/:id': (f) => ({ url: `/v1/tenants/${f.otherTenantId}`, body: { name: 'Renamed' } }),
  'GET /v1/audit': () => ({ url: '/v1/audit' }),
  'POST /v1/secrets': () => ({ url: '/v1/secrets', body: { name: uniqueName('S'), value: 'matrix-value' } }),
  'GET /v1/secrets': () => ({ url: '/v1/secrets' }),
  'GET /v1/secrets/:name': (f) => ({ url: `/v1/secrets/${f.secretName}` }),
  'PUT /v1/secrets/:name': (f) => ({ url: `/v1/secrets/${f.secretName}`, body: { value: 'rotated-value' } }),
  'DELETE /v1/secrets/:name': async (f) => ({ url: `/v1/secrets/${await createSecret(f.t, 'doomed-value')}` }),
  'GET /v1/connectors': () => ({ url: '/v1/connectors' }),
  'GET /v1/connectors/:slug': () => ({ url: '/v1/connectors/generic_rest' }),
  'POST /v1/connectors': () => ({ url: '/v1/connectors', body: customManifest() }),
  'PATCH /v1/connectors/:slug': (f) => ({ url: `/v1/connectors/${f.connectorSlug}`, body: { availability: 'active' } }),
  'DELETE /v1/connectors/:slug': async (f) => ({ url: `/v1/connectors/${await createCustomConnector(f.t)}` }),
  'GET /v1/connectors/:slug/system-connection': (f) => ({ url: `/v1/connectors/${f.connectorSlug}/system-connection` }),
  'PUT /v1/connectors/:slug/system-connection': (f) => ({
    url: `/v1/connectors/${f.connectorSlug}/system-connection`,
    body: { config: { base_url: 'https://api.example.test' }, credentials: { api_key: 'matrix-key' } },
  }),
  'DELETE /v1/connectors/:slug/system-connection': async (f) => {
    const slug = await createCustomConnector(f.t);
    await setSystemConnection(f.t, slug);
    return { url: `/v1/connectors/${slug}/system-connection` };
  },
  'GET /v1/system/master-key': () => ({ url: '/v1/system/master-key' }),
  'POST /v1/system/master-key/rotate': () => ({ url: '/v1/system/master-key/rotate' }),
};

export function hasSample(route: string): boolean {
  return route in samples;
}

export async function sampleRequest(route: string, f: SampleFixtures, caller: Caller): Promise<Sample> {
  const make = samples[route];
  if (!make) throw new Error(`no sample request for ${route}: add one to test/helpers/route-samples.ts`);
  const method = route.split(' ')[0] as Sample['method'];
  return { method, ...(await make(f, caller)) };
}
