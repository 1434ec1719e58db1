#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../core/config.js';
import { migrate, migrationStatus } from '../core/db/migrate.js';
import { openDatabase } from '../core/db/open.js';
import { serve } from '../server/serve.js';
import { version } from '../server/app.js';

const program = new Command('switchyard').version(version).description('Switchyard integrations platform');

program
  .command('serve')
  .description('Run the API, console and workers (embedded database unless DATABASE_URL is set)')
  .action(async () => {
    await serve(loadConfig(), { installSignalHandlers: true });
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .option('--status', 'only report which migrations are applied')
  .action(async (opts: { status?: boolean }) => {
    const db = await openDatabase(loadConfig());
    try {
      if (!opts.status) {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied migrations ${applied.join(', ')}.` : 'The database is up to date.');
      }
      const status = await migrationStatus(db);
      console.log(
        `Latest applied: ${status.latestApplied} of ${status.latestKnown}; pending: ${status.pending.join(', ') || 'none'}.`,
      );
    } finally {
      await db.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`switchyard: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
