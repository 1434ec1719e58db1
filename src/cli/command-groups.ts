import type { Command } from 'commander';

/**
 * The CLI's commands by the module that registers them, in the order `switchyard --help` lists them: `names` are the
 * top-level commands each adds (command-groups.test.ts checks them against what the modules register).
 */
export const commandGroups: { names: string[]; register(): Promise<(program: Command) => void> }[] = [
  { names: ['serve', 'migrate'], register: async () => (await import('./commands/serve.js')).registerServerCommands },
  { names: ['tenants'], register: async () => (await import('./commands/tenants.js')).registerTenantCommands },
  { names: ['users'], register: async () => (await import('./commands/users.js')).registerUserCommands },
  { names: ['api-keys'], register: async () => (await import('./commands/api-keys.js')).registerApiKeyCommands },
  { names: ['secrets'], register: async () => (await import('./commands/secrets.js')).registerSecretCommands },
  {
    names: ['connectors'],
    register: async () => (await import('./commands/connectors.js')).registerConnectorCommands,
  },
  {
    names: ['connections'],
    register: async () => (await import('./commands/connections.js')).registerConnectionCommands,
  },
  { names: ['webhooks'], register: async () => (await import('./commands/webhooks.js')).registerWebhookCommands },
  { names: ['inbound'], register: async () => (await import('./commands/inbound.js')).registerInboundCommands },
  { names: ['syncs'], register: async () => (await import('./commands/syncs.js')).registerSyncCommands },
  { names: ['records'], register: async () => (await import('./commands/records.js')).registerRecordCommands },
  { names: ['events'], register: async () => (await import('./commands/events.js')).registerEventCommands },
  { names: ['keys'], register: async () => (await import('./commands/keys.js')).registerKeyCommands },
  {
    names: ['oauth-apps'],
    register: async () => (await import('./commands/oauth-apps.js')).registerOAuthAppCommands,
  },
  { names: ['proxy'], register: async () => (await import('./commands/proxy.js')).registerProxyCommand },
  { names: ['roles'], register: async () => (await import('./commands/roles.js')).registerRoleCommands },
  {
    names: ['connect-sessions'],
    register: async () => (await import('./commands/connect-sessions.js')).registerConnectSessionCommands,
  },
  { names: ['export'], register: async () => (await import('./commands/records-export.js')).registerExportCommand },
  { names: ['import', 'imports'], register: async () => (await import('./commands/import.js')).registerImportCommand },
  { names: ['files'], register: async () => (await import('./commands/files.js')).registerFilesCommands },
  { names: ['audit'], register: async () => (await import('./commands/audit.js')).registerAuditCommands },
  {
    names: ['routes', 'capabilities'],
    register: async () => (await import('./commands/provider-routes.js')).registerRouteCommands,
  },
  { names: ['storage'], register: async () => (await import('./commands/storage.js')).registerStorageCommands },
];
