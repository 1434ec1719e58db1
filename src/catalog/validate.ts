import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { authMethodSchema } from './manifest-auth.js';
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
    const result = validateManifest(name, fs.readFileSync(path.join(dir, name), 'utf8'));
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
  m.auth.forEach((auth, i) => {
    const keys = new Set(auth.fields.map((f) => f.key));
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
  const revokes = m.auth.some((a) => a.type === 'oauth2' && (a.revocation_url !== undefined || 'revocation' in a));
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
