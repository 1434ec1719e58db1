import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { issueApiKey } from '../../src/access/api-keys/keys.js';
import type { TestApp } from './app.js';
import { createCustomConnector, customManifest, setSystemConnection } from './catalog.js';
import { createRole, createSecret, createUser, signIn, uniqueName, type UserFixture } from './fixtures.js';
import { insertOAuthConnection, vendorEndpoints } from './oauth-connection.js';
import { installOAuthConnector } from './oauth-connector.js';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { startGraphFake } from '../fakes/storage-graph.js';

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
  /** A tenant event type and one event of it. */
  eventType: string;
  eventId: string;
  /** A webhook endpoint subscribed to that type. */
  endpointId: string;
};

export type Caller = {
  name: string;
  token: string;
  /** A user holding the same role (and superuser flag), for routes that need a session. */
  newUser(): Promise<UserFixture>;
};

export type Sample = {
  method: 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  token?: string;
  /** Extra request headers (a connect session's token for the Connect UI's routes). */
  headers?: Record<string, string>;
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
  // Routes need the tenant's financial_data feature (seed 000's capability).
  await t.db.query(`update tenants set features = '{financial_data}' where id = $1`, [t.tenantId]);
  await t.built.auth.invalidate(t.db);
  await setSystemConnection(t, connectorSlug);
  const eventType = await sampleEventType({ t });
  const event = await t.request({ method: 'POST', url: '/v1/events', body: { type: eventType, data: {} } });
  if (event.statusCode !== 201) throw new Error(`could not publish the sample event: ${event.body}`);
  return {
    t,
    user,
    keyId: row.id,
    roleId,
    secretName,
    otherTenantId: other.tenantId,
    connectorSlug,
    eventType,
    eventId: event.data.id as string,
    endpointId: await sampleEndpoint({ t, eventType }),
  };
}

