import { bootstrap } from '../access/bootstrap.js';
import { systemClock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { openDatabase } from '../core/db/open.js';
import { createLogger } from '../core/logger.js';
import { loadKeyring } from '../vault/keyring.js';
import { buildApp, version } from './app.js';
import { refreshDueCredentials } from '../oauth/refresh/due.js';
import { startMaintenance } from './maintenance.js';
import { createDispatcher } from '../webhooks/dispatch/dispatcher.js';
import { dispatcherOptions } from '../webhooks/dispatch/options.js';

export type RunningServer = { url: string; stop(reason?: string): Promise<void> };

/**
 * `switchyard serve`: open the database, apply migrations, check the master key, bootstrap on first start,
 * listen, and shut down gracefully on SIGTERM/SIGINT (stop accepting, let in-flight requests finish, close the
 * database and release the data directory).
 */
export async function serve(config: Config, options: { installSignalHandlers?: boolean } = {}): Promise<RunningServer> {
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, (error) => log.error({ err: error }, 'database connection error'));
  let stopping: Promise<void> | undefined;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied database migrations');
    const keyring = loadKeyring({
      masterKey: config.masterKey,
      dataDir: config.dataDir,
      onGenerated: (file) =>
        log.warn(
          { file },
          'SWITCHYARD_MASTER_KEY is not set: generated a master key next to the data it protects. ' +
            'Back it up and move it to SWITCHYARD_MASTER_KEY (or a secret store) for production.',
        ),
    });
    const built = await buildApp({ config, db, log, keyring });
    await built.vault.verifyMasterKey();
    const boot = await bootstrap(db, built.vault, config.adminToken);
    if (boot.created)
      log.info({ tenant: boot.tenantId }, 'first start: created the default tenant and a superuser API key');
    await built.app.listen({ port: config.port, host: config.host });
    // Outbound webhooks: every node dispatches from the shared deliveries table.
    const dispatcher = createDispatcher(
      { db, vault: built.vault, outbound: built.connections.outbound, clock: systemClock, log },
      dispatcherOptions(config.webhooks, version),
    );
    await dispatcher.start();
    // Inbound webhooks: every node routes stored events from the shared events table.
    await built.inboundProcessor.start();
    const maintenance = startMaintenance({
      db,
      clock: systemClock,
      log,
      requestLogRetentionMs: config.requestLogRetentionMs,
      webhookRetentionMs: config.webhooks.retentionMs,
      inboundRetentionMs: config.inbound.retentionMs,
      inboundChurn: () => built.inboundProcessor.takeChurn(),
      refreshOAuthCredentials: (now) => refreshDueCredentials({ db, refresher: built.refresher, log }, now),
    });
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    log.info({ url, console: `${url}/`, database: db.kind, docs: `${url}/docs` }, 'switchyard is serving');
    if (boot.created && boot.tokenGenerated) printAdminToken(boot.token, url);

    const stop = (reason = 'stop') =>
      (stopping ??= (async () => {
        log.info({ reason }, 'shutting down: no new connections; finishing in-flight requests');
        const force = setTimeout(() => {
          log.error('shutdown timed out; exiting');
          process.exit(1);
        }, config.shutdownTimeoutMs);
        force.unref();
        built.beginShutdown();
        // Attempts in flight get half the shutdown budget; unfinished ones are sent again after their lease.
        await Promise.all([
          dispatcher.stop(config.shutdownTimeoutMs / 2),
          built.inboundProcessor.stop(config.shutdownTimeoutMs / 2),
        ]);
        await built.close();
        await maintenance.stop();
        await db.close();
        clearTimeout(force);
        log.info('shutdown complete');
        await new Promise<void>((resolve) => log.flush(() => resolve()));
      })());
    if (options.installSignalHandlers) {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
    }
    return { url, stop };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Printed once, to stdout, never through the logger: log pipelines must not collect it. */
function printAdminToken(token: string, url: string) {
  const line = '─'.repeat(72);
  process.stdout.write(
    `\n${line}\n  Superuser API token (shown once — store it now; set SWITCHYARD_ADMIN_TOKEN to choose your own):\n\n` +
      `    ${token}\n\n  Try:  curl -H "Authorization: Bearer ${token}" ${url}/v1/me\n\n` +
      `  Web console: ${url}/ — create a user to sign in with:\n` +
      `    SWITCHYARD_TOKEN=${token} npx switchyard users create --email you@example.com --role administrator\n` +
      `  (the password: pipe it in, or set SWITCHYARD_NEW_PASSWORD)\n${line}\n\n`,
  );
}
