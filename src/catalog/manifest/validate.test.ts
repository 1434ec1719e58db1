import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connectorsDir } from '../../core/paths.js';
import {
  loadManifests,
  ManifestError,
  manifestJsonSchema,
  validateManifest,
  type ManifestProblem,
} from './validate.js';

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
      {
        path: '/auth',
        problem: 'auth methods need distinct ids (connections choose a method by id, which defaults to its type)',
      },
    ]);
    expect(byFile('renamed.yaml')).toEqual([
      { path: '/slug', problem: 'slug "original_name" must match the file name' },
    ]);
    expect(byFile('syntax.yaml')).toEqual([{ path: 'line 2', problem: expect.stringContaining('Flow sequence') }]);
    expect(byFile('fine.yaml')).toEqual([]);
    // The thrown message lists each problem on its own line, file first.
    expect(() => loadManifests(dir)).toThrow(/ {2}bad_enum\.yaml: \/category: must be one of/);
  });

  it('takes two methods of one type told apart by id; an oauth2 method keeps the id oauth2', () => {
    const key = (id?: string) => ({
      type: 'basic',
      ...(id ? { id } : {}),
      username: '{{credentials.user}}',
      password: '{{credentials.pass}}',
      fields: [
        { key: 'user', label: 'User' },
        { key: 'pass', label: 'Secret', secret: true },
      ],
    });
    write('two_basic.yaml', { ...valid, slug: 'two_basic', auth: [key(), key('api_key')] });
    write('renamed_oauth.yaml', {
      ...valid,
      slug: 'renamed_oauth',
      auth: [{ type: 'oauth2', id: 'login', token_url: 'https://acme.test/token', grant: 'client_credentials' }],
    });
    const problems = problemsOf();
    expect(problems.filter((p) => p.file === 'two_basic.yaml')).toEqual([]);
    expect(problems.filter((p) => p.file === 'renamed_oauth.yaml').map((p) => [p.path, p.problem])).toEqual([
      ['/auth/0/id', 'an oauth2 method keeps the id oauth2'],
    ]);
  });

  it('reads a stream’s own method, params, pagination, parent and composite key, and checks them', () => {
    const stream = (over: Record<string, unknown>) => ({ name: 'messages', path: '/history', ...over });
    write('streams_ok.yaml', {
      ...valid,
      slug: 'streams_ok',
      streams: [
        { name: 'channels', path: '/channels' },
        stream({
          method: 'POST',
          body: { inclusive: true },
          params: { status: 'all' },
          primary_key: ['channel', 'ts'],
          parent: { stream: 'channels', param: 'channel', as: 'channel' },
          pagination: { style: 'page', cursor_param: 'page', limit_param: 'count', total_pages_path: '$.paging.pages' },
          rate_limit: { requests: 1, per_seconds: 60, page_size: 15 },
        }),
      ],
    });
    write('streams_bad.yaml', {
      ...valid,
      slug: 'streams_bad',
      streams: [
        stream({ body: { a: 1 }, params: { key: '{{credentials.api_key}}' } }),
        stream({ name: 'replies', parent: { stream: 'threads' }, path: '/replies/{{parent.id}}' }),
        stream({ name: 'orphans', path: '/x/{{parent.id}}' }),
        stream({ name: 'keyed', primary_key: ['ts', 'id'], parent: { stream: 'messages', as: 'channel' } }),
        stream({ name: 'messages', path: '/again' }),
      ],
    });
    const problems = problemsOf();
    expect(problems.filter((p) => p.file === 'streams_ok.yaml')).toEqual([]);
    expect(problems.filter((p) => p.file === 'streams_bad.yaml').map((p) => [p.path, p.problem])).toEqual([
      ['/streams/0/params/key', '{{credentials.api_key}} names no field of this auth method'],
      ['/streams', 'stream names must be unique'],
      ['/streams/0/body', 'only a POST listing has a body'],
      ['/streams/1/parent/stream', 'names no other stream of this manifest'],
      ['/streams/2/path', '{{parent.…}} needs a parent stream'],
      ['/streams/3/primary_key', 'a composite key of a child stream includes the parent field it adds ("channel")'],
    ]);
    const { manifest } = validateManifest(
      'streams_ok.yaml',
      fs.readFileSync(path.join(dir, 'streams_ok.yaml'), 'utf8'),
    );
    expect(manifest?.streams.map((s) => s.primary_key)).toEqual([['id'], ['channel', 'ts']]);
    expect(manifest?.streams[0]).toMatchObject({ method: 'GET', params: {} });
  });

  it('takes a webhook secret_field only when it names a secret credential field', () => {
    const auth = [
      {
        type: 'basic',
        fields: [
          { key: 'username', label: 'User' },
          { key: 'password', label: 'Token', secret: true },
        ],
      },
    ];
    const webhooks = (field: string) => ({ scheme: 'twilio', secret_field: field });
    write('secret_ok.yaml', { ...valid, slug: 'secret_ok', auth, webhooks: webhooks('password') });
    write('secret_plain.yaml', { ...valid, slug: 'secret_plain', auth, webhooks: webhooks('username') });
    write('secret_none.yaml', { ...valid, slug: 'secret_none', auth, webhooks: webhooks('auth_token') });
    const problems = problemsOf();
    expect(problems.filter((p) => p.file === 'secret_ok.yaml')).toEqual([]);
    expect(problems.filter((p) => p.file !== 'secret_ok.yaml').map((p) => [p.file, p.path, p.problem])).toEqual([
      ['secret_none.yaml', '/webhooks/secret_field', 'names no secret credential field ("auth_token")'],
      ['secret_plain.yaml', '/webhooks/secret_field', 'names no secret credential field ("username")'],
    ]);
  });

  it('reads a stream’s own headers, base URL and paging in the body, and checks them', () => {
    const stream = (over: Record<string, unknown>) => ({ name: 'rows', path: '/rows', ...over });
    write('stream_extras_ok.yaml', {
      ...valid,
      slug: 'stream_extras_ok',
      streams: [
        stream({
          method: 'POST',
          body: { dimensions: ['date'] },
          headers: { Prefer: 'transient', 'X-Site': '{{config.subdomain}}' },
          pagination: { style: 'offset', in: 'body', cursor_param: 'startRow', limit_param: 'rowLimit' },
        }),
        stream({ name: 'admin', base_url: 'https://admin.acme.test/{{config.subdomain}}/v1', path: '/accounts' }),
        // Plain http only on a loopback address (a local fake), as for OAuth endpoints.
        stream({ name: 'local', base_url: 'http://127.0.0.1:8080/v1', path: '/accounts' }),
      ],
    });
    write('stream_extras_bad.yaml', {
      ...valid,
      slug: 'stream_extras_bad',
      pagination: { style: 'offset', in: 'body', cursor_param: 'offset' },
      streams: [
        stream({ headers: { Authorization: 'Bearer {{credentials.token}}', 'X-Region': '{{config.region}}' } }),
        stream({ name: 'admin', base_url: 'http://{{config.host}}/v1' }),
        stream({ name: 'linked', method: 'POST', pagination: { style: 'next_url', in: 'body' } }),
        stream({ name: 'pages', pagination: { style: 'page', in: 'body' } }),
      ],
    });
    const problems = problemsOf();
    expect(problems.filter((p) => p.file === 'stream_extras_ok.yaml')).toEqual([]);
    expect(problems.filter((p) => p.file === 'stream_extras_bad.yaml').map((p) => [p.path, p.problem])).toEqual([
      // Template problems first (as for every section), then the streams' own rules.
      ['/streams/0/headers/Authorization', '{{credentials.token}} names no field of this auth method'],
      ['/streams/0/headers/X-Region', '{{config.region}} names no field in "config"'],
      ['/streams/1/base_url', '{{config.host}} names no field in "config"'],
      ['/streams/0/headers/Authorization', 'a constant header cannot carry a credential'],
      ['/streams/0/method', 'paging parameters in the body need a POST listing'],
      ['/streams/1/base_url', 'a stream’s base URL is an https:// URL'],
      ['/streams/1/method', 'paging parameters in the body need a POST listing'],
      ['/streams/2/pagination/in', 'next_url pagination follows a URL; it sends nothing in the body'],
      ['/streams/3/pagination/in', 'paging parameters in the body need a POST listing'],
    ]);
    const { manifest } = validateManifest(
      'stream_extras_ok.yaml',
      fs.readFileSync(path.join(dir, 'stream_extras_ok.yaml'), 'utf8'),
    );
    expect(manifest?.streams[0]).toMatchObject({
      headers: { Prefer: 'transient' },
      pagination: { in: 'body', cursor_param: 'startRow' },
    });
    expect(manifest?.streams[1]?.base_url).toBe('https://admin.acme.test/{{config.subdomain}}/v1');
    expect(manifest?.pagination).toBeUndefined();
  });

  it('checks a batch write can be answered input by input', () => {
    const stream = (over: Record<string, unknown>) => ({ name: 'things', path: '/things', ...over });
    const single = {
      create: { method: 'POST', path: '/things' },
      update: { method: 'PATCH', path: '/things/{{record.id}}' },
    };
    const answered = { path: '$.results', ref_path: '$.ref', id_path: '$.id' };
    write('batch_ok.yaml', {
      ...valid,
      slug: 'batch_ok',
      streams: [
        stream({
          write: {
            ...single,
            batch: {
              max: 100,
              create: { method: 'POST', path: '/things/batch', input: { fields: '{{record}}', ref: '{{ref}}' } },
              update: { method: 'POST', path: '/things/batch/update', input: { id: '{{record.id}}', ref: '{{ref}}' } },
              results: answered,
              errors: { path: '$.errors', ref_path: '$.refs', message_path: '$.message' },
            },
          },
        }),
        // One result per input, in order (no refs needed), the body naming its list of inputs; the record's fields
        // spread beside the input's own keys.
        stream({
          name: 'ordered',
          write: {
            ...single,
            batch: {
              max: 200,
              create: { method: 'POST', path: '/{{config.subdomain}}/collections' },
              update: {
                method: 'PATCH',
                path: '/collections',
                input: { '...': '{{record}}', attributes: { type: 'Thing' }, id: '{{record.id}}' },
              },
              body: { allOrNone: false, records: '{{inputs}}' },
              results: { path: '$', in_order: true, id_path: '$.id' },
            },
          },
        }),
      ],
    });
    write('batch_bad.yaml', {
      ...valid,
      slug: 'batch_bad',
      streams: [
        stream({
          write: {
            ...single,
            batch: {
              max: 100,
              create: { method: 'POST', path: '/things/{{record.id}}/batch', input: { fields: '{{record}}' } },
              body: { records: [] },
              results: { path: '$.results', id_path: '$.id' },
              errors: { path: '$.errors', ref_path: '$.refs', message_path: '$.message' },
            },
          },
        }),
        stream({ name: 'empty', write: { ...single, batch: { max: 10, results: answered } } }),
        // "..." spreads the record and nothing else, in a batch input as in a single write's body.
        stream({
          name: 'spread',
          write: {
            ...single,
            body: { data: [{ '...': '{{record.name}}' }] },
            batch: {
              max: 10,
              update: { method: 'PUT', path: '/things', input: { '...': { nested: '{{record}}' } } },
              body: { data: '{{inputs}}' },
              results: { path: '$.data', in_order: true, id_path: '$.id' },
            },
          },
        }),
      ],
    });
    const problems = problemsOf();
    expect(problems.filter((p) => p.file === 'batch_ok.yaml')).toEqual([]);
    expect(problems.filter((p) => p.file === 'batch_bad.yaml').map((p) => [p.path, p.problem])).toEqual([
      ['/streams/0/write/batch/body', 'has no "{{inputs}}"'],
      ['/streams/0/write/batch/create/path', 'a batch path cannot name one record ({{record…}})'],
      ['/streams/0/write/batch/create/input', 'sends no {{ref}} for the answer to name it by'],
      [
        '/streams/0/write/batch/results',
        'a create’s results need in_order or a ref_path to tell which input each answers',
      ],
      ['/streams/1/write/batch', 'declares neither create nor update'],
      ['/streams/2/write/body/data/0/...', '"..." spreads the record’s fields: its value is "{{record}}"'],
      ['/streams/2/write/batch/update/input/...', '"..." spreads the record’s fields: its value is "{{record}}"'],
    ]);
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

  it('checks the templates in a test call’s body, string by string', () => {
    write('acme.yaml', {
      ...valid,
      test: {
        kind: 'http',
        request: {
          method: 'POST',
          path: '/query',
          body: { site: '{{config.subdomain}}', metrics: ['{{config.site}}'] },
        },
      },
    });
    expect(problemsOf()).toEqual([
      {
        file: 'acme.yaml',
        path: '/test/request/body/metrics/0',
        problem: '{{config.site}} names no field in "config"',
      },
    ]);
  });

  it('has connectors/manifest.schema.json committed and current (npm run openapi writes it)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(connectorsDir, 'manifest.schema.json'), 'utf8'));
    expect(committed).toEqual(manifestJsonSchema());
  });
});
