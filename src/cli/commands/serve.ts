import type { Command } from 'commander';

/** `switchyard serve` and `switchyard migrate`: the two commands that own the database instead of calling the API. */
export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the API, console and workers (embedded database unless DATABASE_URL is set)')
    .action(async () => {
      // Loaded on demand, like every database-owning module and the configuration's schema, so API commands start
      // quickly.
      const { configureProcess, serve } = await import('../../server/serve.js');
      const { loadConfig } = await import('../../core/config.js');
      const config = loadConfig();
      configureProcess(config);
      await serve(config, { installSignalHandlers: true });
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .option('--status', 'only report which migrations are applied')
    .action(async (opts: { status?: boolean }) => {
      const { migrate, migrationStatus } = await import('../../core/db/migrate.js');
      const { openDatabase } = await import('../../core/db/open.js');
      const { loadConfig } = await import('../../core/config.js');
      const db = await openDatabase(loadConfig(), { onMessage: (line) => console.error(line) });
      try {
        if (!opts.status) {
          const applied = await migrate(db);
          console.log(applied.length ? `Applied migrations ${applied.join(', ')}.` : 'The database is up to date.');
        }
        const status = await migrationStatus(db);
        console.log(
          `Latest applied: ${status.latestApplied} of ${status.latestKnown}; pending: ${status.pending.join(', ') || 'none'}.`,
        );
        if (status.edited.length > 0) {
          console.error(`Edited after they were applied: ${status.edited.join(', ')}.`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
}
