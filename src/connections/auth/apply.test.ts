import { createHash, createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { authMethodSchema, type AuthMethod } from '../../catalog/manifest/auth.js';
import type { OutboundRequest } from '../../core/net/http-client.js';
import { applyAuth } from './apply.js';

/** applyAuth by unit: a manifest auth method (as parsed from YAML) applied to a request, checked as sent. */

const now = new Date('2031-05-06T07:08:09.123Z');
const method = (input: Record<string, unknown>): AuthMethod => authMethodSchema.parse(input);
const request = (overrides: Partial<OutboundRequest> = {}): OutboundRequest => ({
  method: 'GET',
  url: new URL('https://api.vendor.test/v2/me?expand=team'),
  headers: { accept: 'application/json' },
  ...overrides,
});
const apply = (req: OutboundRequest, auth: AuthMethod, credentials: Record<string, string>, config = {}) =>
  applyAuth(req, { method: auth, config, credentials, now: () => now });

describe('applyAuth: keys, basic, bearer, custom headers', () => {
  it('api_key in the query sets one parameter and leaves the others and the headers alone', async () => {
    const req = request();
    await apply(req, method({ type: 'api_key', in: 'query', name: 'key' }), { api_key: 'a b&c' });
    expect(req.url.search).toBe('?expand=team&key=a+b%26c');
    expect(req.headers).toEqual({ accept: 'application/json' });
  });

  it('api_key through a template with config and credentials', async () => {
    const req = request();
    const auth = method({ type: 'api_key', name: 'X-Auth', value: 'Token {{credentials.api_key}}@{{config.org}}' });
    await apply(req, auth, { api_key: 'k1' }, { org: 'acme' });
    expect(req.headers['x-auth']).toBe('Token k1@acme');
    expect(req.url.search).toBe('?expand=team');
  });

  it('basic, bearer and an OAuth access token', async () => {
    const basic = request();
    await apply(basic, method({ type: 'basic' }), { username: 'u', password: 'p:w' });
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('u:p:w').toString('base64')}`);
    const bearer = request();
    await apply(bearer, method({ type: 'bearer', token: '{{credentials.pat}}' }), { pat: 'ghp_1' });
    expect(bearer.headers.authorization).toBe('Bearer ghp_1');
    const oauth = request();
    const oauthMethod = method({ type: 'oauth2', grant: 'client_credentials', token_url: 'https://x.test/token' });
    await apply(oauth, oauthMethod, { access_token: 'at-9' });
    expect(oauth.headers.authorization).toBe('Bearer at-9');
  });

  it('custom headers and query parameters, names rendered from templates', async () => {
    const req = request();
    const auth = method({
      type: 'custom_headers',
      headers: { '{{credentials.name}}': '{{credentials.value}}', 'X-Org': '{{config.org}}' },
      query: { sig: '{{credentials.value}}' },
    });
    await apply(req, auth, { name: 'X-Vendor-Key', value: 'v1' }, { org: 'o-1' });
    expect(req.headers).toEqual({ accept: 'application/json', 'x-vendor-key': 'v1', 'x-org': 'o-1' });
    expect(req.url.searchParams.get('sig')).toBe('v1');
  });

  it('mtls hands back the client certificate, key and CA, and sends its headers', async () => {
    const req = request();
    const auth = method({ type: 'mtls', ca: '{{credentials.ca}}', headers: { 'X-Client': '{{config.client}}' } });
    const result = await apply(req, auth, { certificate: 'CERT', private_key: 'KEY', ca: 'CA' }, { client: 'c7' });
    expect(result).toEqual({ tls: { cert: 'CERT', key: 'KEY', ca: 'CA' } });
    expect(req.headers['x-client']).toBe('c7');
    const withoutCa = await apply(request(), method({ type: 'mtls' }), { certificate: 'C', private_key: 'K' });
    expect(withoutCa).toEqual({ tls: { cert: 'C', key: 'K' } });
  });
});

describe('applyAuth: signed JWTs, verified with jose', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
  const jwtMethod = (algorithm: string, extra: Record<string, unknown> = {}) =>
    method({
      type: 'jwt',
      algorithm,
      key_id: '{{config.kid}}',
      claims: { iss: '{{credentials.iss}}', scope: 'read write', tenant: '{{config.tenant}}', n: 3, admin: false },
      expires_in_seconds: 600,
      ...extra,
    });

  async function signedToken(auth: AuthMethod, key: string, header = 'authorization', prefix = 'Bearer ') {
    const req = request();
    await apply(req, auth, { private_key: key, iss: 'svc-1' }, { kid: 'k-7', tenant: 'acme' });
    const value = req.headers[header] ?? '';
    expect(value.startsWith(prefix)).toBe(true);
    return value.slice(prefix.length);
  }

  for (const [algorithm, key, verifyKey] of [
    ['RS256', pkcs8(rsa.privateKey), rsa.publicKey],
    ['ES256', pkcs8(ec.privateKey), ec.publicKey],
    [
      'HS256',
      'a-shared-secret-of-at-least-32-bytes!',
      new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'),
    ],
  ] as const) {
    it(`${algorithm}: claims from the template, kid, iat = now, exp = iat + expires_in_seconds`, async () => {
      const token = await signedToken(jwtMethod(algorithm), key);
      const { payload, protectedHeader } = await jwtVerify(token, verifyKey, {
        algorithms: [algorithm],
        currentDate: now,
      });
      expect(protectedHeader).toEqual({ alg: algorithm, typ: 'JWT', kid: 'k-7' });
      const iat = Math.floor(now.getTime() / 1000);
      expect(payload).toEqual({
        iss: 'svc-1',
        scope: 'read write',
        tenant: 'acme',
        n: 3,
        admin: false,
        iat,
        exp: iat + 600,
      });
    });
  }

  it('a custom header and format, e.g. "X-Jwt: JWT <token>"', async () => {
    const auth = jwtMethod('RS256', { header: 'X-Jwt', format: 'JWT {{jwt}}' });
    const token = await signedToken(auth, pkcs8(rsa.privateKey), 'x-jwt', 'JWT ');
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
  });

  it('accepts PKCS#1 RSA and SEC1 EC keys, the formats many vendors hand out', async () => {
    const rsaPkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(rsaPkcs1).toContain('BEGIN RSA PRIVATE KEY');
    await jwtVerify(await signedToken(jwtMethod('RS256'), rsaPkcs1), rsa.publicKey, { currentDate: now });
    const ecSec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    expect(ecSec1).toContain('BEGIN EC PRIVATE KEY');
    await jwtVerify(await signedToken(jwtMethod('ES256'), ecSec1), ec.publicKey, { currentDate: now });
  });
});

describe('applyAuth: HMAC request signing, recomputed', () => {
  const body = Buffer.from('{"amount":10,"note":"ünïcode"}');
  const hmacMethod = (extra: Record<string, unknown>) =>
    method({
      type: 'hmac',
      header: 'X-Signature',
      signed_content: '{{method}}|{{path}}|{{query}}|{{timestamp}}|{{body}}',
      timestamp: { header: 'X-Timestamp' },
      headers: { 'X-Key-Id': '{{credentials.key_id}}', 'X-Nonce': '{{nonce}}' },
      ...extra,
    });

  for (const [algorithm, encoding] of [
    ['sha256', 'hex'],
    ['sha256', 'base64'],
    ['sha512', 'hex'],
    ['sha512', 'base64'],
  ] as const) {
    it(`${algorithm}/${encoding} over method, path, query, timestamp and body as sent`, async () => {
      const req = request({ method: 'post', body });
      await apply(req, hmacMethod({ algorithm, encoding }), { secret: 's3cret', key_id: 'kid-4' });
      const timestamp = String(Math.floor(now.getTime() / 1000));
      expect(req.headers['x-timestamp']).toBe(timestamp);
      expect(req.headers['x-key-id']).toBe('kid-4');
      expect(req.headers['x-nonce']).toMatch(/^[0-9a-f]{24}$/);
      const content = `POST|/v2/me|expand=team|${timestamp}|${body.toString('utf8')}`;
      expect(req.headers['x-signature']).toBe(createHmac(algorithm, 's3cret').update(content).digest(encoding));
      expect(req.body).toBe(body);
    });
  }

  it('a value template, millisecond and ISO timestamps, and the body hash', async () => {
    const ms = request({ method: 'POST', body });
    const auth = hmacMethod({
      signed_content: '{{timestamp}}.{{body_sha256}}',
      value: 't={{timestamp}},v1={{signature}}',
      timestamp: { header: 'X-Ts', format: 'unix_ms' },
    });
    await apply(ms, auth, { secret: 'k', key_id: 'x' });
    const sha = createHash('sha256').update(body).digest('hex');
    const expected = createHmac('sha256', 'k').update(`${now.getTime()}.${sha}`).digest('hex');
    expect(ms.headers['x-signature']).toBe(`t=${now.getTime()},v1=${expected}`);
    expect(ms.headers['x-ts']).toBe(String(now.getTime()));

    const isoReq = request();
    await apply(isoReq, hmacMethod({ signed_content: '{{timestamp}}', timestamp: { format: 'iso' } }), {
      secret: 'k',
      key_id: 'x',
    });
    expect(isoReq.headers['x-signature']).toBe(createHmac('sha256', 'k').update(now.toISOString()).digest('hex'));
    expect(isoReq.headers['x-timestamp']).toBeUndefined();
  });
  it('Azure Cosmos DB master-key tokens: base64 key, lower-case verb and date, resource type and link, URL-encoded', async () => {
    // https://learn.microsoft.com/rest/api/cosmos-db/access-control-on-cosmosdb-resources: the signature is
    // HMAC-SHA256(base64-decoded key, verb + "\n" + resourceType + "\n" + resourceLink + "\n" + date + "\n\n"), all
    // lower case but the link, and the header is the URL-encoded "type=master&ver=1.0&sig=<base64>".
    const key = Buffer.from('cosmos-account-key-bytes').toString('base64');
    const cosmos = method({
      type: 'hmac',
      header: 'Authorization',
      secret: '{{credentials.account_key}}',
      secret_encoding: 'base64',
      encoding: 'base64',
      signed_content: '{{method_lower}}\n{{resource_type}}\n{{resource_link}}\n{{timestamp_lower}}\n\n',
      value: 'type%3Dmaster%26ver%3D1.0%26sig%3D{{signature_url}}',
      timestamp: { header: 'x-ms-date', format: 'http_date' },
    });
    const date = now.toUTCString();
    for (const [path, type, link] of [
      ['/dbs', 'dbs', ''],
      ['/dbs/Sales/colls', 'colls', 'dbs/Sales'],
      ['/dbs/Sales/colls/Orders%202026', 'colls', 'dbs/Sales/colls/Orders 2026'],
    ] as const) {
      const req = request({ url: new URL(`https://acct.documents.azure.com${path}`) });
      await apply(req, cosmos, { account_key: key });
      const sig = createHmac('sha256', Buffer.from(key, 'base64'))
        .update(`get\n${type}\n${link}\n${date.toLowerCase()}\n\n`)
        .digest('base64');
      expect(req.headers['x-ms-date']).toBe(date);
      expect(decodeURIComponent(req.headers.authorization as string)).toBe(`type=master&ver=1.0&sig=${sig}`);
    }
  });
});
