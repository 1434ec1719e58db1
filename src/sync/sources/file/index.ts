import type { Readable } from 'node:stream';
import {
  SyncError,
  type FieldInfo,
  type ReadRequest,
  type Rejected,
  type SourceBatch,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
} from '../../engine/types.js';
import { checkRecords, FileFormatError, readRecords, type ImportRules, type RecordBatch } from '../../files/index.js';
import type { RejectedRecord } from '../../files/batch.js';
import type { FileSourceConfig } from '../../configs/model.js';

/** A record's number in its file (1-based), the primary key of a file read without one. */
export const RECORD_NUMBER = '_record';

/**
 * A file of the files store as a sync source: one stream, read in full, in file order, through the streamed readers
 * (src/sync/files) with the import's schema and rules applied. A record that breaks them is refused with its place
 * (record, line, field) and reason; the policy decides what that does:
 * - `skip`: the good records are written, the bad ones kept with the run (Partial Success).
 * - `stop` and `reject_file`: nothing is written unless the whole file is good; `stop` ends at the first bad record,
 *   `reject_file` reports every one. Into a target that writes a run in one transaction (ReadRequest.atomic: a
 *   database table, the record store) the file is read once, written as it is read, and the run's failure rolls the
 *   writes back. Elsewhere the file is first read through without writing (about the time of parsing it once more),
 *   and only a clean file is then read again and written.
 * Columns the schema lacks follow `new_columns`: kept (evolve), refused (freeze: the run fails; discard_row: the
 * record is rejected), or dropped (discard_value).
 * A killed run resumes after the last record it wrote (the checkpoint is that record's number).
 */
export type FileSourceOptions = {
  settings: FileSourceConfig;
  /** Opens the file's bytes again for each pass. */
  open(): Promise<Readable>;
  /** The file's name, for messages. */
  fileName: string;
};

