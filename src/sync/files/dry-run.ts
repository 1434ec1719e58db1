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
    const pattern = new RegExp(`^(?:${source})$`, 'u');
    checks.push((r) => {
      const v = r[field];
      return v === null || v === undefined || pattern.test(String(v))
        ? undefined
        : { field, reason: `${field}: ${preview(v)} does not match ${source}` };
    });
  }
  for (const fields of rules.unique ?? []) {
    const seen = new Map<string, number>();
    const name = fields.join(', ');
    checks.push((r, line) => {
      const values = fields.map((f) => r[f]);
      if (values.some((v) => v === null || v === undefined)) return undefined;
      const key = values.length === 1 ? String(values[0]) : JSON.stringify(values);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, line ?? 0);
        return undefined;
      }
      const where = first ? ` (first on line ${first})` : '';
      return { field: fields[0] as string, reason: `${name}: ${preview(values.join(', '))} appears again${where}` };
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
    const records: FileRecord[] = [];
    const lines: number[] = [];
    const rejected = [...(batch.rejected ?? [])];
    // The reader's rejections are not among `records`: the accepted ones take the record numbers left between them.
    const skipped = new Set(rejected.map((r) => r.recordNumber));
    let number = batch.firstRecordNumber - 1;
    batch.records.forEach((record, i) => {
      do number += 1;
      while (skipped.has(number));
      const line = batch.lineNumbers?.[i];
      for (const check of checks) {
        const problem = check(record, line);
        if (problem) {
          rejected.push({
            record,
            recordNumber: number,
            ...(line !== undefined ? { line } : {}),
            ...problem,
          });
          return;
        }
      }
      records.push(record);
      if (line !== undefined) lines.push(line);
    });
    // Reader rejections and rule rejections interleave: the report and the errors file keep file order.
    rejected.sort((a, b) => a.recordNumber - b.recordNumber);
    yield {
      records,
      firstRecordNumber: batch.firstRecordNumber,
      ...(batch.lineNumbers ? { lineNumbers: lines } : {}),
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
