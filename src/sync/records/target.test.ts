import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { SyncError, type DeletionPolicy, type StreamWriter, type WriteRequest } from '../engine/types.js';
import { canonicalJson, contentHash, createCanonicalizer } from './canonical.js';
import { lockModel } from './sql.js';
import { createRecordStoreTarget, recordId } from './target.js';

let testDb: TestDb;
let n = 0;

beforeAll(async () => {
  testDb = await createTestDb();
  await testDb.db.query(`insert into tenants (id, name, slug) values ('ten_rs', 'Store', 'store')`);
  await testDb.db.query(
    `insert into connectors (slug, manifest, source, availability, management, manifest_hash)
     values ('rs_vendor', '{}', 'custom', 'active', 'shared', 'x')`,
  );
});

afterAll(() => testDb.drop());

/** A fresh connection, so every test reads only its own records. */
async function connection(): Promise<string> {
  const id = `conn_rs_${++n}`;
  await testDb.db.query(
    `insert into connections (id, tenant_id, connector_slug, name, auth_method, credential_source, state)
     values ($1, 'ten_rs', 'rs_vendor', $1, 'api_key', 'tenant', 'active')`,
    [id],
  );
  return id;
}

const logs: string[] = [];

async function open(
  connectionId: string,
  request: Partial<WriteRequest> & { executionId: string },
): Promise<StreamWriter> {
  const target = createRecordStoreTarget({ db: testDb.db, tenantId: 'ten_rs', connectionId });
  return target.open({
    name: 'contacts',
    primaryKey: ['id'],
    fields: [],
    fullRefresh: false,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: (_level, message) => void logs.push(message),
    ...request,
  });
}

type StoredRow = {
  record_id: string;
  data: Record<string, unknown>;
  hash: string;
  seq: number;
  deleted_at: Date | null;
  last_execution_id: string;
  first_seen_at: Date;
  last_seen_at: Date;
  updated_at: Date;
};

async function stored(connectionId: string): Promise<Map<string, StoredRow>> {
  const { rows } = await testDb.db.query<StoredRow>(
    `select r.* from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1 and m.model = 'contacts' order by record_id`,
    [connectionId],
  );
  return new Map(rows.map((r) => [r.record_id, r]));
}

const people = (ids: string[], extra: Record<string, unknown> = {}) =>
  ids.map((id) => ({ id, name: `person ${id}`, ...extra }));

