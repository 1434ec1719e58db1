import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { until } from '../../test/helpers/syncs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(() => t.close());

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

async function upload(name: string, bytes: string, query = '', token?: string) {
  return t.request({
    method: 'POST',
    url: `/v1/files?name=${encodeURIComponent(name)}${query}`,
    headers: { 'content-type': 'text/plain' },
    body: bytes,
    ...(token ? { token } : {}),
  });
}

/** A chunked request (no Content-Length) over a real connection, the answer read even if the server closes it. */
async function chunkedUpload(url: string, token: string, chunks: string[]): Promise<{ status: number; body: Json }> {
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => {
    const address = t.app.server.address();
    return typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const blobsOnDisk = () => {
  const root = path.join(t.config.filesDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
};

describe('file versions', () => {
  it('adds a version for a name that exists, keeps the id, serves and restores old versions', async () => {
    const first = await upload('notes.txt', 'one', '&folder=/v');
    expect(first.statusCode, first.body).toBe(201);
    const id = first.data.id as string;
    expect(first.data.version).toBe(1);

    const second = await upload('notes.txt', 'two', '&folder=/v');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.data).toMatchObject({ id, version: 2, sha256: sha256('two') });
    // The same bytes again: nothing new.
    const same = await upload('notes.txt', 'two', '&folder=/v');
    expect(same.data).toMatchObject({ id, version: 2 });

    const versions = await t.request({ url: `/v1/files/${id}/versions` });
    expect((versions.data.data as Json[]).map((v) => [v.version, v.sha256, v.current])).toEqual([
      [2, sha256('two'), true],
      [1, sha256('one'), false],
    ]);
    const old = await t.request({ url: `/v1/files/${id}/versions/1/content` });
    expect(old.body).toBe('one');
    expect(old.headers.etag).toBe(`"${sha256('one')}"`);
    const ranged = await t.request({ url: `/v1/files/${id}/versions/1/content`, headers: { range: 'bytes=1-' } });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.body).toBe('ne');
    expect((await t.request({ url: `/v1/files/${id}/content` })).body).toBe('two');

    const restored = await t.request({ method: 'POST', url: `/v1/files/${id}/versions/1/restore` });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.data).toMatchObject({ id, version: 3, sha256: sha256('one') });
    expect((await t.request({ url: `/v1/files/${id}/content` })).body).toBe('one');
    expectProblem(await t.request({ url: `/v1/files/${id}/versions/9/content` }), 404, 'not_found');
    expectProblem(await t.request({ method: 'POST', url: `/v1/files/${id}/versions/9/restore` }), 404, 'not_found');

    // Deleting the file deletes every version; the blobs go with them.
    expect(blobsOnDisk()).toEqual(expect.arrayContaining([sha256('one'), sha256('two')]));
    expect((await t.request({ method: 'DELETE', url: `/v1/files/${id}` })).statusCode).toBe(204);
    expect(blobsOnDisk()).not.toContain(sha256('one'));
    expect(blobsOnDisk()).not.toContain(sha256('two'));
    expectProblem(await t.request({ url: `/v1/files/${id}/versions` }), 404, 'not_found');
  });

  it('renames or refuses by if_exists, for one-shot and resumable uploads', async () => {
    const a = await upload('report.pdf', 'a', '&folder=/r');
    const renamed = await upload('report.pdf', 'b', '&folder=/r&if_exists=rename');
    expect(renamed.statusCode).toBe(201);
    expect(renamed.data.name).toBe('report (2).pdf');
    expect(renamed.data.id).not.toBe(a.data.id);
    expect((await upload('report.pdf', 'c', '&folder=/r&if_exists=rename')).data.name).toBe('report (3).pdf');
    expectProblem(await upload('report.pdf', 'd', '&folder=/r&if_exists=fail'), 409, 'conflict');

    expectProblem(
      await t.request({
        method: 'POST',
        url: '/v1/files/uploads',
        body: { name: 'report.pdf', folder: '/r', size: 3, if_exists: 'fail' },
      }),
      409,
      'conflict',
    );
    const started = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'report.pdf', folder: '/r', size: 3 },
    });
    const done = await t.request({
      method: 'PATCH',
      url: `/v1/files/uploads/${started.data.id as string}`,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: 'new',
    });
    expect(done.data.file).toMatchObject({ id: a.data.id, version: 2, sha256: sha256('new') });
  });
});

