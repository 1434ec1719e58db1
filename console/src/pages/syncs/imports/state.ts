import type { ApiPaths, Schemas } from '../../../api.js';
import type { StoredFile } from '../../files/upload.js';

export type FileFormat = Schemas['FileFormat'];
export type Inspection = ApiPaths['/v1/imports/inspect']['post']['responses'][200]['content']['application/json'];
export type InferredField = Inspection['schema']['fields'][number];
type FileSource = Extract<Schemas['SyncSource'], { kind: 'file' }>;
export type ImportField = NonNullable<FileSource['schema']>[number];
export type FieldType = ImportField['type'];
export type OnError = FileSource['on_error'];
export type NewColumns = FileSource['new_columns'];
export type FileImport = Schemas['FileImport'];

export const fieldTypes: readonly FieldType[] = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'json'];

export const onErrorLabels: Record<OnError, string> = {
  reject_file: 'Reject the whole file (import nothing if any record is bad)',
  skip: 'Skip bad records (import the rest: Partial Success)',
  stop: 'Stop at the first bad record (import nothing)',
};
/** The policies in a few words, for summaries. */
export const onErrorShort: Record<OnError, string> = {
  reject_file: 'reject the whole file',
  skip: 'skip it',
  stop: 'stop at the first',
};
export const newColumnShort: Record<NewColumns, string> = {
  evolve: 'kept',
  freeze: 'fail the import',
  discard_row: 'reject the record',
  discard_value: 'dropped',
};
export const newColumnLabels: Record<NewColumns, string> = {
  evolve: 'Keep them (the model grows)',
  freeze: 'Fail the import',
  discard_row: 'Reject the record',
  discard_value: 'Drop the column',
};
export const formatLabels: Record<FileFormat['format'], string> = {
  csv: 'CSV',
  tsv: 'TSV',
  json: 'JSON',
  ndjson: 'NDJSON (one JSON record per line)',
  xml: 'XML',
};

/** One field of the schema as the schema step edits it: the proposal it started from stays beside it. */
export type FieldDraft = {
  name: string;
  type: FieldType;
  required: boolean;
  /** Allowed values, comma-separated as typed. */
  allowed: string;
  pattern: string;
  inferred?: InferredField;
};

/** One file field in the mapping step: whether it is written, and under which target field. */
export type MappingDraft = { from: string; to: string; include: boolean; edited: boolean };

export type TargetKind = 'record_store' | 'postgres' | 'connection';

/** Everything the wizard holds between steps. */
export type Wizard = {
  file?: StoredFile;
  inspection?: Inspection;
  format?: FileFormat;
  fields: FieldDraft[];
  name: string;
  targetKind: TargetKind;
  connectionId: string;
  /** The model (record store), table (PostgreSQL) or stream (a connection's API) written. */
  model: string;
  pgSchema: string;
  primaryKey: string[];
  /** The primary key must be unique within the file. */
  uniqueKey: boolean;
  mapping: MappingDraft[];
  onError: OnError;
  newColumns: NewColumns;
  /** Keep what the import changes, so that it can be undone. */
  undoable: boolean;
};

export const emptyWizard: Wizard = {
  fields: [],
  name: '',
  targetKind: 'record_store',
  connectionId: '',
  model: '',
  pgSchema: 'public',
  primaryKey: [],
  uniqueKey: true,
  mapping: [],
  onError: 'skip',
  newColumns: 'evolve',
  undoable: true,
};

/** A model or table name from a file name: `People 2024.csv` → `people_2024`. */
export function modelNameOf(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').toLowerCase();
  const name = base.replace(/[^a-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return (name || 'records').slice(0, 128);
}

/** The wizard after inspecting: the proposed schema as drafts, every field mapped to itself, a key guessed. */
export function fromInspection(w: Wizard, inspection: Inspection): Wizard {
  const fields: FieldDraft[] = inspection.schema.fields.map((f) => ({
    name: f.name,
    type: f.type,
    required: !f.nullable,
    allowed: '',
    pattern: '',
    inferred: f,
  }));
  const names = fields.map((f) => f.name);
  const guessedKey = names.find((n) => /^(id|key|uuid|code)$/i.test(n));
  return {
    ...w,
    inspection,
    format: inspection.format,
    fields,
    mapping: names.map((n) => ({ from: n, to: n, include: true, edited: false })),
    primaryKey: guessedKey ? [guessedKey] : [],
  };
}

/** Allowed values as typed, converted to the field's type (`1, 2` for an integer field are numbers). */
export function allowedValues(field: FieldDraft): (string | number | boolean)[] | undefined {
  const items = field.allowed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return undefined;
  if (field.type === 'integer' || field.type === 'number') {
    return items.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s));
  }
  if (field.type === 'boolean') return items.map((s) => (s === 'true' ? true : s === 'false' ? false : s));
  return items;
}

