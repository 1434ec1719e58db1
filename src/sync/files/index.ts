/**
 * File formats for the sync engine's file sources and targets: CSV/TSV, JSON, NDJSON and XML, read and written
 * streamed, with format detection and schema inference. docs/files.md describes the options and the errors.
 */
export { readRecords, type FileRecord, type ReadSettings, type RecordBatch, type RejectedRecord } from './read.js';
export { writeRecords, type WriteSettings } from './write.js';
export { detectFile, detectFormat, type Detection, type DetectHints } from './detect.js';
export { inferFileSample, inferFileSchema, inferSchema, type InferredField, type InferredSchema } from './infer.js';
export { FileFormatError, type FileFormatErrorCode } from './errors.js';
export { fieldTypes, type FieldType, type FileSchema, type SchemaField } from './coerce.js';
export {
  fileFormats,
  fileFormatSchema,
  csvOptionsSchema,
  jsonOptionsSchema,
  ndjsonOptionsSchema,
  xmlOptionsSchema,
  parseFormatOptions,
  type FileFormat,
  type FileFormatSpec,
  type FormatOptions,
  type FormatOptionsInput,
} from './formats.js';
export { checkRecords, dryRun, type DryRunReport, type DryRunSettings, type ImportRules } from './dry-run.js';
