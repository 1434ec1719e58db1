import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { capabilitiesDir } from '../core/paths.js';
import { capabilityNamePattern } from './manifest/capability.js';

/**
 * Capabilities: standard models a route serves from several providers (`capabilities/<name>.yaml`), each a query
 * schema and a record schema (JSON Schema), in the manner of OpenBB's standard models. Connector manifests map them
 * to each vendor's request and answer (their `capabilities` section). Validated at load; the schemas are compiled
 * once.
 */

const jsonSchemaObject = z
  .looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()) })
  .describe('A JSON Schema (draft 7) of an object');

const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const capabilityDefinitionSchema = z
  .strictObject({
    name: z.string().regex(capabilityNamePattern, 'a capability name such as equity.quote'),
    title: z.string().min(1),
    description: z.string().min(1),
    feature: z.enum(['financial_data', 'provider_routing']).describe('The tenant feature a route of it needs'),
    many: z.boolean().describe('false: one record per query; true: a list (e.g. daily bars)'),
    key: z.array(fieldName).min(1).describe('The record fields that identify a record'),
    query: jsonSchemaObject,
    record: jsonSchemaObject,
    range: z
      .strictObject({ field: fieldName, from: fieldName, to: fieldName })
      .optional()
      .describe('Keep records whose `field` lies between the query’s `from` and `to` fields (inclusive)'),
    limit: fieldName.optional().describe('The query field that caps how many records are kept (in answer order)'),
    fusable: z
      .boolean()
      .default(true)
      .describe('false: a route may not fuse providers’ answers (a send has one answer, from the provider that sent)'),
    idempotent: z
      .boolean()
      .default(true)
      .describe(
        'false: asking twice may act twice (a send). A provider that may have acted without answering is neither ' +
          'asked again nor replaced by the next provider',
      ),
  })
  .meta({ id: 'CapabilityDefinition' });

export type CapabilityDefinition = z.output<typeof capabilityDefinitionSchema>;

/** A problem with a query or a record, as an API error lists it: `query.symbol`, "is required". */
export type CapabilityProblem = { path: string; message: string };

export type CapabilityCheck<T> = { ok: true; value: T } | { ok: false; errors: CapabilityProblem[] };

/** The JSON Schema capability files are written against (committed as capabilities/capability.schema.json). */
export function capabilityJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(capabilityDefinitionSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>),
    $id: 'https://switchyard.invalid/capability.schema.json',
    title: 'Switchyard capability (standard model)',
  };
}

export class CapabilityError extends Error {
  constructor(readonly problems: { file: string; problem: string }[]) {
    super(`Invalid capabilities:\n${problems.map((p) => `  ${p.file}: ${p.problem}`).join('\n')}`);
    this.name = 'CapabilityError';
  }
}

type Compiled = { definition: CapabilityDefinition; query: ValidateFunction; record: ValidateFunction };

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

/** A catalog over definitions already parsed (tests build small ones). */
export function createCapabilityCatalog(definitions: CapabilityDefinition[]) {
  const ajv = newAjv();
  const byName = new Map<string, Compiled>();
  for (const definition of definitions) {
    byName.set(definition.name, {
      definition,
      query: ajv.compile(definition.query),
      record: ajv.compile(definition.record),
    });
  }
  const compiled = (name: string): Compiled | undefined => byName.get(name);

  return {
    list: (): CapabilityDefinition[] => [...byName.values()].map((c) => c.definition),
    get: (name: string): CapabilityDefinition | undefined => compiled(name)?.definition,
    /** The query with its defaults filled in (a copy), or what is wrong with it, each problem at `query.<field>`. */
    validateQuery(name: string, query: unknown): CapabilityCheck<Record<string, unknown>> {
      const c = compiled(name);
      if (!c) return { ok: false, errors: [{ path: 'capability', message: `no capability named "${name}"` }] };
      const copy = structuredClone(query) as Record<string, unknown>;
      if (c.query(copy)) return { ok: true, value: copy };
      return { ok: false, errors: describeErrors('query', c.query.errors ?? [], c.definition.query) };
    },
    /** Whether one record is a record of the capability; its problems at `record.<field>`. */
    validateRecord(name: string, record: unknown): CapabilityCheck<Record<string, unknown>> {
      const c = compiled(name);
      if (!c) return { ok: false, errors: [{ path: 'capability', message: `no capability named "${name}"` }] };
      if (c.record(record)) return { ok: true, value: record as Record<string, unknown> };
      return { ok: false, errors: describeErrors('record', c.record.errors ?? [], c.definition.record) };
    },
  };
}

