/**
 * Capabilities and the built-in roles.
 *
 * The first group is seed 003's "Permissions" map (Integrations actions); the rest extend it to the surfaces the
 * platform adds. The seed states the intent rather than every cell: "The Administrator role is the only role with
 * credential authority by default" and "Operators with delivery-log access can investigate failures without
 * holding credential authority". So:
 * - Administrator holds every tenant capability.
 * - Editor operates integrations (test, pause/resume, delivery log and retries, webhooks, inbound, syncs) but
 *   holds no credential authority (create connection, edit scopes, refresh, disconnect, payment credentials,
 *   secrets) and no administration (API keys, users, roles).
 * - Viewer reads: connections, the library, the delivery log, webhooks, inbound events, syncs, secret names.
 * Credential authority covers where a credential goes as well as what it is: a stored key or token is sent to
 * whatever host the connection's config names, so changing a config field that decides the destination (base URL,
 * subdomain, region, instance URL, OAuth endpoints, a connection string's host, a mutual-TLS CA; read from the
 * manifest, src/connections/credential-authority.ts) needs `create_connection` — and the connector's own capability,
 * e.g. `manage_payment_credentials` — exactly like rotating the credential. `edit_connection` alone changes names,
 * descriptions and the other config fields. Where such a field holds a secret reference (`{{secrets.API_HOST}}`),
 * setting that secret's value moves the connection too, so it needs the same credential authority on top of
 * `manage_secrets` (src/connections/secret-destinations.ts).
 * Secret authority covers where a tenant secret goes in the same way: an inbound forward action's header value
 * referencing one (`{{secrets.NAME}}`) is resolved when forwarding, so saving such a header, or changing the URL it
 * is sent to, needs `manage_secrets` on top of `manage_inbound` (src/vault/secrets/destination-authority.ts).
 * Outbound endpoint headers are sent as written, yet `manage_webhooks` is held to the same rule, so that resolving
 * them one day cannot reopen the hole. Restating or dropping a header where it already went does not need it.
 * Acting on someone else's access (changing or removing a user, revoking an API key) needs every capability the
 * user's or key's role holds, as granting that role would (403 `privilege_escalation`); a superuser's user or key
 * only a superuser may touch.
 * Superuser-only capabilities are never part of a role: they come with the superuser flag.
 */
export const tenantCapabilities = [
  // seed 003 "Permissions"
  'list_connections',
  'browse_connector_library',
  'create_connection',
  'edit_connection',
  'edit_scopes',
  'refresh_credentials',
  'test_connection',
  'pause_resume',
  'disconnect',
  'browse_delivery_log',
  'retry_failed_delivery',
  'manage_payment_credentials',
  'use_proxy',
  // embedding: connect sessions for a product's end users; credentials moved in from another platform
  'create_connect_session',
  'import_connections',
  // outbound webhooks and events
  'view_webhooks',
  'manage_webhooks',
  'publish_events',
  // inbound webhooks
  'view_inbound',
  'manage_inbound',
  // syncs and routing
  'view_syncs',
  'manage_syncs',
  'run_syncs',
  'view_routes',
  'manage_routes',
  'query_routes',
  // files store
  'view_files',
  'manage_files',
  'browse_storage',
  // vault
  'view_secrets',
  'manage_secrets',
  // administration
  'view_api_keys',
  'manage_api_keys',
  'view_users',
  'manage_users',
  'view_roles',
  'manage_roles',
  'view_audit',
  'view_metrics',
] as const;

export const superuserCapabilities = ['manage_tenants', 'manage_registry', 'manage_master_key'] as const;

export type TenantCapability = (typeof tenantCapabilities)[number];
export type SuperuserCapability = (typeof superuserCapabilities)[number];
export type Capability = TenantCapability | SuperuserCapability;

