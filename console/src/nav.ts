/**
 * The console's sections and what each needs. A tab the signed-in role cannot use is not shown; a direct URL to it
 * shows "Access denied" naming the missing capability.
 */
export type Section = {
  path: string;
  label: string;
  capability: string;
  /** Shown when the role holds any of these (a section whose pages need different capabilities). */
  anyOf?: string[];
  /** Used in "Your role cannot …". */
  what: string;
  superuser?: boolean;
  /** The tenant feature (subscription) the section needs, beside the role's capability (`financial_data`). */
  feature?: string;
  /** Capabilities needed beside `capability` (importing from cloud storage writes into the files store too). */
  allOf?: string[];
};

export const sections: Section[] = [
  { path: '/', label: 'Overview', capability: '', what: '' },
  { path: '/connections', label: 'Connections', capability: 'list_connections', what: 'list connections' },
  {
    path: '/webhooks',
    label: 'Webhooks',
    capability: '',
    anyOf: ['view_webhooks', 'view_inbound'],
    what: 'view webhooks',
  },
  { path: '/syncs', label: 'Sync Management', capability: 'view_syncs', what: 'view syncs' },
  { path: '/files', label: 'Files', capability: 'view_files', what: 'view the files store' },
  {
    path: '/financial-data',
    label: 'Financial Data',
    capability: 'view_routes',
    what: 'view provider routes',
    feature: 'financial_data',
  },
  {
    path: '/provider-routing',
    label: 'Provider routing',
    capability: 'view_routes',
    what: 'view provider routes',
    feature: 'provider_routing',
  },
  {
    path: '/registry',
    label: 'Connector registry',
    capability: 'manage_registry',
    what: 'edit the connector registry (superusers only)',
    superuser: true,
  },
  { path: '/api-keys', label: 'API keys', capability: 'view_api_keys', what: 'view API keys' },
  { path: '/users', label: 'Users', capability: 'view_users', what: 'list users' },
  { path: '/roles', label: 'Roles', capability: 'view_roles', what: 'view roles' },
  { path: '/secrets', label: 'Secrets', capability: 'view_secrets', what: 'view secrets' },
  { path: '/activity', label: 'Activity log', capability: 'view_audit', what: 'read the activity log' },
];

/** The Webhooks section's own tabs. */
export const webhookSections: Section[] = [
  {
    path: '/webhooks/outbound',
    label: 'Outbound',
    capability: 'view_webhooks',
    what: 'view outbound webhook endpoints and deliveries',
  },
  {
    path: '/webhooks/event-types',
    label: 'Event types',
    capability: 'view_webhooks',
    what: 'view event types',
  },
  {
    path: '/webhooks/inbound',
    label: 'Inbound',
    capability: 'view_inbound',
    what: 'view inbound webhook sources and events',
  },
];

/** The Sync Management section's own tabs. */
export const syncSections: Section[] = [
  { path: '/syncs', label: 'Configurations', capability: 'view_syncs', what: 'view syncs' },
  { path: '/syncs/conflicts', label: 'Conflicts', capability: 'view_syncs', what: 'view sync conflicts' },
  { path: '/syncs/imports', label: 'Imports', capability: 'view_syncs', what: 'view file imports' },
  { path: '/syncs/records', label: 'Records', capability: 'view_syncs', what: 'view the record store' },
];

/** The Files section's own tabs: the store, importing from cloud storage, and the transfers' history. */
export const fileSections: Section[] = [
  { path: '/files', label: 'Store', capability: 'view_files', what: 'view the files store' },
  {
    path: '/files/import',
    label: 'Import from cloud',
    capability: 'browse_storage',
    allOf: ['manage_files'],
    what: 'import files from cloud storage',
  },
  {
    path: '/files/transfers',
    label: 'Imports and exports',
    capability: 'view_files',
    what: 'view imports and exports',
  },
];

export const sectionFor = (path: string): Section | undefined =>
  [...sections, ...webhookSections, ...syncSections, ...fileSections].find((s) => s.path === path);

/**
 * Whether a role with these capabilities, in a tenant with these features, sees the section's tab (seed 000: the
 * Financial Data tab needs the tenant's `financial_data` feature as well as the role's capability).
 */
export const canSee = (
  section: Section,
  can: (capability: string) => boolean,
  hasFeature: (feature: string) => boolean = () => true,
): boolean =>
  (!section.feature || hasFeature(section.feature)) &&
  (section.allOf ?? []).every(can) &&
  (section.anyOf ? section.anyOf.some(can) : !section.capability || can(section.capability));