describe('record store writes', () => {
  it('creates, then finds unchanged records unchanged (whatever their key order) and changed ones updated', async () => {
    const conn = await connection();
    const first = await open(conn, { executionId: 'ex_1' });
    expect(await first.write(people(['a', 'b', 'c']))).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: [] });
    const before = await stored(conn);
    expect(before.get('a')?.data).toEqual({ id: 'a', name: 'person a' });
    expect(before.get('a')?.hash).toBe(contentHash(canonicalJson({ id: 'a', name: 'person a' }).text));

    const second = await open(conn, { executionId: 'ex_2' });
    const outcome = await second.write([
      { name: 'person a', id: 'a' },
      { id: 'b', name: 'person b, renamed' },
      { id: 'd', name: 'person d' },
    ]);
    expect(outcome).toEqual({ created: 1, updated: 1, unchanged: 1, rejected: [] });
    const after = await stored(conn);
    const row = (rows: Map<string, StoredRow>, id: string) => rows.get(id) as StoredRow;
    const [a0, a1, b0, b1] = [row(before, 'a'), row(after, 'a'), row(before, 'b'), row(after, 'b')];
    // Unchanged: same seq (no feed entry), seen again by the new run.
    expect(a1.seq).toBe(a0.seq);
    expect(a1.updated_at).toEqual(a0.updated_at);
    expect(a1.last_execution_id).toBe('ex_2');
    expect(a1.last_seen_at.getTime()).toBeGreaterThan(a0.last_seen_at.getTime());
    // Changed: a new seq after every earlier one, new data, first seen kept.
    expect(b1.seq).toBeGreaterThan(Math.max(...[...before.values()].map((r) => r.seq)));
    expect(b1.data.name).toBe('person b, renamed');
    expect(b1.first_seen_at).toEqual(b0.first_seen_at);
    expect(b1.updated_at.getTime()).toBeGreaterThan(b0.updated_at.getTime());
    // Not in this batch: left as it was.
    expect(after.get('c')?.last_execution_id).toBe('ex_1');
  });

  it('rejects records without their key, keys composite records by a JSON array, and lets the last duplicate win', async () => {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_k', primaryKey: ['region', 'id'] });
    const outcome = await writer.write([
      { region: 'eu', id: 1, v: 'first' },
      { region: 'eu', v: 'no id' },
      { region: 'eu', id: 1, v: 'second' },
      { region: 'us', id: 1, v: 'other' },
      { region: null, id: 2 },
    ]);
    expect(outcome).toEqual({
      created: 2,
      updated: 0,
      unchanged: 1,
      rejected: [
        { record: { region: 'eu', v: 'no id' }, reason: 'record lacks its primary key (region, id)' },
        { record: { region: null, id: 2 }, reason: 'record lacks its primary key (region, id)' },
      ],
    });
    const rows = await stored(conn);
    expect([...rows.keys()]).toEqual(['["eu",1]', '["us",1]']);
    expect(rows.get('["eu",1]')?.data.v).toBe('second');
    expect(recordId({ id: 7 }, ['id'])).toBe('7');
    expect(recordId({ id: '' }, ['id'])).toBeUndefined();
  });

  it('rejects a record holding a NUL character instead of failing the batch', async () => {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_nul' });
    const outcome = await writer.write([{ id: 'a', note: 'nul\u0000here' }, { id: 'b' }]);
    expect(outcome.created).toBe(1);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      'record holds a NUL character (U+0000), which the record store cannot keep',
    ]);
  });

  it('keeps the last storable record of an id when a later one of it cannot be kept', async () => {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_dup_nul' });
    const outcome = await writer.write([
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
      { id: 'a', v: 2 },
      { id: 'a', v: 3, note: 'nul\u0000here' },
      { id: 'b', note: 'nul\u0000too' },
    ]);
    expect(outcome).toMatchObject({ created: 2, updated: 0, unchanged: 1 });
    expect(outcome.rejected.map((r) => (r.record as { id: string; v?: number }).v ?? 'b')).toEqual([3, 'b']);
    const rows = await stored(conn);
    expect(rows.get('a')?.data).toEqual({ id: 'a', v: 2 });
    expect(rows.get('b')?.data).toEqual({ id: 'b', v: 1 });
  });
});

