import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor, type VendorConnection } from '../../../test/fakes/connect.js';
import { startGcsFake } from '../../../test/fakes/storage-gcs.js';
import { allPages, bytesOf, storageOf, uploadOf } from '../../../test/fakes/storage-open.js';
import type { StorageAdapter } from '../adapter.js';
import { createGcsAdapter, gcsAdapter } from './gcs.js';
import { storageAdapterFactories } from './index.js';

/**
 * The GCS adapter against the JSON API fake (test/fakes/storage-gcs.ts), which checks the service account's
 * self-signed JWT (RS256, kid, iss/sub, aud https://storage.googleapis.com/) with the key pair's public half.
 */
const email = 'importer@switchyard-test.iam.gserviceaccount.com';
const keyId = 'a'.repeat(40);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let fake: Awaited<ReturnType<typeof startGcsFake>>;
let conn: VendorConnection;
let gcs: StorageAdapter;

const connect = (privateKey: string, config: Record<string, unknown> = {}) =>
  connectVendor('google_cloud_storage', fake.url, {
    auth_method: 'service_account',
    credentials: { client_email: email, private_key_id: keyId, private_key: privateKey },
    config: { project: 'switchyard-test', ...config },
  });

beforeAll(async () => {
  fake = await startGcsFake({ project: 'switchyard-test', email, keyId, publicKey: keys.publicKey });
  fake.createBucket('photos');
  fake.createBucket('archive');
  for (const [name, text] of [
    ['a.txt', 'alpha'],
    ['b.txt', 'bravo'],
    ['docs/c.txt', 'charlie'],
    ['docs/2026/d e+f.txt', 'delta echo'],
    ['docs/g.txt', 'golf'],
    ['../escape/x.txt', 'x-ray'],
  ] as const)
    fake.put('photos', name, Buffer.from(text));
  storageAdapterFactories.gcs = (ctx) => createGcsAdapter(ctx, { pageSize: 2 });
  conn = await connect(privatePem);
  gcs = await storageOf(conn);
});

afterAll(async () => {
  storageAdapterFactories.gcs = gcsAdapter;
  await conn?.t.close();
  await fake?.close();
});

describe('GCS adapter against the JSON API fake', () => {
  it('roots are the project’s buckets, or only the configured one', async () => {
    expect((await gcs.roots()).map((r) => [r.id, r.kind])).toEqual([
      ['archive', 'bucket'],
      ['photos', 'bucket'],
    ]);
    const one = await connect(privatePem, { bucket: 'archive' });
    expect(await (await storageOf(one)).roots()).toEqual([{ id: 'archive', name: 'archive', kind: 'bucket' }]);
    await one.t.close();
  });

  it('lists by pageToken: folders from `prefixes`, md5Hash and crc32c, generation as the version; names made safe', async () => {
    const top = await allPages((cursor) => gcs.list('photos', '', cursor));
    expect(top.paths.sort()).toEqual(['/_/', '/a.txt', '/b.txt', '/docs/']);
    expect(top.pages).toBe(2);
    const [file] = (await gcs.list('photos', 'docs/2026/')).items;
    expect(file).toMatchObject({
      id: 'docs/2026/d e+f.txt',
      path: '/docs/2026/d e+f.txt',
      size: 10,
      hashes: {
        md5: createHash('md5').update('delta echo').digest('hex'),
        crc32c: expect.stringMatching(/^[A-Za-z0-9+/]{6}==$/),
      },
      version: expect.stringMatching(/^\d+$/),
    });
    const [escaped] = (await gcs.list('photos', '../escape/')).items;
    expect(escaped).toMatchObject({ id: '../escape/x.txt', path: '/_/escape/x.txt', name: 'x.txt' });
  });

  it('search matches name prefixes across pages', async () => {
    const found = await allPages((cursor) => gcs.search?.('photos', 'docs/', cursor) ?? Promise.reject(new Error()));
    expect(found.paths).toEqual(['/docs/2026/d e+f.txt', '/docs/c.txt', '/docs/g.txt']);
  });

  it('stat, download whole and from a byte (206), and a stale generation refused as storage_item_changed', async () => {
    const item = await gcs.stat('photos', 'docs/2026/d e+f.txt');
    const whole = await gcs.download('photos', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, version: item.version });
    expect((await bytesOf(whole)).toString()).toBe('delta echo');
    const rest = await gcs.download('photos', item, { from: 6 });
    expect(rest.start).toBe(6);
    expect((await bytesOf(rest)).toString()).toBe('echo');
    expect(fake.requests.at(-1)?.headers.range).toBe('bytes=6-');
    await expect(gcs.download('photos', item, { version: '1' })).rejects.toMatchObject({
      code: 'storage_item_changed',
    });
    await expect(gcs.stat('photos', 'nothing.txt')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('upload (uploadType=media) answers the object as listed', async () => {
    const put = await gcs.upload('archive', uploadOf('/in', 'report.csv', 'id,name\n1,a\n', 'text/csv'));
    expect(put).toMatchObject({ id: 'in/report.csv', path: '/in/report.csv', size: 12, mediaType: 'text/csv' });
    expect((await bytesOf(await gcs.download('archive', put, {}))).toString()).toBe('id,name\n1,a\n');
  });

  it('the listing change feed: everything first, then only what was added or changed since', async () => {
    const first = await gcs.changes('photos', null);
    expect(first.items).toHaveLength(6);
    expect((await gcs.changes('photos', first.cursor)).items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    fake.put('photos', 'b.txt', Buffer.from('bravo, changed'));
    fake.put('photos', 'docs/h.txt', Buffer.from('hotel'));
    const since = await gcs.changes('photos', first.cursor);
    expect(since.items.map((i) => i.path).sort()).toEqual(['/b.txt', '/docs/h.txt']);
    expect((await gcs.changes('photos', since.cursor)).items).toEqual([]);
  });

  it('429 rateLimitExceeded: retried in the proxy when short, storage_throttled with the wait when long', async () => {
    fake.throttle(1, 0);
    expect((await gcs.list('photos', '')).items.length).toBeGreaterThan(0);
    fake.throttle(5, 60);
    await expect(gcs.list('photos', '')).rejects.toMatchObject({
      code: 'storage_throttled',
      extensions: { retry_after_ms: 60_000 },
    });
    fake.throttle(0);
  });

  it('a key Google does not know: 401 Invalid Credentials, and the test call says revoked', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrong = await connect(other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const failure = await (await storageOf(wrong)).list('photos', '').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'storage_vendor_error', extensions: { vendor_status: 401 } });
    expect(String((failure as Error).message)).toContain('Invalid Credentials');
    const tested = await wrong.t.request({ method: 'POST', url: `/v1/connections/${wrong.connectionId}/test` });
    expect(tested.data).toMatchObject({ last_test_outcome: { outcome: 'credential_revoked' } });
    await wrong.t.close();
  });
});
