#!/usr/bin/env node
import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';
import { registerApiKeyCommands } from './commands/api-keys.js';
import { registerConnectionCommands } from './commands/connections.js';
import { registerConnectorCommands } from './commands/connectors.js';
import { registerEventCommands } from './commands/events.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerRecordCommands } from './commands/records.js';
import { registerSyncCommands } from './commands/syncs.js';
import { registerSecretCommands } from './commands/secrets.js';
import { registerServerCommands } from './commands/serve.js';
import { registerTenantCommands } from './commands/tenants.js';
import { registerUserCommands } from './commands/users.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { registerInboundCommands } from './commands/inbound.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerOAuthAppCommands } from './commands/oauth-apps.js';
import { registerProxyCommand } from './commands/proxy.js';
import { registerRoleCommands } from './commands/roles.js';
import { registerConnectSessionCommands } from './commands/connect-sessions.js';
import { registerExportCommand } from './commands/records-export.js';
import { registerImportCommand } from './commands/import.js';
import { registerFilesCommands } from './commands/files.js';
import { registerRouteCommands } from './commands/provider-routes.js';
import { registerStorageCommands } from './commands/storage.js';
import { errorJson, reportError, UsageError } from './errors.js';

// Read here rather than imported from the server: API commands should not load Fastify and the database driver to start.
const version: string = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version;

/**
 * The `switchyard` command. `serve` and `migrate` own the database; every other command is a client of the HTTP
 * API (through the SDK) except `keys generate` and the offline form of `keys rotate`.
 */
// Under --json every failure is JSON, commander's own (an unknown option, a missing argument) included; set before
// the commands are added, which inherit it.
const json = process.argv.includes('--json');
const program = new Command('switchyard')
  .version(version)
  .description('Switchyard integrations platform')
  .showHelpAfterError(!json);
if (json) {
  program.configureOutput({
    outputError: (text, write) =>
      write(`${JSON.stringify(errorJson(new UsageError(text.replace(/^error: /, '').trim())))}\n`),
  });
}

registerServerCommands(program);
registerTenantCommands(program);
registerUserCommands(program);
registerApiKeyCommands(program);
registerSecretCommands(program);
registerConnectorCommands(program);
registerConnectionCommands(program);
registerWebhookCommands(program);
registerInboundCommands(program);
registerSyncCommands(program);
registerRecordCommands(program);
registerEventCommands(program);
registerKeyCommands(program);
registerOAuthAppCommands(program);
registerProxyCommand(program);
registerRoleCommands(program);
registerConnectSessionCommands(program);
registerExportCommand(program);
registerImportCommand(program);
registerFilesCommands(program);
registerAuditCommands(program);
registerRouteCommands(program);
registerStorageCommands(program);

program.parseAsync().catch((error: unknown) => {
  process.exitCode = reportError(error, undefined, { json });
});