describe('record store first loads and connections', () => {
  it('copies a first load straight in, and stages and upserts once a key is already there', async () => {
    const conn = await connection();
    const first = await open(conn, { executionId: 'ex_direct_a' });
    const other = await open(conn, { executionId: 'ex_direct_b' }); // opened on the empty model too
    expect(await first.write([{ id: 'a' }, { id: 'b' }])).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    // The other writer's direct COPY meets "a": rolled back to its savepoint, then upserted in the same batch.
    expect(await other.write([{ id: 'a', v: 2 }, { id: 'c' }])).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    expect(
      await other.write([
        { id: 'a', v: 2 },
        { id: 'd', note: 'back\\slash\ttab' },
      ]),
    ).toMatchObject({
      created: 1,
      unchanged: 1,
    });
    const { rows } = await testDb.db.query<{ record_id: string; data: unknown }>(
      `select record_id, data from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1 order by record_id`,
      [conn],
    );
    expect(rows).toEqual([
      { record_id: 'a', data: { id: 'a', v: 2 } },
      { record_id: 'b', data: { id: 'b' } },
      { record_id: 'c', data: { id: 'c' } },
      { record_id: 'd', data: { id: 'd', note: 'back\\slash\ttab' } },
    ]);
  });

  it('stages a large first batch whose direct copy met a record partway, writing each record once', async () => {
    const conn = await connection();
    const first = await open(conn, { executionId: 'ex_big_a' });
    const other = await open(conn, { executionId: 'ex_big_b' });
    expect(await first.write([{ id: 'r2999', v: 'first' }])).toMatchObject({ created: 1 });
    // About a megabyte of COPY text: the other writer's copy fails on r2999 while later rows are still being made.
    const batch = Array.from({ length: 4000 }, (_, i) => ({ id: `r${i}`, v: 'second', pad: 'x'.repeat(200) }));
    expect(await other.write(batch)).toMatchObject({ created: 3999, updated: 1, unchanged: 0, rejected: [] });
    const rows = await stored(conn);
    expect(rows.size).toBe(4000);
    expect([...rows.values()].every((r) => r.data.v === 'second')).toBe(true);
  });

  it('removes a deleted connection’s records, and a writer of it then fails instead of leaving orphans', async () => {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_gone' });
    await writer.write([{ id: 'a' }, { id: 'b' }]);
    await testDb.db.query('delete from connections where id = $1', [conn]);
    const left = await testDb.db.query(
      `select 1 from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1`,
      [conn],
    );
    expect(left.rowCount).toBe(0);
    expect((await testDb.db.query('select 1 from sync_models where connection_id = $1', [conn])).rowCount).toBe(0);
    await expect(writer.write([{ id: 'c' }])).rejects.toMatchObject({ code: 'not_found' });
    expect((await testDb.db.query('select 1 from sync_models where connection_id = $1', [conn])).rowCount).toBe(0);
  });

  it('keeps a record holding a lone UTF-16 surrogate, as U+FFFD, instead of failing the batch', async () => {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_surrogate' });
    // What JSON.parse makes of a vendor's "\ud800" (legal JSON text, not Unicode); jsonb refuses it as it is.
    const outcome = await writer.write([{ id: 'a', note: 'half\ud800pair', ['key\udc00']: 1 }, { id: 'b' }]);
    expect(outcome).toMatchObject({ created: 2, rejected: [] });
    expect((await stored(conn)).get('a')?.data).toEqual({ id: 'a', note: 'half\ufffdpair', 'key\ufffd': 1 });
  });
});

