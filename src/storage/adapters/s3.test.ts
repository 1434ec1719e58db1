import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor, type VendorConnection } from '../../../test/fakes/connect.js';
import { allPages, bytesOf, storageOf, uploadOf } from '../../../test/fakes/storage-open.js';
import { sigv4Matches } from '../../../test/helpers/sigv4-reference.js';
import { startS3rver, type S3rverProcess } from '../../../test/helpers/s3rver-process.js';
import { startThrottleGate, type ThrottleGate } from '../../../test/helpers/throttle-gate.js';
import type { StorageAdapter } from '../adapter.js';
import { storageAdapterFactories } from './index.js';
import { createS3Adapter, s3Adapter } from './s3.js';

/**
 * The S3 adapter against s3rver, a real S3 server (its account S3RVER/S3RVER; it checks the key id, not SigV4
 * signatures), behind a pass-through that checks every signature with the AWS SDK's signer and can answer S3's
 * documented throttle (503 SlowDown) and failed precondition (412) instead.
 */
let server: S3rverProcess;
let gate: ThrottleGate;
let conn: VendorConnection;
let s3: StorageAdapter;

const connect = (credentials: Record<string, string>, config: Record<string, unknown> = {}) =>
  connectVendor('amazon_s3', gate.url, {
    auth_method: 'aws_sigv4',
    credentials,
    config: { endpoint: gate.url, region: 'us-east-1', ...config },
  });

