import type { FieldInfo, StreamSpec } from '../engine/types.js';
import { ApiError } from '../../core/errors.js';
import { castImpossible } from './cast.js';
import { renamedAway } from './compile.js';
import { mustParsePath, rootField, type ParsedPath } from './path.js';
import { fieldsForStream, type FieldMapping, type Mapping } from './schema.js';
import { parseTemplate } from './template.js';

/**
 * Checks a mapping makes against what a source says of its streams, when a configuration is saved (a mapping that
 * names a field the source lacks would otherwise map every record to nothing, silently), and what the mapped records
 * will look like, for a target to create its table.
 */
export type MappingProblem = {
  code: 'mapping_invalid';
  stream: string;
  /** The output field (`to`) the problem is about, or the primary key field. */
  field: string;
  /** Where in the configuration: `mappings.fields[2].from`. */
  path: string;
  message: string;
};

type Indexed = { field: FieldMapping; index: number };

function indexedFields(mapping: Mapping, stream: string): Indexed[] {
  const chosen = new Set(fieldsForStream(mapping, stream));
  return mapping.fields.flatMap((field, index) => (chosen.has(field) ? [{ field, index }] : []));
}

/** Types whose values can hold nested fields. */
const nestable = new Set(['object', 'json', 'array', 'unknown']);

function checkSourcePath(
  spec: StreamSpec,
  known: Map<string, FieldInfo>,
  path: ParsedPath,
  where: string,
  problem: (message: string, at: string) => void,
): void {
  if (known.size === 0) return;
  const source = known.get(rootField(path));
  if (!source) {
    problem(`stream ${spec.name} has no field ${rootField(path)}`, where);
    return;
  }
  if (path.steps.length > 1 && !nestable.has(source.type))
    problem(
      `field ${source.name} of stream ${spec.name} is ${source.type}; it has no nested field ${path.text}`,
      where,
    );
}

function checkField({ field, index }: Indexed, spec: StreamSpec, known: Map<string, FieldInfo>, out: MappingProblem[]) {
  const problem = (message: string, at: string) =>
    out.push({
      code: 'mapping_invalid',
      stream: spec.name,
      field: field.to,
      path: `mappings.fields[${index}].${at}`,
      message,
    });
  if (field.from !== undefined) {
    const from = mustParsePath(field.from);
    checkSourcePath(spec, known, from, 'from', problem);
    const source = from.steps.length === 1 ? known.get(from.text) : undefined;
    if (source && field.cast && castImpossible(source.type, field.cast))
      problem(
        `field ${source.name} of stream ${spec.name} is ${source.type}; it cannot be cast to ${field.cast}`,
        'cast',
      );
  }
  if (field.template !== undefined) {
    const template = parseTemplate(field.template);
    if (!('error' in template))
      for (const path of template.paths) checkSourcePath(spec, known, path, 'template', problem);
  }
}

/** Two fields writing one output: the same path, or one path inside the other (`address` and `address.city`). */
function checkOutputs(fields: Indexed[], spec: StreamSpec, out: MappingProblem[]) {
  const seen: { path: ParsedPath; index: number }[] = [];
  for (const { field, index } of fields) {
    const to = mustParsePath(field.to);
    for (const other of seen) {
      const n = Math.min(other.path.steps.length, to.steps.length);
      if (!other.path.steps.slice(0, n).every((s, i) => s === to.steps[i])) continue;
      const what = other.path.text === to.text ? `is mapped twice` : `overlaps field ${other.path.text}`;
      out.push({
        code: 'mapping_invalid',
        stream: spec.name,
        field: field.to,
        path: `mappings.fields[${index}].to`,
        message: `field ${field.to} of stream ${spec.name} ${what} (mappings.fields[${other.index}])`,
      });
    }
    seen.push({ path: to, index });
  }
}

function checkStream(mapping: Mapping, spec: StreamSpec, out: MappingProblem[]) {
  const known = new Map(spec.fields.map((f) => [f.name, f]));
  const fields = indexedFields(mapping, spec.name);
  for (const f of fields) checkField(f, spec, known, out);
  checkOutputs(fields, spec, out);
  const key = mappedPrimaryKey(mapping, spec);
  spec.primaryKey.forEach((name, i) => {
    if (key[i] !== undefined) return;
    out.push({
      code: 'mapping_invalid',
      stream: spec.name,
      field: name,
      path: 'mappings.fields',
      message: `primary key field ${name} of stream ${spec.name} is not in the mapped records; map it to a top-level field`,
    });
  });
}

