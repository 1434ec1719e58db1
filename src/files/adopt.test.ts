import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import type { Queryable } from '../core/db/port.js';

/*
 * Files adopted at once (an import's lanes finishing together) are recorded in shared transactions: each tenant's
 * files lock taken once, one commit for the group. A file the group cannot take fails alone.
 */

let t: TestApp;
let transactions = 0;

beforeAll(async () => {
  t = await createTestApp();
  // Count the store's transactions: it holds this same Db object.
  const transaction = t.db.transaction.bind(t.db);
  t.db.transaction = <T>(fn: (tx: Queryable) => Promise<T>) => {
    transactions++;
    return transaction(fn);
  };
});

afterAll(() => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A complete local file, as an import leaves it for `adopt`. */
function partFile(bytes: Buffer) {
  const dir = path.join(t.config.filesDir, 'adopt-test');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomBytes(6).toString('hex')}.part`);
  fs.writeFileSync(file, bytes);
  return { file, content: { sha256: sha256(bytes), size: bytes.length } };
}

function adopt(tenantId: string, name: string, bytes: Buffer, folder = '/together') {
  const part = partFile(bytes);
  return t.built.files.adopt(tenantId, part.file, part.content, {
    name,
    folder,
    source: { kind: 'import', connection_id: 'conn_test', path: `/${name}` },
    createdBy: null,
  });
}

const blobsOf = (tenantId: string) => {
  const dir = path.join(t.config.filesDir, 'blobs', tenantId);
  return fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true }).filter((e) => path.basename(String(e)).length === 64)
    : [];
};

describe('adopting files together', () => {
  it('records files that finish together in fewer transactions than files, two tenants at once', async () => {
    const other = await t.otherTenant();
    const before = transactions;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        adopt(i % 3 === 0 ? other.tenantId : t.tenantId, `f${i}.bin`, randomBytes(1000 + i)),
      ),
    );
    expect(outcomes.every((o) => o.created)).toBe(true);
    expect(transactions - before).toBeLessThan(12);
    const listed = await t.request({ url: '/v1/files?folder=/together&limit=100' });
    expect((listed.data.data as unknown[]).length).toBe(8);
    expect(blobsOf(other.tenantId)).toHaveLength(4);
    // The same name twice in one go: one file with two versions, as one after the other (in either order).
    const both = await Promise.all([
      adopt(t.tenantId, 'twice.bin', Buffer.from('one')),
      adopt(t.tenantId, 'twice.bin', Buffer.from('two')),
    ]);
    expect(new Set(both.map((o) => o.file.id)).size).toBe(1);
    expect(both.map((o) => (o.created ? 'created' : o.newVersion ? 'version' : 'same')).sort()).toEqual([
      'created',
      'version',
    ]);
    // The part files are gone once recorded.
    expect(fs.readdirSync(path.join(t.config.filesDir, 'adopt-test'))).toEqual([]);
  });

  it('fails only the files over the quota when the group they share cannot take them all', async () => {
    const quoted = await t.otherTenant();
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/tenants/${quoted.tenantId}`,
      body: { files_quota_bytes: 25_000 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) => adopt(quoted.tenantId, `q${i}.bin`, randomBytes(10_000), '/quota')),
    );
    const stored = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(stored).toHaveLength(2);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual([
      'files_quota_exceeded',
      'files_quota_exceeded',
    ]);
    // The refused files' bytes are not kept: only the two stored blobs are left.
    expect(blobsOf(quoted.tenantId)).toHaveLength(2);
    const usage = await t.built.files.usage(quoted.tenantId);
    expect(usage).toMatchObject({ used_bytes: 20_000, quota_bytes: 25_000 });
  });
});
