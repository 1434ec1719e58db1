import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import { payloadCheck } from '../../events/types/schema-check.js';
import type { ByteInput } from './decode.js';
import type { FileSchema } from './coerce.js';
import type { FileRecord, RecordBatch, RejectedRecord } from './batch.js';
import type { FileFormat, FormatOptionsInput } from './formats.js';
import { readRecords } from './read.js';
import { writeRecords } from './write.js';

/**
 * Bulk import's check before anything is written (seed 002, Pattern 3): the whole file is read and every record
 * checked against what the target needs — the schema's types and required fields (the reader converts), allowed
 * values, patterns, unique keys and a JSON Schema (the target's, or an event type's) — and nothing is stored. The
 * report counts the records, the rejected ones per field, and keeps the first errors in place (record, line, field,
 * reason); the errors file holds every rejected record as it was read plus where it was and why, to fix and upload
 * again.
 */

export type ImportRules = {
  /** Types and required fields (`nullable: false`): the reader converts and rejects. */
  schema: FileSchema;
  /** Allowed values per field (compared after conversion). */
  enums?: Record<string, (string | number | boolean)[]>;
  /** A regular expression per text field, matched against the whole value. */
  patterns?: Record<string, string>;
  /** Field sets whose values must not repeat in the file (`[['id'], ['email']]`). */
  unique?: string[][];
  /** A JSON Schema every converted record must match. */
  jsonSchema?: Record<string, unknown>;
};

export type DryRunReport = {
  records: number;
  valid: number;
  rejected: number;
  /** Rejections per field (`_record` for a rule on the whole record). */
  rejectedByField: Record<string, number>;
  /** The first `maxErrors` rejections, in file order. */
  firstErrors: RejectedRecord[];
};

export type DryRunSettings = {
  batchSize?: number;
  /** How many rejections the report keeps in full (default 100); every one is counted and in the errors file. */
  maxErrors?: number;
  /** Where to write the errors file (CSV: the record's fields, then `_record`, `_line`, `_field`, `_error`). */
  errorsTo?: Writable;
  signal?: AbortSignal;
};

type Rule = (record: FileRecord, line: number | undefined) => { field: string; reason: string } | undefined;

const preview = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
};

function mapAddOrGet(map: Map<unknown, number>, key: unknown, line: number): number | undefined {
  const first = map.get(key);
  if (first === undefined) map.set(key, line);
  return first;
}

/**
 * Integer keys and the line each was first seen on, in open addressing over typed arrays: a million ids cost two
 * arrays of a few megabytes and no object per entry (a Map of them took a third of a dry run's time).
 */
class IntLines {
  private keys = new Float64Array(1 << 16).fill(Number.NaN);
  private lines = new Int32Array(1 << 16);
  private size = 0;

  /** The line `key` was first seen on, or undefined (and `key` is recorded with `line`) the first time. */
  addOrGet(key: number, line: number): number | undefined {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = hash(key) & mask;
    for (;;) {
      const k = this.keys[i] as number;
      if (k === key) return this.lines[i];
      if (Number.isNaN(k)) {
        this.keys[i] = key;
        this.lines[i] = line;
        this.size += 1;
        return undefined;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, lines } = this;
    this.keys = new Float64Array(keys.length * 2).fill(Number.NaN);
    this.lines = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++)
      if (!Number.isNaN(keys[i])) this.addOrGet(keys[i] as number, lines[i] as number);
  }
}

/** Spread an integer's bits (high and low words) over 32 bits. */
function hash(key: number): number {
  const low = key | 0;
  const high = (key / 4294967296) | 0;
  return Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) ^ (low >>> 15);
}

/** The checks beyond the reader's, compiled once; each answers the first problem of a record. */
function compileRules(rules: ImportRules): Rule[] {
  const checks: Rule[] = [];
  for (const [field, allowed] of Object.entries(rules.enums ?? {})) {
    const set = new Set<unknown>(allowed);
    const list = allowed.join(', ');
    checks.push((r) => {
      const v = r[field];
      return v === null || v === undefined || set.has(v)
        ? undefined
        : { field, reason: `${field}: ${preview(v)} is not one of ${list}` };
    });
  }
  for (const [field, source] of Object.entries(rules.patterns ?? {})) {
    // Unicode mode only when the pattern needs it (a property escape, a character beyond ASCII): it costs.
    const pattern = new RegExp(`^(?:${source})$`, /\\[pPu]|[^ -~]/.test(source) ? 'u' : '');
    checks.push((r) => {
      const v = r[field];
      return v === null || v === undefined || pattern.test(typeof v === 'string' ? v : String(v))
        ? undefined
        : { field, reason: `${field}: ${preview(v)} does not match ${source}` };
    });
  }
  for (const fields of rules.unique ?? []) {
    // Keyed by the converted value itself for one field (a number stays a number: no string per record), by a
    // JSON array for several; integers go to a table of their own, the common case of an id column.
    const seen = new Map<unknown, number>();
    const ints = new IntLines();
    const name = fields.join(', ');
    const only = fields.length === 1 ? (fields[0] as string) : undefined;
    checks.push((r, line) => {
      let key: unknown;
      if (only !== undefined) {
        key = r[only];
        if (key === null || key === undefined) return undefined;
      } else {
        const values = fields.map((f) => r[f]);
        if (values.some((v) => v === null || v === undefined)) return undefined;
        key = JSON.stringify(values);
      }
      const first = Number.isSafeInteger(key)
        ? ints.addOrGet(key as number, line ?? 0)
        : mapAddOrGet(seen, key, line ?? 0);
      if (first === undefined) return undefined;
      const where = first ? ` (first on line ${first})` : '';
      const shown = only !== undefined ? String(key) : fields.map((f) => String(r[f])).join(', ');
      return { field: fields[0] as string, reason: `${name}: ${preview(shown)} appears again${where}` };
    });
  }
  if (rules.jsonSchema) {
    const check = payloadCheck(rules.jsonSchema);
    checks.push((r) => {
      const problems = check(r, '');
      const first = problems[0];
      if (!first) return undefined;
      const field = first.path.split('/')[1] || '_record';
      return { field, reason: `${first.path || 'the record'}: ${first.message}` };
    });
  }
  return checks;
}

