import { bootstrap } from '../access/bootstrap.js';
import { DEFAULT_PASSWORD_HASH_COST, setPasswordHashCost } from '../access/users/password.js';
import { systemClock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { openDatabase } from '../core/db/open.js';
import { limitHeapGrowth } from '../core/heap.js';
import { createLogger } from '../core/logger.js';
import { loadKeyring } from '../vault/keyring.js';
import { buildApp, type App } from './app.js';
import { refreshDueCredentials } from '../oauth/refresh/due.js';
import { startMaintenance } from './maintenance.js';

export type RunningServer = { url: string; stop(reason?: string): Promise<void> };

/**
 * The settings a serve process applies to itself before it starts (not `serve()`: a process that embeds a server,
 * such as a test, keeps its own): how far the heap grows between collections, and the cost of new password hashes.
 */
export function configureProcess(config: Config): void {
  limitHeapGrowth(config.heapGrowthPercent);
  setPasswordHashCost(config.passwordHashCost);
}

/**
 * `switchyard serve`: open the database, apply migrations, check the master key, bootstrap on first start,
 * listen, and shut down gracefully on SIGTERM/SIGINT (stop accepting, let in-flight requests finish, close the
 * database and release the data directory).
 */
export async function serve(config: Config, options: { installSignalHandlers?: boolean } = {}): Promise<RunningServer> {
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, {
    onError: (error) => log.error({ err: error }, 'database connection error'),
    onMessage: (line) => log.warn({ database: 'embedded' }, line),
    // Nothing can be stored any more: exit, so that a supervisor restarts us (the next start recovers).
    onServerLost: (how) => {
      log.fatal({ how }, 'the embedded PostgreSQL server stopped unexpectedly; exiting');
      log.flush(() => process.exit(1));
    },
  });
  let stopping: Promise<void> | undefined;
  let built: App | undefined;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied database migrations');
    if (config.passwordHashCost < DEFAULT_PASSWORD_HASH_COST) {
      log.warn(
        { cost: config.passwordHashCost },
        `SWITCHYARD_PASSWORD_HASH_COST is below OWASP's baseline (${DEFAULT_PASSWORD_HASH_COST}): ` +
          'new passwords are cheaper to guess from a stolen database. Use it only where passwords protect nothing.',
      );
    }
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
    const app = await buildApp({ config, db, log, keyring });
    built = app;
    await app.vault.verifyMasterKey();
    const boot = await bootstrap(db, app.vault, config.adminToken);
    if (boot.created)
      log.info({ tenant: boot.tenantId }, 'first start: created the default tenant and a superuser API key');
    // Every node dispatches outbound webhooks and routes inbound events from the shared tables. Started before the
    // node listens: on an embedded database a worker's start takes back every lease (src/core/worker.ts), which must
    // come before a synchronous inbound request claims its own event.
    await app.workers.start();
    await app.app.listen({ port: config.port, host: config.host });
    const maintenance = startMaintenance({
      db,
      clock: systemClock,
      log,
      requestLogRetentionMs: config.requestLogRetentionMs,
      webhookRetentionMs: config.webhooks.retentionMs,
      inboundRetentionMs: config.inbound.retentionMs,
      refreshOAuthCredentials: (now) => refreshDueCredentials({ db, refresher: app.refresher, log }, now),
      sweepUploads: () => app.files.sweepUploads(),
    });
    const address = app.app.server.address();
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
        app.beginShutdown();
        // Attempts in flight get half the shutdown budget; unfinished ones are sent again after their lease.
        await app.workers.stop(config.shutdownTimeoutMs / 2);
        await app.close();
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
    await built?.workers.stop(0).catch(() => {});
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
      `  Web console: ${url}/ — create your first user to sign in with (a superuser: it also manages the\n` +
      `  connector registry); the command asks for the password:\n\n` +
      `    read -rsp 'Password: ' pw && printf '%s' "$pw" | SWITCHYARD_URL=${url} SWITCHYARD_TOKEN=${token} \\\n` +
      `      npx switchyard users create --email you@example.com --role administrator --superuser\n${line}\n\n`,
  );
}
