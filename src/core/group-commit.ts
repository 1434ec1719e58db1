import { setImmediate as nextTurn } from 'node:timers/promises';

export type GroupCommitOptions = {
  /** Items one write takes at most. */
  max: number;
  /**
   * Writes in progress at once (default 1); the server takes a few groups in parallel over the pool.
   */
  concurrency?: number;
  /**
   * When a write of several items fails, write each again alone, so only the item at fault fails (for writes an
   * item can refuse, like a unique key). Otherwise every item of the group fails with the error.
   */
  retryAlone?: boolean;
};

/** What `write` answers for an item that failed alone while the rest of its group was written. */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Group commit: items submitted while the previous group is being written are written together by one call of
 * `write`, which answers one result per item, in order (an `ItemFailure` fails that item alone); each submitter's
 * promise settles once its group is written. The first group waits one turn of the event loop, so the items arriving
 * together share it (without the turn, the first item of a burst would be written alone, and so could every one
 * after it). A busy node pays one write for many items instead of one each;
 * an idle one writes an item as soon as it comes.
 */
export function createGroupCommit<I, O>(
  write: (items: readonly I[]) => Promise<readonly (O | ItemFailure)[]>,
  options: GroupCommitOptions,
): (item: I) => Promise<O> {
  type Waiting = { item: I; done(result: O): void; fail(error: unknown): void };
  const waiting: Waiting[] = [];
  const concurrency = options.concurrency ?? 1;
  let writers = 0;

  const settle = (w: Waiting, result: O | ItemFailure | undefined) =>
    result instanceof ItemFailure ? w.fail(result.error) : w.done(result as O);

  async function writeAlone(w: Waiting): Promise<void> {
    try {
      settle(w, (await write([w.item]))[0]);
    } catch (error) {
      w.fail(error);
    }
  }

  async function flush(): Promise<void> {
    writers++;
    try {
      await nextTurn();
      while (waiting.length > 0) {
        const group = waiting.splice(0, options.max);
        try {
          const results = await write(group.map((w) => w.item));
          group.forEach((w, i) => settle(w, results[i]));
        } catch (error) {
          if (options.retryAlone && group.length > 1) for (const w of group) await writeAlone(w);
          else for (const w of group) w.fail(error);
        }
      }
    } finally {
      writers--;
    }
  }

  return (item) =>
    new Promise<O>((done, fail) => {
      waiting.push({ item, done, fail });
      if (writers < concurrency) void flush();
    });
}
