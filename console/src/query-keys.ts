/**
 * Every TanStack Query key of the console, declared once and used both by the queries and by the writes that
 * invalidate them. A key is a path: invalidating one refetches every query whose key starts with it, so each area's
 * queries start with its `all` key, parameters (filters, cursors) come last, and a write names the widest key its
 * change can reach (deleting an endpoint invalidates `webhookKeys.all`: the endpoint lists, the statistics and the
 * delivery log).
 */

/** The signed-in user and their capabilities. */
export const meKey = ['me'] as const;

export const connectionKeys = {
  all: ['connections'] as const,
  list: (query: object) => ['connections', 'list', query] as const,
  /** Every connection by name, for the inbound source form's picker. */
  picker: ['connections', 'list', 'for-inbound'] as const,
  summary: ['connections', 'summary'] as const,
  /** A connection's own queries: their second element is its id (dropped when it is disconnected). */
  detail: (id: string) => ['connections', id] as const,
  history: (id: string) => ['connections', id, 'history'] as const,
  requests: (id: string) => ['connections', id, 'requests'] as const,
  requestsPage: (id: string, query: object) => ['connections', id, 'requests', query] as const,
};

/** True for the queries of one connection (`connectionKeys.detail(id)` and below). */
export const isConnectionKey = (key: readonly unknown[], id: string): boolean =>
  key[0] === connectionKeys.all[0] && key[1] === id;

export const connectorKeys = {
  all: ['connectors'] as const,
  library: (query: object) => ['connectors', 'library', query] as const,
  detail: (slug: string) => ['connectors', 'detail', slug] as const,
  /** The OAuth app the tenant's connections to a connector use (its own, or the platform's). */
  oauthClient: (slug: string) => ['connectors', 'oauth-client', slug] as const,
};

/** The superuser's connector registry; its writes invalidate `connectorKeys.all` too. */
export const registryKeys = {
  all: ['registry'] as const,
  list: (q: string) => ['registry', q] as const,
  systemConnection: (slug: string) => ['registry', 'system', slug] as const,
  detail: (slug: string) => ['registry', 'detail', slug] as const,
};

/** Outbound webhooks and event types. */
export const webhookKeys = {
  all: ['webhooks'] as const,
  endpoints: ['webhooks', 'endpoints'] as const,
  /** Every endpoint, for filters and names. */
  endpointNames: ['webhooks', 'endpoints', 'all'] as const,
  endpointsPage: (cursor: string | undefined) => ['webhooks', 'endpoints', 'page', cursor] as const,
  eventTypes: ['webhooks', 'event-types'] as const,
  /** Every event type, for subscriptions, filters and publishing. */
  eventTypeNames: ['webhooks', 'event-types', 'all'] as const,
  eventTypesPage: (cursor: string | undefined, archived: boolean) =>
    ['webhooks', 'event-types', cursor, archived] as const,
  statsAll: ['webhooks', 'stats'] as const,
  stats: (window: string, endpointId: string) => ['webhooks', 'stats', window, endpointId] as const,
  /** The overview's summary of the last 24 hours. */
  overviewStats: ['webhooks', 'stats', '24h'] as const,
  deliveriesPage: (filters: object, cursor: string | undefined) => ['webhooks', 'deliveries', filters, cursor] as const,
  delivery: (id: string) => ['webhooks', 'delivery', id] as const,
  attempt: (deliveryId: string, attemptId: string) => ['webhooks', 'attempt', deliveryId, attemptId] as const,
};

export const inboundKeys = {
  all: ['inbound'] as const,
  /** Every source query (tables, pickers, a connection's): what an event log that changed refreshes. */
  sources: ['inbound', 'sources'] as const,
  /** The sources made for one connection (its page's webhook URL). */
  ofConnection: (connectionId: string) => ['inbound', 'sources', 'connection', connectionId] as const,
  /** Every source, for filters and the range replay. */
  sourceNames: ['inbound', 'sources', 'all'] as const,
  sourcesPage: (cursor: string | undefined) => ['inbound', 'sources', 'page', cursor] as const,
  events: ['inbound', 'events'] as const,
  eventsPage: (filters: object, cursor: string | undefined) => ['inbound', 'events', filters, cursor] as const,
  event: (id: string) => ['inbound', 'events', 'detail', id] as const,
  /** The overview's "last event received". */
  latestEvent: ['inbound', 'events', 'overview'] as const,
};

