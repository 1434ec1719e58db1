import { describe, expect, it } from 'vitest';
import { createGroupCommit, ItemFailure } from './group-commit.js';

describe('group commit', () => {
  it('writes the items of one turn together, at most `max` per write, answering each with its own result', async () => {
    const writes: number[][] = [];
    const submit = createGroupCommit<number, string>(
      async (items) => {
        writes.push([...items]);
        return items.map((n) => `r${n}`);
      },
      { max: 4 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(submit));
    expect(results).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(writes).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    // Items submitted while a group is being written form the next group.
    expect(await submit(7)).toBe('r7');
    expect(writes.at(-1)).toEqual([7]);
  });

  it('fails every item of a refused group, or with retryAlone only the item at fault', async () => {
    const write = async (items: readonly number[]) => {
      if (items.includes(13)) throw new Error('refused 13');
      return items.map((n) => n * 10);
    };
    const all = await Promise.allSettled([1, 13, 2].map(createGroupCommit(write, { max: 10 })));
    expect(all.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);

    const alone = await Promise.allSettled([1, 13, 2].map(createGroupCommit(write, { max: 10, retryAlone: true })));
    expect(alone).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('refused 13') },
      { status: 'fulfilled', value: 20 },
    ]);
  });

  it('fails an item alone when the write answers an ItemFailure for it', async () => {
    const submit = createGroupCommit<number, number>(
      async (items) => items.map((n) => (n < 0 ? new ItemFailure(new Error(`not stored: ${n}`)) : n * 2)),
      { max: 10 },
    );
    expect(await Promise.allSettled([1, -1, 2].map(submit))).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('not stored: -1') },
      { status: 'fulfilled', value: 4 },
    ]);
  });

  it('runs up to `concurrency` writes at once, each taking the items waiting when it starts', async () => {
    let inProgress = 0;
    let most = 0;
    const writes: number[][] = [];
    const submit = createGroupCommit<number, number>(
      async (items) => {
        writes.push([...items]);
        most = Math.max(most, ++inProgress);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inProgress--;
        return items;
      },
      { max: 2, concurrency: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map(submit))).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
  });
});
