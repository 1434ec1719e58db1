import type { Logger } from 'pino';

export type BufferedLogOptions = {
  /** What the entries are, for the error line when a write fails ("the connection request log"). */
  what: string;
  /** Entries one write takes at most (default 500). */
  batch?: number;
  /** The longest an entry waits for its write (default 200 ms). */
  flushMs?: number;
};

/**
 * A log kept off the request path: entries are buffered and written by `write` in batches, every `flushMs` or
 * `batch` entries, one write at a time. A request never waits for its own log row; a crash loses at most the last
 * fraction of a second of log. For logs that are records of what happened (request logs, call logs), never for state.
 */
export function createBufferedLog<E>(
  deps: { log: Logger },
  write: (entries: E[]) => Promise<void>,
  options: BufferedLogOptions,
) {
  const batch = options.batch ?? 500;
  const flushMs = options.flushMs ?? 200;
  let buffer: E[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return flushing;
    const entries = buffer;
    buffer = [];
    flushing = flushing.then(() =>
      write(entries).catch((error: unknown) =>
        deps.log.error({ err: error, entries: entries.length }, `could not write ${options.what}`),
      ),
    );
    return flushing;
  };

  return {
    record(entry: E): void {
      buffer.push(entry);
      if (buffer.length >= batch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    /** Write what is buffered now; resolves once every entry recorded so far is written (or failed). */
    flush,
  };
}

export type BufferedLog<E> = ReturnType<typeof createBufferedLog<E>>;
