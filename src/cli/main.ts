#!/usr/bin/env node
import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';
import { commandGroups } from './command-groups.js';
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

// Only the group the command line names is loaded (a CLI process is started for every command, often from
// scripts): help, a bare `switchyard` and a name no group has load them all, for the full list and suggestions.
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const group = commandGroups.find((g) => named !== undefined && g.names.includes(named));
for (const register of await Promise.all((group ? [group] : commandGroups).map((g) => g.register()))) register(program);

program.parseAsync().catch((error: unknown) => {
  process.exitCode = reportError(error, undefined, { json });
});
