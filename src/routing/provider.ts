import { z } from 'zod';
import {
  capabilityCatalog,
  createCapabilityCatalog,
  type CapabilityCatalog,
  type CapabilityDefinition,
} from '../catalog/capabilities.js';
import type { ByQuery, CapabilityMapping } from '../catalog/manifest/capability.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import { ApiError } from '../core/errors.js';
import { readJsonPath } from '../core/json-path.js';
import {
  answerJson,
  classifyRateLimit,
  matchAnswer,
  matchRateSignal,
  toSignal,
  type RateLimitSignal,
} from '../connections/proxy/rate-signals.js';
import { compileMapping, fieldMappingSchema, RecordRejection, type RecordMapper } from '../sync/mapping/index.js';
import { QUERY_TEMPLATE, renderTemplate, renderValue, valueProblems, valueText } from './query-values.js';

/**
 * One provider of a capability, as its manifest describes it: the standard query becomes the vendor's request
 * (`planProviderRequest`), and the vendor's answer becomes standard records or a reason why not
 * (`readProviderAnswer`) — OpenBB's transform-query / extract / transform-data, as data. The manifest's capability
 * sections are compiled once per manifest object.
 */

export type ProviderRequest = {
  method: 'GET' | 'POST';
  /** Under the connection's base URL, query values URL-encoded into it. */
  path: string;
  query: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
};

export type ProviderAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

export type ProviderOutcome =
  | { kind: 'ok'; records: Record<string, unknown>[] }
  | { kind: 'empty'; reason: string }
  | { kind: 'rate_limited'; signal: RateLimitSignal }
  | {
      kind: 'failed';
      failure: 'status' | 'auth' | 'plan' | 'malformed' | 'schema';
      status?: number;
      reason: string;
    };

/** A record field set to a value built from the query (`{to, value}`), beside the sync-style field mappings. */
type ValueField = { to: string; value: unknown };

/** `scoped`: the mapping reads `$query` or `$answer`, so each record is copied with them beside its fields. */
type Compiled = { mapping: CapabilityMapping; mapper: RecordMapper; values: ValueField[]; scoped: boolean };

const isValueField = (f: Record<string, unknown>) => 'value' in f;

const fieldsSchema = z.array(fieldMappingSchema);
const compiledByManifest = new WeakMap<Manifest, Map<string, Compiled>>();
const catalogByDefinition = new WeakMap<CapabilityDefinition, CapabilityCatalog>();

/** The capability section of a manifest, compiled (cached on the manifest object). Throws for a bad mapping. */
function compiled(manifest: Manifest, name: string): Compiled | undefined {
  let byName = compiledByManifest.get(manifest);
  if (!byName) compiledByManifest.set(manifest, (byName = new Map()));
  let entry = byName.get(name);
  if (entry) return entry;
  const mapping = manifest.capabilities?.[name];
  if (!mapping || mapping.availability !== 'active' || !mapping.fields) return undefined;
  const fields = fieldsSchema.parse(mapping.fields.filter((f) => !isValueField(f)));
  const values = mapping.fields.filter(isValueField) as ValueField[];
  const text = JSON.stringify(fields);
  const scoped = text.includes('$query') || text.includes('$answer');
  entry = { mapping, mapper: compileMapping({ select: 'mapped', fields }, name), values, scoped };
  byName.set(name, entry);
  return entry;
}

function served(manifest: Manifest, name: string): Compiled {
  const entry = compiled(manifest, name);
  if (!entry) {
    throw new ApiError(
      'capability_not_served',
      `${manifest.name} does not serve ${name}${manifest.capabilities?.[name]?.availability === 'coming_soon' ? ' yet (coming soon)' : ''}.`,
    );
  }
  return entry;
}

/** How a connector serves a capability: `active`, `coming_soon`, or not at all (undefined). */
export function servesCapability(manifest: Manifest, name: string): 'active' | 'coming_soon' | undefined {
  return manifest.capabilities?.[name]?.availability;
}

const choose = (choice: ByQuery, query: Record<string, unknown>) => choice.cases[valueText(query[choice.by])];

/**
 * The vendor request for a standard query (already checked against the capability's query schema): the path with
 * the query's values URL-encoded into it, query parameters rendered (a template that renders empty is left out).
 * Throws ApiError `capability_not_served` when the manifest does not serve the capability now.
 */
export function planProviderRequest(
  manifest: Manifest,
  capabilityName: string,
  query: Record<string, unknown>,
): ProviderRequest {
  const request = served(manifest, capabilityName).mapping.request!;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.query)) {
    const rendered = typeof value === 'string' ? renderTemplate(value, query) : choose(value, query);
    if (rendered !== undefined && rendered !== '') params[name] = rendered;
  }
  const plan: ProviderRequest = {
    method: request.method,
    path: renderTemplate(request.path, query, encodeURIComponent),
    query: params,
  };
  if (request.headers) {
    plan.headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, renderTemplate(v, query)]));
  }
  if (request.body) plan.body = renderValue(request.body, query);
  return plan;
}