const samples: Record<string, SampleFn> = {
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /readyz': () => ({ url: '/readyz' }),
  'GET /metrics': () => ({ url: '/metrics' }),
  'GET /v1/openapi.json': () => ({ url: '/v1/openapi.json' }),
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
  'POST /v1/connections': async () => ({ url: '/v1/connections', body: await sampleConnectionBody() }),
  'POST /v1/connections/import': async () => ({ url: '/v1/connections/import', body: await sampleConnectionBody() }),
  'GET /v1/connections': () => ({ url: '/v1/connections' }),
  'GET /v1/connections/summary': () => ({ url: '/v1/connections/summary' }),
  'GET /v1/connections/:id': async (f) => ({ url: `/v1/connections/${await sampleConnection(f)}` }),
  'PATCH /v1/connections/:id': async (f) => ({
    url: `/v1/connections/${await sampleConnection(f)}`,
    body: { description: 'changed' },
  }),
  'DELETE /v1/connections/:id': async (f) => ({ url: `/v1/connections/${await sampleConnection(f)}` }),
  'POST /v1/connections/:id/test': async (f) => ({ url: `/v1/connections/${await sampleConnection(f)}/test` }),
  'POST /v1/connections/:id/pause': async (f) => ({ url: `/v1/connections/${await sampleConnection(f)}/pause` }),
  'POST /v1/connections/:id/resume': async (f) => {
    const id = await sampleConnection(f);
    const paused = await f.t.request({ method: 'POST', url: `/v1/connections/${id}/pause` });
    if (paused.statusCode !== 200) throw new Error(`could not pause the sample connection: ${paused.body}`);
    return { url: `/v1/connections/${id}/resume` };
  },
  'POST /v1/connections/:id/refresh': async (f) => ({
    url: `/v1/connections/${await sampleOAuthConnection(f)}/refresh`,
  }),
  'GET /v1/connections/:id/history': async (f) => ({ url: `/v1/connections/${await sampleConnection(f)}/history` }),
  'GET /v1/connections/:id/requests': async (f) => ({
    url: `/v1/connections/${await sampleConnection(f)}/requests`,
  }),
  'HEAD /v1/connections/:id/proxy/*': (f) => proxySample(f),
  'GET /v1/connections/:id/proxy/*': (f) => proxySample(f),
  'POST /v1/connections/:id/proxy/*': async (f) => ({ ...(await proxySample(f)), body: { sample: true } }),
  'PUT /v1/connections/:id/proxy/*': async (f) => ({ ...(await proxySample(f)), body: { sample: true } }),
  'PATCH /v1/connections/:id/proxy/*': async (f) => ({ ...(await proxySample(f)), body: { sample: true } }),
  'DELETE /v1/connections/:id/proxy/*': (f) => proxySample(f),
  'OPTIONS /v1/connections/:id/proxy/*': (f) => proxySample(f),
  'PUT /v1/oauth/clients/:connector': async (f) => ({
    url: `/v1/oauth/clients/${await sampleHybridOAuthConnector(f)}`,
    body: { client_id: 'sample-app', client_secret: 'sample-app-secret' },
  }),
  'GET /v1/oauth/clients/:connector': async (f) => ({
    url: `/v1/oauth/clients/${await sampleHybridOAuthConnector(f)}`,
  }),
  'DELETE /v1/oauth/clients/:connector': async (f) => {
    const slug = await sampleHybridOAuthConnector(f);
    const put = await f.t.request({ method: 'PUT', url: `/v1/oauth/clients/${slug}`, body: { client_id: 'doomed' } });
    if (put.statusCode !== 200) throw new Error(`could not register the sample OAuth app: ${put.body}`);
    return { url: `/v1/oauth/clients/${slug}` };
  },
  'POST /v1/oauth/authorize': async (f) => ({
    url: '/v1/oauth/authorize',
    body: { connector: await sampleHybridOAuthConnector(f), name: uniqueName('sample') },
  }),
  'GET /v1/oauth/callback': async (f) => ({ url: await sampleCallback(f) }),
  'GET /v1/oauth/flows/:id': async (f) => {
    const started = await f.t.request({
      method: 'POST',
      url: '/v1/oauth/authorize',
      body: { connector: await sampleHybridOAuthConnector(f) },
    });
    if (started.statusCode !== 200) throw new Error(`could not start the sample OAuth flow: ${started.body}`);
    return { url: `/v1/oauth/flows/${started.data.flow_id as string}` };
  },
  'POST /v1/connections/:id/reauthorize': async (f) => ({
    url: `/v1/connections/${await sampleOAuthConnection(f)}/reauthorize`,
  }),
  'POST /v1/connections/:id/connect': async (f) => {
    const slug = await sampleHybridOAuthConnector(f);
    const id = await insertOAuthConnection(
      { db: f.t.db, vault: f.t.built.vault },
      { tenantId: f.t.tenantId, slug, level: 'user' },
    );
    return { url: `/v1/connections/${id}/connect` };
  },
  'POST /v1/connect/sessions': async () => ({ url: '/v1/connect/sessions', body: sessionBody(['generic_rest']) }),
  'GET /v1/connect/sessions/:id': async (f) => ({ url: `/v1/connect/sessions/${(await sampleSession(f)).id}` }),
  'DELETE /v1/connect/sessions/:id': async (f) => ({ url: `/v1/connect/sessions/${(await sampleSession(f)).id}` }),
  'GET /v1/connect/session': async (f) => ({ url: '/v1/connect/session', headers: (await sampleSession(f)).headers }),
  'POST /v1/connect/connections': async (f) => ({
    url: '/v1/connect/connections',
    headers: (await sampleSession(f)).headers,
    body: await sampleConnectionBody(),
  }),
  'POST /v1/connect/connections/:id/credentials': async (f) => {
    const endUser = uniqueName('user');
    const first = await sampleSession(f, ['generic_rest'], endUser);
    const made = await f.t.request({
      method: 'POST',
      url: '/v1/connect/connections',
      body: await sampleConnectionBody(),
      token: null,
      headers: first.headers,
    });
    if (made.statusCode !== 201) throw new Error(`could not connect through the sample session: ${made.body}`);
    return {
      url: `/v1/connect/connections/${made.data.id as string}/credentials`,
      headers: (await sampleSession(f, ['generic_rest'], endUser)).headers,
      body: { credentials: { api_key: 'sample-key-2' } },
    };
  },
  'POST /v1/connect/oauth/authorize': async (f) => {
    const connector = await sampleHybridOAuthConnector(f);
    return {
      url: '/v1/connect/oauth/authorize',
      headers: (await sampleSession(f, [connector])).headers,
      body: { connector },
    };
  },
  'GET /v1/connect/oauth/flows/:id': async (f) => {
    const connector = await sampleHybridOAuthConnector(f);
    const { headers } = await sampleSession(f, [connector]);
    const started = await f.t.request({
      method: 'POST',
      url: '/v1/connect/oauth/authorize',
      body: { connector },
      token: null,
      headers,
    });
    if (started.statusCode !== 200) throw new Error(`could not start the sample session's flow: ${started.body}`);
    return { url: `/v1/connect/oauth/flows/${started.data.flow_id as string}`, headers };
  },
  'GET /connect': async (f) => {
    const { token } = await sampleSession(f);
    return { url: `/connect?${new URLSearchParams({ session: token, origin: SAMPLE_ORIGIN })}` };
  },
  'POST /v1/event-types': () => ({
    url: '/v1/event-types',
    body: { name: sampleEventTypeName(), schema: { type: 'object' } },
  }),
  'GET /v1/event-types': () => ({ url: '/v1/event-types' }),
  'GET /v1/event-types/:name': (f) => ({ url: `/v1/event-types/${f.eventType}` }),
  'PATCH /v1/event-types/:name': (f) => ({ url: `/v1/event-types/${f.eventType}`, body: { description: 'Changed' } }),
  'DELETE /v1/event-types/:name': async (f) => ({ url: `/v1/event-types/${await sampleEventType(f)}` }),
  'POST /v1/events': (f) => ({ url: '/v1/events', body: { type: f.eventType, data: { n: 1 } } }),
  'GET /v1/events': () => ({ url: '/v1/events' }),
  'GET /v1/events/:id': (f) => ({ url: `/v1/events/${f.eventId}` }),
  'POST /v1/syncs': async (f) => ({ url: '/v1/syncs', body: await sampleSyncBody(f) }),
  'GET /v1/syncs': () => ({ url: '/v1/syncs' }),
  'GET /v1/syncs/stats': () => ({ url: '/v1/syncs/stats' }),
  'POST /v1/syncs/schedule-preview': () => ({
    url: '/v1/syncs/schedule-preview',
    body: { cron: '0 3 * * *', timezone: 'Europe/Berlin' },
  }),
  'POST /v1/syncs/discover': async (f) => ({
    url: '/v1/syncs/discover',
    body: { kind: 'record_store', connection_id: await sampleStoredConnection(f) },
  }),
  'POST /v1/syncs/mapping-preview': async (f) => ({
    url: '/v1/syncs/mapping-preview',
    body: {
      kind: 'record_store',
      connection_id: await sampleStoredConnection(f),
      stream: 'contacts',
      mappings: { select: 'mapped', fields: [{ to: 'email', from: 'email' }] },
    },
  }),
  'GET /v1/syncs/:id': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}` }),
  'PATCH /v1/syncs/:id': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}`, body: { description: 'changed' } }),
  'DELETE /v1/syncs/:id': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}` }),
  'POST /v1/syncs/:id/run': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}/run`, body: {} }),
  'GET /v1/syncs/:id/state': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}/state` }),
  'PUT /v1/syncs/:id/state/:stream': async (f) => ({
    url: `/v1/syncs/${await sampleSync(f)}/state/contacts`,
    body: { state: { cursor: 0 } },
  }),
  'POST /v1/syncs/:id/reset': async (f) => ({ url: `/v1/syncs/${await sampleSync(f)}/reset`, body: {} }),
  'GET /v1/syncs/executions': () => ({ url: '/v1/syncs/executions' }),
  'GET /v1/syncs/executions/:id': async (f) => ({ url: `/v1/syncs/executions/${await sampleSyncRun(f)}` }),
  'GET /v1/syncs/executions/:id/logs': async (f) => ({ url: `/v1/syncs/executions/${await sampleSyncRun(f)}/logs` }),
  'GET /v1/syncs/executions/:id/rejected': async (f) => ({
    url: `/v1/syncs/executions/${await sampleSyncRun(f)}/rejected`,
  }),
  'POST /v1/syncs/executions/:id/cancel': async (f) => ({
    url: `/v1/syncs/executions/${await sampleSyncRun(f)}/cancel`,
  }),
  'POST /v1/webhooks/endpoints': (f) => ({ url: '/v1/webhooks/endpoints', body: sampleEndpointBody(f) }),
  'GET /v1/webhooks/endpoints': () => ({ url: '/v1/webhooks/endpoints' }),
  'GET /v1/webhooks/endpoints/:id': (f) => ({ url: `/v1/webhooks/endpoints/${f.endpointId}` }),
  'PATCH /v1/webhooks/endpoints/:id': (f) => ({
    url: `/v1/webhooks/endpoints/${f.endpointId}`,
    body: { description: 'Changed' },
  }),
  'DELETE /v1/webhooks/endpoints/:id': async (f) => ({ url: `/v1/webhooks/endpoints/${await sampleEndpoint(f)}` }),
  'POST /v1/webhooks/endpoints/:id/secrets/rotate': (f) => ({
    url: `/v1/webhooks/endpoints/${f.endpointId}/secrets/rotate`,
    body: { expire_old_in_seconds: 60 },
  }),
  'GET /v1/webhooks/deliveries': () => ({ url: '/v1/webhooks/deliveries' }),
  'GET /v1/webhooks/deliveries/:id': async (f) => ({ url: `/v1/webhooks/deliveries/${await sampleDelivery(f)}` }),
  'GET /v1/webhooks/deliveries/:id/attempts/:attemptId': async (f) => {
    const delivery = await sampleDelivery(f);
    return { url: `/v1/webhooks/deliveries/${delivery}/attempts/${await sampleAttempt(f, delivery)}` };
  },
  'POST /v1/webhooks/deliveries/:id/retry': async (f) => ({
    url: `/v1/webhooks/deliveries/${await sampleDelivery(f)}/retry`,
  }),
  'POST /v1/webhooks/replay': () => ({
    url: '/v1/webhooks/replay',
    body: { since: new Date(Date.now() - 3_600_000).toISOString(), include_missing: true },
  }),
  'GET /v1/webhooks/stats': () => ({ url: '/v1/webhooks/stats' }),
  'POST /v1/inbound/sources': () => ({
    url: '/v1/inbound/sources',
    body: { name: uniqueName('source'), verification: { type: 'github' } },
  }),
  'GET /v1/inbound/sources': () => ({ url: '/v1/inbound/sources' }),
  'GET /v1/inbound/sources/:id': async (f) => ({ url: `/v1/inbound/sources/${(await sampleSource(f)).id}` }),
  'PATCH /v1/inbound/sources/:id': async (f) => ({
    url: `/v1/inbound/sources/${(await sampleSource(f)).id}`,
    body: { description: 'Changed' },
  }),
  'DELETE /v1/inbound/sources/:id': async (f) => ({ url: `/v1/inbound/sources/${(await sampleSource(f)).id}` }),
  'POST /v1/inbound/sources/:id/rotate-token': async (f) => ({
    url: `/v1/inbound/sources/${(await sampleSource(f)).id}/rotate-token`,
    body: { grace_seconds: 60 },
  }),
  'POST /v1/inbound/sources/:id/rotate-secret': async (f) => ({
    url: `/v1/inbound/sources/${(await sampleSource(f, { type: 'github' })).id}/rotate-secret`,
    body: { overlap_seconds: 60 },
  }),
  'POST /hooks/:token': async (f) => ({ url: (await sampleSource(f)).path, body: { hello: 'world' } }),
  'GET /hooks/:token': async (f) => ({
    url: `${(await sampleSource(f, { type: 'none' }, { handshake: 'challenge_query' })).path}?challenge=x`,
  }),
  'GET /v1/inbound/events': () => ({ url: '/v1/inbound/events' }),
  'GET /v1/records': async (f) => ({ url: `/v1/records?connection_id=${await sampleConnection(f)}&model=contacts` }),
  'GET /v1/records/models': async (f) => ({ url: `/v1/records/models?connection_id=${await sampleConnection(f)}` }),
  'GET /v1/syncs/conflicts': () => ({ url: '/v1/syncs/conflicts' }),
  'GET /v1/syncs/conflicts/:id': async (f) => ({ url: `/v1/syncs/conflicts/${await sampleConflict(f)}` }),
  'POST /v1/syncs/conflicts/:id/resolve': async (f) => ({
    url: `/v1/syncs/conflicts/${await sampleConflict(f)}/resolve`,
    body: { take: 'a' },
  }),
  'GET /v1/capabilities': () => ({ url: '/v1/capabilities' }),
  'GET /v1/routes': () => ({ url: '/v1/routes' }),
  'POST /v1/routes': async (f) => ({ url: '/v1/routes', body: await sampleRouteBody(f) }),
  'GET /v1/routes/:name': async (f) => ({ url: `/v1/routes/${await sampleRoute(f)}` }),
  'PATCH /v1/routes/:name': async (f) => ({
    url: `/v1/routes/${await sampleRoute(f)}`,
    body: { on_rate_limit: 'fallback' },
  }),
  'DELETE /v1/routes/:name': async (f) => ({ url: `/v1/routes/${await sampleRoute(f)}` }),
  // A dry run: which provider would answer, without calling the vendor (the sample connection's is not reachable).
  'POST /v1/routes/:name/query': async (f) => ({
    url: `/v1/routes/${await sampleRoute(f)}/query`,
    body: { query: { symbol: 'AAPL' }, dry_run: true },
  }),
  'POST /v1/routes/:name/explain': async (f) => ({
    url: `/v1/routes/${await sampleRoute(f)}/explain`,
    body: { query: { symbol: 'AAPL' } },
  }),
  'GET /v1/routes/:name/health': async (f) => ({ url: `/v1/routes/${await sampleRoute(f)}/health` }),
  'GET /v1/routes/:name/calls': async (f) => ({ url: `/v1/routes/${await sampleRoute(f)}/calls` }),
  'GET /v1/routes/:name/stats': async (f) => ({ url: `/v1/routes/${await sampleRoute(f)}/stats` }),
  'POST /v1/routes/:name/providers/:connection_id/reset': async (f) => {
    const body = await sampleRouteBody(f);
    const created = await f.t.request({ method: 'POST', url: '/v1/routes', body });
    if (created.statusCode !== 201) throw new Error(`could not create the sample route: ${created.body}`);
    return { url: `/v1/routes/${body.name}/providers/${body.providers[0]?.connection_id}/reset` };
  },
  'GET /v1/routes/requests/:id': async (f) => ({ url: `/v1/routes/requests/${await sampleRouteRequest(f)}` }),
  'GET /v1/files': () => ({ url: '/v1/files' }),
  'POST /v1/records/export': async (f) => ({
    url: '/v1/records/export',
    body: { connection_id: await sampleConnection(f), model: 'contacts', format: 'csv' },
  }),
  'POST /v1/files': () => ({
    url: `/v1/files?name=${uniqueName('file')}.csv`,
    body: 'id,name\n1,Ada\n',
    headers: { 'content-type': 'text/csv' },
  }),
  'GET /v1/files/:id': async (f) => ({ url: `/v1/files/${await sampleFile(f)}` }),
  'GET /v1/files/:id/content': async (f) => ({ url: `/v1/files/${await sampleFile(f)}/content` }),
  'DELETE /v1/files/:id': async (f) => ({ url: `/v1/files/${await sampleFile(f)}` }),
  'POST /v1/files/uploads': () => ({ url: '/v1/files/uploads', body: { name: 'upload.csv', size: 14 } }),
  'GET /v1/files/uploads/:id': async (f) => ({ url: `/v1/files/uploads/${await sampleUpload(f)}` }),
  'PATCH /v1/files/uploads/:id': async (f) => ({
    url: `/v1/files/uploads/${await sampleUpload(f)}`,
    body: 'id,name\n1,Ada\n',
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
  }),
  'DELETE /v1/files/uploads/:id': async (f) => ({ url: `/v1/files/uploads/${await sampleUpload(f)}` }),
  'PATCH /v1/files/:id': async (f) => ({
    url: `/v1/files/${await sampleFile(f)}`,
    body: { name: `${uniqueName('moved')}.csv` },
  }),
  'GET /v1/files/folders': () => ({ url: '/v1/files/folders?parent=/' }),
  'GET /v1/files/usage': () => ({ url: '/v1/files/usage' }),
  'GET /v1/files/:id/versions': async (f) => ({ url: `/v1/files/${await sampleFile(f)}/versions` }),
  'GET /v1/files/:id/versions/:version/content': async (f) => ({
    url: `/v1/files/${await sampleFile(f)}/versions/1/content`,
  }),
  'POST /v1/files/:id/versions/:version/restore': async (f) => ({
    url: `/v1/files/${await sampleVersionedFile(f)}/versions/1/restore`,
  }),
  'POST /v1/files/:id/links': async (f) => ({
    url: `/v1/files/${await sampleFile(f)}/links`,
    body: { expires_in_seconds: 600 },
  }),
  'GET /files/shared/:token': async (f) => {
    const link = await f.t.request({ method: 'POST', url: `/v1/files/${await sampleFile(f)}/links`, body: {} });
    if (link.statusCode !== 201) throw new Error(`could not make the sample link: ${link.body}`);
    return { url: link.data.url as string };
  },
  'GET /v1/storage/connections': () => ({ url: '/v1/storage/connections' }),
  'GET /v1/storage/connections/:id/roots': async (f) => ({
    url: `/v1/storage/connections/${(await sampleStorage(f)).connectionId}/roots`,
  }),
  'GET /v1/storage/connections/:id/items': async (f) => {
    const s = await sampleStorage(f);
    return { url: `/v1/storage/connections/${s.connectionId}/items?root=${encodeURIComponent(s.root)}` };
  },
  'GET /v1/storage/connections/:id/item': async (f) => {
    const s = await sampleStorage(f);
    return {
      url: `/v1/storage/connections/${s.connectionId}/item?root=${encodeURIComponent(s.root)}&item=${s.fileId}`,
    };
  },
  'POST /v1/storage/imports': async (f) => {
    const s = await sampleStorage(f);
    return {
      url: '/v1/storage/imports',
      body: { connection_id: s.connectionId, root: s.root, items: [s.fileId], folder: '/sample' },
    };
  },
  'POST /v1/storage/exports': async (f) => {
    const s = await sampleStorage(f);
    return {
      url: '/v1/storage/exports',
      body: { connection_id: s.connectionId, root: s.root, folder: '/out', file_ids: [await sampleFile(f)] },
    };
  },
  ...transferSamples('import'),
  ...transferSamples('export'),
  'POST /v1/imports/inspect': async (f) => ({ url: '/v1/imports/inspect', body: { file_id: await sampleFile(f) } }),
  'GET /v1/imports': () => ({ url: '/v1/imports' }),
  'GET /v1/syncs/executions/:id/errors-file': async (f) => ({
    url: `/v1/syncs/executions/${await sampleSyncRun(f)}/errors-file`,
  }),
  'POST /v1/syncs/executions/:id/undo': async (f) => ({
    url: `/v1/syncs/executions/${await sampleImportRun(f)}/undo`,
  }),
  'GET /v1/records/export': async (f) => ({
    url: `/v1/records/export?connection_id=${await sampleConnection(f)}&model=contacts&format=ndjson`,
  }),
  'GET /v1/inbound/events/:id': async (f) => ({ url: `/v1/inbound/events/${await sampleInboundEvent(f)}` }),
  'POST /v1/inbound/events/:id/replay': async (f) => ({
    url: `/v1/inbound/events/${await sampleInboundEvent(f)}/replay`,
  }),
  'POST /v1/inbound/replay': () => ({
    url: '/v1/inbound/replay',
    body: { since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() },
  }),
};

/** An inbound source (no verification unless asked) and the path of its public URL. */
async function sampleSource(
  f: Pick<SampleFixtures, 't'>,
  verification: Record<string, unknown> = { type: 'none' },
  extra: Record<string, unknown> = {},
): Promise<{ id: string; path: string }> {
  const res = await f.t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: { name: uniqueName('source'), verification, ...extra },
  });
  if (res.statusCode !== 201) throw new Error(`could not create the sample inbound source: ${res.body}`);
  const source = res.data.source as { id: string; url: string };
  return { id: source.id, path: new URL(source.url).pathname };
}

/** An inbound event, received through a sample source's public URL (nothing processes it in the test app). */
async function sampleInboundEvent(f: Pick<SampleFixtures, 't'>): Promise<string> {
  const source = await sampleSource(f);
  const res = await f.t.request({ method: 'POST', url: source.path, body: { hello: 'world' }, token: null });
  if (res.statusCode !== 202) throw new Error(`could not receive a sample inbound event: ${res.body}`);
  return res.data.id as string;
}

/** A delivery to the sample endpoint: publishing an event of its type fans out to it. */
async function sampleDelivery(f: Pick<SampleFixtures, 't' | 'eventType' | 'endpointId'>): Promise<string> {
  const event = await f.t.request({ method: 'POST', url: '/v1/events', body: { type: f.eventType, data: {} } });
  if (event.statusCode !== 201) throw new Error(`could not publish a sample event: ${event.body}`);
  const { rows } = await f.t.db.query<{ id: string }>(
    'select id from webhook_deliveries where event_id = $1 and endpoint_id = $2',
    [event.data.id, f.endpointId],
  );
  if (!rows[0]) throw new Error('publishing did not create a delivery to the sample endpoint');
  return rows[0].id;
}

/** An attempt as the dispatcher records it (it does not run in the test app). */
async function sampleAttempt(f: Pick<SampleFixtures, 't'>, deliveryId: string): Promise<string> {
  const id = `att_${uniqueName('s').replace(/[^a-z0-9]/g, '')}`;
  await f.t.db.query(
    `insert into webhook_attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, trigger, started_at,
       duration_ms, outcome, status_code, request_url)
     select $1, id, tenant_id, endpoint_id, 1, 'scheduled', now(), 50, 'delivered', 200, 'https://hooks.example.test'
     from webhook_deliveries where id = $2`,
    [id, deliveryId],
  );
  return id;
}

const sampleEndpointBody = (f: Pick<SampleFixtures, 'eventType'>) => ({
  url: 'https://hooks.example.test/switchyard',
  event_types: [f.eventType, 'connection.created'],
});

async function sampleEndpoint(f: Pick<SampleFixtures, 't' | 'eventType'>): Promise<string> {
  const res = await f.t.request({ method: 'POST', url: '/v1/webhooks/endpoints', body: sampleEndpointBody(f) });
  if (res.statusCode !== 201) throw new Error(`could not create the sample webhook endpoint: ${res.body}`);
  return res.data.id as string;
}

const sampleEventTypeName = () => `sample.${uniqueName('t')}`;

/** A tenant event type whose payload schema asks for an object (any object). */
async function sampleEventType(f: Pick<SampleFixtures, 't'>): Promise<string> {
  const name = sampleEventTypeName();
  const res = await f.t.request({ method: 'POST', url: '/v1/event-types', body: { name, schema: { type: 'object' } } });
  if (res.statusCode !== 201) throw new Error(`could not create the sample event type: ${res.body}`);
  return name;
}

// A vendor for proxied sample calls: one local server per test process, answering every request with 200.
let sampleVendorUrl: Promise<string> | undefined;
function sampleVendor(): Promise<string> {
  sampleVendorUrl ??= new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    server.unref();
  });
  return sampleVendorUrl;
}

async function sampleConnectionBody() {
  return {
    connector: 'generic_rest',
    name: uniqueName('sample'),
    auth_method: 'api_key',
    config: { base_url: await sampleVendor() },
    credentials: { api_key: 'sample-key' },
  };
}

/** A connection with one record stored for the model `contacts` (what an inbound sync would have brought in). */
async function sampleStoredConnection(f: SampleFixtures): Promise<string> {
  const id = await sampleConnection(f);
  await f.t.db.query(
    `with model as (insert into sync_models (tenant_id, connection_id, model) values ($1, $2, 'contacts') returning id)
     insert into sync_records (model_id, record_id, data, hash)
     select id, '1', '{"id": 1, "email": "a@example.test"}', 'h' from model`,
    [f.t.tenantId, id],
  );
  return id;
}

/** A sync copying the stored contacts of a connection to another model (no outside system involved). */
async function sampleSyncBody(f: SampleFixtures) {
  return {
    name: uniqueName('sync'),
    source: {
      kind: 'record_store',
      connection_id: await sampleStoredConnection(f),
      streams: [{ name: 'contacts', target: 'contacts_copy' }],
    },
  };
}

async function sampleSync(f: SampleFixtures): Promise<string> {
  const created = await f.t.request({ method: 'POST', url: '/v1/syncs', body: await sampleSyncBody(f) });
  if (created.statusCode !== 201) throw new Error(`could not create the sample sync: ${created.body}`);
  return created.data.id as string;
}

/** A run waiting to start (no runner runs in the test app), so that it can still be cancelled. */
async function sampleSyncRun(f: SampleFixtures): Promise<string> {
  const run = await f.t.request({ method: 'POST', url: `/v1/syncs/${await sampleSync(f)}/run`, body: {} });
  if (run.statusCode !== 202) throw new Error(`could not start the sample sync run: ${run.body}`);
  return (run.data.execution as { id: string }).id;
}

/** A file with two versions (the first can be restored). */
async function sampleVersionedFile(f: SampleFixtures): Promise<string> {
  const name = `${uniqueName('versioned')}.csv`;
  let id = '';
  for (const body of ['id\n1\n', 'id\n2\n']) {
    const res = await f.t.request({
      method: 'POST',
      url: `/v1/files?name=${name}`,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    if (res.statusCode >= 300) throw new Error(`could not upload the sample version: ${res.body}`);
    id = res.data.id as string;
  }
  return id;
}

/**
 * A OneDrive connection of the fixtures' app, its vendor URLs pointed at the Graph fake (started once per process),
 * with one file at the top of its drive.
 */
const sampleStorages = new WeakMap<TestApp, Promise<{ connectionId: string; root: string; fileId: string }>>();
let sampleGraph: ReturnType<typeof startGraphFake> | undefined;
function sampleStorage(f: SampleFixtures) {
  let made = sampleStorages.get(f.t);
  if (!made) {
    made = (async () => {
      sampleGraph ??= startGraphFake();
      const fake = await sampleGraph;
      const file = fake.me.tree.put('/sample.txt', 'a sample file in a drive');
      const manifest = manifestAt(shippedManifest('onedrive'), fake.url);
      await f.t.db.transaction(async (tx) => {
        await tx.query('delete from connectors where slug = $1', ['onedrive']);
        await insertCustomConnector(tx, manifest, manifestHash(manifest));
        await f.t.built.registry.invalidate(tx);
      });
      const connectionId = await insertOAuthConnection(
        { db: f.t.db, vault: f.t.built.vault },
        {
          tenantId: f.t.tenantId,
          slug: 'onedrive',
          name: uniqueName('drive'),
          tokens: { access_token: 'sync-access', refresh_token: 'sync-refresh', token_type: 'Bearer', extra: {} },
          config: {},
        },
      );
      return { connectionId, root: fake.me.id, fileId: file.id };
    })();
    sampleStorages.set(f.t, made);
  }
  return made;
}

/** The routes of an import or export that exists: one made cancelled (no worker runs in the test app), so it can be retried. */
function transferSamples(direction: 'import' | 'export'): Record<string, SampleFn> {
  const plural = `${direction}s`;
  const made = async (f: SampleFixtures, cancelled: boolean) => {
    const s = await sampleStorage(f);
    const body =
      direction === 'import'
        ? { connection_id: s.connectionId, root: s.root, items: [s.fileId] }
        : { connection_id: s.connectionId, root: s.root, folder: '/out', file_ids: [await sampleFile(f)] };
    const res = await f.t.request({ method: 'POST', url: `/v1/storage/${plural}`, body });
    if (res.statusCode !== 201) throw new Error(`could not start the sample ${direction}: ${res.body}`);
    const id = res.data.id as string;
    if (cancelled) await f.t.request({ method: 'POST', url: `/v1/storage/${plural}/${id}/cancel` });
    return id;
  };
  return {
    [`GET /v1/storage/${plural}`]: () => ({ url: `/v1/storage/${plural}` }),
    [`GET /v1/storage/${plural}/:id`]: async (f) => ({ url: `/v1/storage/${plural}/${await made(f, false)}` }),
    [`GET /v1/storage/${plural}/:id/files`]: async (f) => ({
      url: `/v1/storage/${plural}/${await made(f, false)}/files`,
    }),
    [`POST /v1/storage/${plural}/:id/cancel`]: async (f) => ({
      url: `/v1/storage/${plural}/${await made(f, false)}/cancel`,
    }),
    [`POST /v1/storage/${plural}/:id/retry`]: async (f) => ({
      url: `/v1/storage/${plural}/${await made(f, true)}/retry`,
    }),
  };
}

/** A small CSV file in the files store. */
async function sampleFile(f: SampleFixtures): Promise<string> {
  const res = await f.t.request({
    method: 'POST',
    url: `/v1/files?name=${uniqueName('file')}.csv`,
    headers: { 'content-type': 'text/csv' },
    body: 'id,name\n1,Ada\n2,Grace\n',
  });
  if (res.statusCode !== 201) throw new Error(`could not upload the sample file: ${res.body}`);
  return res.data.id as string;
}

/** A resumable upload of 14 bytes, none sent yet. */
async function sampleUpload(f: SampleFixtures): Promise<string> {
  const res = await f.t.request({ method: 'POST', url: '/v1/files/uploads', body: { name: 'up.csv', size: 14 } });
  if (res.statusCode !== 201) throw new Error(`could not start the sample upload: ${res.body}`);
  return res.data.id as string;
}

/** A finished run of a file import into the record store (finished by hand: no runner runs in the test app). */
async function sampleImportRun(f: SampleFixtures): Promise<string> {
  const created = await f.t.request({
    method: 'POST',
    url: '/v1/syncs',
    body: {
      name: uniqueName('import'),
      source: { kind: 'file', file_id: await sampleFile(f), format: { format: 'csv' }, streams: [{ name: 'people' }] },
      target: { kind: 'record_store', connection_id: await sampleStoredConnection(f) },
    },
  });
  if (created.statusCode !== 201) throw new Error(`could not create the sample import: ${created.body}`);
  const run = await f.t.request({ method: 'POST', url: `/v1/syncs/${created.data.id as string}/run`, body: {} });
  if (run.statusCode !== 202) throw new Error(`could not start the sample import: ${run.body}`);
  const id = (run.data.execution as { id: string }).id;
  await f.t.db.query(`update sync_executions set status = 'success', finished_at = now() where id = $1`, [id]);
  return id;
}

/** A fresh, tested (active) connection to the sample vendor, created by the test app's administrator. */
/** An open conflict of a two-way sync (as a run under the manual policy parks one). */
async function sampleConflict(f: SampleFixtures): Promise<string> {
  const connection = await sampleConnection(f);
  const id = `scf_${uniqueName('sample')}`;
  const sync = `sync_${uniqueName('twoway')}`;
  await f.t.db.query(
    `insert into sync_configs (id, tenant_id, name, source_connection_id, source, target, sync_type, direction,
       conflict_policy, mappings, enabled)
     values ($1, $2, $1, $3, $4, '{"kind": "record_store"}', 'incremental', 'bidirectional', 'manual',
       '{"select": "all", "fields": []}', false)`,
    [
      sync,
      f.t.tenantId,
      connection,
      JSON.stringify({ kind: 'connection', connection_id: connection, streams: [{ name: 'contacts' }] }),
    ],
  );
  await f.t.db.query(
    `insert into sync_conflicts (id, tenant_id, config_id, stream, a_id, b_id, fields)
     values ($1, $2, $3, 'contacts', $4, $4, '[{"field": "name", "a": "A", "b": "B", "base": "0"}]')`,
    [id, f.t.tenantId, sync, uniqueName('rec')],
  );
  return id;
}

/** A route serving quotes from a Financial Modeling Prep connection (saved untested: its vendor is never called). */
async function sampleRouteBody(f: SampleFixtures) {
  const connection = await f.t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'financial_modeling_prep',
      name: uniqueName('fmp'),
      credentials: { api_key: 'sample-key' },
      validate: false,
    },
  });
  if (connection.statusCode !== 201) throw new Error(`could not create the FMP connection: ${connection.body}`);
  return {
    name: uniqueName('route').replaceAll('_', '-'),
    capability: 'equity.quote',
    strategy: 'fallback',
    on_rate_limit: 'strict',
    providers: [{ connection_id: connection.data.id as string }],
  };
}

async function sampleRoute(f: SampleFixtures): Promise<string> {
  const body = await sampleRouteBody(f);
  const created = await f.t.request({ method: 'POST', url: '/v1/routes', body });
  if (created.statusCode !== 201) throw new Error(`could not create the sample route: ${created.body}`);
  return body.name;
}

/** A request waiting in a route's queue (as a rate-limited call with on_rate_limit: queue leaves one). */
async function sampleRouteRequest(f: SampleFixtures): Promise<string> {
  const name = await sampleRoute(f);
  const id = `rrq_${uniqueName('sample')}`;
  await f.t.db.query(
    `insert into route_requests (id, tenant_id, route_id, query, not_before, deadline)
     select $1, tenant_id, id, '{"symbol": "AAPL"}', now() + interval '1 hour', now() + interval '2 hours'
     from routes where tenant_id = $2 and name = $3`,
    [id, f.t.tenantId, name],
  );
  return id;
}

async function sampleConnection(f: SampleFixtures): Promise<string> {
  const created = await f.t.request({ method: 'POST', url: '/v1/connections', body: await sampleConnectionBody() });
  if (created.statusCode !== 201) throw new Error(`could not create the sample connection: ${created.body}`);
  return created.data.id as string;
}

/**
 * An OAuth connection to a vendor whose token endpoint always issues a token and whose API answers everything: a
 * refresh and the test call after it both succeed.
 */
let sampleOAuthVendorUrl: Promise<string> | undefined;
function sampleOAuthVendor(): Promise<string> {
  sampleOAuthVendorUrl ??= new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      const body =
        req.url === '/token'
          ? {
              access_token: `access-${Date.now()}`,
              refresh_token: 'sample-refresh',
              token_type: 'Bearer',
              expires_in: 3600,
            }
          : {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    server.unref();
  });
  return sampleOAuthVendorUrl;
}

async function sampleOAuthConnection(f: SampleFixtures): Promise<string> {
  const slug = await installOAuthConnector(f.t, vendorEndpoints(await sampleOAuthVendor()));
  const tokens = { access_token: 'sample-access', refresh_token: 'sample-refresh', token_type: 'bearer', extra: {} };
  return insertOAuthConnection({ db: f.t.db, vault: f.t.built.vault }, { tenantId: f.t.tenantId, slug, tokens });
}

/** A hybrid OAuth connector at the sample vendor (the platform's app, which a tenant may override with its own). */
const SAMPLE_ORIGIN = 'http://127.0.0.1:5173';

const sessionBody = (connectors: string[], endUserId = uniqueName('user')) => ({
  end_user: { id: endUserId },
  connectors: connectors.map((connector) => ({ connector })),
  allowed_origins: [SAMPLE_ORIGIN],
});

/** A connect session the administrator made for a new end user (by default offering generic_rest). */
async function sampleSession(f: SampleFixtures, connectors = ['generic_rest'], endUserId?: string) {
  const res = await f.t.request({
    method: 'POST',
    url: '/v1/connect/sessions',
    body: sessionBody(connectors, endUserId),
  });
  if (res.statusCode !== 201) throw new Error(`could not make the sample connect session: ${res.body}`);
  const token = res.data.token as string;
  return { id: res.data.id as string, token, headers: { 'switchyard-connect-session': token } };
}

async function sampleHybridOAuthConnector(f: SampleFixtures): Promise<string> {
  return installOAuthConnector(f.t, vendorEndpoints(await sampleOAuthVendor()), { manifest: { management: 'hybrid' } });
}

/**
 * The callback of a flow the administrator started, as the vendor's redirect would bring it: the sample vendor's
 * token endpoint accepts any code, so the flow completes (200, the success page).
 */
async function sampleCallback(f: SampleFixtures): Promise<string> {
  const started = await f.t.request({
    method: 'POST',
    url: '/v1/oauth/authorize',
    body: { connector: await sampleHybridOAuthConnector(f) },
  });
  if (started.statusCode !== 200) throw new Error(`could not start the sample OAuth flow: ${started.body}`);
  const state = new URL(started.data.authorization_url as string).searchParams.get('state') as string;
  return `/v1/oauth/callback?${new URLSearchParams({ code: 'sample-code', state })}`;
}

async function proxySample(f: SampleFixtures): Promise<{ url: string }> {
  return { url: `/v1/connections/${await sampleConnection(f)}/proxy/sample` };
}

export function hasSample(route: string): boolean {
  return route in samples;
}

export async function sampleRequest(route: string, f: SampleFixtures, caller: Caller): Promise<Sample> {
  const make = samples[route];
  if (!make) throw new Error(`no sample request for ${route}: add one to test/helpers/route-samples.ts`);
  const method = route.split(' ')[0] as Sample['method'];
  return { method, ...(await make(f, caller)) };
}
