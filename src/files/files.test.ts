import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';

let t: TestApp;
const limit = 64 * 1024;

beforeAll(async () => {
  t = await createTestApp({ config: { maxFileBytes: limit } });
});

afterAll(() => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function upload(name: string, bytes: Buffer | string, contentType = 'text/csv', folder?: string) {
  return t.request({
    method: 'POST',
    url: `/v1/files?name=${encodeURIComponent(name)}${folder ? `&folder=${encodeURIComponent(folder)}` : ''}`,
    headers: { 'content-type': contentType },
    body: bytes,
  });
}

/** Files and part files on disk under the store's directory (not counting directories). */
function filesOnDisk(sub: string): string[] {
  const root = path.join(t.config.filesDir, sub);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('the files store', () => {
  it('stores an upload by its SHA-256, serves it whole and by range, and keeps the same bytes once', async () => {
    const bytes = Buffer.from('id,name\n1,Ada\n2,Grace\n');
    const res = await upload('people.csv', bytes, 'text/csv', '/imports/2026');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.data;
    expect(file).toMatchObject({
      name: 'people.csv',
      folder: '/imports/2026',
      size: bytes.length,
      media_type: 'text/csv',
      sha256: sha256(bytes),
      source: { kind: 'upload' },
    });

    const whole = await t.request({ url: `/v1/files/${file.id as string}/content` });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload).toEqual(bytes);
    expect(whole.headers.etag).toBe(`"${sha256(bytes)}"`);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-disposition']).toContain('people.csv');

    const part = await t.request({ url: `/v1/files/${file.id as string}/content`, headers: { range: 'bytes=8-12' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('1,Ada');
    expect(part.headers['content-range']).toBe(`bytes 8-12/${bytes.length}`);
    const tail = await t.request({ url: `/v1/files/${file.id as string}/content`, headers: { range: 'bytes=-6' } });
    expect(tail.body).toBe('Grace\n');
    const outside = await t.request({
      url: `/v1/files/${file.id as string}/content`,
      headers: { range: 'bytes=999-' },
    });
    expectProblem(outside, 416, 'range_not_satisfiable');
    expect(outside.headers['content-range']).toBe(`bytes */${bytes.length}`);

    // The same bytes under another name: a second file, one blob.
    const again = await upload('copy.csv', bytes);
    expect(again.data.sha256).toBe(file.sha256);
    expect(filesOnDisk('blobs').filter((n) => n === file.sha256)).toHaveLength(1);
    // Deleting one keeps the bytes for the other; deleting both removes them.
    expect((await t.request({ method: 'DELETE', url: `/v1/files/${file.id as string}` })).statusCode).toBe(204);
    expect((await t.request({ url: `/v1/files/${again.data.id as string}/content` })).rawPayload).toEqual(bytes);
    expect((await t.request({ method: 'DELETE', url: `/v1/files/${again.data.id as string}` })).statusCode).toBe(204);
    expect(filesOnDisk('blobs')).not.toContain(file.sha256);
    expectProblem(await t.request({ url: `/v1/files/${file.id as string}` }), 404, 'not_found');
  });

  it('lists files newest first, by folder, a page at a time', async () => {
    for (const n of [1, 2, 3]) await upload(`list-${n}.csv`, `n\n${n}\n`, 'text/csv', '/listing');
    const first = await t.request({ url: '/v1/files?folder=/listing&limit=2' });
    expect((first.data.data as Json[]).map((f) => f.name)).toEqual(['list-3.csv', 'list-2.csv']);
    const next = await t.request({
      url: `/v1/files?folder=/listing&limit=2&cursor=${first.data.next_cursor as string}`,
    });
    expect((next.data.data as Json[]).map((f) => f.name)).toEqual(['list-1.csv']);
    expect(next.data.next_cursor).toBeNull();
  });

  it('refuses a file over the size limit with 413 and keeps nothing of it', async () => {
    const before = (await t.request({ url: '/v1/files?limit=200' })).data.data as Json[];
    const res = await upload('big.bin', Buffer.alloc(limit + 1, 1), 'application/octet-stream');
    expectProblem(res, 413, 'body_too_large');
    expect(res.headers.connection).toBe('close');
    expect((await t.request({ url: '/v1/files?limit=200' })).data.data).toHaveLength(before.length);
    expect(filesOnDisk('tmp')).toEqual([]);
    // A resumable upload declaring more than the limit is refused before any byte is sent.
    const declared = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'big.bin', size: 10 * 1024 ** 3 },
    });
    expectProblem(declared, 413, 'body_too_large');
  });

  it('refuses names and folders that could leave the store', async () => {
    expectProblem(await upload('../escape.csv', 'x'), 400, 'validation_failed');
    expectProblem(await upload('ok.csv', 'x', 'text/csv', '/a/../../b'), 400, 'validation_failed');
  });
});

describe('resumable uploads', () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => `${i},row ${i}\n`).join(''));

  async function append(id: string, offset: number, chunk: Buffer | string, headers: Record<string, string> = {}) {
    return t.request({
      method: 'PATCH',
      url: `/v1/files/uploads/${id}`,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...headers },
      body: chunk,
    });
  }

  it('takes the bytes in appends, tells where to resume, and makes the file with the last byte', async () => {
    const started = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'rows.csv', folder: '/big', media_type: 'text/csv', size: bytes.length },
    });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.data.id as string;
    expect(started.data).toMatchObject({ offset: 0, file_id: null, size: bytes.length });

    const first = await append(id, 0, bytes.subarray(0, 10_000));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.data).toMatchObject({ offset: 10_000, file: null });

    // A client that lost the answer resends from 0: told the offset to resume from, nothing appended twice.
    const stale = await append(id, 0, bytes.subarray(0, 10_000));
    expectProblem(stale, 409, 'upload_offset_mismatch');
    expect(stale.data.offset).toBe(10_000);
    expect((await t.request({ url: `/v1/files/uploads/${id}` })).data.offset).toBe(10_000);

    // More than the declared size is refused, and the bytes before it are not counted.
    const over = await append(id, 10_000, Buffer.concat([bytes.subarray(10_000), Buffer.from('extra')]));
    expectProblem(over, 413, 'body_too_large');
    expect((await t.request({ url: `/v1/files/uploads/${id}` })).data.offset).toBe(10_000);

    const missingOffset = await t.request({
      method: 'PATCH',
      url: `/v1/files/uploads/${id}`,
      headers: { 'content-type': 'application/offset+octet-stream' },
      body: 'x',
    });
    expectProblem(missingOffset, 400, 'validation_failed');

    const last = await append(id, 10_000, bytes.subarray(10_000));
    expect(last.statusCode, last.body).toBe(200);
    const file = last.data.file as Json;
    expect(file).toMatchObject({ name: 'rows.csv', folder: '/big', size: bytes.length, sha256: sha256(bytes) });
    expect(last.data.file_id).toBe(file.id);
    expect((await t.request({ url: `/v1/files/${file.id as string}/content` })).rawPayload).toEqual(bytes);
    expect(filesOnDisk('uploads')).not.toContain(id);

    const done = await append(id, bytes.length, 'x');
    expectProblem(done, 409, 'conflict');
  });

  it('abandons an upload with its bytes; unknown uploads are 404', async () => {
    const started = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'gone.csv', size: 100 },
    });
    const id = started.data.id as string;
    await append(id, 0, Buffer.alloc(40, 65));
    expect(filesOnDisk('uploads')).toContain(id);
    expect((await t.request({ method: 'DELETE', url: `/v1/files/uploads/${id}` })).statusCode).toBe(204);
    expect(filesOnDisk('uploads')).not.toContain(id);
    expectProblem(await append(id, 40, 'x'), 404, 'not_found');
  });

  it('sweeps uploads left unfinished past their expiry', async () => {
    const started = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'stale.csv', size: 100 },
    });
    const id = started.data.id as string;
    await append(id, 0, Buffer.alloc(10, 65));
    await t.db.query(`update file_uploads set expires_at = now() - interval '1 minute' where id = $1`, [id]);
    expect(await t.built.files.sweepUploads()).toBe(1);
    expect(filesOnDisk('uploads')).not.toContain(id);
    expectProblem(await t.request({ url: `/v1/files/uploads/${id}` }), 404, 'not_found');
  });
});

describe('files across tenants and roles', () => {
  it('keeps each tenant’s files to itself and checks view_files / manage_files', async () => {
    const mine = await upload('mine.csv', 'a\n1\n');
    const other = await t.otherTenant();
    expectProblem(
      await t.request({ url: `/v1/files/${mine.data.id as string}`, token: other.token }),
      404,
      'not_found',
    );
    const viewer = await t.keyWithRole('viewer');
    expect((await t.request({ url: '/v1/files', token: viewer.token })).statusCode).toBe(200);
    const refused = await t.request({
      method: 'POST',
      url: '/v1/files?name=x.csv',
      token: viewer.token,
      headers: { 'content-type': 'text/csv' },
      body: 'a\n',
    });
    expectProblem(refused, 403, 'forbidden');
  });
});