export type CapabilityCatalog = ReturnType<typeof createCapabilityCatalog>;

/** Parse and check every `<name>.yaml` in a directory; throws CapabilityError listing every problem. */
export function loadCapabilities(dir: string = capabilitiesDir): CapabilityCatalog {
  const problems: { file: string; problem: string }[] = [];
  const definitions: CapabilityDefinition[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const doc = parseDocument(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => ({ file, problem: e.message.split('\n')[0] as string })));
      continue;
    }
    const parsed = capabilityDefinitionSchema.safeParse(doc.toJS());
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => ({ file, problem: `/${i.path.join('/')}: ${i.message}` })));
      continue;
    }
    const d = parsed.data;
    if (`${d.name}.yaml` !== file) problems.push({ file, problem: `name "${d.name}" must match the file name` });
    const fields = Object.keys(d.record.properties);
    for (const k of d.key.filter((k) => !fields.includes(k))) {
      problems.push({ file, problem: `key field "${k}" is not a record property` });
    }
    const queryFields = Object.keys(d.query.properties);
    for (const k of [d.range?.from, d.range?.to, d.limit].filter((k) => k !== undefined && !queryFields.includes(k))) {
      problems.push({ file, problem: `query field "${k}" (range or limit) is not a query property` });
    }
    try {
      newAjv().compile(d.query);
      newAjv().compile(d.record);
    } catch (error) {
      problems.push({ file, problem: `not a JSON Schema: ${(error as Error).message}` });
    }
    definitions.push(d);
  }
  if (problems.length) throw new CapabilityError(problems);
  return createCapabilityCatalog(definitions);
}

let shipped: CapabilityCatalog | undefined;
/** The shipped capabilities (`capabilities/`), loaded once. */
export function capabilityCatalog(): CapabilityCatalog {
  return (shipped ??= loadCapabilities());
}

const article = (type: unknown) => {
  const t = (Array.isArray(type) ? type.filter((x) => x !== 'null')[0] : type) as string | undefined;
  return t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${String(t)}`;
};

/** Ajv's errors as sentences a person reads: the field's path, and what it must be. */
function describeErrors(root: string, errors: ErrorObject[], schema: Record<string, unknown>): CapabilityProblem[] {
  const properties = (schema.properties ?? {}) as Record<string, { description?: string; examples?: unknown[] }>;
  const out: CapabilityProblem[] = [];
  const seen = new Set<string>();
  // `anyOf: [{required: [text]}, {required: [html]}]` fails once per branch: said once, as "needs one of".
  const inAnyOf = (e: ErrorObject) => e.keyword === 'required' && /^#\/anyOf\/\d+\/required$/.test(e.schemaPath);
  const alternatives = errors.filter(inAnyOf).map((e) => String(e.params.missingProperty));
  for (const e of errors) {
    const at = `${root}${e.instancePath.replace(/\//g, '.')}`;
    const field = e.instancePath.split('/')[1] ?? '';
    let item: CapabilityProblem;
    if (inAnyOf(e)) continue;
    switch (e.keyword) {
      case 'anyOf':
        item = {
          path: at,
          message: alternatives.length ? `needs one of ${alternatives.join(', ')}` : 'does not match any allowed form',
        };
        break;
      case 'required':
        item = { path: `${root}.${String(e.params.missingProperty)}`, message: 'is required' };
        break;
      case 'additionalProperties':
        item = {
          path: `${root}.${String(e.params.additionalProperty)}`,
          message: `is not a field of this ${root}; the fields are ${Object.keys(properties).join(', ')}`,
        };
        break;
      case 'enum':
        item = { path: at, message: `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
        break;
      case 'type':
        item = { path: at, message: `must be ${article(e.params.type)}` };
        break;
      case 'format':
        item = {
          path: at,
          message: e.params.format === 'date' ? 'must be a date (YYYY-MM-DD)' : `must be a ${String(e.params.format)}`,
        };
        break;
      case 'pattern': {
        const p = properties[field];
        const example = p?.examples?.[0];
        item = {
          path: at,
          message: `is not valid${p?.description ? `: ${p.description}` : ''}${example !== undefined && !p?.description?.includes(String(example)) ? ` (e.g. ${String(example)})` : ''}`,
        };
        break;
      }
      default:
        item = { path: at, message: e.message ?? 'is not valid' };
    }
    const key = `${item.path}|${item.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}
