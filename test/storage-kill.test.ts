import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { generateMasterKey } from '../src/vault/keyring.js';
import { startS3rver } from './helpers/s3rver-process.js';
import { createServeDatabase, serveApi, startServeProcess, type ServeProcess } from './helpers/serve-process.js';
import { until } from './helpers/syncs.js';
import { startThrottleGate } from './helpers/throttle-gate.js';

/*
 * An import killed with SIGKILL mid-download resumes where its last checkpoint left it: one `switchyard serve` on
 * its own embedded database, importing a 64 MiB object from a real S3 server (s3rver) through a pass-through that
 * sends the object at a limited rate, so the download is mid-file when the process dies. Started again on the same
 * data directory, the process recovers the import's leased file at start and asks for the rest with a ranged GET
 * from its checkpoint; the file is stored whole and verified, with less than one checkpoint's bytes fetched twice.
 */

const MiB = 1024 * 1024;
// The storage worker's checkpoint: every 16 MiB or 2 s (src/storage/transfers.ts).
const checkpointBytes = 16 * MiB;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file below `dir` whose name ends with `.part`. */
function partFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.part'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('a storage import under kill -9', () => {
  it('resumes the download from its checkpoint with a ranged GET after a restart; the stored file is whole', async () => {
    const s3rver = await startS3rver(['media']);
    cleanup.push(() => s3rver.close());
    // 4 MiB a second: the first checkpoint (2 s) comes well before the end of the 64 MiB object.
    const gate = await startThrottleGate(s3rver.url, { pace: 4 * MiB });
    cleanup.push(() => gate.close());
    const object = randomBytes(64 * MiB);
    const client = new S3Client({
      endpoint: s3rver.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: s3rver.credentials,
    });
    await client.send(new PutObjectCommand({ Bucket: 'media', Key: 'video/big.bin', Body: object }));
    client.destroy();

    const database = await createServeDatabase('embedded');
    cleanup.push(() => database.remove());
    const token = randomToken('syk_');
    const env = {
      ...database.env,
      SWITCHYARD_MASTER_KEY: generateMasterKey(),
      SWITCHYARD_ADMIN_TOKEN: token,
      SWITCHYARD_LOG_LEVEL: 'warn',
      SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    };
    const start = async () => {
      const node = await startServeProcess(env);
      cleanup.push(() => node.stop('SIGKILL'));
      await node.waitHealthy();
      return node;
    };
    let node: ServeProcess = await start();
    const api = (method: string, url: string, body?: unknown) => serveApi(node, token, method, url, body);

    const connection = await api('POST', '/v1/connections', {
      connector: 'amazon_s3',
      auth_method: 'aws_sigv4',
      credentials: { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
      config: { endpoint: gate.url, region: 'us-east-1' },
    });
    expect(connection.status, JSON.stringify(connection.data)).toBe(201);
    const started = await api('POST', '/v1/storage/imports', {
      connection_id: connection.data.id,
      root: 'media',
      items: ['video/big.bin'],
      folder: '/cloud',
    });
    expect(started.status, JSON.stringify(started.data)).toBe(201);
    const importId = started.data.id as string;
    const fileOf = async () =>
      ((await api('GET', `/v1/storage/imports/${importId}/files`)).data.data as Record<string, unknown>[])[0];

    // Kill the process once the download has passed a checkpoint, mid-file.
    const before = await until(fileOf, (f) => Number(f?.bytes_done) > 0, 'a checkpoint of the download');
    const seen = Number(before?.bytes_done);
    expect(before).toMatchObject({ state: 'running', phase: 'downloading', size: object.length });
    expect(seen).toBeLessThan(object.length);
    await node.stop('SIGKILL');
    const firstGets = gate.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/media/video/big.bin'));
    expect(firstGets).toHaveLength(1);
    expect(firstGets[0]?.headers.range).toBeUndefined();

    // Started again on the same data directory, at full speed.
    gate.pace(undefined);
    node = await start();
    const done = await until(
      async () => (await api('GET', `/v1/storage/imports/${importId}`)).data,
      (d) => d.finished_at !== null && d.finished_at !== undefined,
      'the import to finish after the restart',
    );
    expect(done.state, JSON.stringify(done)).toBe('succeeded');
    const file = await fileOf();
    const md5 = createHash('md5').update(object).digest('hex');
    expect(file).toMatchObject({
      state: 'stored',
      size: object.length,
      bytes_done: object.length,
      verification: { by: 'md5', listed: md5, received: md5 },
    });

    // The resumed GET asked for the rest from the checkpoint, and less than one checkpoint came twice.
    const gets = gate.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/media/video/big.bin'));
    expect(gets.length).toBeGreaterThanOrEqual(2);
    const resumed = /^bytes=(\d+)-$/.exec(String(gets[1]?.headers.range));
    expect(resumed, String(gets[1]?.headers.range)).not.toBeNull();
    expect(Number(resumed?.[1])).toBeGreaterThanOrEqual(seen);
    expect(gets[1]?.status).toBe(206);
    const forwarded = gets.reduce((sum, r) => sum + r.bytes, 0);
    expect(forwarded).toBeGreaterThanOrEqual(object.length);
    expect(forwarded - object.length).toBeLessThan(checkpointBytes);

    // The store holds the object's bytes: its SHA-256, and the content read back through the API.
    const stored = await api('GET', `/v1/files/${file?.file_id as string}`);
    expect(stored.data).toMatchObject({ name: 'big.bin', folder: '/cloud', sha256: sha256(object) });
    const content = await fetch(`${node.url}/v1/files/${file?.file_id as string}/content`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(content.status).toBe(200);
    const read = Buffer.from(await content.arrayBuffer());
    expect(read.length).toBe(object.length);
    expect(read.equals(object)).toBe(true);
    // No part file of the download is left in the staging directory.
    expect(partFiles(database.env.SWITCHYARD_DATA_DIR as string)).toEqual([]);
  });
});