/** Sync configurations, their runs, logs and checkpoints. */
export const syncKeys = {
  all: ['syncs'] as const,
  stats: ['syncs', 'stats'] as const,
  /** Every sync by name, for the inbound rules' run-sync action. */
  picker: ['syncs', 'picker'] as const,
  listPage: (search: string, cursor: string | undefined) => ['syncs', 'list', search, cursor] as const,
  detail: (id: string) => ['syncs', 'detail', id] as const,
  /** The syncs reading from or writing to a connection (what deleting it also deletes). */
  ofConnection: (connectionId: string) => ['syncs', 'connection', connectionId] as const,
  state: (id: string) => ['syncs', 'detail', id, 'state'] as const,
  /** The runs of one sync (the detail page's table and chart). */
  executions: (id: string, cursor: string | undefined) => ['syncs', 'detail', id, 'executions', cursor] as const,
  chart: (id: string) => ['syncs', 'detail', id, 'executions', 'chart'] as const,
  execution: (id: string) => ['syncs', 'execution', id] as const,
  /** The log read so far: each refetch asks only for what came after it. */
  logs: (id: string) => ['syncs', 'execution', id, 'logs'] as const,
  rejected: (id: string) => ['syncs', 'execution', id, 'rejected'] as const,
  /** File imports (syncs reading a file of the files store), each with its latest check and import run. */
  imports: (cursor: string | undefined) => ['syncs', 'imports', cursor] as const,
  /** The record store: a connection's models, and a model's change feed (pages read so far, by filter). */
  recordModels: (connectionId: string) => ['syncs', 'records', connectionId] as const,
  recordFeed: (connectionId: string, model: string, filter: string) =>
    ['syncs', 'records', connectionId, model, filter] as const,
  /** The form's reads of a source: discovered streams, a schedule's next runs, a mapping preview. */
  discover: (kind: string, connectionId: string) => ['syncs', 'discover', kind, connectionId] as const,
  /** A few stored records of a model, for the names of the fields it already has (an import's auto-matching). */
  recordSample: (connectionId: string, model: string) => ['syncs', 'records', connectionId, model, 'sample'] as const,
  schedulePreview: (schedule: object) => ['syncs', 'schedule-preview', schedule] as const,
  /** The conflicts inbox of bidirectional syncs, by sync (or all) and state. */
  conflicts: (syncId: string, state: string, cursor: string | undefined) =>
    ['syncs', 'conflicts', syncId, state, cursor] as const,
};

/** The files store; a file's own reads (inspecting it for an import) sit under its id. */
export const fileKeys = {
  all: ['files'] as const,
  page: (folder: string, cursor: string | undefined, q = '') => ['files', 'list', folder, q, cursor] as const,
  folders: (parent: string) => ['files', 'folders', parent] as const,
  usage: ['files', 'usage'] as const,
  detail: (fileId: string) => ['files', fileId] as const,
  versions: (fileId: string) => ['files', fileId, 'versions'] as const,
  preview: (fileId: string, sha256: string) => ['files', fileId, 'preview', sha256] as const,
  inspect: (fileId: string, format: object | null) => ['files', fileId, 'inspect', format] as const,
};

/** Cloud storage: what a connection's drives and buckets hold, and imports and exports (transfers). */
export const storageKeys = {
  all: ['storage'] as const,
  connections: ['storage', 'connections'] as const,
  roots: (connectionId: string) => ['storage', 'roots', connectionId] as const,
  items: (connectionId: string, root: string, folder: string, q: string) =>
    ['storage', 'items', connectionId, root, folder, q] as const,
  transfers: ['storage', 'transfers'] as const,
  history: (direction: string, cursor: string | undefined) => ['storage', 'transfers', direction, cursor] as const,
  transfer: (direction: string, id: string) => ['storage', 'transfers', direction, 'one', id] as const,
  transferFiles: (direction: string, id: string) => ['storage', 'transfers', direction, 'one', id, 'files'] as const,
};

export const secretKeys = {
  all: ['secrets'] as const,
  page: (cursor: string | undefined) => ['secrets', cursor] as const,
  detail: (name: string) => ['secrets', 'detail', name] as const,
};

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  page: (cursor: string | undefined, includeRevoked: boolean) => ['api-keys', cursor, includeRevoked] as const,
};

export const roleKeys = {
  all: ['roles'] as const,
  /** Every capability a role can hold, with its description. */
  capabilities: ['roles', 'capabilities'] as const,
};

export const userKeys = {
  all: ['users'] as const,
  page: (cursor: string | undefined) => ['users', cursor] as const,
};

export const auditKeys = {
  page: (filters: object, cursor: string | undefined) => ['audit', filters, cursor] as const,
};

/** Provider routing: capabilities, routes, and each route's health, statistics and call log under its name. */
export const routeKeys = {
  all: ['routes'] as const,
  capabilities: ['routes', 'capabilities'] as const,
  list: ['routes', 'list'] as const,
  /** A route's own queries: their third element is its name (dropped when it is deleted). */
  detail: (name: string) => ['routes', 'detail', name] as const,
  health: (name: string) => ['routes', 'detail', name, 'health'] as const,
  stats: (name: string, hours: number) => ['routes', 'detail', name, 'stats', hours] as const,
  calls: (name: string, outcome: string, cursor: string | undefined) =>
    ['routes', 'detail', name, 'calls', outcome, cursor] as const,
};
