import { setTimeout as sleep } from 'node:timers/promises';

/** How a page read from a feed ends the read. */
export type PageEnd = {
  /** Another page is ready now: read it at once, without waiting. */
  more: boolean;
  /** Nothing more will come (a finished run's log): stop even when following. */
  finished?: boolean;
};

/**
 * Read a feed page by page, the polling behind `syncs logs --follow` and `records list --follow`: pages are read back
 * to back while `handle` says more are ready; then the read ends, or, when following, waits `intervalMs` and asks
 * again from where it stopped, until a page says the feed is finished or `signal` aborts (Ctrl-C). `read` always
 * asks from the position `handle` last moved to, so a page handled is a page printed, and an abort never drops one.
 */
export async function readPages<P>(options: {
  read: () => Promise<P>;
  handle: (page: P) => PageEnd;
  follow: boolean;
  intervalMs: number;
  signal?: AbortSignal;
}): Promise<void> {
  const { signal } = options;
  while (!signal?.aborted) {
    const end = options.handle(await options.read());
    if (end.more) continue;
    if (!options.follow || end.finished) return;
    try {
      await sleep(options.intervalMs, undefined, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }
}

/**
 * An AbortSignal that the first Ctrl-C (or SIGTERM) aborts, so a follow loop can stop and say where it got to; a
 * second one exits at once, for a request that does not answer. `release()` puts the default handling back.
 */
export function interruptSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