export const capabilityDescriptions: Record<Capability, string> = {
  list_connections: 'List and search connections',
  browse_connector_library: 'Browse the connector library',
  create_connection: 'Create connections, rotate their credentials and change where they are sent',
  edit_connection: 'Edit a connection’s name, description and configuration (other than where credentials go)',
  edit_scopes: 'Change the OAuth scopes of a connection',
  refresh_credentials: 'Refresh credentials by hand',
  test_connection: 'Run a connection’s test call',
  pause_resume: 'Pause and resume connections',
  disconnect: 'Disconnect (delete) connections',
  browse_delivery_log: 'Browse the delivery log',
  retry_failed_delivery: 'Retry failed deliveries',
  manage_payment_credentials: 'Create and change connections to payment platforms',
  use_proxy: 'Send requests to vendors through a connection (API proxy and playground)',
  create_connect_session:
    'Create connect sessions: let an end user of your product connect their accounts through the hosted Connect UI, ' +
    'with the session creator’s authority over the connectors it names',
  import_connections:
    'Import existing credentials (OAuth tokens, API keys) from another platform as connections, tested first',
  view_webhooks: 'View outbound webhook endpoints and statistics',
  manage_webhooks: 'Create, edit and delete outbound webhook endpoints; replay deliveries',
  publish_events: 'Publish events',
  view_inbound: 'View inbound webhook sources and events',
  manage_inbound: 'Create, edit and delete inbound webhook sources; replay inbound events',
  view_syncs: 'View sync configurations and executions',
  manage_syncs: 'Create, edit and delete sync configurations',
  run_syncs: 'Run, cancel and reset syncs; import files (with view_files)',
  view_routes: 'View provider routes, their providers’ health, call log and statistics; explain a route',
  manage_routes: 'Create, edit and delete provider routes; reset a provider’s circuit breaker',
  query_routes: 'Query a capability through a route',
  view_files: 'List and download files in the files store',
  manage_files: 'Upload and delete files',
  browse_storage:
    'Browse connected drives and buckets; import files from them (with manage_files) and export files to them',
  view_secrets: 'List secret names and versions',
  manage_secrets: 'Create, rotate and delete secrets, and choose where they are sent (headers that reference them)',
  view_api_keys: 'List API keys',
  manage_api_keys: 'Create and revoke API keys',
  view_users: 'List users',
  manage_users: 'Create, edit and remove users',
  view_roles: 'List roles',
  manage_roles: 'Create, edit and delete custom roles',
  view_audit: 'Read the activity log',
  view_metrics: 'Scrape Prometheus metrics',
  manage_tenants: 'Create and manage tenants (superuser)',
  manage_registry: 'Manage the global connector registry (superuser)',
  manage_master_key: 'Rotate the master key (superuser)',
};

export const builtInRoleNames = ['administrator', 'editor', 'viewer'] as const;
export type BuiltInRoleName = (typeof builtInRoleNames)[number];

const viewer: TenantCapability[] = [
  'list_connections',
  'browse_connector_library',
  'browse_delivery_log',
  'view_webhooks',
  'view_inbound',
  'view_syncs',
  'view_routes',
  'view_files',
  'view_secrets',
];

const editor: TenantCapability[] = [
  ...viewer,
  'edit_connection',
  'test_connection',
  'pause_resume',
  'use_proxy',
  'retry_failed_delivery',
  'manage_webhooks',
  'publish_events',
  'manage_inbound',
  'manage_syncs',
  'run_syncs',
  'manage_routes',
  'query_routes',
  'manage_files',
  'browse_storage',
  'view_users',
  'view_roles',
  'view_audit',
];

export const builtInRoles: Record<BuiltInRoleName, { description: string; capabilities: readonly TenantCapability[] }> =
  {
    administrator: {
      description: 'Every tenant capability, including credential authority',
      capabilities: tenantCapabilities,
    },
    editor: {
      description: 'Operates integrations without credential authority or administration',
      capabilities: editor,
    },
    viewer: { description: 'Read-only access to integrations', capabilities: viewer },
  };

export function isBuiltInRole(name: string): name is BuiltInRoleName {
  return (builtInRoleNames as readonly string[]).includes(name);
}

export function isTenantCapability(name: string): name is TenantCapability {
  return (tenantCapabilities as readonly string[]).includes(name);
}
