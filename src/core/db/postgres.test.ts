import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { channels } from './channels.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.drop();
});

describe('notifications', () => {
  it("reach this node's listeners when the transaction that sent them commits, and not if it rolls back", async () => {
    const heard: string[] = [];
    const off = await t.db.listen(channels.authInvalidate, (payload) => heard.push(payload));
    await t.db.transaction((tx) => t.db.notify(tx, channels.authInvalidate, 'committed'));
    // At once: no round trip through the server is awaited. (The server's copy may
    // already have come too on a fast machine, so this asks only for the local one.)
    expect(heard).toContain('committed');
    await expect(
      t.db.transaction(async (tx) => {
        await t.db.notify(tx, channels.authInvalidate, 'rolled back');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await t.db.notify(t.db, channels.authInvalidate, 'alone');
    expect(heard).toContain('alone');
    // The server's copies follow (listeners are idempotent); the rolled-back one never comes.
    await expect.poll(() => heard.filter((p) => p === 'committed').length).toBe(2);
    await expect.poll(() => heard.filter((p) => p === 'alone').length).toBe(2);
    expect(heard).not.toContain('rolled back');
    await off();
  });
});