describe('record store deletions', () => {
  async function seeded(ids: string[]): Promise<string> {
    const conn = await connection();
    const writer = await open(conn, { executionId: 'ex_seed' });
    await writer.write(people(ids));
    return conn;
  }

  async function refresh(conn: string, ids: string[], deletion: DeletionPolicy, executionId = 'ex_full') {
    const writer = await open(conn, { executionId, fullRefresh: true, deletion });
    await writer.write(people(ids));
    return writer;
  }

  it('a full refresh soft-deletes what it did not see, with a new seq, and a later write revives it', async () => {
    const conn = await seeded(['a', 'b', 'c', 'd']);
    const before = await stored(conn);
    const writer = await refresh(conn, ['a', 'b', 'c'], { mode: 'soft', maxDeleteShare: 0.5 });
    expect(await writer.finish()).toEqual({ deleted: 1 });
    const after = await stored(conn);
    expect(after.get('d')?.deleted_at).toBeInstanceOf(Date);
    expect(after.get('d')?.seq).toBeGreaterThan(before.get('d')?.seq ?? Infinity);
    expect(after.get('a')?.deleted_at).toBeNull();
    expect(logs).toContain('1 records of contacts no longer in the source: soft deleted');

    const again = await open(conn, { executionId: 'ex_revive' });
    expect(await again.write(people(['d']))).toEqual({ created: 0, updated: 1, unchanged: 0, rejected: [] });
    const revived = (await stored(conn)).get('d') as StoredRow;
    expect(revived.deleted_at).toBeNull();
    expect(revived.seq).toBeGreaterThan(after.get('d')?.seq ?? Infinity);
  });

  it('a full refresh that would delete more than the allowed share stops and changes nothing', async () => {
    const conn = await seeded(['a', 'b', 'c', 'd']);
    const before = await stored(conn);
    const writer = await refresh(conn, ['a'], { mode: 'soft', maxDeleteShare: 0.5 });
    const failure = await writer.finish().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SyncError);
    expect(failure).toMatchObject({
      code: 'delete_threshold_exceeded',
      message:
        'The full refresh of contacts would delete 3 of 4 records, more than the 50% allowed; nothing was deleted.',
    });
    const after = await stored(conn);
    for (const id of ['b', 'c', 'd']) {
      expect(after.get(id)?.deleted_at).toBeNull();
      expect(after.get(id)?.seq).toBe(before.get(id)?.seq);
    }
  });

  it('hard deletion removes the rows; none leaves them; an incremental run deletes nothing', async () => {
    const hard = await seeded(['a', 'b', 'c']);
    expect(await (await refresh(hard, ['a', 'b'], { mode: 'hard', maxDeleteShare: 0.5 })).finish()).toEqual({
      deleted: 1,
    });
    expect([...(await stored(hard)).keys()]).toEqual(['a', 'b']);

    const none = await seeded(['a', 'b', 'c']);
    expect(await (await refresh(none, ['a'], { mode: 'none', maxDeleteShare: 0 })).finish()).toEqual({ deleted: 0 });
    expect([...(await stored(none)).values()].filter((r) => r.deleted_at)).toEqual([]);

    const incremental = await seeded(['a', 'b', 'c']);
    const writer = await open(incremental, { executionId: 'ex_inc' });
    await writer.write(people(['a']));
    expect(await writer.finish()).toEqual({ deleted: 0 });
    expect([...(await stored(incremental)).values()].filter((r) => r.deleted_at)).toEqual([]);
  });

  it('a resumed full refresh (same execution) counts what its earlier attempt wrote as seen', async () => {
    const conn = await seeded(['a', 'b', 'c', 'd']);
    const policy = { mode: 'soft', maxDeleteShare: 0.5 } as const;
    await (await refresh(conn, ['a', 'b'], policy, 'ex_resumed')).abort();
    const resumed = await refresh(conn, ['c'], policy, 'ex_resumed');
    expect(await resumed.finish()).toEqual({ deleted: 1 });
    expect([...(await stored(conn)).values()].filter((r) => r.deleted_at).map((r) => r.record_id)).toEqual(['d']);
  });

  it('deletes by key: soft marks live records once, hard removes them', async () => {
    const conn = await seeded(['a', 'b', 'c']);
    const soft = await open(conn, { executionId: 'ex_del' });
    expect(await soft.delete?.([{ id: 'a' }, { id: 'b' }, { id: 'zz' }, { name: 'no key' }])).toBe(2);
    expect(await soft.delete?.([{ id: 'a' }])).toBe(0);
    const hard = await open(conn, { executionId: 'ex_del', deletion: { mode: 'hard', maxDeleteShare: 1 } });
    expect(await hard.delete?.([{ id: 'c' }])).toBe(1);
    const rows = await stored(conn);
    expect([...rows.keys()]).toEqual(['a', 'b']);
    expect(rows.get('a')?.deleted_at).toBeInstanceOf(Date);
  });
});

