import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor, type VendorConnection } from '../../../test/fakes/connect.js';
import {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  startAzurite,
  type AzuriteProcess,
} from '../../../test/helpers/azurite-process.js';
import { allPages, bytesOf, storageOf, uploadOf } from '../../../test/fakes/storage-open.js';
import { startThrottleGate, type ThrottleGate } from '../../../test/helpers/throttle-gate.js';
import type { StorageAdapter } from '../adapter.js';
import { createAzureBlobAdapter, azureBlobAdapter } from './azure-blob.js';
import { storageAdapterFactories } from './index.js';

/**
 * The Azure Blob adapter against Azurite, Microsoft's emulator, which checks Shared Key and SAS signatures; behind a
 * pass-through that can answer the documented throttle (503 ServerBusy) instead.
 */
let azurite: AzuriteProcess;
let gate: ThrottleGate;
let conn: VendorConnection;
let blob: StorageAdapter;

const connect = (auth_method: string, credentials: Record<string, string>, config: Record<string, unknown> = {}) =>
  connectVendor('azure_blob', gate.url, {
    auth_method,
    credentials,
    config: { account: AZURITE_ACCOUNT, endpoint: `${gate.url}/${AZURITE_ACCOUNT}`, ...config },
  });

beforeAll(async () => {
  azurite = await startAzurite();
  gate = await startThrottleGate(azurite.url);
  storageAdapterFactories.azure_blob = (ctx) => createAzureBlobAdapter(ctx, { pageSize: 2 });
  conn = await connect('shared_key', { account_key: AZURITE_KEY });
  for (const container of ['photos', 'archive']) {
    const made = await conn.t.built.proxy.call({
      tenantId: conn.t.tenantId,
      connectionId: conn.connectionId,
      method: 'PUT',
      path: `/${container}?restype=container`,
    });
    expect(made.status, made.body.toString()).toBe(201);
  }
  blob = await storageOf(conn);
  for (const [folder, name, text] of [
    ['', 'a.txt', 'alpha'],
    ['', 'b.txt', 'bravo'],
    ['', 'c.txt', 'charlie'],
    ['/docs', 'c.txt', 'charlie'],
    ['/docs/2026', 'd e+f.txt', 'delta echo'],
    ['/docs', 'g.txt', 'golf'],
  ] as const)
    await blob.upload('photos', uploadOf(folder, name, text));
}, 90_000);

afterAll(async () => {
  storageAdapterFactories.azure_blob = azureBlobAdapter;
  await conn?.t.close();
  await gate?.close();
  await azurite?.close();
});

