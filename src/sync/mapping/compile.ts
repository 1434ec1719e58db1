import type { Rejected, StreamSpec, SyncRecord } from '../engine/types.js';
import { castFailed, castFailure, compileCast, type Cast } from './cast.js';
import { compileReader, compileWriter, mustParsePath, rootField, type PathReader, type PathWriter } from './path.js';
import { fieldsForStream, type FieldMapping, type Mapping } from './schema.js';
import { compileTemplate, parseTemplate } from './template.js';

/**
 * Compile a mapping for one stream into a function from a source record to the mapped record. Everything that does
 * not depend on the record is done here, once: paths become property readers and writers, templates literal parts
 * and readers, casts plain functions, the renamed-away fields a set. Mapping a record then runs only those closures.
 */

/** Thrown by a compiled mapping for a record it cannot map (a cast that failed); the run keeps it as rejected. */
export class RecordRejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RecordRejection';
  }
}

/** Maps one record; throws `RecordRejection` with the reason when the record cannot be mapped. */
export type RecordMapper = (record: SyncRecord) => SyncRecord;

type Op = {
  /** How rejection reasons name the field: its source path, or its output path for constants and templates. */
  label: string;
  read: PathReader;
  fallback: unknown;
  cast: Cast | undefined;
  castType: FieldMapping['cast'];
  write: PathWriter;
};

function compileValue(field: FieldMapping): PathReader {
  if (field.from !== undefined) return compileReader(mustParsePath(field.from));
  if (field.template !== undefined) {
    const parsed = parseTemplate(field.template);
    if ('error' in parsed) throw new Error(parsed.error);
    return compileTemplate(parsed);
  }
  const constant = field.constant;
  return () => constant;
}

function compileOp(field: FieldMapping): Op {
  return {
    label: field.from ?? field.to,
    read: compileValue(field),
    fallback: field.default,
    cast: field.cast ? compileCast(field.cast) : undefined,
    castType: field.cast,
    write: compileWriter(mustParsePath(field.to)),
  };
}

/**
 * Top-level source fields renamed away: a `from` that names a whole top-level field other than its `to`, and that no
 * field writes back to. Under `select: all` they are left out of the output (a rename, not a copy).
 */
export function renamedAway(fields: FieldMapping[]): Set<string> {
  const written = new Set(fields.map((f) => rootField(mustParsePath(f.to))));
  const dropped = new Set<string>();
  for (const f of fields) {
    if (f.from === undefined || f.from === f.to) continue;
    const from = mustParsePath(f.from);
    if (from.steps.length === 1 && !written.has(from.text)) dropped.add(from.text);
  }
  return dropped;
}

function streamName(stream: string | Pick<StreamSpec, 'name'>): string {
  return typeof stream === 'string' ? stream : stream.name;
}

export function compileMapping(mapping: Mapping, stream: string | Pick<StreamSpec, 'name'>): RecordMapper {
  const fields = fieldsForStream(mapping, streamName(stream));
  const keepAll = mapping.select === 'all';
  if (fields.length === 0) return keepAll ? (record) => record : () => ({});
  const ops = fields.map(compileOp);
  const dropped = keepAll ? renamedAway(fields) : new Set<string>();

  const start: (record: SyncRecord) => SyncRecord = !keepAll
    ? () => ({})
    : dropped.size === 0
      ? (record) => ({ ...record })
      : (record) => {
          const out: SyncRecord = {};
          for (const key in record) if (!dropped.has(key)) out[key] = record[key];
          return out;
        };

  return (record) => {
    const out = start(record);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Op;
      let value = op.read(record);
      if (value === undefined || value === null) value = op.fallback ?? value;
      if (op.cast !== undefined) {
        const cast = op.cast(value);
        if (cast === castFailed) throw new RecordRejection(castFailure(op.label, op.castType!, value));
        value = cast;
      }
      // A value the source does not have is left out rather than written as undefined (JSON has no undefined).
      if (value !== undefined) op.write(out, value);
    }
    return out;
  };
}

/** Map a batch: mapped records in order, and the records that could not be mapped with their reasons. */
export function mapRecords(
  mapper: RecordMapper,
  records: SyncRecord[],
): { records: SyncRecord[]; rejected: Rejected[] } {
  const mapped: SyncRecord[] = [];
  const rejected: Rejected[] = [];
  for (const record of records) {
    try {
      mapped.push(mapper(record));
    } catch (error) {
      if (!(error instanceof RecordRejection)) throw error;
      rejected.push({ record, reason: error.reason });
    }
  }
  return { records: mapped, rejected };
}
