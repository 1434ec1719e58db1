import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blobKey, createLocalBlobs } from './blobs.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('local blobs', () => {
  it('makes a new blob durable by name: its directory is flushed, and every directory made for it in its parent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-blobs-'));
    dirs.push(dir);
    const from = path.join(dir, 'upload.part');
    fs.writeFileSync(from, 'hello');
    const sha = 'ab'.padEnd(64, '0');
    const blobs = createLocalBlobs(path.join(dir, 'store'));
    fs.mkdirSync(path.join(dir, 'store'));

    const flushed: string[] = [];
    const open = fs.promises.open;
    vi.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      if (flags === 'r' && fs.statSync(file).isDirectory()) {
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          await sync();
          flushed.push(path.relative(dir, String(file)) || '.');
        };
      }
      return handle;
    });

    await blobs.put('t1', sha, from, 5);
    // store/blobs/t1/ab was made: each new directory's entry (in store, blobs, t1), then the blob's in ab.
    expect(flushed).toEqual(['store/blobs/t1', 'store/blobs', 'store', 'store/blobs/t1/ab']);
    expect(fs.readFileSync(path.join(dir, 'store', ...blobKey('t1', sha).split('/')), 'utf8')).toBe('hello');

    // The next blob in the same directory: its own entry only. The same bytes again: nothing to do.
    flushed.length = 0;
    const sha2 = 'ab'.padEnd(64, '1');
    await blobs.put('t1', sha2, from, 5);
    await blobs.put('t1', sha2, from, 5);
    expect(flushed).toEqual(['store/blobs/t1/ab']);
  });
});
