import { copyTextField } from '../../core/db/copy-text.js';
import type { Db, Queryable } from '../../core/db/port.js';
import {
  SyncError,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type SyncTarget,
  type WriteOutcome,
  type WriteRequest,
} from '../engine/types.js';
import { canonicalJson, contentHash, createCanonicalizer, type CanonicalJson } from './canonical.js';
import {
  countUnseen,
  deleteRecords,
  deleteUnseen,
  lockModel,
  modelEmpty,
  writeRecords,
  type StoreRow,
  type StoreScope,
} from './sql.js';

/**
 * The record store as a sync target: per connection and model (the stream name after mapping), records keyed by
 * their primary key, with a content hash, first and last seen times and soft deletes, read back through the change
 * feed (routes.ts). A batch is one transaction (sql.ts writeRecords: COPY, then one upsert), committed when `write`
 * resolves, so the runner may save the batch's checkpoint at once; an all-or-nothing import (WriteRequest.atomic) is
 * one transaction for the whole run instead, committed by `finish`. A full refresh writes in place (the store is
 * never emptied: records only appear or change while it runs) and deletes, at `finish`, what the run did not see.
 */
export type RecordStoreOptions = { db: Db; tenantId: string; connectionId: string };

/**
 * A record's id in the store: a single key's value as text, a composite key's values as a JSON array (`["a",1]`),
 * so ids never collide across key shapes and read the same every run. Undefined when a key value is missing.
 */
export function recordId(record: SyncRecord, primaryKey: string[]): string | undefined {
  if (primaryKey.length === 1) return keyText(record[primaryKey[0] as string]);
  const values: unknown[] = [];
  for (const key of primaryKey) {
    const value = record[key];
    if (keyText(value) === undefined) return undefined;
    values.push(typeof value === 'bigint' ? value.toString() : value);
  }
  return canonicalJson(values).text;
}

function keyText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return canonicalJson(value).text;
}

/**
 * A batch as the writer copies it. Keys are read at once (a record without its key is rejected; the last record of
 * an id wins). Each record's canonical JSON, content hash and COPY text fields are made as COPY reads the rows, so
 * this process prepares the next rows while the database takes in the last ones. A row is dropped once read: each
 * reading makes the rows again (a batch is read twice only when its direct copy met a record already there), since
 * keeping them would carry every row of the batch out of the young generation. `rejected` and `superseded` are
 * complete once the rows were read to the end.
 */
type Prepared = {
  /** The batch's distinct keys: the most rows it can write. */
  keyed: number;
  rows: Iterable<StoreRow>;
  rejected(): Rejected[];
  /** Records of an id that a later record of it replaced (one statement cannot upsert a row twice). */
  superseded(): number;
};

function prepareBatch(
  records: SyncRecord[],
  primaryKey: string[],
  canonical: (record: SyncRecord) => CanonicalJson,
): Prepared {
  const missingKey: (Rejected & { at: number })[] = [];
  const ids: (string | undefined)[] = new Array(records.length);
  // The index of each id's last record, and of the record of the same id before each record (-1: none).
  const last = new Map<string, number>();
  const before = new Int32Array(records.length).fill(-1);
  let keyed = 0;
  records.forEach((record, at) => {
    const id = recordId(record, primaryKey);
    ids[at] = id;
    if (id === undefined) {
      missingKey.push({ at, record, reason: `record lacks its primary key (${primaryKey.join(', ')})` });
      return;
    }
    const earlier = last.get(id);
    if (earlier === undefined) keyed++;
    else before[at] = earlier;
    last.set(id, at);
  });

  // What the last reading found.
  let unstorable: (Rejected & { at: number })[] = [];
  let superseded = 0;
  /** The record's row, or undefined (and rejected) when it holds a NUL (canonical.ts: no PostgreSQL text holds one). */
  const rowOf = (at: number): StoreRow | undefined => {
    const record = records[at] as SyncRecord;
    const json = canonical(record);
    if (json.unstorable) {
      unstorable.push({ at, record, reason: `record holds ${json.unstorable}, which the record store cannot keep` });
      return undefined;
    }
    // Canonical JSON (JSON.stringify's) holds no raw tab or line break: only its backslashes need escaping.
    return { id: copyTextField(ids[at] as string), hash: contentHash(json.text), data: copyTextField(json.text) };
  };
  /** The row of the record at `at` if it is its id's last: of an id's records the last storable one is kept. */
  const make = (at: number): StoreRow | undefined => {
    const id = ids[at];
    if (id === undefined || last.get(id) !== at) return undefined;
    let kept: StoreRow | undefined;
    for (let i = at; i >= 0; i = before[i] as number) {
      const row = rowOf(i);
      if (row === undefined) continue;
      if (kept === undefined) kept = row;
      else superseded++;
    }
    return kept;
  };
  return {
    keyed,
    rows: {
      *[Symbol.iterator]() {
        unstorable = [];
        superseded = 0;
        for (let at = 0; at < records.length; at++) {
          const row = make(at);
          if (row) yield row;
        }
      },
    },
    rejected: () =>
      [...missingKey, ...unstorable].sort((a, b) => a.at - b.at).map(({ record, reason }) => ({ record, reason })),
    superseded: () => superseded,
  };
}