export function createFileSource(options: FileSourceOptions): SyncSource {
  const { settings } = options;
  const chosen = settings.streams[0];
  if (!chosen) throw new SyncError('stream_unknown', 'A file source reads one stream.');
  const known = settings.schema ? new Set(settings.schema.map((f) => f.name)) : undefined;
  const rules: ImportRules = {
    schema: { fields: (settings.schema ?? []).map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })) },
    enums: Object.fromEntries((settings.schema ?? []).filter((f) => f.enum).map((f) => [f.name, f.enum ?? []])),
    patterns: Object.fromEntries(
      (settings.schema ?? []).filter((f) => f.pattern).map((f) => [f.name, f.pattern ?? '']),
    ),
    unique: settings.unique,
    ...(settings.json_schema ? { jsonSchema: settings.json_schema } : {}),
  };
  const primaryKey = chosen.primary_key ?? [RECORD_NUMBER];
  const numbered = primaryKey.includes(RECORD_NUMBER);

  const spec: StreamSpec = {
    name: chosen.name,
    primaryKey,
    supports: { full: true, incremental: false, delta: false },
    fields: [
      ...(numbered ? [{ name: RECORD_NUMBER, type: 'integer', nullable: false }] : []),
      ...(settings.schema ?? []).map((f): FieldInfo => ({
        name: f.name,
        type: fieldInfoType[f.type] ?? 'string',
        nullable: f.nullable,
      })),
    ],
    description: `The records of ${options.fileName}`,
  };

  /** The checked batches of one pass over the file. */
  async function* batches(batchSize: number, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const input = await options.open();
    try {
      const read = readRecords(input, settings.format.format, settings.format.options as never, {
        batchSize,
        signal,
        ...(settings.schema ? { schema: rules.schema } : {}),
      });
      yield* checkRecords(read, rules);
    } catch (error) {
      if (error instanceof FileFormatError)
        throw new SyncError('file_unreadable', `${options.fileName}: ${error.message}`);
      throw error;
    } finally {
      input.destroy();
    }
  }

  /** A batch with the new-column policy and the record numbers applied: the records to write and those refused. */
  function shape(batch: RecordBatch): { records: SyncRecord[]; numbers: number[]; rejected: Rejected[]; last: number } {
    const rejected: Rejected[] = (batch.rejected ?? []).map(refusal);
    const records: SyncRecord[] = [];
    const numbers: number[] = [];
    const skipped = batch.rejected?.length ? new Set(batch.rejected.map((r) => r.recordNumber)) : undefined;
    let number = batch.firstRecordNumber - 1;
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i] as SyncRecord;
      number += 1;
      while (skipped?.has(number)) number += 1;
      // Walked with for…in: no array per record unless a column is new. Only own keys count, which a plain record's
      // are all; one whose prototype a reader set (an XML element named __proto__) is asked key by key.
      let extra: string[] | undefined;
      if (known) {
        const plain = Object.getPrototypeOf(record) === Object.prototype;
        for (const k in record) if ((plain || Object.hasOwn(record, k)) && !known.has(k)) (extra ??= []).push(k);
      }
      if (extra) {
        const line = batch.lineNumbers?.[i];
        const where = `record ${number}${line !== undefined ? ` (line ${line})` : ''}`;
        if (settings.new_columns === 'freeze') {
          throw new SyncError(
            'schema_changed',
            `${where} has ${plural(extra, 'column')} the accepted schema lacks (${extra.join(', ')}); the schema is frozen.`,
          );
        }
        if (settings.new_columns === 'discard_row') {
          rejected.push({
            record,
            reason: `${where}: ${plural(extra, 'column')} not in the schema: ${extra.join(', ')}`,
          });
          continue;
        }
        if (settings.new_columns === 'discard_value') for (const k of extra) delete record[k];
      }
      if (numbered) record[RECORD_NUMBER] = number;
      records.push(record);
      numbers.push(number);
    }
    const last = batch.firstRecordNumber - 1 + batch.records.length + (batch.rejected?.length ?? 0);
    return { records, numbers, rejected, last };
  }

  return {
    allOrNothing: settings.on_error !== 'skip',

    async discover() {
      return [spec];
    },

    async sample(_stream, limit, signal) {
      const out: SyncRecord[] = [];
      for await (const batch of batches(Math.min(limit, 1000), signal)) {
        out.push(...shape(batch).records.slice(0, limit - out.length));
        if (out.length >= limit) break;
      }
      return out;
    },

    async *read(request: ReadRequest): AsyncGenerator<SourceBatch> {
      const after = Number((request.state as { after_record?: number } | null)?.after_record ?? 0);
      const whole = settings.on_error !== 'skip' && !request.dryRun && after === 0;
      if (whole && request.atomic) {
        // One pass, written as it is read in the target's one transaction; once a record is refused, nothing more is
        // handed over to write (the run will roll back), but every refusal is still reported.
        let refused = 0;
        for await (const batch of batches(request.batchSize, request.signal)) {
          const { records, rejected, last } = shape(batch);
          if (rejected.length > 0 && settings.on_error === 'stop') {
            yield { records: [], rejected: rejected.slice(0, 1) };
            throw stoppedAt(rejected[0]);
          }
          refused += rejected.length;
          yield { records: refused > 0 ? [] : records, rejected, state: { after_record: last } };
        }
        if (refused > 0) throw wholeFileRejected(refused);
        return;
      }
      if (whole) {
        // The check before anything is written: refusals are reported (as batches without records), then the run
        // ends if there was any.
        let refused = 0;
        for await (const batch of batches(request.batchSize, request.signal)) {
          const { rejected } = shape(batch);
          if (rejected.length === 0) continue;
          refused += rejected.length;
          if (settings.on_error === 'stop') {
            yield { records: [], rejected: rejected.slice(0, 1) };
            throw stoppedAt(rejected[0]);
          }
          yield { records: [], rejected };
        }
        if (refused > 0) throw wholeFileRejected(refused);
        request.log('info', `Checked ${options.fileName}: every record fits; importing.`);
      }
      for await (const batch of batches(request.batchSize, request.signal)) {
        const { records, numbers, rejected, last } = shape(batch);
        // A resumed read skips what the earlier attempt wrote and refused (records up to `after`).
        if (last <= after) continue;
        const resumedInside = batch.firstRecordNumber <= after;
        yield {
          records: resumedInside ? records.filter((_, i) => (numbers[i] as number) > after) : records,
          rejected: resumedInside ? [] : rejected,
          state: { after_record: last },
        };
      }
    },

    async close() {},
  };
}

const stoppedAt = (first: Rejected | undefined) =>
  new SyncError('records_rejected', `${first?.reason}. Nothing was imported (stop at the first error).`);

const wholeFileRejected = (refused: number) =>
  new SyncError(
    'records_rejected',
    `${refused} ${refused === 1 ? 'record breaks' : 'records break'} the import’s rules; nothing was imported ` +
      '(the whole file is rejected). Fix them (see the rejected records or the errors file) and import again.',
  );

function refusal(r: RejectedRecord): Rejected {
  const where = `record ${r.recordNumber}${r.line !== undefined ? ` (line ${r.line})` : ''}`;
  // `record 3 (line 4), email: "x" does not match …`: the field once, even where the check's reason names it too.
  const prefix = `${r.field}: `;
  const reason = r.field && r.reason.startsWith(prefix) ? r.reason.slice(prefix.length) : r.reason;
  return { record: r.record, reason: `${where}${r.field ? `, ${r.field}` : ''}: ${reason}` };
}

const plural = (items: unknown[], word: string) => (items.length === 1 ? `a ${word}` : `${items.length} ${word}s`);

const fieldInfoType: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  json: 'json',
};