export function schemaOf(fields: FieldDraft[]): ImportField[] {
  return fields.map((f) => {
    const allowed = allowedValues(f);
    return {
      name: f.name,
      type: f.type,
      nullable: !f.required,
      ...(allowed ? { enum: allowed } : {}),
      ...(f.pattern.trim() ? { pattern: f.pattern.trim() } : {}),
    };
  });
}

/** The field a file import keys records by when it has no primary key: their number in the file. */
export const RECORD_NUMBER = '_record';

/**
 * Every field written under its own name: no mapping needed. Otherwise only the included ones, renamed (and, without
 * a primary key, the record number that keys them).
 */
export function mappingsOf(mapping: MappingDraft[], primaryKey: string[]): Schemas['SyncMappingInput'] {
  const included = mapping.filter((m) => m.include);
  const identity = included.length === mapping.length && included.every((m) => m.to.trim() === m.from);
  if (identity) return { select: 'all', fields: [] };
  const fields = included.map((m) => ({ from: m.from, to: m.to.trim() || m.from }));
  if (primaryKey.length === 0) fields.push({ from: RECORD_NUMBER, to: RECORD_NUMBER });
  return { select: 'mapped', fields };
}

/** A name reduced for matching: `First Name`, `first_name` and `firstName` all match. */
const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Map file fields to target fields of the same name (ignoring case, spaces, `_` and `-`); a field the user set by hand
 * keeps its choice, one without a match keeps its own name.
 */
export function autoMatch(mapping: MappingDraft[], targetFields: string[]): MappingDraft[] {
  const byName = new Map(targetFields.map((t) => [normalised(t), t]));
  return mapping.map((m) => (m.edited ? m : { ...m, to: byName.get(normalised(m.from)) ?? m.from }));
}

/** What the wizard would create: a full sync reading the file into the chosen target. */
export function syncBodyOf(w: Wizard) {
  const file = w.file as StoredFile;
  const format = w.format as FileFormat;
  const target: Schemas['SyncTargetInput'] =
    w.targetKind === 'record_store'
      ? { kind: 'record_store', connection_id: w.connectionId }
      : w.targetKind === 'postgres'
        ? { kind: 'postgres', connection_id: w.connectionId, schema: w.pgSchema.trim() || 'public' }
        : { kind: 'connection', connection_id: w.connectionId };
  return {
    name: w.name.trim() || `Import ${file.name}`,
    description: `Import of ${file.name}`,
    type: 'full' as const,
    direction: w.targetKind === 'connection' ? ('outbound' as const) : ('inbound' as const),
    source: {
      kind: 'file' as const,
      file_id: file.id,
      format,
      schema: schemaOf(w.fields),
      unique: w.uniqueKey && w.primaryKey.length > 0 ? [w.primaryKey] : [],
      json_schema: null,
      event_type: null,
      on_error: w.onError,
      undoable: w.undoable,
      new_columns: w.newColumns,
      streams: [{ name: w.model.trim(), ...(w.primaryKey.length > 0 ? { primary_key: w.primaryKey } : {}) }],
    },
    target,
    mappings: mappingsOf(w.mapping, w.primaryKey),
  };
}

export type SyncBody = ReturnType<typeof syncBodyOf>;

/** A model, table or stream name the API takes. */
export const validName = (name: string) => /^[A-Za-z0-9_.-]{1,128}$/.test(name);

/** Why the target step cannot go on yet, or undefined. */
export function targetProblem(w: Wizard): string | undefined {
  if (!w.connectionId) {
    return w.targetKind === 'record_store'
      ? 'Choose the connection the records are kept under.'
      : 'Choose the connection to write to.';
  }
  if (!validName(w.model.trim())) {
    return `Name the ${w.targetKind === 'record_store' ? 'model' : w.targetKind === 'postgres' ? 'table' : 'stream'}: letters, digits, _ . -`;
  }
  const dropped = w.primaryKey.filter((k) => !w.mapping.find((m) => m.from === k)?.include);
  if (dropped.length > 0) return `The primary key (${dropped.join(', ')}) must be written: include it.`;
  return undefined;
}

/**
 * A rejected record's reason as the file source writes it — `record 3 (line 4), email: does not match …` — split
 * into its parts, to show each error where it is. A reason in another form is kept whole.
 */
export function splitReason(reason: string): { number?: number; line?: number; field?: string; message: string } {
  const match = /^record (\d+)(?: \(line (\d+)\))?(?:, ([^:]+))?: (.*)$/s.exec(reason);
  if (!match) return { message: reason };
  return {
    number: Number(match[1]),
    ...(match[2] ? { line: Number(match[2]) } : {}),
    ...(match[3] ? { field: match[3] } : {}),
    message: match[4] ?? '',
  };
}

/** A value as a table cell shows it. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The columns of some records, in the order they first appear. */
export function columnsOf(records: Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