/**
 * A whole run in one transaction of Switchyard's database (WriteRequest.atomic), opened under the model's lock (held
 * until it ends): `end(true)` commits it, `end(false)` rolls it back.
 */
async function openRun(db: Db, scope: StoreScope): Promise<{ tx: Queryable; end(commit: boolean): Promise<void> }> {
  let opened: (tx: Queryable) => void = () => {};
  let decide: (commit: boolean) => void = () => {};
  const ready = new Promise<Queryable>((resolve) => (opened = resolve));
  const decision = new Promise<boolean>((resolve) => (decide = resolve));
  const rolledBack = new Error('the run was rolled back');
  const ended = db.transaction(async (tx) => {
    await lockModel(tx, scope);
    opened(tx);
    if (!(await decision)) throw rolledBack;
  });
  ended.catch(() => {}); // surfaced by end(), or by the race below when the transaction cannot begin
  const tx = await Promise.race([ready, ended.then(() => ready)]);
  return {
    tx,
    async end(commit) {
      decide(commit);
      await ended.catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    },
  };
}

async function openWriter(db: Db, scope: StoreScope, request: WriteRequest): Promise<StreamWriter> {
  const { primaryKey, executionId, deletion } = request;
  if (primaryKey.length === 0)
    throw new SyncError('primary_key_missing', `Stream ${scope.model} has no primary key; the record store needs one.`);

  const canonical = createCanonicalizer();
  // Copied straight in while the model was empty when the writer opened and no batch met a record already there.
  let direct = await modelEmpty(db, scope);
  // An all-or-nothing import (not a full refresh, whose deletions come at the end) writes every batch in one transaction.
  const run = request.atomic === true && !request.fullRefresh ? await openRun(db, scope) : undefined;
  return {
    atomic: run !== undefined,

    async write(records): Promise<WriteOutcome> {
      const batch = prepareBatch(records, primaryKey, canonical);
      if (batch.keyed === 0) return { created: 0, updated: 0, unchanged: 0, rejected: batch.rejected() };
      const copyDirect = direct;
      const journal = request.journal === true;
      const counts = run
        ? await writeRecords(run.tx, scope, executionId, batch.rows, copyDirect, journal, true)
        : await db.transaction(async (tx) => {
            await lockModel(tx, scope);
            return writeRecords(tx, scope, executionId, batch.rows, copyDirect, journal);
          });
      if (!counts) throw new SyncError('not_found', 'The connection was deleted while its records were written.');
      direct = counts.direct;
      return {
        created: counts.created,
        updated: counts.updated,
        unchanged: batch.superseded() + counts.unchanged,
        rejected: batch.rejected(),
      };
    },

    async delete(keys) {
      if (deletion.mode === 'none') return 0;
      const ids = keys.map((k) => recordId(k, primaryKey)).filter((id): id is string => id !== undefined);
      if (ids.length === 0) return 0;
      const mode = deletion.mode;
      if (run) return deleteRecords(run.tx, scope, ids, mode);
      return db.transaction(async (tx) => {
        await lockModel(tx, scope);
        return deleteRecords(tx, scope, ids, mode);
      });
    },

    async finish() {
      if (run) await run.end(true);
      if (!request.fullRefresh || deletion.mode === 'none') return { deleted: 0 };
      const mode = deletion.mode;
      const deleted = await db.transaction(async (tx) => {
        await lockModel(tx, scope);
        const { live, unseen } = await countUnseen(tx, scope, executionId);
        if (unseen === 0) return 0;
        if (unseen > deletion.maxDeleteShare * live)
          throw new SyncError(
            'delete_threshold_exceeded',
            `The full refresh of ${scope.model} would delete ${unseen} of ${live} records, more than the ` +
              `${Math.round(deletion.maxDeleteShare * 100)}% allowed; nothing was deleted.`,
          );
        return deleteUnseen(tx, scope, executionId, mode, request.journal === true);
      });
      if (deleted > 0)
        request.log('info', `${deleted} records of ${scope.model} no longer in the source: ${mode} deleted`);
      return { deleted };
    },

    // Every batch is committed as it is written (nothing is held back to drop), or the run's one transaction is
    // rolled back.
    async abort() {
      await run?.end(false).catch(() => {});
    },
  };
}

export function createRecordStoreTarget(options: RecordStoreOptions): SyncTarget {
  const { db, tenantId, connectionId } = options;
  return {
    // The store keeps any JSON: there are no columns to describe, and a model is created by its first record.
    async describe() {
      return [];
    },
    async open(request) {
      return openWriter(db, { tenantId, connectionId, model: request.name }, request);
    },
    async close() {},
  };
}
