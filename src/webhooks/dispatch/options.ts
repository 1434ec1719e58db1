import type { Config } from '../../core/config.js';
import { dispatcherDefaults, type DispatcherOptions } from './dispatcher.js';

/** The dispatcher's settings from configuration; the rest are the defaults in dispatcher.ts. */
export function dispatcherOptions(webhooks: Config['webhooks'], version: string): DispatcherOptions {
  return {
    ...dispatcherDefaults,
    timeoutMs: webhooks.timeoutMs,
    retryDelaysMs: webhooks.retryDelaysMs,
    retryJitter: webhooks.retryJitter,
    concurrency: webhooks.concurrency,
    endpointConcurrency: webhooks.endpointConcurrency,
    disableAfterMs: webhooks.disableAfterMs,
    userAgent: `Switchyard-Webhooks/${version}`,
  };
}
