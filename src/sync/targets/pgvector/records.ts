import type { Rejected, SyncRecord } from '../../engine/types.js';

/**
 * A stream's records as pgvector rows `(id, embedding, metadata)`. The id is the configured field's value (or the
 * stream's primary key: one field's value, several as a JSON array of their values); the embedding must be a list of
 * exactly `dimensions` finite numbers (a JSON array given as text, as a CSV cell or a PostgreSQL `vector` read as
 * text carries it, is read as one); metadata is the listed fields, or every field but the id and the embedding. A
 * record that does not fit is rejected with the reason, the rest of its batch written.
 */

export type VectorShape = {
  dimensions: number;
  /** The field holding the id; absent: the stream's primary key. */
  idField?: string;
  embeddingField: string;
  /** The fields kept in metadata; absent: all but the id field(s) and the embedding. */
  metadataFields?: readonly string[];
};

export type VectorRow = { id: string; embedding: string; metadata: Record<string, unknown> };

/** The row id of a record (or of a tombstone's key values), or why there is none. */
export function vectorId(record: SyncRecord, shape: VectorShape, primaryKey: readonly string[]): string | Error {
  const fields = shape.idField ? [shape.idField] : primaryKey;
  const values = fields.map((f) => record[f]);
  if (values.some((v) => v === undefined || v === null || v === ''))
    return new Error(`no id: the field "${fields.join('", "')}" is empty`);
  if (values.length === 1) {
    const [value] = values;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    return new Error(`the id field "${fields[0]}" must hold a string or a number`);
  }
  return JSON.stringify(values, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

/** The embedding in pgvector's text form (`[1,2.5,-3]`), or why the value is not one. */
export function vectorText(value: unknown, dimensions: number, field: string): string | Error {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return new Error(`the embedding "${field}" is text that is not a list of numbers`);
    }
  }
  if (list === undefined || list === null) return new Error(`no embedding: the field "${field}" is empty`);
  if (!Array.isArray(list)) return new Error(`the embedding "${field}" is not a list of numbers`);
  if (list.length !== dimensions)
    return new Error(
      `the embedding "${field}" has ${list.length} values; the target takes ${dimensions} (its dimensions)`,
    );
  for (let i = 0; i < list.length; i++) {
    const n: unknown = list[i];
    if (typeof n !== 'number' || !Number.isFinite(n))
      return new Error(`value ${i + 1} of the embedding "${field}" is not a finite number: ${JSON.stringify(n)}`);
  }
  return `[${list.join(',')}]`;
}

/** The rows a batch writes, each with the record it came from, and the records refused before any is written. */
export function toVectorRows(
  records: readonly SyncRecord[],
  shape: VectorShape,
  primaryKey: readonly string[],
): { rows: VectorRow[]; sources: Map<VectorRow, SyncRecord>; rejected: Rejected[] } {
  const rows: VectorRow[] = [];
  const sources = new Map<VectorRow, SyncRecord>();
  const rejected: Rejected[] = [];
  const idFields = new Set(shape.idField ? [shape.idField] : primaryKey);
  for (const record of records) {
    const id = vectorId(record, shape, primaryKey);
    const embedding = vectorText(record[shape.embeddingField], shape.dimensions, shape.embeddingField);
    if (id instanceof Error || embedding instanceof Error) {
      rejected.push({ record, reason: (id instanceof Error ? id : (embedding as Error)).message });
      continue;
    }
    const row = { id, embedding, metadata: metadataOf(record, shape, idFields) };
    rows.push(row);
    sources.set(row, record);
  }
  return { rows, sources, rejected };
}

function metadataOf(record: SyncRecord, shape: VectorShape, idFields: ReadonlySet<string>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (shape.metadataFields) {
    for (const field of shape.metadataFields) if (record[field] !== undefined) metadata[field] = record[field];
    return metadata;
  }
  for (const [field, value] of Object.entries(record)) {
    if (field !== shape.embeddingField && !idFields.has(field) && value !== undefined) metadata[field] = value;
  }
  return metadata;
}
