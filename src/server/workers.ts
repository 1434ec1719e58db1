import type { Config } from '../core/config.js';
import type { Endpoints } from '../sync/run/execute.js';
import { createSyncRunner, type SyncRunner } from '../sync/run/runner.js';
import { createScheduler } from '../sync/schedule/scheduler.js';
import type { WorkerSettings } from '../core/worker.js';
import {
  createDispatcher,
  dispatcherDefaults,
  type DispatcherDeps,
  type DispatcherOptions,
} from '../webhooks/dispatch/dispatcher.js';
import {
  createInboundProcessor,
  type InboundProcessor,
  type ProcessorDeps,
  type ProcessorOptions,
} from '../webhooks/inbound/process/processor.js';

/** Every worker looks for due work at least this often, and for leases that ended with their node this often. */
const pacing = { pollMs: 1000, recoverEveryMs: 5000 } satisfies Partial<WorkerSettings>;

/** The outbound dispatcher's settings from configuration; the rest are the defaults in dispatcher.ts. */
export function dispatcherOptions(config: Config, version: string): DispatcherOptions {
  const { webhooks } = config;
  return {
    ...pacing,
    ...dispatcherDefaults,
    concurrency: webhooks.concurrency,
    timeoutMs: webhooks.timeoutMs,
    retryDelaysMs: webhooks.retryDelaysMs,
    retryJitter: webhooks.retryJitter,
    endpointConcurrency: webhooks.endpointConcurrency,
    disableAfterMs: webhooks.disableAfterMs,
    userAgent: `Switchyard-Webhooks/${version}`,
  };
}

/** The inbound processor's settings from configuration. */
export function inboundProcessorOptions(config: Config, version: string): ProcessorOptions {
  return {
    ...pacing,
    concurrency: config.inbound.concurrency,
    // Twice the longest timeout a forward action may set (30 s).
    leaseMs: 60_000,
    userAgent: `Switchyard-Inbound/${version}`,
  };
}

/** The routing queue worker's pacing: queued requests are served at their window's reset (a timer wakes it). */
export const routeQueueSettings: WorkerSettings = { ...pacing, concurrency: 8 };

/** The storage worker's settings: files imported or exported at once on a node, and a file's lease. */
export function storageTransferSettings(config: Config): WorkerSettings & { leaseMs: number } {
  return { ...pacing, concurrency: config.storage.concurrency, leaseMs: config.storage.leaseMs };
}

export type WorkerDeps = DispatcherDeps &
  ProcessorDeps & {
    syncEndpoints: Endpoints;
    /** The routing queue (src/routing/queue.ts): requests held until a provider's rate-limit window resets. */
    routeQueue: { start(): Promise<void>; stop(graceMs?: number): Promise<void> };
    /** Cloud storage imports and exports (src/storage/transfers.ts). */
    storageTransfers: { start(): Promise<void>; stop(graceMs?: number): Promise<void> };
  };

export type Workers = {
  dispatcher: ReturnType<typeof createDispatcher>;
  inboundProcessor: InboundProcessor;
  syncRunner: SyncRunner;
  scheduler: ReturnType<typeof createScheduler>;
  /** Start every worker; before the node takes requests (on an embedded database a start takes back every lease). */
  start(): Promise<void>;
  /** Stop claiming everywhere, then give running jobs up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * The background workers every node runs over the shared tables (each a core/worker.ts loop), built from
 * configuration here and only here: the outbound webhook dispatcher, the inbound event processor, the sync runner and
 * the sync scheduler, the routing queue and the storage transfers.
 */
export function createWorkers(deps: WorkerDeps, config: Config, version: string): Workers {
  const dispatcher = createDispatcher(deps, dispatcherOptions(config, version));
  const inboundProcessor = createInboundProcessor(deps, inboundProcessorOptions(config, version));
  const syncRunner = createSyncRunner(
    { ...deps, endpoints: deps.syncEndpoints },
    {
      ...pacing,
      concurrency: config.sync.concurrency,
      leaseMs: config.sync.leaseMs,
      maxAttempts: config.sync.maxAttempts,
    },
  );
  const scheduler = createScheduler(deps, { ...pacing, concurrency: 50 });
  return {
    dispatcher,
    inboundProcessor,
    syncRunner,
    scheduler,
    async start() {
      await dispatcher.start();
      await inboundProcessor.start();
      await syncRunner.start();
      await scheduler.start();
      await deps.routeQueue.start();
      await deps.storageTransfers.start();
    },
    async stop(graceMs) {
      await Promise.all([
        dispatcher.stop(graceMs),
        inboundProcessor.stop(graceMs),
        syncRunner.stop(graceMs),
        scheduler.stop(graceMs),
        deps.routeQueue.stop(graceMs),
        deps.storageTransfers.stop(graceMs),
      ]);
    },
  };
}
