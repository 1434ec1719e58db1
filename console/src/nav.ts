/**
 * The console's sections and what each needs. A tab the signed-in role cannot use is not shown; a direct URL to it
 * shows "Access denied" naming the missing capability.
 */
export type Section = {
  path: string;
  label: string;
  capability: string;
  /** Used in "Your role cannot …". */
  what: string;
  superuser?: boolean;
};

export const sections: Section[] = [
  { path: '/', label: 'Overview', capability: '', what: '' },
  { path: '/connections', label: 'Connections', capability: 'list_connections', what: 'list connections' },
  {
    path: '/webhooks/inbound',
    label: 'Inbound webhooks',
    capability: 'view_inbound',
    what: 'view inbound webhook sources and events',
  },
  {
    path: '/webhooks/outbound',
    label: 'Outbound webhooks',
    capability: 'view_webhooks',
    what: 'view outbound webhook endpoints and deliveries',
  },
  {
    path: '/registry',
    label: 'Connector registry',
    capability: 'manage_registry',
    what: 'edit the connector registry (superusers only)',
    superuser: true,
  },
  { path: '/api-keys', label: 'API keys', capability: 'view_api_keys', what: 'view API keys' },
  { path: '/secrets', label: 'Secrets', capability: 'view_secrets', what: 'view secrets' },
  { path: '/activity', label: 'Activity log', capability: 'view_audit', what: 'read the activity log' },
];