beforeAll(async () => {
  server = await startS3rver(['photos', 'archive']);
  // s3rver does not check SigV4 signatures: the AWS SDK's signer checks each request on the way in.
  gate = await startThrottleGate(server.url, {
    verify: (req) =>
      sigv4Matches({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, { S3RVER: 'S3RVER' }),
    refusal: {
      status: 403,
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>',
    },
  });
  // Two keys a page, so that every listing here spans pages.
  storageAdapterFactories.s3 = (ctx) => createS3Adapter(ctx, { pageSize: 2 });
  conn = await connect({ access_key_id: 'S3RVER', secret_access_key: 'S3RVER' });
  s3 = await storageOf(conn);
  for (const [folder, name, text] of [
    ['', 'a.txt', 'alpha'],
    ['', 'b.txt', 'bravo'],
    ['', 'c.txt', 'charlie'],
    ['/docs', 'c.txt', 'charlie'],
    ['/docs/2026', 'd e+f.txt', 'delta echo'],
    ['/docs', 'g.txt', 'golf'],
  ] as const)
    await s3.upload('photos', uploadOf(folder, name, text));
}, 60_000);

afterAll(async () => {
  storageAdapterFactories.s3 = s3Adapter;
  await conn?.t.close();
  await gate?.close();
  await server?.close();
});

describe('S3 adapter against s3rver', () => {
  it('roots are the buckets (ListBuckets), or only the configured one', async () => {
    expect((await s3.roots()).map((r) => [r.id, r.kind]).sort()).toEqual([
      ['archive', 'bucket'],
      ['photos', 'bucket'],
    ]);
    const one = await connect({ access_key_id: 'S3RVER', secret_access_key: 'S3RVER' }, { bucket: 'archive' });
    expect(await (await storageOf(one)).roots()).toEqual([{ id: 'archive', name: 'archive', kind: 'bucket' }]);
    await one.t.close();
  });

  it('lists a prefix a page at a time: folders are common prefixes, files carry size, ETag md5 and time', async () => {
    const top = await allPages((cursor) => s3.list('photos', '', cursor));
    // s3rver counts only keys against max-keys (S3 counts common prefixes too): three keys, two pages.
    expect(top.paths.sort()).toEqual(['/a.txt', '/b.txt', '/c.txt', '/docs/']);
    expect(top.pages).toBe(2);
    const docs = await allPages((cursor) => s3.list('photos', 'docs/', cursor));
    expect(docs.paths).toEqual(['/docs/2026/', '/docs/c.txt', '/docs/g.txt']);
    const page = await s3.list('photos', 'docs/2026/');
    const file = page.items[0];
    expect(file).toMatchObject({ id: 'docs/2026/d e+f.txt', path: '/docs/2026/d e+f.txt', name: 'd e+f.txt' });
    const md5 = createHash('md5').update('delta echo').digest('hex');
    expect(file).toMatchObject({ kind: 'file', size: 10, hashes: { md5 }, version: `"${md5}"` });
    expect(new Date(file?.modifiedAt ?? '').getTime()).toBeGreaterThan(0);
  });

  it('search matches key prefixes, across pages', async () => {
    const found = await allPages((cursor) => s3.search?.('photos', 'docs/', cursor) ?? Promise.reject(new Error()));
    expect(found.paths).toEqual(['/docs/2026/d e+f.txt', '/docs/c.txt', '/docs/g.txt']);
  });

  it('stat, download whole and from a byte (206), and a stale ETag refused as storage_item_changed', async () => {
    const item = await s3.stat('photos', 'docs/2026/d e+f.txt');
    expect(item).toMatchObject({ size: 10, kind: 'file', mediaType: 'text/plain' });
    const whole = await s3.download('photos', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 10, version: item.version });
    expect((await bytesOf(whole)).toString()).toBe('delta echo');
    const rest = await s3.download('photos', item, { from: 6, version: item.version as string });
    expect(rest).toMatchObject({ start: 6, length: 4 });
    expect((await bytesOf(rest)).toString()).toBe('echo');
    // s3rver does not evaluate If-Match: the gate answers as S3 documents a failed precondition, and the test checks
    // that the listed ETag was sent as the precondition.
    const precondition =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
    gate.throttle(1, { status: 412, body: precondition });
    await expect(s3.download('photos', item, { version: '"0123456789abcdef0123456789abcdef"' })).rejects.toMatchObject({
      code: 'storage_item_changed',
    });
    expect(gate.requests.at(-1)?.headers['if-match']).toBe('"0123456789abcdef0123456789abcdef"');
  });

  it('upload streams a file and answers it as listed; a missing object is not_found', async () => {
    const put = await s3.upload('archive', uploadOf('/in', 'report.csv', 'id,name\n1,a\n', 'text/csv'));
    expect(put).toMatchObject({ id: 'in/report.csv', path: '/in/report.csv', size: 12, mediaType: 'text/csv' });
    const again = await s3.download('archive', put, {});
    expect((await bytesOf(again)).toString()).toBe('id,name\n1,a\n');
    await expect(s3.stat('archive', 'in/nothing.csv')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the listing change feed: everything first, then only what was added or changed since', async () => {
    const first = await s3.changes('photos', null);
    expect(first.items.map((i) => i.path).sort()).toEqual([
      '/a.txt',
      '/b.txt',
      '/c.txt',
      '/docs/2026/d e+f.txt',
      '/docs/c.txt',
      '/docs/g.txt',
    ]);
    expect(first.more).toBe(false);
    const quiet = await s3.changes('photos', first.cursor);
    expect(quiet.items).toEqual([]);
    await s3.upload('photos', uploadOf('', 'b.txt', 'bravo, changed'));
    await s3.upload('photos', uploadOf('/docs', 'h.txt', 'hotel'));
    const since = await s3.changes('photos', quiet.cursor);
    expect(since.items.map((i) => i.path).sort()).toEqual(['/b.txt', '/docs/h.txt']);
    expect((await s3.changes('photos', since.cursor)).items).toEqual([]);
    await expect(s3.changes('photos', 'not-a-cursor')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('503 SlowDown: retried inside the proxy when the wait is short, storage_throttled with the wait when long', async () => {
    const slowDown =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
    gate.throttle(1, { status: 503, body: slowDown, retryAfter: 0 });
    const before = gate.requests.length;
    expect((await s3.list('photos', '')).items.length).toBeGreaterThan(0);
    expect(gate.requests.length - before).toBe(2);
    gate.throttle(5, { status: 503, body: slowDown, retryAfter: 120 });
    await expect(s3.list('photos', '')).rejects.toMatchObject({
      code: 'storage_throttled',
      extensions: { retry_after_ms: 120_000 },
    });
  });

  it('a wrong secret: the store refuses the signature, and the connection test says the credentials are revoked', async () => {
    gate.throttle(0, { status: 503, body: '' });
    const wrong = await connect({ access_key_id: 'S3RVER', secret_access_key: 'not-the-secret' });
    const failure = await (await storageOf(wrong)).list('photos', '').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'storage_vendor_error' });
    expect(String((failure as Error).message)).toMatch(/403.*signature/i);
    const tested = await wrong.t.request({ method: 'POST', url: `/v1/connections/${wrong.connectionId}/test` });
    expect(tested.data).toMatchObject({ state: 'auth_revoked', last_test_outcome: { outcome: 'credential_revoked' } });
    await wrong.t.close();
  });
});
