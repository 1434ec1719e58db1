import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { cliRunner } from '../../test/helpers/cli.js';

/** `switchyard files …` against a listening app. */
let t: TestApp;
let url: string;
let dir: string;
const runCli = cliRunner(() => ({ url, token: t.adminToken }));

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-files-cli-'));
});

afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function json(args: string[]): Promise<Json> {
  const res = await runCli([...args, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Json;
}

describe('switchyard files', () => {
  it('uploads with progress, versions, lists, moves, restores, links, downloads (resuming) and deletes', async () => {
    const local = path.join(dir, 'data.bin');
    const v1 = Buffer.alloc(3 * 2 ** 20, 7);
    fs.writeFileSync(local, v1);
    const up = await runCli(['files', 'upload', local, '--folder', '/cli']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/Uploading data\.bin \[█+\] 3\.0 of 3\.0 MB/);
    const id = /\((file_\w+)\)/.exec(up.stdout)?.[1] as string;
    expect(up.stdout).toContain('Uploaded /cli/data.bin');
    expect(up.stdout).toContain('version 1');

    const v2 = Buffer.concat([v1, Buffer.from('more')]);
    fs.writeFileSync(local, v2);
    expect((await json(['files', 'upload', local, '--folder', '/cli'])).version).toBe(2);
    const refused = await runCli(['files', 'upload', local, '--folder', '/cli', '--if-exists', 'fail']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a file named data\.bin/);

    const list = await runCli(['files', 'list', '--folder', '/cli']);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+/cli/data\\.bin\\s+3\\.0 MB\\s+2\\s+upload`));
    const versions = await runCli(['files', 'versions', id]);
    expect(versions.stdout).toMatch(/2 \(current\)/);

    expect((await json(['files', 'mv', id, '--folder', '/cli/moved', '--name', 'renamed.bin'])).folder).toBe(
      '/cli/moved',
    );

    // Download version 2 whole; then version 1 into a partial file, resumed with a Range.
    const out = path.join(dir, 'out.bin');
    const whole = await runCli(['files', 'download', id, '--output', out]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).toMatch(/Downloading renamed\.bin \[█+\]/);
    expect(sha256(fs.readFileSync(out))).toBe(sha256(v2));
    const partial = path.join(dir, 'partial.bin');
    fs.writeFileSync(partial, v1.subarray(0, 1000));
    const resumed = await json(['files', 'download', id, '--file-version', '1', '--output', partial]);
    expect(resumed).toMatchObject({ version: 1, resumed_from: 1000 });
    expect(sha256(fs.readFileSync(partial))).toBe(sha256(v1));
    // A partial file that is not this file's start is caught by the hash.
    const wrong = path.join(dir, 'wrong.bin');
    fs.writeFileSync(wrong, Buffer.alloc(1000, 1));
    const bad = await runCli(['files', 'download', id, '--file-version', '1', '--output', wrong]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/does not match the file's SHA-256/);

    const restored = await json(['files', 'restore', id, '1']);
    expect(restored).toMatchObject({ version: 3, sha256: sha256(v1) });

    const link = await runCli(['files', 'link', id, '--expires-in', '120']);
    expect(link.code, link.stderr).toBe(0);
    const shared = await fetch(link.stdout.trim());
    expect(shared.status).toBe(200);
    expect(sha256(Buffer.from(await shared.arrayBuffer()))).toBe(sha256(v1));

    const usage = await runCli(['files', 'usage']);
    expect(usage.stdout).toMatch(/6\.0 MB used \(no quota\), 1 files, 3 versions\./);

    expect((await runCli(['files', 'rm', id])).stdout).toContain(`Deleted ${id}.`);
    const gone = await runCli(['files', 'show', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/does not exist/);
  }, 60_000);
});