/**
 * The problems of a mapping for a stream (or for every stream of a configuration, which also catches fields naming a
 * stream the configuration does not read). Empty: the mapping is fine. Fields a source cannot list before reading
 * (most REST listings) are not checked by name.
 */
export function checkMapping(mapping: Mapping, streams: StreamSpec | StreamSpec[]): MappingProblem[] {
  const specs = Array.isArray(streams) ? streams : [streams];
  const out: MappingProblem[] = [];
  for (const spec of specs) checkStream(mapping, spec, out);
  if (Array.isArray(streams)) {
    const names = new Set(specs.map((s) => s.name));
    mapping.fields.forEach((field, index) => {
      if (field.stream === undefined || names.has(field.stream)) return;
      out.push({
        code: 'mapping_invalid',
        stream: field.stream,
        field: field.to,
        path: `mappings.fields[${index}].stream`,
        message: `field ${field.to} names stream ${field.stream}, which this sync does not read (${[...names].join(', ') || 'none'})`,
      });
    });
  }
  return out;
}

/**
 * The output fields that carry the stream's primary key, in its order: the top-level `to` of the first field mapped
 * from a key field, or the key field itself under `select: all` when it is not renamed away. An entry is undefined
 * when the mapped records would lack that key field (checkMapping reports it).
 */
export function mappedPrimaryKey(
  mapping: Mapping,
  spec: Pick<StreamSpec, 'name' | 'primaryKey'>,
): (string | undefined)[] {
  const fields = fieldsForStream(mapping, spec.name);
  const dropped = mapping.select === 'all' ? renamedAway(fields) : undefined;
  return spec.primaryKey.map((key) => {
    const mapped = fields.find((f) => f.from === key && mustParsePath(f.to).steps.length === 1);
    if (mapped) return mapped.to;
    return dropped && !dropped.has(key) ? key : undefined;
  });
}

function typeOfConstant(value: unknown): string {
  if (value === null) return 'unknown';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

function outputField(field: FieldMapping, known: Map<string, FieldInfo>): FieldInfo {
  const to = mustParsePath(field.to);
  const name = rootField(to);
  if (to.steps.length > 1) return { name, type: typeof to.steps[1] === 'number' ? 'array' : 'object', nullable: true };
  const hasDefault = field.default !== undefined && field.default !== null;
  if (field.from !== undefined) {
    const source = mustParsePath(field.from).steps.length === 1 ? known.get(field.from) : undefined;
    return {
      name,
      type: field.cast ?? source?.type ?? 'unknown',
      nullable: hasDefault ? false : (source?.nullable ?? true),
    };
  }
  if (field.template !== undefined) return { name, type: field.cast ?? 'string', nullable: false };
  return { name, type: field.cast ?? typeOfConstant(field.constant), nullable: field.constant === null && !hasDefault };
}

/**
 * The fields of the mapped records, for a target to create or check its table: under `select: all` the source's
 * fields (less those renamed away) with the mapped ones over them, under `select: mapped` the mapped ones. When the
 * source cannot list its fields, only the mapped ones are known.
 */
export function mappedFields(mapping: Mapping, spec: StreamSpec): FieldInfo[] {
  const known = new Map(spec.fields.map((f) => [f.name, f]));
  const fields = fieldsForStream(mapping, spec.name);
  const out = new Map<string, FieldInfo>();
  if (mapping.select === 'all') {
    const dropped = renamedAway(fields);
    for (const f of spec.fields) if (!dropped.has(f.name)) out.set(f.name, f);
  }
  for (const field of fields) {
    const info = outputField(field, known);
    const existing = out.get(info.name);
    // A nested write into a field the source already has keeps that field (its type is still an object).
    if (existing && mustParsePath(field.to).steps.length > 1) continue;
    out.set(info.name, info);
  }
  return [...out.values()];
}

/** Refuse a mapping with problems (saving a configuration): 422 `mapping_invalid`, every problem listed. */
export function assertMappingFits(mapping: Mapping, streams: StreamSpec | StreamSpec[]): void {
  const problems = checkMapping(mapping, streams);
  if (problems.length === 0) return;
  throw new ApiError('mapping_invalid', problems.map((p) => p.message).join('; '), {
    errors: problems.map((p) => ({ path: p.path, message: p.message })),
  });
}