const failed = (
  failure: Extract<ProviderOutcome, { kind: 'failed' }>['failure'],
  reason: string,
  status?: number,
): ProviderOutcome => ({ kind: 'failed', failure, reason, ...(status === undefined ? {} : { status }) });

/** A body shorter than its announced length was cut off on the way. */
function truncated(answer: ProviderAnswer): boolean {
  const announced = answer.headers['content-length'];
  const length = Number(Array.isArray(announced) ? announced[0] : announced);
  return Number.isFinite(length) && answer.body.length < length;
}

/**
 * What a vendor answer means for a standard query: its records mapped to the capability's record and checked
 * against its schema (`ok`), no data for the query (`empty`), a rate limit the manifest's signals recognise
 * (`rate_limited`), or a failure. A body that is not complete JSON, or records that do not fit the record schema,
 * fail: a cut or garbled answer is never passed on as data.
 */
export function readProviderAnswer(
  manifest: Manifest,
  capability: CapabilityDefinition,
  answer: ProviderAnswer,
  now: number,
  query: Record<string, unknown>,
): ProviderOutcome {
  const entry = served(manifest, capability.name);
  const { mapping } = entry;
  const json = truncated(answer) ? undefined : answerJson(answer.body);
  const hints = manifest.rate_limit;
  const hit = matchRateSignal(hints, answer, json);
  if (hit?.signal.meaning === 'plan_refused') return failed('plan', hit.reason, answer.status);
  if (hit && hints) return { kind: 'rate_limited', signal: toSignal(hints, hit, answer, now) };
  const limited = classifyRateLimit(hints, answer, now, json);
  if (limited) return { kind: 'rate_limited', signal: limited };
  for (const rule of mapping.answers) {
    const matched = matchAnswer(rule, answer, json);
    if (!matched) continue;
    return rule.outcome === 'empty'
      ? { kind: 'empty', reason: matched.reason }
      : failed(rule.outcome, matched.reason, answer.status);
  }
  if (answer.status < 200 || answer.status > 299) {
    const words = json && typeof json === 'object' ? vendorWords(json as Record<string, unknown>) : undefined;
    const reason = `HTTP ${answer.status}${words ? `: ${words}` : ''}`;
    const failure = answer.status === 401 ? 'auth' : answer.status === 402 || answer.status === 403 ? 'plan' : 'status';
    return failed(failure, reason, answer.status);
  }
  if (mapping.records.from === 'headers')
    return mapRecords(capability, entry, [headerRecord(answer)], json, query, answer);
  if (json === undefined) {
    return failed(
      'malformed',
      truncated(answer) ? 'the answer was cut short' : 'the answer is not complete JSON',
      answer.status,
    );
  }
  const path = typeof mapping.records.path === 'string' ? mapping.records.path : choose(mapping.records.path, query);
  const found = path === undefined ? undefined : readJsonPath(json, path);
  const raw = rawRecords(found, mapping.records.entries?.key_as);
  if (raw === undefined)
    return failed('schema', `the records at ${String(path)} are not a list or an object`, answer.status);
  return mapRecords(capability, entry, raw, json, query, answer);
}

/** The answer's headers as one record (`records.from: headers`): lower-case names, a repeated header's first value. */
function headerRecord(answer: ProviderAnswer): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
  }
  return record;
}

function vendorWords(json: Record<string, unknown>): string | undefined {
  for (const key of ['error', 'message', 'Error Message', 'detail']) {
    if (typeof json[key] === 'string') return (json[key] as string).slice(0, 300);
  }
  return undefined;
}

function mapRecords(
  capability: CapabilityDefinition,
  { mapping, mapper, values, scoped }: Compiled,
  raw: Record<string, unknown>[],
  json: unknown,
  query: Record<string, unknown>,
  { status }: ProviderAnswer,
): ProviderOutcome {
  if (raw.length === 0) return { kind: 'empty', reason: 'the provider has no data for this query' };
  const nulls = new Set(mapping.records.null_values);
  let records: Record<string, unknown>[];
  try {
    records = raw.map((r) => {
      // The mapping only reads the record (select: mapped), so a record is copied only to add what it names.
      const source = withNulls(r, nulls);
      const record = mapper(scoped ? { ...source, $query: query, $answer: json } : source);
      for (const { to, value } of values) {
        const built = renderValue(value, query);
        if (built !== undefined) record[to] = built;
      }
      return record;
    });
  } catch (error) {
    if (error instanceof RecordRejection) return failed('schema', error.reason, status);
    throw error;
  }
  records = keepInRange(capability, records, query);
  if (records.length === 0) return { kind: 'empty', reason: 'the provider has no data in the asked range' };
  const catalog = catalogFor(capability);
  for (const record of records) {
    const check = catalog.validateRecord(capability.name, record);
    if (!check.ok) {
      const problem = check.errors.map((e) => `${e.path} ${e.message}`).join('; ');
      return failed('schema', `a record does not fit ${capability.name}: ${problem}`, status);
    }
  }
  return { kind: 'ok', records };
}

