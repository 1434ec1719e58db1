import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { authMethodSchema, type OAuth2Method } from './manifest-auth.js';
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
  if (m.test?.kind === 'http') {
    check('/test/request/path', m.test.request.path, undefined);
    if (!m.base_url && !/^https?:\/\//.test(m.test.request.path)) {
      problems.push({ file, path: '/test/request/path', problem: 'a relative test path needs a base_url' });
    }
  }
  problems.push(...headerProblems(file, m, check));
  m.auth.forEach((auth, i) => {
    const keys = new Set(auth.fields.map((f) => f.key));
    if (auth.test?.kind === 'http') {
      check(`/auth/${i}/test/request/path`, auth.test.request.path, keys);
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
  if (new Set(m.auth.map((a) => a.type)).size !== m.auth.length) {
    problems.push({
      file,
      path: '/auth',
      problem: 'each auth method type may appear once (connections choose a method by type)',
    });
  }
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
  };
  return (Object.keys(declared) as VerifiedSection[]).filter((s) => declared[s]);
}

type Check = (where: string, text: string | undefined, credentialKeys: Set<string> | undefined) => void;

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
