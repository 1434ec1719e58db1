import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';

/**
 * Each auth strategy of the generic REST connector, through POST /v1/connections against a fake vendor: the
 * assertions are on what the vendor received, byte for byte where the strategy defines it.
 */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({ 'GET /me': { json: { id: 'acct_7' } } });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const connect = (auth_method: string, credentials: Record<string, string>, connector = 'generic_rest') =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector,
      auth_method,
      config: { base_url: vendor.url, ...(connector === 'generic_rest' ? { test_path: '/me' } : {}) },
      credentials,
    },
  });

/** The one request the vendor received, checked to be the read-only test call. */
function received() {
  expect(vendor.requests).toHaveLength(1);
  const req = vendor.requests[0] as (typeof vendor.requests)[number];
  expect(req.method).toBe('GET');
  expect(req.body.length).toBe(0);
  return req;
}

describe('auth strategies through the connections API', () => {
  it('api_key in a header: the key in the named header and nowhere else', async () => {
    const res = await connect('api_key', { api_key: 'key-3f9a' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', auth_method: 'api_key', vendor_account_id: null });
    const req = received();
    expect(req.headers['x-api-key']).toBe('key-3f9a');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.url).toBe('/me');
  });

  it('api_key in the query: the parameter is encoded, and the request log never shows it', async () => {
    await installConnector(t, {
      slug: 'key_in_query',
      auth: [{ type: 'api_key', in: 'query', name: 'api_key', fields: [{ key: 'api_key', label: 'Key' }] }],
    });
    const res = await connect('api_key', { api_key: 'k+1/ä&x=y' }, 'key_in_query');
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(received().url, vendor.url);
    expect(url.pathname).toBe('/me');
    expect([...url.searchParams]).toEqual([['api_key', 'k+1/ä&x=y']]);
    expect(received().headers.authorization).toBeUndefined();

    await t.request({ method: 'POST', url: `/v1/connections/${res.data.id as string}/test` });
    const log = await t.request({ url: `/v1/connections/${res.data.id as string}/requests` });
    expect(log.data.data).toEqual([expect.objectContaining({ kind: 'test', path: '/me', status: 200 })]);
    expect(log.body).not.toContain('k+1');
  });

  it('api_key through a value template: "Token <key>" in the authorization header', async () => {
    await installConnector(t, {
      slug: 'key_template',
      auth: [
        {
          type: 'api_key',
          in: 'header',
          name: 'Authorization',
          value: 'Token {{credentials.api_key}}',
          fields: [{ key: 'api_key', label: 'Key' }],
        },
      ],
    });
    expect((await connect('api_key', { api_key: 'tk_55' }, 'key_template')).statusCode).toBe(201);
    expect(received().headers.authorization).toBe('Token tk_55');
  });

  it('basic: base64 of username:password, a colon inside the password kept', async () => {
    const res = await connect('basic', { username: 'ops@acme.test', password: 'p:ss wörd' });
    expect(res.statusCode, res.body).toBe(201);
    const header = received().headers.authorization ?? '';
    expect(header).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')).toBe('ops@acme.test:p:ss wörd');
  });

  it('bearer: the token after "Bearer "', async () => {
    expect((await connect('bearer', { token: 'tok.abc.123' })).statusCode).toBe(201);
    expect(received().headers.authorization).toBe('Bearer tok.abc.123');
  });

  it('jwt (RS256): a token the public key verifies, with the manifest claims, kid and a 300 s lifetime', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const res = await connect('jwt', {
      issuer: 'svc@acme.test',
      subject: 'user-9',
      key_id: 'key-2024',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    });
    expect(res.statusCode, res.body).toBe(201);
    const header = received().headers.authorization ?? '';
    expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = header.slice('Bearer '.length);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: ['RS256'],
      issuer: 'svc@acme.test',
      subject: 'user-9',
      audience: vendor.url,
    });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-2024' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sub']);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('jwt without the optional key id: no kid header', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await installConnector(t, {
      slug: 'jwt_es256',
      auth: [
        {
          type: 'jwt',
          algorithm: 'ES256',
          key_id: '{{credentials.key_id}}',
          claims: { iss: '{{credentials.issuer}}' },
          fields: [
            { key: 'issuer', label: 'Issuer' },
            { key: 'key_id', label: 'Key id', required: false },
            { key: 'private_key', label: 'Key', type: 'pem', secret: true },
          ],
        },
      ],
    });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect((await connect('jwt', { issuer: 'i', private_key: pem }, 'jwt_es256')).statusCode).toBe(201);
    const token = (received().headers.authorization ?? '').slice('Bearer '.length);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT' });
  });

  it('jwt with a key that does not fit the algorithm: nothing is sent, and the outcome says why', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const res = await connect('jwt', {
      issuer: 'i',
      subject: 's',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toEqual({
      outcome: 'vendor_error',
      status: null,
      vendor_code: null,
      message: expect.stringMatching(/^The jwt credentials could not be used to authenticate the request: /),
    });
    expect(vendor.requests).toEqual([]);
  });

  it('hmac: the signature recomputes from the request received; timestamp and key id headers sent', async () => {
    const res = await connect('hmac', { key_id: 'kid-1', secret: 'shh-secret' });
    expect(res.statusCode, res.body).toBe(201);
    const req = received();
    const timestamp = String(req.headers['x-timestamp']);
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(req.headers['x-key-id']).toBe('kid-1');
    const content = `${req.method}\n${new URL(req.url, vendor.url).pathname}\n${timestamp}\n${createHash('sha256').update(req.body).digest('hex')}`;
    expect(req.headers['x-signature']).toBe(createHmac('sha256', 'shh-secret').update(content).digest('hex'));
  });

  it('custom_headers: the header name comes from a credential, the value from another', async () => {
    const res = await connect('custom_headers', { header_name: 'X-Acme-Token', header_value: 'v-77' });
    expect(res.statusCode, res.body).toBe(201);
    const req = received();
    expect(req.headers['x-acme-token']).toBe('v-77');
    expect(req.headers.authorization).toBeUndefined();
  });

  it('a credential the vendor refuses is not saved, and the vendor saw exactly the given value', async () => {
    vendor.on('GET /me', (req) =>
      req.headers.authorization === 'Bearer right' ? { json: {} } : { status: 401, json: { message: 'nope' } },
    );
    const res = await connect('bearer', { token: 'wrong' });
    expect(res.statusCode).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'credential_revoked', status: 401, message: '401: nope' });
    expect(received().headers.authorization).toBe('Bearer wrong');
    expect((await t.db.query('select count(*)::int as n from connections')).rows).toEqual([{ n: 0 }]);
  });
});