describe('Azure Blob adapter against Azurite', () => {
  it('roots are the containers (List Containers), or only the configured one', async () => {
    expect((await blob.roots()).map((r) => [r.id, r.kind]).sort()).toEqual([
      ['archive', 'container'],
      ['photos', 'container'],
    ]);
    const one = await connect('shared_key', { account_key: AZURITE_KEY }, { container: 'archive' });
    expect(await (await storageOf(one)).roots()).toEqual([{ id: 'archive', name: 'archive', kind: 'container' }]);
    await one.t.close();
  });

  it('lists a prefix a page at a time (marker): folders are BlobPrefix, files carry size, Content-MD5 and ETag', async () => {
    const top = await allPages((cursor) => blob.list('photos', '', cursor));
    expect(top.paths.sort()).toEqual(['/a.txt', '/b.txt', '/c.txt', '/docs/']);
    expect(top.pages).toBeGreaterThan(1);
    const docs = await allPages((cursor) => blob.list('photos', 'docs/', cursor));
    expect(docs.paths.sort()).toEqual(['/docs/2026/', '/docs/c.txt', '/docs/g.txt']);
    const [file] = (await blob.list('photos', 'docs/2026/')).items;
    const md5 = createHash('md5').update('delta echo').digest('hex');
    expect(file).toMatchObject({
      id: 'docs/2026/d e+f.txt',
      name: 'd e+f.txt',
      kind: 'file',
      size: 10,
      hashes: { md5 },
    });
    expect(file?.version).toBeTruthy();
  });

  it('search matches name prefixes, across pages', async () => {
    const found = await allPages((cursor) => blob.search?.('photos', 'docs/', cursor) ?? Promise.reject(new Error()));
    expect(found.paths).toEqual(['/docs/2026/d e+f.txt', '/docs/c.txt', '/docs/g.txt']);
  });

  it('stat, download whole and from a byte (206), and a stale ETag refused as storage_item_changed', async () => {
    const item = await blob.stat('photos', 'docs/2026/d e+f.txt');
    expect(item).toMatchObject({ size: 10, mediaType: 'text/plain' });
    const whole = await blob.download('photos', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 10, version: item.version });
    expect((await bytesOf(whole)).toString()).toBe('delta echo');
    const rest = await blob.download('photos', item, { from: 6, version: item.version as string });
    expect(rest).toMatchObject({ start: 6, length: 4 });
    expect((await bytesOf(rest)).toString()).toBe('echo');
    await expect(blob.download('photos', item, { version: '"0x8DCAFE0000000000"' })).rejects.toMatchObject({
      code: 'storage_item_changed',
    });
  });

  it('upload streams a block blob and answers it as listed; a missing blob is not_found', async () => {
    const put = await blob.upload('archive', uploadOf('/in', 'report.csv', 'id,name\n1,a\n', 'text/csv'));
    expect(put).toMatchObject({ id: 'in/report.csv', path: '/in/report.csv', size: 12, mediaType: 'text/csv' });
    expect((await bytesOf(await blob.download('archive', put, {}))).toString()).toBe('id,name\n1,a\n');
    await expect(blob.stat('archive', 'in/nothing.csv')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the listing change feed: everything first, then only what was added or changed since', async () => {
    const first = await blob.changes('photos', null);
    expect(first.items).toHaveLength(6);
    expect((await blob.changes('photos', first.cursor)).items).toEqual([]);
    await blob.upload('photos', uploadOf('', 'b.txt', 'bravo, changed'));
    await blob.upload('photos', uploadOf('/docs', 'h.txt', 'hotel'));
    const since = await blob.changes('photos', first.cursor);
    expect(since.items.map((i) => i.path).sort()).toEqual(['/b.txt', '/docs/h.txt']);
    expect((await blob.changes('photos', since.cursor)).items).toEqual([]);
  });

  it('503 ServerBusy: retried inside the proxy when short, storage_throttled with the wait when long', async () => {
    const busy =
      '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is currently unable to receive requests. Please retry your request.</Message></Error>';
    gate.throttle(1, { status: 503, body: busy, retryAfter: 0 });
    expect((await blob.list('photos', '')).items.length).toBeGreaterThan(0);
    gate.throttle(5, { status: 503, body: busy, retryAfter: 90 });
    await expect(blob.list('photos', '')).rejects.toMatchObject({
      code: 'storage_throttled',
      extensions: { retry_after_ms: 90_000 },
    });
    gate.throttle(0, { status: 503, body: '' });
  });

  it('a SAS token: its parameters sent on every call, verified by the emulator', async () => {
    const sas = accountSas('rl');
    const viaSas = await storageOf(await connect('sas', { sas_token: sas }));
    expect((await viaSas.list('photos', 'docs/2026/')).items.map((i) => i.name)).toEqual(['d e+f.txt']);
  });

  it('a wrong account key: the emulator refuses the signature with a clear error', async () => {
    const wrong = await connect('shared_key', { account_key: Buffer.from('not the key').toString('base64') });
    const failure = await (await storageOf(wrong)).list('photos', '').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'storage_vendor_error', extensions: { vendor_status: 403 } });
    expect(String((failure as Error).message)).toMatch(/failed to authenticate/i);
    await wrong.t.close();
  });
});

/**
 * An account SAS as the docs build one for version 2021-08-06
 * (https://learn.microsoft.com/rest/api/storageservices/create-account-sas): HMAC-SHA256 with the account key of
 * account, permissions, services, resource types, start, expiry, IP, protocol, version and encryption scope, each
 * followed by a newline.
 */
function accountSas(permissions: string): string {
  const fields = {
    sv: '2021-08-06',
    ss: 'b',
    srt: 'sco',
    sp: permissions,
    se: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    spr: 'https,http',
  };
  const toSign = [
    AZURITE_ACCOUNT,
    fields.sp,
    fields.ss,
    fields.srt,
    '',
    fields.se,
    '',
    fields.spr,
    fields.sv,
    '',
    '',
  ].join('\n');
  const sig = createHmac('sha256', Buffer.from(AZURITE_KEY, 'base64')).update(toSign, 'utf8').digest('base64');
  return new URLSearchParams({ ...fields, sig }).toString();
}
