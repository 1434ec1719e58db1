import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageHash } from '../src/storage/hashes.js';
import { connectVendor } from './fakes/connect.js';
import { startGraphFake, type GraphFake } from './fakes/storage-graph.js';
import { bytesOfSize, openFakeStorage } from './fakes/storage-open.js';
import type { Json, TestApp } from './helpers/app.js';
import { startS3rver, type S3rverProcess } from './helpers/s3rver-process.js';
import { until } from './helpers/syncs.js';
import { startThrottleGate, type ThrottleGate } from './helpers/throttle-gate.js';

/*
 * Exports from the files store to cloud storage, in a running app with its storage worker running as in production:
 * to Amazon S3 (a real s3rver) and to OneDrive (the Graph adapter against test/fakes/storage-graph.ts). What lands
 * at the vendor is compared byte for byte with what was uploaded, and each file's verification is recorded: the
 * vendor's hash of what it stored against the hash of what was sent.
 */

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const quickXor = (data: Buffer) => {
  const hash = createStorageHash('quickxor');
  hash.update(data);
  return hash.digest();
};

async function uploadFile(t: TestApp, name: string, data: Buffer, folder = '/reports') {
  const res = await t.request({
    method: 'POST',
    url: `/v1/files?name=${encodeURIComponent(name)}&folder=${encodeURIComponent(folder)}`,
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

async function exportFiles(t: TestApp, body: Record<string, unknown>, token?: string) {
  return t.request({ method: 'POST', url: '/v1/storage/exports', body, ...(token ? { token } : {}) });
}

async function finished(t: TestApp, id: string) {
  const done = await until(
    async () => (await t.request({ url: `/v1/storage/exports/${id}` })).data,
    (d) => d.finished_at !== null && d.finished_at !== undefined,
    `export ${id} to end`,
  );
  const files = (await t.request({ url: `/v1/storage/exports/${id}/files?limit=1000` })).data.data as Json[];
  return { transfer: done as Json, files: new Map(files.map((f) => [f.name as string, f])) };
}

describe('exports to Amazon S3 (s3rver)', () => {
  let s3rver: S3rverProcess;
  let gate: ThrottleGate;
  let t: TestApp;
  let connectionId: string;
  beforeAll(async () => {
    s3rver = await startS3rver(['exports']);
    // A pass-through that can slow an upload down.
    gate = await startThrottleGate(s3rver.url);
    const conn = await connectVendor('amazon_s3', gate.url, {
      auth_method: 'aws_sigv4',
      credentials: { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
      config: { endpoint: gate.url, region: 'us-east-1' },
    });
    t = conn.t;
    connectionId = conn.connectionId;
    await t.built.storageTransfers.start();
  }, 60_000);
  afterAll(async () => {
    await t?.built.storageTransfers.stop(1000);
    await t?.close();
    await gate?.close();
    await s3rver?.close();
  });

  it('writes the files as objects under the prefix, byte for byte, each verified by the ETag’s MD5', async () => {
    const small = Buffer.from('region,total\nnorth,10\n');
    const large = bytesOfSize(5 * 1024 * 1024 + 3, 11);
    const ids = [await uploadFile(t, 'q1.csv', small), await uploadFile(t, 'scan.bin', large)];
    const res = await exportFiles(t, {
      connection_id: connectionId,
      root: 'exports',
      folder: '/out/2026',
      file_ids: ids,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ direction: 'export', remote_folder: '/out/2026', state: 'pending' });
    const { transfer, files } = await finished(t, res.data.id as string);
    expect(transfer).toMatchObject({ state: 'succeeded', counts: { files: 2, stored: 2, failed: 0 } });
    expect(files.get('q1.csv')).toMatchObject({
      state: 'stored',
      size: small.length,
      bytes_done: small.length,
      verification: { by: 'md5', listed: md5(small), received: md5(small) },
    });
    expect(files.get('scan.bin')).toMatchObject({
      state: 'stored',
      bytes_done: large.length,
      verification: { by: 'md5', listed: md5(large), received: md5(large) },
    });

    const client = new S3Client({
      endpoint: s3rver.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: s3rver.credentials,
    });
    try {
      for (const [key, data] of [
        ['out/2026/q1.csv', small],
        ['out/2026/scan.bin', large],
      ] as const) {
        const object = await client.send(new GetObjectCommand({ Bucket: 'exports', Key: key }));
        const stored = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        expect(stored.equals(data), key).toBe(true);
      }
    } finally {
      client.destroy();
    }
  });

  it('holds its lease through a long upload, showing its progress', async () => {
    const data = bytesOfSize(24 * 1024 * 1024, 13);
    const id = await uploadFile(t, 'slow.bin', data);
    // 3 MiB a second: past what the sockets buffer, the upload takes several checkpoints' time.
    gate.pace(3 * 1024 * 1024);
    try {
      const res = await exportFiles(t, {
        connection_id: connectionId,
        root: 'exports',
        folder: '/slow',
        file_ids: [id],
      });
      expect(res.statusCode, res.body).toBe(201);
      // State, bytes and lease from one read of the row: two reads could straddle a checkpoint.
      const item = async () => {
        const { rows } = await t.db.query<{ state: string; bytes_done: string; lease_until: Date | null }>(
          `select i.state, i.bytes_done, i.lease_until from storage_transfer_items i
            where i.transfer_id = $1 and i.file_id = $2`,
          [res.data.id, id],
        );
        return {
          state: rows[0]?.state,
          bytes_done: Number(rows[0]?.bytes_done),
          lease_until: rows[0]?.lease_until?.getTime(),
        };
      };
      // Mid-upload, a checkpoint records the bytes sent and moves the lease on; a later one moves it again.
      const first = await until(item, (f) => f.bytes_done > 0, 'a checkpoint of the upload');
      expect(first.state).toBe('running');
      expect(first.bytes_done).toBeLessThan(data.length);
      // The API shows that progress (read after the row, so at least as far).
      const listed = (await t.request({ url: `/v1/storage/exports/${res.data.id as string}/files` })).data.data;
      expect(Number((listed as Json[])[0]?.bytes_done)).toBeGreaterThanOrEqual(first.bytes_done);
      const later = await until(
        item,
        (f) => f.state !== 'running' || (f.lease_until ?? 0) > (first.lease_until ?? 0),
        'the next checkpoint',
      );
      expect(later.state).toBe('running');
      expect(later.bytes_done).toBeGreaterThan(first.bytes_done);
      const { files } = await finished(t, res.data.id as string);
      expect(files.get('slow.bin')).toMatchObject({
        state: 'stored',
        bytes_done: data.length,
        verification: { by: 'md5', listed: md5(data) },
      });
    } finally {
      gate.pace(undefined);
    }
  });

  it('refuses an unknown file id (404) and a viewer (403), creating nothing', async () => {
    const id = await uploadFile(t, 'kept.txt', Buffer.from('kept'));
    const before = (await t.request({ url: '/v1/storage/exports' })).data.data as Json[];
    const unknown = await exportFiles(t, { connection_id: connectionId, root: 'exports', file_ids: [id, 'file_nope'] });
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.data).toMatchObject({ code: 'not_found' });
    expect(String(unknown.data.detail)).toContain('file_nope');
    const viewer = await t.keyWithRole('viewer');
    const refused = await exportFiles(
      t,
      { connection_id: connectionId, root: 'exports', file_ids: [id] },
      viewer.token,
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect((await t.request({ url: '/v1/storage/exports' })).data.data).toHaveLength(before.length);
  });
});

describe('exports to OneDrive (Graph fake)', () => {
  let fake: GraphFake;
  let conn: Awaited<ReturnType<typeof openFakeStorage>>;
  beforeAll(async () => {
    fake = await startGraphFake();
    conn = await openFakeStorage('onedrive', fake.url);
    await conn.t.built.storageTransfers.start();
  }, 60_000);
  afterAll(async () => {
    await conn?.t.built.storageTransfers.stop(1000);
    await conn?.close();
    await fake?.close();
  });

  it('uploads small files with one PUT and larger ones in a session, byte for byte, verified by QuickXorHash', async () => {
    const { t } = conn;
    const note = Buffer.from('plain text');
    const video = bytesOfSize(6 * 1024 * 1024 + 7, 5);
    const ids = [await uploadFile(t, 'note.txt', note), await uploadFile(t, 'video.bin', video)];
    const res = await exportFiles(t, {
      connection_id: conn.connectionId,
      root: fake.me.id,
      folder: '/Shared out',
      file_ids: ids,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { transfer, files } = await finished(t, res.data.id as string);
    expect(transfer).toMatchObject({ state: 'succeeded', counts: { files: 2, stored: 2, failed: 0 } });
    for (const [name, data] of [
      ['note.txt', note],
      ['video.bin', video],
    ] as const) {
      const at = fake.me.tree.at(`/Shared out/${name}`);
      expect(at?.data.equals(data), name).toBe(true);
      const file = files.get(name);
      expect(file).toMatchObject({
        state: 'stored',
        bytes_done: data.length,
        verification: { by: 'quickxor', listed: quickXor(data), received: quickXor(data) },
      });
    }
    expect(fake.callsTo(/^PUT \/upload-session\//)).toBeGreaterThanOrEqual(2);
  });
});
