import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { authMethodId, authMethodSchema, type OAuth2Method } from './auth.js';
import { manifestSchema, type Manifest, type VerifiedSection } from './manifest.js';

const authTypes = authMethodSchema.options.map((o) => o.shape.type.value);

export type ManifestProblem = { file: string; path: string; problem: string };

export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(
      `Invalid connector manifests:\n${problems.map((p) => `  ${p.file}: ${p.path || '/'}: ${p.problem}`).join('\n')}`,
    );
    this.name = 'ManifestError';
  }
}

/** The JSON Schema every manifest must satisfy (committed as connectors/manifest.schema.json). */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  addDiscriminators(schema);
  return {
    ...schema,
    $id: 'https://switchyard.invalid/connector-manifest.schema.json',
    title: 'Switchyard connector manifest',
  };
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    compiled = ajv.compile(manifestJsonSchema());
  }
  return compiled;
}

/** Validate one manifest document; returns the typed manifest or the problems, each with its JSON pointer. */
export function validateManifest(file: string, text: string): { manifest?: Manifest; problems: ManifestProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        problem: e.message.split('\n')[0] as string,
      })),
    };
  }
  const data: unknown = doc.toJS();
  const validate = validator();
  if (!validate(data)) return { problems: describeAjvErrors(file, validate.errors ?? []) };
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ file, path: `/${i.path.join('/')}`, problem: i.message })) };
  }
  const problems = consistencyProblems(file, parsed.data);
  return problems.length ? { problems } : { manifest: parsed.data, problems };
}