describe('record store ordering', () => {
  it('writers of one model take turns, so a seq drawn later also commits later', async () => {
    const conn = await connection();
    const scope = { tenantId: 'ten_rs', connectionId: conn, model: 'contacts' };
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    let heldSeq = 0;
    // Another writer of the model (a second sync, a deletion) in the middle of its transaction.
    const holder = testDb.db.transaction(async (tx) => {
      await lockModel(tx, scope);
      const { rows } = await tx.query<{ n: number }>(`select nextval('sync_records_seq') as n`);
      heldSeq = rows[0]?.n ?? 0;
      locked();
      await held;
    });
    await isLocked;
    const writing = (await open(conn, { executionId: 'ex_turns' })).write(people(['a']));
    await vi.waitFor(async () => {
      const { rows } = await testDb.db.query<{ n: number }>(
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and classid = 1398362691::oid
            and objid = hashtext($1 || '/' || $2)::oid`,
        [conn, 'contacts'],
      );
      expect(rows[0]?.n).toBe(1);
    });
    release();
    await holder;
    expect(await writing).toMatchObject({ created: 1 });
    expect((await stored(conn)).get('a')?.seq).toBeGreaterThan(heldSeq);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and follows JSON.stringify otherwise', () => {
    const value = { b: 1, a: { d: [3, undefined, { y: 1, x: 2 }], c: new Date('2024-01-01T00:00:00Z') }, u: undefined };
    expect(canonicalJson(value).text).toBe('{"a":{"c":"2024-01-01T00:00:00.000Z","d":[3,null,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson({ n: 10n, big: 2n ** 70n, f: Infinity }).text).toBe(
      '{"big":"1180591620717411303424","f":null,"n":10}',
    );
    expect(JSON.parse(canonicalJson(value).text)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('keeps a vendor’s __proto__ key, at the top and nested, as JSON.parse gave it', () => {
    const value = JSON.parse('{"b":{"__proto__":{"x":1},"a":2},"__proto__":[1]}') as Record<string, unknown>;
    expect(canonicalJson(value).text).toBe('{"__proto__":[1],"b":{"__proto__":{"x":1},"a":2}}');
    expect(createCanonicalizer()(value).text).toBe('{"__proto__":[1],"b":{"__proto__":{"x":1},"a":2}}');
  });

  it('gives records of one stream the same text whatever their field order, as their shape changes', () => {
    const canonical = createCanonicalizer();
    const texts = [
      { b: 2, a: { z: 1, y: [new Date(0)] } },
      { b: 2, a: { y: [new Date(0)], z: 1 } },
      { a: { z: 1, y: [new Date(0)] }, b: 2 },
      { a: { z: 1, y: [new Date(0)] }, b: 2, c: undefined },
    ].map((r) => canonical(r).text);
    expect(new Set(texts)).toEqual(new Set(['{"a":{"y":["1970-01-01T00:00:00.000Z"],"z":1},"b":2}']));
    expect(canonical({ b: 1, a: 2 }).text).toBe('{"a":2,"b":1}');
  });

  it('finds NUL characters, not the text of a backslash followed by u0000', () => {
    const canonical = createCanonicalizer();
    const nul = 'a NUL character (U+0000)';
    // The characters \, u, 0, 0, 0, 0 (JSON: "\\u0000"), and two backslashes before them ("\\\\u0000").
    expect(canonical({ s: 'a\\u0000b' }).unstorable).toBeNull();
    expect(canonical({ s: 'a\\\\u0000b' }).unstorable).toBeNull();
    // A backslash, then a NUL (JSON: "\\\u0000").
    expect(canonical({ s: 'a\\\0' }).unstorable).toBe(nul);
    expect(canonical({ s: '\0' }).unstorable).toBe(nul);
    expect(canonical({ nested: { deep: ['ok', 'nul\0'] } }).unstorable).toBe(nul);
    expect(canonical({ ['key\0']: 1 }).unstorable).toBe(nul);
  });

  it('writes a lone surrogate as U+FFFD, leaving pairs and the text of a backslash followed by ud800 alone', () => {
    const canonical = createCanonicalizer();
    expect(canonical({ s: 'a\ud800b', t: '\udfff' }).text).toBe('{"s":"a\\ufffdb","t":"\\ufffd"}');
    expect(canonical({ s: 'pair \ud83d\ude00' }).text).toBe('{"s":"pair 😀"}');
    expect(canonical({ s: 'a\\ud800b' }).text).toBe('{"s":"a\\\\ud800b"}');
    expect(canonicalJson(['\udc00']).text).toBe('["\\ufffd"]');
  });
});
