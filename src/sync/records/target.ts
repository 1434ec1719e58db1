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

type Prepared = { rows: StoreRow[]; rejected: Rejected[]; superseded: number };

/**
 * The batch as the writer copies it: each record's id, content hash and canonical JSON as COPY text fields. A record
 * without its key, or holding what jsonb refuses (a NUL, a lone surrogate), is rejected; of several records with
 * one id in a batch the last wins (one statement cannot upsert a row twice) and the earlier ones count as unchanged.
 */
function prepareBatch(
  records: SyncRecord[],
  primaryKey: string[],
  canonical: (record: SyncRecord) => CanonicalJson,
): Prepared {
  const rejected: Rejected[] = [];
  const index = new Map<string, number>();
  const rows: StoreRow[] = [];
  let superseded = 0;
  for (const record of records) {
    const id = recordId(record, primaryKey);
    if (id === undefined) {
      rejected.push({ record, reason: `record lacks its primary key (${primaryKey.join(', ')})` });
      continue;
    }
    const json = canonical(record);
    if (json.unstorable) {
      rejected.push({ record, reason: `record holds ${json.unstorable}, which the record store cannot keep` });
      continue;
    }
    // Canonical JSON (JSON.stringify's) holds no raw tab or line break: only its backslashes need escaping.
    const row = { id: copyTextField(id), hash: contentHash(json.text), data: copyTextField(json.text) };
    const at = index.get(id);
    if (at !== undefined) {
      rows[at] = row;
      superseded++;
    } else {
      index.set(id, rows.length);
      rows.push(row);
    }
  }
  return { rows, rejected, superseded };
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
      const outcome = { created: 0, updated: 0, unchanged: batch.superseded, rejected: batch.rejected };
      if (batch.rows.length === 0) return outcome;
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
        ...outcome,
        created: counts.created,
        updated: counts.updated,
        unchanged: outcome.unchanged + counts.unchanged,
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