/** The reader's batches with the rules applied: records failing one move to `rejected`. */
export async function* checkRecords(
  batches: AsyncIterable<RecordBatch>,
  rules: ImportRules,
): AsyncGenerator<RecordBatch> {
  const checks = compileRules(rules);
  for await (const batch of batches) {
    if (checks.length === 0) {
      yield batch;
      continue;
    }
    const all = batch.records;
    const lineNumbers = batch.lineNumbers;
    const rejected = [...(batch.rejected ?? [])];
    // The reader's rejections are not among `records`: the accepted ones take the record numbers left between them.
    const skipped = rejected.length ? new Set(rejected.map((r) => r.recordNumber)) : undefined;
    // Most batches pass whole: the kept records are copied out only from the first one a rule refuses.
    let records: FileRecord[] | undefined;
    let lines: number[] | undefined;
    let number = batch.firstRecordNumber - 1;
    for (let i = 0; i < all.length; i++) {
      const record = all[i] as FileRecord;
      number += 1;
      while (skipped?.has(number)) number += 1;
      const line = lineNumbers?.[i];
      let problem: ReturnType<Rule>;
      for (let c = 0; c < checks.length && !problem; c++) problem = (checks[c] as Rule)(record, line);
      if (problem) {
        records ??= all.slice(0, i);
        lines ??= lineNumbers?.slice(0, i) ?? [];
        rejected.push({ record, recordNumber: number, ...(line !== undefined ? { line } : {}), ...problem });
      } else if (records) {
        records.push(record);
        if (line !== undefined) lines?.push(line);
      }
    }
    if (!records) {
      yield batch;
      continue;
    }
    // Reader rejections and rule rejections interleave: the report and the errors file keep file order.
    rejected.sort((a, b) => a.recordNumber - b.recordNumber);
    yield {
      records,
      firstRecordNumber: batch.firstRecordNumber,
      ...(lineNumbers ? { lineNumbers: lines ?? [] } : {}),
      rejected,
    };
  }
}

/** Read and check a whole file, writing nothing but the report (and the errors file when asked). */
export async function dryRun<F extends FileFormat>(
  input: ByteInput,
  format: F,
  options: FormatOptionsInput[F],
  rules: ImportRules,
  settings: DryRunSettings = {},
): Promise<DryRunReport> {
  const maxErrors = settings.maxErrors ?? 100;
  const report: DryRunReport = { records: 0, valid: 0, rejected: 0, rejectedByField: {}, firstErrors: [] };
  const batches = checkRecords(
    readRecords(input, format, options, {
      schema: rules.schema,
      ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
      ...(settings.signal ? { signal: settings.signal } : {}),
    }),
    rules,
  );
  let columns: string[] | undefined;
  async function* errorRows(): AsyncGenerator<FileRecord[]> {
    for await (const batch of batches) {
      const rejected = batch.rejected ?? [];
      report.valid += batch.records.length;
      report.rejected += rejected.length;
      report.records += batch.records.length + rejected.length;
      for (const r of rejected) {
        const field = r.field ?? '_record';
        report.rejectedByField[field] = (report.rejectedByField[field] ?? 0) + 1;
        if (report.firstErrors.length < maxErrors) report.firstErrors.push(r);
      }
      if (rejected.length === 0) continue;
      columns ??= [...Object.keys(rejected[0]?.record ?? {}), '_record', '_line', '_field', '_error'];
      const shown = columns;
      yield rejected.map((r) => {
        const row: FileRecord = {};
        for (const c of shown) row[c] = r.record[c] ?? null;
        row._record = r.recordNumber;
        row._line = r.line ?? null;
        row._field = r.field ?? null;
        row._error = r.reason;
        return row;
      });
    }
  }
  if (settings.errorsTo) {
    await pipeline(Readable.from(writeRecords(errorRows(), 'csv')), settings.errorsTo);
  } else {
    for await (const rows of errorRows()) void rows;
  }
  return report;
}
