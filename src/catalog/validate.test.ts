import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connectorsDir } from '../core/paths.js';
import { loadManifests, ManifestError, manifestJsonSchema, type ManifestProblem } from './validate.js';

const valid = {
  schema_version: 1,
  slug: 'acme',
  name: 'Acme',
  description: 'A vendor.',
  category: 'Generic',
  logo: { initials: 'AC', color: '#123456' },
  config: [{ key: 'subdomain', label: 'Subdomain' }],
  auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', secret: true }] }],
  base_url: 'https://{{config.subdomain}}.acme.test/api',
  test: { kind: 'http', request: { path: '/me' } },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (file: string, doc: unknown) =>
  fs.writeFileSync(path.join(dir, file), typeof doc === 'string' ? doc : stringify(doc));

function problemsOf(): ManifestProblem[] {
  try {
    loadManifests(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).problems;
  }
  throw new Error('loadManifests accepted broken manifests');
}

describe('connector manifests', () => {
  it('validates every manifest shipped in connectors/, each named after its slug', () => {
    const files = fs.readdirSync(connectorsDir).filter((f) => f.endsWith('.yaml'));
    const manifests = loadManifests(connectorsDir);
    expect(manifests.length).toBeGreaterThan(0);
    // Another engineer may add a file while this runs: every manifest loaded has its file, none twice.
    for (const m of manifests) expect(files).toContain(`${m.slug}.yaml`);
    expect(new Set(manifests.map((m) => m.slug)).size).toBe(manifests.length);
  });

  it('accepts a minimal manifest and fills in the defaults', () => {
    write('acme.yaml', valid);
    const [manifest] = loadManifests(dir);
    expect(manifest).toMatchObject({ slug: 'acme', availability: 'active', management: 'tenant_template' });
    expect(manifest?.auth[0]).toMatchObject({ type: 'bearer', token: '{{credentials.token}}' });
  });

  it('names the file, the JSON pointer and the problem of every broken manifest', () => {
    write('unknown_property.yaml', { ...valid, slug: 'unknown_property', colour: 'red' });
    write('bad_enum.yaml', { ...valid, slug: 'bad_enum', category: 'Crm' });
    write('bad_auth.yaml', { ...valid, slug: 'bad_auth', auth: [{ type: 'magic_link' }] });
    write('nested.yaml', {
      ...valid,
      slug: 'nested',
      auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', secrett: true }] }],
    });
    write('template.yaml', { ...valid, slug: 'template', base_url: 'https://{{config.region}}.acme.test' });
    write('duplicate_auth.yaml', {
      ...valid,
      slug: 'duplicate_auth',
      auth: [
        { type: 'api_key', name: 'x-key', fields: [{ key: 'api_key', label: 'Key', secret: true }] },
        { type: 'api_key', name: 'x-other', fields: [{ key: 'api_key', label: 'Key', secret: true }] },
      ],
    });
    write('renamed.yaml', { ...valid, slug: 'original_name' });
    write('syntax.yaml', 'slug: [unclosed\nname: x\n');
    write('fine.yaml', { ...valid, slug: 'fine' });

    const problems = problemsOf();
    const byFile = (file: string) =>
      problems.filter((p) => p.file === file).map(({ path, problem }) => ({ path, problem }));
    expect(byFile('unknown_property.yaml')).toEqual([{ path: '/colour', problem: 'unknown property "colour"' }]);
    expect(byFile('bad_enum.yaml')).toEqual([
      { path: '/category', problem: expect.stringMatching(/^must be one of "CRM", "ERP", .*"Generic"$/) },
    ]);
    expect(byFile('bad_auth.yaml')).toEqual([
      { path: '/auth/0', problem: expect.stringMatching(/^type "magic_link" is not one of api_key, basic, bearer, /) },
    ]);
    expect(byFile('nested.yaml')).toEqual([
      { path: '/auth/0/fields/0/secrett', problem: 'unknown property "secrett"' },
    ]);
    expect(byFile('template.yaml')).toEqual([
      { path: '/base_url', problem: '{{config.region}} names no field in "config"' },
    ]);
    expect(byFile('duplicate_auth.yaml')).toEqual([
      { path: '/auth', problem: 'each auth method type may appear once (connections choose a method by type)' },
    ]);
    expect(byFile('renamed.yaml')).toEqual([
      { path: '/slug', problem: 'slug "original_name" must match the file name' },
    ]);
    expect(byFile('syntax.yaml')).toEqual([{ path: 'line 2', problem: expect.stringContaining('Flow sequence') }]);
    expect(byFile('fine.yaml')).toEqual([]);
    // The thrown message lists each problem on its own line, file first.
    expect(() => loadManifests(dir)).toThrow(/ {2}bad_enum\.yaml: \/category: must be one of/);
  });

  it('refuses a credential template naming a field the auth method does not declare', () => {
    write('acme.yaml', { ...valid, auth: [{ type: 'bearer', token: '{{credentials.access_token}}' }] });
    expect(problemsOf()).toEqual([
      {
        file: 'acme.yaml',
        path: '/auth/0/token',
        problem: '{{credentials.access_token}} names no field of this auth method',
      },
    ]);
  });

  it('has connectors/manifest.schema.json committed and current (npm run openapi writes it)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(connectorsDir, 'manifest.schema.json'), 'utf8'));
    expect(committed).toEqual(manifestJsonSchema());
  });
});