describe('moving files and the folder tree', () => {
  it('renames and moves, refusing a taken name and paths that leave the store', async () => {
    const x = await upload('x.csv', 'x', '&folder=/m/a');
    await upload('y.csv', 'y', '&folder=/m/b');
    const id = x.data.id as string;
    const moved = await t.request({ method: 'PATCH', url: `/v1/files/${id}`, body: { folder: '/m/b', name: 'z.csv' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.data).toMatchObject({ id, folder: '/m/b', name: 'z.csv' });
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/files/${id}`, body: { name: 'y.csv' } }),
      409,
      'conflict',
    );
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/files/${id}`, body: { folder: '/m/../../etc' } }),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/files/${id}`, body: { name: '../z.csv' } }),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.request({ method: 'PATCH', url: '/v1/files/file_nope', body: { name: 'n.csv' } }),
      404,
      'not_found',
    );
  });

  it('answers the subfolders with their files and bytes, and filters the list', async () => {
    await upload('one.txt', '12345', '&folder=/tree/2025/jan');
    await upload('two.txt', '123', '&folder=/tree/2025');
    await upload('three.log', '1', '&folder=/tree/2026');
    const top = await t.request({ url: '/v1/files/folders?parent=/tree' });
    expect(top.data).toEqual({
      parent: '/tree',
      folders: [
        { name: '2025', path: '/tree/2025', files: 2, bytes: 8 },
        { name: '2026', path: '/tree/2026', files: 1, bytes: 1 },
      ],
    });
    const root = await t.request({ url: '/v1/files/folders' });
    expect((root.data.folders as Json[]).map((f) => f.name)).toContain('tree');

    const named = await t.request({ url: '/v1/files?q=TWO' });
    expect((named.data.data as Json[]).map((f) => f.name)).toEqual(['two.txt']);
    const uploads = await t.request({ url: '/v1/files?source=upload&folder=/tree/2026' });
    expect((uploads.data.data as Json[]).map((f) => f.name)).toEqual(['three.log']);
    expect(((await t.request({ url: '/v1/files?source=export' })).data.data as Json[]).length).toBe(0);
  });
});

describe('quotas', () => {
  it('counts distinct blobs, refuses a declared size at once and a streamed one mid-way, keeping nothing', async () => {
    const other = await t.otherTenant();
    const as = other.token;
    const base = await t.request({ url: '/v1/files/usage', token: as });
    expect(base.data).toEqual({ used_bytes: 0, quota_bytes: null, files: 0, versions: 0 });

    // A superuser sets the tenant's quota.
    const set = await t.request({
      method: 'PATCH',
      url: `/v1/tenants/${other.tenantId}`,
      body: { files_quota_bytes: 12 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.data.files_quota_bytes).toBe(12);
    // Not the tenant's own administrator.
    expectProblem(
      await t.request({
        method: 'PATCH',
        url: `/v1/tenants/${other.tenantId}`,
        body: { files_quota_bytes: null },
        token: as,
      }),
      403,
      'forbidden',
    );

    expect((await upload('a.txt', '123456', '', as)).statusCode).toBe(201);
    // The same bytes under another name take no more room.
    expect((await upload('b.txt', '123456', '', as)).statusCode).toBe(201);
    expect((await t.request({ url: '/v1/files/usage', token: as })).data).toEqual({
      used_bytes: 6,
      quota_bytes: 12,
      files: 2,
      versions: 2,
    });

    // Declared: 413 before the body is read (the whole size counts: its bytes are not known yet).
    const declared = await upload('c.txt', '1234567', '', as);
    expectProblem(declared, 413, 'files_quota_exceeded');
    expect(declared.headers.connection).toBe('close');
    const resumable = await t.request({
      method: 'POST',
      url: '/v1/files/uploads',
      body: { name: 'big.bin', size: 20 * 1024 ** 3 },
      token: as,
    });
    expectProblem(resumable, 413, 'files_quota_exceeded');

    // Streamed without a length: stopped once past the room, nothing kept.
    const streamed = await chunkedUpload('/v1/files?name=d.txt', as, ['abc', 'defgh']);
    expect(streamed.status).toBe(413);
    expect(streamed.body.code).toBe('files_quota_exceeded');
    expect((await t.request({ url: '/v1/files/usage', token: as })).data.used_bytes).toBe(6);
    expect(fs.readdirSync(path.join(t.config.filesDir, 'tmp'))).toEqual([]);

    // A new version that fits is taken; the old version's bytes still count.
    expect((await upload('a.txt', '1234', '', as)).statusCode).toBe(200);
    expect((await t.request({ url: '/v1/files/usage', token: as })).data.used_bytes).toBe(10);
    expectProblem(await upload('a.txt', 'xyz', '', as), 413, 'files_quota_exceeded');

    // Back to the default (unlimited here).
    await t.request({ method: 'PATCH', url: `/v1/tenants/${other.tenantId}`, body: { files_quota_bytes: null } });
    expect((await upload('a.txt', 'x', '', as)).statusCode).toBe(200);
  });
});

describe('the store API the import engine calls', () => {
  it('adopts a hashed local file: a new file, a new version, nothing for the same bytes, one blob', async () => {
    const store = t.built.files;
    const tenant = (await t.otherTenant()).tenantId;
    const staged = (content: string) => {
      const file = path.join(store.stagingDir(), `${Math.random().toString(36).slice(2)}.part`);
      fs.writeFileSync(file, content);
      return { file, content: { sha256: sha256(content), size: Buffer.byteLength(content) } };
    };
    const meta = {
      name: 'sheet.csv',
      folder: '/imports/drive',
      source: { kind: 'import' as const, connection_id: 'conn_1', path: '/Shared/sheet.csv', item_id: 'i1' },
      createdBy: null,
    };

    const a = staged('v1');
    const made = await store.adopt(tenant, a.file, a.content, meta);
    expect(made).toMatchObject({ created: true, newVersion: false, file: { version: 1, sha256: sha256('v1') } });
    expect(fs.existsSync(a.file)).toBe(false);

    const b = staged('v2');
    const next = await store.adopt(tenant, b.file, b.content, meta);
    expect(next).toMatchObject({ created: false, newVersion: true, file: { id: made.file.id, version: 2 } });

    const c = staged('v2');
    const same = await store.adopt(tenant, c.file, c.content, meta);
    expect(same).toMatchObject({ created: false, newVersion: false, file: { id: made.file.id, version: 2 } });
    expect(fs.existsSync(c.file)).toBe(false);

    // `replace` names the file whatever its name; the same bytes elsewhere make one blob.
    const d = staged('v1');
    const copy = await store.adopt(tenant, d.file, d.content, { ...meta, name: 'copy.csv' });
    expect(copy.created).toBe(true);
    expect(blobsOnDisk().filter((n) => n === sha256('v1'))).toHaveLength(1);
    const e = staged('v3');
    const replaced = await store.adopt(tenant, e.file, e.content, { ...meta, name: 'ignored', replace: copy.file.id });
    expect(replaced).toMatchObject({ newVersion: true, file: { id: copy.file.id, name: 'copy.csv', version: 2 } });

    expect((await store.findBySha256(tenant, sha256('v2')))?.id).toBe(made.file.id);
    expect(await store.findBySha256(tenant, sha256('nothing'))).toBeUndefined();
    expect(await store.findBySha256(t.tenantId, sha256('v2'))).toBeUndefined();

    // A quota set through the API reaches every node's cached quota when its change commits (LISTEN/NOTIFY).
    const set = await t.request({ method: 'PATCH', url: `/v1/tenants/${tenant}`, body: { files_quota_bytes: 6 } });
    expect(set.statusCode, set.body).toBe(200);
    const refused = await until(
      () =>
        store.ensureRoom(tenant, 1).then(
          () => undefined,
          (e: unknown) => e as { code: string },
        ),
      (e) => e !== undefined,
      'the new quota to reach the store',
      5_000,
    );
    expect(refused).toMatchObject({ code: 'files_quota_exceeded' });
    await expect(store.ensureRoom(tenant, 0)).resolves.toBeUndefined();
    const f = staged('over');
    await expect(store.adopt(tenant, f.file, f.content, { ...meta, name: 'over.csv' })).rejects.toMatchObject({
      code: 'files_quota_exceeded',
    });
    expect(blobsOnDisk()).not.toContain(sha256('over'));
  });
});