/** The records a JSON value holds: a list's objects, an object's entries (with their key), or one object. */
function rawRecords(found: unknown, keyAs: string | undefined): Record<string, unknown>[] | undefined {
  if (found === undefined || found === null) return [];
  if (typeof found !== 'object') return undefined;
  if (keyAs !== undefined) {
    if (Array.isArray(found)) return undefined;
    return Object.entries(found).map(([key, value]) => ({ ...(value as Record<string, unknown>), [keyAs]: key }));
  }
  if (Array.isArray(found)) return found.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
  return Object.keys(found).length === 0 ? [] : [found as Record<string, unknown>];
}

function withNulls(record: Record<string, unknown>, nulls: Set<string>): Record<string, unknown> {
  if (nulls.size === 0) return record;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = typeof v === 'string' && nulls.has(v) ? null : v;
  return out;
}

/** The capability's own cuts: records within the query's range, at most its limit (in the provider's order). */
function keepInRange(
  capability: CapabilityDefinition,
  records: Record<string, unknown>[],
  query: Record<string, unknown>,
): Record<string, unknown>[] {
  let kept = records;
  const range = capability.range;
  if (range) {
    const from = query[range.from] as string | undefined;
    const to = query[range.to] as string | undefined;
    kept = kept.filter((r) => {
      const v = String(r[range.field]);
      return (from === undefined || v >= from) && (to === undefined || v <= to);
    });
  }
  const limit = capability.limit ? query[capability.limit] : undefined;
  return typeof limit === 'number' ? kept.slice(0, limit) : kept;
}

function catalogFor(capability: CapabilityDefinition): CapabilityCatalog {
  let catalog = catalogByDefinition.get(capability);
  if (!catalog) catalogByDefinition.set(capability, (catalog = createCapabilityCatalog([capability])));
  return catalog;
}

export type CapabilitySectionProblem = { path: string; problem: string };

/**
 * What is wrong with a manifest's capability section beyond its schema (for `npm run manifests:check` and tests):
 * an unknown capability, field mappings that do not compile, templates naming no query field, mapped fields the
 * record does not have, and record fields it requires that nothing maps.
 */
export function capabilitySectionProblems(
  manifest: Manifest,
  catalog: CapabilityCatalog = capabilityCatalog(),
): CapabilitySectionProblem[] {
  const problems: CapabilitySectionProblem[] = [];
  for (const [name, mapping] of Object.entries(manifest.capabilities ?? {})) {
    const at = `/capabilities/${name}`;
    const definition = catalog.get(name);
    if (!definition) {
      problems.push({ path: at, problem: `no capability named "${name}" (capabilities/${name}.yaml)` });
      continue;
    }
    if (mapping.availability !== 'active') continue;
    const queryFields = new Set(Object.keys(definition.query.properties));
    const templates = [
      mapping.request?.path ?? '',
      ...Object.values(mapping.request?.headers ?? {}),
      ...Object.values(mapping.request?.query ?? {}).map((v) => (typeof v === 'string' ? v : `{{query.${v.by}}}`)),
    ];
    if (typeof mapping.records.path !== 'string') templates.push(`{{query.${mapping.records.path.by}}}`);
    for (const t of templates) {
      for (const [, field] of t.matchAll(QUERY_TEMPLATE)) {
        if (!queryFields.has(field as string))
          problems.push({ path: `${at}/request`, problem: `{{query.${field}}} names no field of the ${name} query` });
      }
    }
    for (const problem of valueProblems(mapping.request?.body, queryFields, name))
      problems.push({ path: `${at}/request/body`, problem });
    const fields = mapping.fields ?? [];
    const syncFields = fields.flatMap((f, i) => (isValueField(f) ? [] : [{ f, i }]));
    const parsed = fieldsSchema.safeParse(syncFields.map(({ f }) => f));
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map(({ path: [index, ...rest], message }) => ({
          path: `${at}/fields/${[syncFields[index as number]?.i, ...rest].join('/')}`,
          problem: message,
        })),
      );
      continue;
    }
    const valueFields = fields.flatMap((f, i) => (isValueField(f) ? [{ f, i }] : []));
    for (const { f, i } of valueFields) {
      const extra = Object.keys(f).filter((k) => k !== 'to' && k !== 'value');
      if (typeof f.to !== 'string' || extra.length)
        problems.push({ path: `${at}/fields/${i}`, problem: 'a value field is {to: <record field>, value: <value>}' });
      for (const problem of valueProblems(f.value, queryFields, name))
        problems.push({ path: `${at}/fields/${i}/value`, problem });
    }
    const recordFields = Object.keys(definition.record.properties);
    const targets = [...parsed.data.map((f) => f.to), ...valueFields.map(({ f }) => String(f.to))];
    const mapped = new Set(targets);
    for (const to of targets) {
      if (!recordFields.includes(to))
        problems.push({ path: `${at}/fields`, problem: `"${to}" is not a field of the ${name} record` });
    }
    for (const required of (definition.record.required as string[] | undefined) ?? []) {
      if (!mapped.has(required))
        problems.push({ path: `${at}/fields`, problem: `the ${name} record needs "${required}"; nothing maps it` });
    }
  }
  return problems;
}
