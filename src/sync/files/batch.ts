import { recordCoercer, type BooleanTexts, type FileSchema, type RecordCoercer } from './coerce.js';
import { FileFormatError } from './errors.js';

export type FileRecord = Record<string, unknown>;

/**
 * The key a field named `name` is kept under. `__proto__` is the one name an object cannot hold as an ordinary key
 * (assigning it sets the object's prototype), so a column or element of that name is read as `__proto___2`, as a
 * repeated name would be.
 */
export const fieldKey = (name: string): string => (name === '__proto__' ? '__proto___2' : name);

/** A record that did not fit the schema (or the header): kept out of `records`, with where it was and why. */
export type RejectedRecord = {
  record: FileRecord;
  recordNumber: number;
  line?: number;
  field?: string;
  reason: string;
};

export type RecordBatch = {
  records: FileRecord[];
  /** The number (1-based, counting every data record, rejected ones too) of the first record read into the batch. */
  firstRecordNumber: number;
  /** The line each of `records` starts on. */
  lineNumbers?: number[];
  /** Records refused in this batch (with `invalid: 'reject'`, the default). */
  rejected?: RejectedRecord[];
};

export type ReadSettings = {
  /** Records per batch (default 1,000). */
  batchSize?: number;
  /** Check and convert records to these types; without it CSV and XML values stay text (or null). */
  schema?: FileSchema;
  /** A record that does not fit: `reject` keeps it out of the batch with a reason (default); `fail` stops the read. */
  invalid?: 'reject' | 'fail';
  /** The longest record, in characters (default 16 Mi); see errors.ts. */
  maxRecordChars?: number;
  /** Stops the read between chunks. */
  signal?: AbortSignal;
};

/**
 * Collects records into batches of `batchSize` as a reader produces them, numbering them and applying the schema.
 * Readers add records while they parse a chunk, then yield `take()` until it answers undefined: a batch never waits
 * for more input than it needs, and at most one chunk's records are held. When the file turns out broken, the
 * records read before the bad place are yielded (`rest()`) before the error is thrown.
 */
export class BatchBuilder {
  private records: FileRecord[] = [];
  private lines: number[] = [];
  private rejected: RejectedRecord[] = [];
  private first = 1;
  private ready: RecordBatch[] = [];
  /** Records read so far (accepted or rejected). */
  count = 0;
  private readonly coerce: RecordCoercer | undefined;
  private readonly size: number;
  private readonly failOnInvalid: boolean;

  constructor(settings: ReadSettings, booleans: BooleanTexts) {
    this.size = Math.max(1, settings.batchSize ?? 1000);
    this.coerce = settings.schema ? recordCoercer(settings.schema, booleans) : undefined;
    this.failOnInvalid = settings.invalid === 'fail';
  }

  add(record: FileRecord, line: number): void {
    this.count++;
    if (this.coerce) {
      const problem = this.coerce(record);
      if (problem) {
        this.reject(record, line, problem.reason, problem.field);
        return;
      }
    }
    this.records.push(record);
    this.lines.push(line);
    this.flushIfFull();
  }

  /** A record refused by the reader itself (a CSV row with the wrong number of fields, a JSON value not an object). */
  refuse(record: FileRecord, line: number, reason: string): void {
    this.count++;
    this.reject(record, line, reason);
  }

  private reject(record: FileRecord, line: number, reason: string, field?: string): void {
    if (this.failOnInvalid) throw new FileFormatError('invalid_value', reason, { line, record: this.count });
    this.rejected.push({ record, recordNumber: this.count, line, reason, ...(field ? { field } : {}) });
    this.flushIfFull();
  }

  private flushIfFull(): void {
    if (this.records.length + this.rejected.length >= this.size) this.flush();
  }

  private flush(): void {
    if (this.records.length === 0 && this.rejected.length === 0) return;
    const batch: RecordBatch = { records: this.records, firstRecordNumber: this.first, lineNumbers: this.lines };
    if (this.rejected.length > 0) batch.rejected = this.rejected;
    this.ready.push(batch);
    this.records = [];
    this.lines = [];
    this.rejected = [];
    this.first = this.count + 1;
  }

  /** Every batch left, the last one partial: at the end of the input, or before an error is passed on. */
  *rest(): Generator<RecordBatch> {
    for (let b = this.take(true); b; b = this.take(true)) yield b;
  }

  /** The next full batch, or undefined; at the end (`final`), what is left too. */
  take(final = false): RecordBatch | undefined {
    if (final) this.flush();
    return this.ready.shift();
  }
}
