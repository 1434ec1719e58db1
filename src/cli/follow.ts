import { setTimeout as sleep } from 'node:timers/promises';
import { followTable, printLine, type Column } from './output.js';

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

/**
 * Follow a list newest first by time (`audit list --follow`, `inbound events list --follow`): print `first` oldest
 * first, then everything written since the newest row seen, until Ctrl-C, as JSON lines or in columns that line up
 * with the header. `since` is inclusive, so rows of the newest instant come again and are skipped by id.
 */
export async function followNewest<T extends { id: string }>(options: {
  first: T[];
  since: (newest: string) => Promise<T[]>;
  timeOf: (row: T) => string;
  columns: Column<T>[];
  json?: boolean;
  intervalMs: number;
}): Promise<void> {
  const seen = new Set<string>();
  const table = followTable(options.columns);
  const newestFirst = options.first[0];
  let newest = newestFirst ? options.timeOf(newestFirst) : new Date().toISOString();
  let pending: T[] | undefined = options.first;
  const interrupt = interruptSignal();
  try {
    await readPages({
      read: async () => pending ?? (await options.since(newest)),
      handle: (rows) => {
        pending = undefined;
        const fresh = rows.filter((r) => !seen.has(r.id)).reverse();
        for (const r of fresh) seen.add(r.id);
        if (options.json) for (const r of fresh) printLine(JSON.stringify(r));
        else table.print(fresh);
        const last = fresh.at(-1);
        if (last) newest = options.timeOf(last);
        return { more: false };
      },
      follow: true,
      intervalMs: options.intervalMs,
      signal: interrupt.signal,
    });
  } finally {
    interrupt.release();
  }
}
