import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';
import { startS3rver, type S3rverProcess } from '../../test/helpers/s3rver-process.js';

/** The files store with its bytes in an S3-compatible bucket: a real s3rver on loopback. */
let s3: S3rverProcess;
let t: TestApp;
let client: S3Client;
const prefix = 'switchyard/';

beforeAll(async () => {
  s3 = await startS3rver(['files']);
  t = await createTestApp({
    config: {
      filesS3: {
        bucket: 'files',
        endpoint: s3.url,
        region: 'us-east-1',
        prefix,
        forcePathStyle: true,
        credentials: s3.credentials,
      },
    },
  });
  client = new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3.credentials,
  });
});

afterAll(async () => {
  client?.destroy();
  await t?.close();
  await s3?.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function keys(): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: 'files', Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key as string).sort();
}

const upload = (name: string, bytes: Buffer) =>
  t.request({
    method: 'POST',
    url: `/v1/files?name=${name}`,
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });

describe('the S3 blob backend', () => {
  it('uploads in parts, reads ranges, keeps the same bytes once, and deletes the object with its last file', async () => {
    // Larger than one multipart part (10 MiB), so lib-storage sends several.
    const big = Buffer.alloc(12 * 2 ** 20 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const first = await upload('big.bin', big);
    expect(first.statusCode, first.body).toBe(201);
    const id = first.data.id as string;
    const key = `${prefix}blobs/${t.tenantId}/${sha256(big).slice(0, 2)}/${sha256(big)}`;
    expect(await keys()).toEqual([key]);

    const whole = await t.request({ url: `/v1/files/${id}/content` });
    expect(whole.rawPayload.equals(big)).toBe(true);
    const range = await t.request({ url: `/v1/files/${id}/content`, headers: { range: 'bytes=8192-8199' } });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload).toEqual(big.subarray(8192, 8200));
    expect(range.headers['content-range']).toBe(`bytes 8192-8199/${big.length}`);

    // The same bytes again: a second file, one object.
    const copy = await upload('copy.bin', big);
    expect(copy.data.sha256).toBe(sha256(big));
    expect(await keys()).toEqual([key]);

    // Opened in place (SQLite): a local copy by SHA-256, checked against it.
    const local = await t.built.files.storedPath(t.tenantId, id);
    expect(local?.startsWith(t.config.filesDir)).toBe(true);
    expect(sha256(fs.readFileSync(local as string))).toBe(sha256(big));

    expect((await t.request({ method: 'DELETE', url: `/v1/files/${id}` })).statusCode).toBe(204);
    expect(await keys()).toEqual([key]);
    expect((await t.request({ method: 'DELETE', url: `/v1/files/${copy.data.id as string}` })).statusCode).toBe(204);
    expect(await keys()).toEqual([]);
    expect(fs.existsSync(local as string)).toBe(false);
    expectProblem(await t.request({ url: `/v1/files/${id}/content` }), 404, 'not_found');
  });

  it('keeps versions as objects, a resumable upload too, and temporary files stay local', async () => {
    const v1 = Buffer.from('version one');
    const v2 = Buffer.from('version two');
    const made = await upload('doc.txt', v1);
    const started = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'doc.txt', size: v2.length },
    });
    const done = await t.request({
      method: 'PATCH',
      url: `/v1/files/uploads/${started.data.id as string}`,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: v2,
    });
    expect(done.data.file).toMatchObject({ id: made.data.id, version: 2 });
    expect((await keys()).length).toBe(2);
    expect((await t.request({ url: `/v1/files/${made.data.id as string}/versions/1/content` })).rawPayload).toEqual(v1);
    expect((await t.request({ url: `/v1/files/${made.data.id as string}/content` })).rawPayload).toEqual(v2);
    expect(fs.readdirSync(`${t.config.filesDir}/tmp`)).toEqual([]);
    expect(fs.existsSync(`${t.config.filesDir}/blobs`)).toBe(false);
  });
});
