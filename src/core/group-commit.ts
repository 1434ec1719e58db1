import { setImmediate as nextTurn } from 'node:timers/promises';

export type GroupCommitOptions = {
  /** Items one write takes at most. */
  max: number;
  /**
   * When a write of several items fails, write each again alone, so only the item at fault fails (for writes an
   * item can refuse, like a unique key). Otherwise every item of the group fails with the error.
   */
  retryAlone?: boolean;
};

/**
 * Group commit: items submitted while the previous group is being written are written together by one call of
 * `write`, which answers one result per item, in order; each submitter's promise settles once its group is written.
 * The first group waits one turn of the event loop, so the items arriving together share it. A busy node pays one
 * write for many items instead of one each; an idle one writes an item as soon as it comes.
 */
export function createGroupCommit<I, O>(
  write: (items: readonly I[]) => Promise<readonly O[]>,
  options: GroupCommitOptions,
): (item: I) => Promise<O> {
  type Waiting = { item: I; done(result: O): void; fail(error: unknown): void };
  const waiting: Waiting[] = [];
  let flushing: Promise<void> | undefined;

  async function writeAlone(w: Waiting): Promise<void> {
    try {
      w.done((await write([w.item]))[0] as O);
    } catch (error) {
      w.fail(error);
    }
  }

  async function flush(): Promise<void> {
    await nextTurn();
    while (waiting.length > 0) {
      const group = waiting.splice(0, options.max);
      try {
        const results = await write(group.map((w) => w.item));
        group.forEach((w, i) => w.done(results[i] as O));
      } catch (error) {
        if (options.retryAlone && group.length > 1) for (const w of group) await writeAlone(w);
        else for (const w of group) w.fail(error);
      }
    }
    flushing = undefined;
  }

  return (item) =>
    new Promise<O>((done, fail) => {
      waiting.push({ item, done, fail });
      flushing ??= flush();
    });
}
