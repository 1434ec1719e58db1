import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

/** Bad input to the connections endpoints: a precise 400 naming the field, no vendor call, nothing stored. */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({ '/me': { json: { id: 'acct_1' } } });
  await installConnector(t, {
    slug: 'shaped_api',
    config: [
      { key: 'base_url', label: 'Base URL', type: 'url' },
      { key: 'subdomain', label: 'Subdomain', pattern: '^[a-z0-9-]+$', help: 'letters, digits and dashes' },
      { key: 'region', label: 'Region', type: 'select', options: [{ value: 'eu', label: 'EU' }], required: false },
      { key: 'page_size', label: 'Page size', type: 'number', required: false },
    ],
    auth: [
      { type: 'bearer', fields: [{ key: 'token', label: 'Token', pattern: '^tok_', secret: true }] },
      {
        type: 'jwt',
        algorithm: 'RS256',
        fields: [{ key: 'private_key', label: 'Private key', type: 'pem', secret: true }],
      },
    ],
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const valid = {
  connector: 'shaped_api',
  config: { base_url: '', subdomain: 'acme' },
  credentials: { token: 'tok_1' },
};
const create = (body: unknown) => t.request({ method: 'POST', url: '/v1/connections', body });
const tables = ['connections', 'connection_credentials', 'connection_state_history', 'events'];

async function expectRefused(res: TestResponse, errors: { path: string; message: unknown }[]) {
  expectProblem(res, 400, 'validation_failed');
  expect(res.data.errors).toEqual(errors);
  expect(await rowCounts(t, tables)).toEqual(Object.fromEntries(tables.map((name) => [name, 0])));
  expect(vendor.requests).toEqual([]);
}

describe('bad input to POST /v1/connections', () => {
  beforeEach(() => {
    valid.config.base_url = vendor.url;
  });

  it('the valid body is accepted (the baseline the cases below change one thing of)', async () => {
    expect((await create(valid)).statusCode).toBe(201);
  });

  it('an unknown connector or auth method', async () => {
    await expectRefused(await create({ ...valid, connector: 'no_such_connector' }), [
      { path: 'body.connector', message: 'unknown connector' },
    ]);
    await expectRefused(await create({ ...valid, auth_method: 'basic' }), [
      { path: 'body.auth_method', message: 'one of bearer, jwt' },
    ]);
  });

  it('unknown config and credential fields', async () => {
    await expectRefused(await create({ ...valid, config: { ...valid.config, colour: 'blue' } }), [
      { path: 'body.config.colour', message: 'unknown field' },
    ]);
    await expectRefused(await create({ ...valid, credentials: { token: 'tok_1', password: 'x' } }), [
      { path: 'body.credentials.password', message: 'unknown field' },
    ]);
  });

  it('missing required fields, each named', async () => {
    await expectRefused(await create({ ...valid, config: { base_url: vendor.url } }), [
      { path: 'body.config.subdomain', message: 'Subdomain is required' },
    ]);
    await expectRefused(await create({ ...valid, config: {} }), [
      { path: 'body.config.base_url', message: 'Base URL is required' },
      { path: 'body.config.subdomain', message: 'Subdomain is required' },
    ]);
    await expectRefused(await create({ ...valid, credentials: { token: '' } }), [
      { path: 'body.credentials.token', message: 'Token is required' },
    ]);
  });

  it('values that do not match the field: pattern, URL, select, number, PEM', async () => {
    await expectRefused(await create({ ...valid, config: { ...valid.config, subdomain: 'Acme Inc' } }), [
      { path: 'body.config.subdomain', message: 'does not match the expected format (letters, digits and dashes)' },
    ]);
    await expectRefused(await create({ ...valid, credentials: { token: 'ghp_1' } }), [
      { path: 'body.credentials.token', message: 'does not match the expected format' },
    ]);
    await expectRefused(
      await create({
        ...valid,
        config: { base_url: 'ftp://files.vendor.test', subdomain: 'acme', region: 'mars', page_size: 'ten' },
      }),
      [
        { path: 'body.config.base_url', message: 'must be an http:// or https:// URL' },
        { path: 'body.config.region', message: 'must be one of eu' },
        { path: 'body.config.page_size', message: 'must be a number' },
      ],
    );
    const jwt = (private_key: string) => create({ ...valid, auth_method: 'jwt', credentials: { private_key } });
    await expectRefused(await jwt('just text'), [
      { path: 'body.credentials.private_key', message: 'must be a PEM block (-----BEGIN …-----)' },
    ]);
    await expectRefused(await jwt('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'), [
      { path: 'body.credentials.private_key', message: expect.stringContaining('not a readable private key') },
    ]);
  });

  it('a body of the wrong shape: unknown keys, nested values, wrong types', async () => {
    await expectRefused(await create({ ...valid, colour: 'blue' }), [
      { path: 'body', message: expect.stringContaining('colour') },
    ]);
    await expectRefused(await create({ ...valid, config: { ...valid.config, subdomain: { a: 1 } } }), [
      { path: 'body.config.subdomain', message: expect.any(String) },
    ]);
    await expectRefused(await create({ ...valid, validate: 'yes' }), [
      { path: 'body.validate', message: expect.any(String) },
    ]);
    await expectRefused(await create({ ...valid, connector: undefined }), [
      { path: 'body.connector', message: expect.any(String) },
    ]);
  });

  it('malformed JSON', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: '{"connector": "shaped_api",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'malformed_json');
    expect(await rowCounts(t, tables)).toEqual(Object.fromEntries(tables.map((name) => [name, 0])));
  });
});

describe('bad input to PATCH /v1/connections/:id', () => {
  it('is refused field by field and changes nothing', async () => {
    const created = await create({ ...valid, config: { ...valid.config, base_url: vendor.url } });
    const url = `/v1/connections/${created.data.id as string}`;
    const patch = (body: unknown) => t.request({ method: 'PATCH', url, body });
    const cases: [unknown, string][] = [
      [{ config: { colour: 'blue' } }, 'body.config.colour'],
      [{ config: { subdomain: 'UPPER' } }, 'body.config.subdomain'],
      [{ credentials: { token: 'nope' } }, 'body.credentials.token'],
      [{ credentials: { secret: 'x' } }, 'body.credentials.secret'],
      [{ name: '' }, 'body.name'],
    ];
    for (const [body, path] of cases) {
      const res = await patch(body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    expectProblem(
      await t.request({ method: 'PATCH', url, body: '{"name":', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    expect((await t.request({ url })).data).toEqual(created.data);
    expect(vendor.requests).toHaveLength(1);
  });
});