/** Load and validate every `*.yaml` in a directory; throws ManifestError listing every problem in every file. */
export function loadManifests(dir: string): Manifest[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const manifests: Manifest[] = [];
  const problems: ManifestProblem[] = [];
  for (const name of files) {
    const result = validateManifestFile(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    problems.push(...result.problems);
    if (result.manifest) {
      if (`${result.manifest.slug}.yaml` !== name) {
        problems.push({
          file: name,
          path: '/slug',
          problem: `slug "${result.manifest.slug}" must match the file name`,
        });
      } else manifests.push(result.manifest);
    }
  }
  if (problems.length) throw new ManifestError(problems);
  return manifests;
}

// Each app start (every test builds one) loads the same files: a file's result is kept by its name and content
// hash for the life of the process, and handed out as a copy so no caller can change another's manifest.
const fileResults = new Map<string, { manifest?: Manifest; problems: ManifestProblem[] }>();
function validateManifestFile(name: string, text: string): { manifest?: Manifest; problems: ManifestProblem[] } {
  const key = `${name}\0${createHash('sha256').update(text).digest('hex')}`;
  let result = fileResults.get(key);
  if (!result) {
    result = validateManifest(name, text);
    fileResults.set(key, result);
  }
  return structuredClone(result);
}

/** Ajv reports every failed branch of a union; keep the ones about the branch the document chose. */
function describeAjvErrors(file: string, errors: ErrorObject[]): ManifestProblem[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  const out: ManifestProblem[] = [];
  for (const e of specific.length ? specific : errors) {
    let problem = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') problem = `unknown property "${String(e.params.additionalProperty)}"`;
    if (e.keyword === 'enum')
      problem = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    if (e.keyword === 'required') problem = `missing required property "${String(e.params.missingProperty)}"`;
    if (e.keyword === 'discriminator') {
      problem = `type ${JSON.stringify(e.params.tagValue)} is not one of ${authTypes.join(', ')}`;
    }
    // An unknown property is reported at its own path, so the API's field error points at it.
    const at =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e.instancePath;
    const key = `${at}|${problem}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ file, path: at || '/', problem });
    }
  }
  return out;
}

const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?(\/|$)/;

const TEMPLATE = /\{\{\s*([a-z_]+)\.([A-Za-z0-9_]+)(?:@\d+)?\s*\}\}/g;

/** What a schema cannot say: templates must name declared fields, and a few cross-field rules. */
function consistencyProblems(file: string, m: Manifest): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const configKeys = new Set(m.config.map((f) => f.key));
  const check = (where: string, text: string | undefined, credentialKeys: Set<string> | undefined) => {
    for (const [, scope, key] of (text ?? '').matchAll(TEMPLATE)) {
      // The OAuth app's id is known only where a revocation is sent (revocationProblems checks it there).
      if (scope === 'client' && !where.includes('/revocation/')) {
        problems.push({ file, path: where, problem: `{{client.${key}}} is only available in a revocation` });
      }
      if (scope === 'config' && !configKeys.has(key as string)) {
        problems.push({ file, path: where, problem: `{{config.${key}}} names no field in "config"` });
      }
      if (scope === 'credentials' && credentialKeys && !credentialKeys.has(key as string)) {
        problems.push({ file, path: where, problem: `{{credentials.${key}}} names no field of this auth method` });
      }
    }
  };
  check('/base_url', m.base_url, undefined);
  for (const [name, url] of Object.entries(m.other_base_urls ?? {})) {
    check(`/other_base_urls/${name}`, url, undefined);
    if (!m.base_url)
      problems.push({ file, path: `/other_base_urls/${name}`, problem: 'other base URLs need a base_url' });
  }
  if (m.test?.kind === 'http') {
    check('/test/request/path', m.test.request.path, undefined);
    for (const [where, text] of jsonStrings('/test/request/body', m.test.request.body)) check(where, text, undefined);
    if (!m.base_url && !/^https?:\/\//.test(m.test.request.path)) {
      problems.push({ file, path: '/test/request/path', problem: 'a relative test path needs a base_url' });
    }
  }
  problems.push(...headerProblems(file, m, check), ...streamProblems(file, m, check), ...syncProblems(file, m, check));
  const secretField = m.webhooks?.secret_field;
  if (secretField !== undefined && !m.auth.some((a) => a.fields.some((f) => f.key === secretField && f.secret))) {
    problems.push({
      file,
      path: '/webhooks/secret_field',
      problem: `names no secret credential field ("${secretField}")`,
    });
  }
  m.auth.forEach((auth, i) => {
    const keys = new Set(auth.fields.map((f) => f.key));
    if (auth.test?.kind === 'http') {
      check(`/auth/${i}/test/request/path`, auth.test.request.path, keys);
      for (const [where, text] of jsonStrings(`/auth/${i}/test/request/body`, auth.test.request.body))
        check(where, text, keys);
      if (!m.base_url && !/^https?:\/\//.test(auth.test.request.path)) {
        problems.push({ file, path: `/auth/${i}/test/request/path`, problem: 'a relative test path needs a base_url' });
      }
    }
    if (auth.type === 'oauth2') problems.push(...revocationProblems(file, `/auth/${i}`, auth, check));
    if (keys.size !== auth.fields.length)
      problems.push({ file, path: `/auth/${i}/fields`, problem: 'field keys must be unique' });
    for (const [name, value] of Object.entries(auth)) {
      if (typeof value === 'string') check(`/auth/${i}/${name}`, value, keys);
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value))
          if (typeof v === 'string') check(`/auth/${i}/${name}/${k}`, v, keys);
      }
    }
    if (auth.type === 'oauth2' && auth.grant === 'authorization_code' && !auth.authorization_url) {
      problems.push({
        file,
        path: `/auth/${i}/authorization_url`,
        problem: 'the authorization_code grant needs an authorization_url',
      });
    }
  });
  if (new Set(m.auth.map(authMethodId)).size !== m.auth.length) {
    problems.push({
      file,
      path: '/auth',
      problem: 'auth methods need distinct ids (connections choose a method by id, which defaults to its type)',
    });
  }
  m.auth.forEach((a, i) => {
    // OAuth connections are found by `auth_method = 'oauth2'` (refresh, revocation, the tenant's app).
    if (a.type === 'oauth2' && a.id !== undefined && a.id !== 'oauth2') {
      problems.push({ file, path: `/auth/${i}/id`, problem: 'an oauth2 method keeps the id oauth2' });
    }
  });
  if (new Set(m.config.map((f) => f.key)).size !== m.config.length) {
    problems.push({ file, path: '/config', problem: 'field keys must be unique' });
  }
  return problems;
}

/**
 * The sections a shipped manifest's `verified` record must cover: auth always, and each other section the manifest
 * declares (revocation: an OAuth method that revokes on disconnect). Not a load-time rule: while the vendor audit is
 * in progress the freshness check (`npm run manifests:check`) reports what is missing; custom registry entries are
 * not held to it.
 */
export function verifiedSectionsRequired(m: Manifest): VerifiedSection[] {
  const revokes = m.auth.some(
    (a) => a.type === 'oauth2' && (a.revocation_url !== undefined || a.revocation !== undefined),
  );
  const declared: Record<VerifiedSection, boolean> = {
    auth: true,
    test: m.test !== undefined,
    revocation: revokes,
    rate_limit: m.rate_limit !== undefined,
    pagination: m.pagination !== undefined,
    webhooks: m.webhooks !== undefined,
    streams: m.streams.length > 0,
    capabilities: m.capabilities !== undefined,
    storage: m.storage !== undefined,
  };
  return (Object.keys(declared) as VerifiedSection[]).filter((s) => declared[s]);
}

/** Every string in a JSON value with its pointer: a test call's body is rendered as templates, string by string. */
function jsonStrings(at: string, value: unknown): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(`${at}/${i}`, v));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => jsonStrings(`${at}/${k}`, v));
  return [];
}

type Check = (where: string, text: string | undefined, credentialKeys: Set<string> | undefined) => void;

/**
 * Streams: unique names, a parent that is another stream, a body (and paging in it) only on a POST, config-only
 * templates in the path, params, headers and an https base URL.
 */
function streamProblems(file: string, m: Manifest, check: Check): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const names = new Set(m.streams.map((s) => s.name));
  if (names.size !== m.streams.length)
    problems.push({ file, path: '/streams', problem: 'stream names must be unique' });
  m.streams.forEach((s, i) => {
    const at = `/streams/${i}`;
    // Streams carry no credential (the auth method sends it): an empty set makes any {{credentials.…}} a problem.
    check(`${at}/path`, s.path?.replace(/\{\{\s*parent\.[A-Za-z0-9_]+\s*\}\}/g, ''), new Set());
    for (const [k, v] of Object.entries(s.params)) check(`${at}/params/${k}`, v, new Set());
    if (s.body !== undefined && s.method !== 'POST') {
      problems.push({ file, path: `${at}/body`, problem: 'only a POST listing has a body' });
    }
    if (s.base_url !== undefined) {
      check(`${at}/base_url`, s.base_url, new Set());
      // Plain http only for a loopback address (a local fake or development server), as for OAuth endpoints.
      if (!/^https:\/\//.test(s.base_url) && !LOOPBACK_HTTP.test(s.base_url)) {
        problems.push({ file, path: `${at}/base_url`, problem: 'a stream’s base URL is an https:// URL' });
      }
    }
    // The same rules as the manifest's constant headers (headerProblems): config templates, no credential.
    for (const [name, value] of Object.entries(s.headers ?? {})) {
      check(`${at}/headers/${name}`, value, new Set());
      if (/\{\{\s*credentials\./.test(value)) {
        problems.push({ file, path: `${at}/headers/${name}`, problem: 'a constant header cannot carry a credential' });
      }
    }
    // Paging parameters in the body need a body: a POST listing (its own pagination or the manifest's).
    const paging = s.pagination ?? m.pagination;
    if (paging?.in === 'body' && paging.style !== 'none' && s.method !== 'POST') {
      problems.push({
        file,
        path: s.pagination ? `${at}/pagination/in` : `${at}/method`,
        problem: 'paging parameters in the body need a POST listing',
      });
    }
    if (paging?.in === 'body' && (paging.style === 'link_header' || paging.style === 'next_url')) {
      problems.push({
        file,
        path: s.pagination ? `${at}/pagination/in` : '/pagination/in',
        problem: `${paging.style} pagination follows a URL; it sends nothing in the body`,
      });
    }
    if (s.parent && (s.parent.stream === s.name || !names.has(s.parent.stream))) {
      problems.push({ file, path: `${at}/parent/stream`, problem: 'names no other stream of this manifest' });
    }
    if (!s.parent && s.path && /\{\{\s*parent\./.test(s.path)) {
      problems.push({ file, path: `${at}/path`, problem: '{{parent.…}} needs a parent stream' });
    }
    if (s.parent?.as && !s.primary_key.includes(s.parent.as) && s.primary_key.length > 1) {
      problems.push({
        file,
        path: `${at}/primary_key`,
        problem: `a composite key of a child stream includes the parent field it adds ("${s.parent.as}")`,
      });
    }
  });
  return problems;
}

const CURSOR = /\{\{\s*cursor\s*\}\}/g;
const RECORD = /\{\{\s*record(\.[A-Za-z0-9_.]+)?\s*\}\}/g;

/**
 * What syncs read from a stream: an incremental read needs the cursor field it advances on and a `{{cursor}}` to
 * send; write paths use record templates; other templates name config fields only.
 */
function syncProblems(file: string, m: Manifest, check: Check): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  m.streams.forEach((s, i) => {
    const at = `/streams/${i}`;
    const inc = s.incremental;
    if (inc) {
      if (!s.cursor_field)
        problems.push({ file, path: `${at}/incremental`, problem: 'needs the stream’s cursor_field' });
      if (s.parent) problems.push({ file, path: `${at}/incremental`, problem: 'a child stream is read in full' });
      const sent = JSON.stringify([inc.params, inc.body ?? null, inc.headers ?? {}, inc.path ?? '']);
      if (!/\{\{\s*cursor\s*\}\}/.test(sent)) {
        problems.push({ file, path: `${at}/incremental`, problem: 'sends no {{cursor}} (params, body or headers)' });
      }
      for (const [k, v] of Object.entries(inc.params))
        check(`${at}/incremental/params/${k}`, v.replace(CURSOR, ''), new Set());
      for (const [k, v] of Object.entries(inc.headers ?? {})) {
        check(`${at}/incremental/headers/${k}`, v.replace(CURSOR, ''), new Set());
      }
      const method = inc.method ?? s.method;
      if (inc.body !== undefined && method !== 'POST') {
        problems.push({ file, path: `${at}/incremental/body`, problem: 'only a POST listing has a body' });
      }
    }
    for (const kind of ['create', 'update'] as const) {
      const w = s.write?.[kind];
      if (w) check(`${at}/write/${kind}/path`, w.path.replace(RECORD, ''), new Set());
    }
    if (s.write && !s.write.create && !s.write.update) {
      problems.push({ file, path: `${at}/write`, problem: 'declares neither create nor update' });
    }
    if (s.write?.body !== undefined) problems.push(...spreadProblems(file, `${at}/write/body`, s.write.body));
    if (s.write?.batch) problems.push(...batchProblems(file, `${at}/write/batch`, s.write.batch, check));
  });
  return problems;
}

/** A write template's `"..."` key spreads the record's fields into its object: it takes "{{record}}" and nothing else. */
function spreadProblems(file: string, at: string, template: unknown): ManifestProblem[] {
  if (!template || typeof template !== 'object') return [];
  return Object.entries(template).flatMap(([k, v]) =>
    k === '...' && !(typeof v === 'string' && /^\{\{\s*record\s*\}\}$/.test(v))
      ? [{ file, path: `${at}/${k}`, problem: '"..." spreads the record’s fields: its value is "{{record}}"' }]
      : spreadProblems(file, `${at}/${k}`, v),
  );
}

type BatchWrite = NonNullable<NonNullable<Manifest['streams'][number]['write']>['batch']>;

/**
 * A batch write must be answerable input by input: its body carries the inputs, and a result (or a refusal) can be
 * told apart from the others (by position, or by a ref each input sends).
 */
function batchProblems(file: string, at: string, batch: BatchWrite, check: Check): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const say = (path: string, problem: string) => problems.push({ file, path: `${at}${path}`, problem });
  if (!batch.create && !batch.update) say('', 'declares neither create nor update');
  if (!/"\{\{\s*inputs\s*\}\}"/.test(JSON.stringify(batch.body ?? null))) say('/body', 'has no "{{inputs}}"');
  for (const kind of ['create', 'update'] as const) {
    const request = batch[kind];
    if (!request) continue;
    check(`${at}/${kind}/path`, request.path, new Set());
    problems.push(...spreadProblems(file, `${at}/${kind}/input`, request.input));
    if (/\{\{\s*record\b/.test(request.path)) say(`/${kind}/path`, 'a batch path cannot name one record ({{record…}})');
    const sendsRef = /\{\{\s*ref\s*\}\}/.test(JSON.stringify(request.input ?? null));
    const refs = batch.results.ref_path !== undefined || batch.errors !== undefined;
    if (refs && !sendsRef) say(`/${kind}/input`, 'sends no {{ref}} for the answer to name it by');
    // An update's result carries the id it was sent; a create's new id can only be told apart by position or ref.
    if (kind === 'create' && !batch.results.in_order && batch.results.ref_path === undefined) {
      say('/results', 'a create’s results need in_order or a ref_path to tell which input each answers');
    }
  }
  return problems;
}

/** Constant headers: config templates only (a credential is sent by the auth method), and not redefined by a test. */
function headerProblems(file: string, m: Manifest, check: Check): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const constant = new Set(Object.keys(m.headers ?? {}).map((h) => h.toLowerCase()));
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    check(`/headers/${name}`, value, undefined);
    if (/\{\{\s*credentials\./.test(value)) {
      problems.push({ file, path: `/headers/${name}`, problem: 'a constant header cannot carry a credential' });
    }
  }
  const tests = [['/test', m.test], ...m.auth.map((a, i) => [`/auth/${i}/test`, a.test] as const)] as const;
  for (const [where, test] of tests) {
    if (test?.kind !== 'http') continue;
    for (const name of Object.keys(test.request.headers)) {
      if (constant.has(name.toLowerCase())) {
        problems.push({
          file,
          path: `${where}/request/headers/${name}`,
          problem: `"${name}" is a constant header of the manifest; its value there is the one sent`,
        });
      }
    }
  }
  return problems;
}

/** What the revocation schema cannot say: which fields each style uses, and what its templates may name. */
function revocationProblems(file: string, at: string, auth: OAuth2Method, check: Check): ManifestProblem[] {
  const r = auth.revocation;
  if (!r) return [];
  const problems: ManifestProblem[] = [];
  const problem = (path: string, text: string) =>
    problems.push({ file, path: `${at}/revocation${path}`, problem: text });
  if (auth.revocation_url) {
    problems.push({
      file,
      path: `${at}/revocation_url`,
      problem: 'give either revocation or revocation_url, not both',
    });
  }
  const templates: [string, string][] = [
    ['/url', r.url],
    ...Object.entries(r.body).map(([k, v]) => [`/body/${k}`, v] as [string, string]),
  ];
  for (const [path, text] of templates) {
    // The URL is checked with the method's other strings; the body's fields are one level deeper.
    if (path !== '/url') check(`${at}/revocation${path}`, text, new Set());
    for (const [, scope, key] of text.matchAll(TEMPLATE)) {
      if (scope === 'client' && key !== 'client_id')
        problem(path, `{{client.${key}}}: only {{client.client_id}} is available`);
    }
  }
  if (r.style === 'bearer') {
    if (r.client_auth && r.client_auth !== 'none')
      problem('/client_auth', 'the bearer style authenticates with the token alone: none');
    if (Object.keys(r.body).length) problem('/body', 'the bearer style sends no body');
  }
  if (r.style === 'query' && r.client_auth === 'client_secret_post') {
    problem('/client_auth', 'the query style would put the client secret in the URL: use client_secret_basic or none');
  }
  if ((r.style === 'rfc7009' || r.style === 'query' || r.style === 'bearer') && r.param === null) {
    problem('/param', `the ${r.style} style sends the token; only form and json may send none`);
  }
  if (r.method === 'GET' && (r.style === 'rfc7009' || r.style === 'form' || r.style === 'json')) {
    problem('/method', `the ${r.style} style sends a body: POST or DELETE`);
  }
  return problems;
}

/** Give ajv the discriminator zod's JSON Schema leaves implicit, so union errors name the chosen branch. */
function addDiscriminators(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const branches = (obj.oneOf ?? obj.anyOf) as Record<string, unknown>[] | undefined;
  if (Array.isArray(branches) && branches.length > 1 && branches.every((b) => hasConstType(b))) {
    obj.oneOf = branches;
    delete obj.anyOf;
    obj.discriminator = { propertyName: 'type' };
  }
  for (const value of Object.values(obj)) {
    if (Array.isArray(value)) value.forEach(addDiscriminators);
    else addDiscriminators(value);
  }
}

function hasConstType(branch: Record<string, unknown>): boolean {
  const type = (branch.properties as Record<string, { const?: unknown }> | undefined)?.type;
  return typeof type?.const === 'string' && Array.isArray(branch.required) && branch.required.includes('type');
}
