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

describe('applyAuth: AWS Signature Version 4', () => {
  const signature = (req: OutboundRequest) => /Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '')?.[1];
  // AWS's own examples (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): bucket
  // examplebucket, 2013-05-24T00:00:00Z, us-east-1, the documentation's example key pair.
  const s3 = method({ type: 'aws_sigv4', region: 'us-east-1', service: 's3' });
  const s3Keys = {
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
    secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const at = new Date('2013-05-24T00:00:00Z');
  const signS3 = async (req: OutboundRequest, streamedBody = false) => {
    await applyAuth(req, { method: s3, config: {}, credentials: s3Keys, now: () => at, streamedBody });
    return req;
  };
  const bucket = (path: string) => new URL(`https://examplebucket.s3.amazonaws.com${path}`);

  it("signs S3's published examples: GET Object with a Range, PUT Object, GET lifecycle, GET Bucket", async () => {
    const get = await signS3({ method: 'GET', url: bucket('/test.txt'), headers: { range: 'bytes=0-9' } });
    expect(get.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(get.headers['x-amz-date']).toBe('20130524T000000Z');
    expect(get.headers['x-amz-content-sha256']).toBe(createHash('sha256').update('').digest('hex'));

    const put = await signS3({
      method: 'PUT',
      url: bucket('/test$file.text'),
      headers: { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      body: Buffer.from('Welcome to Amazon S3.'),
    });
    expect(put.headers.authorization).toContain(
      'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,',
    );
    expect(signature(put)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');

    const lifecycle = await signS3({ method: 'GET', url: bucket('/?lifecycle'), headers: {} });
    expect(signature(lifecycle)).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
    // The query's order as sent does not matter: the canonical query is sorted.
    const list = await signS3({ method: 'GET', url: bucket('/?prefix=J&max-keys=2'), headers: {} });
    expect(signature(list)).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
    expect(list.url.search).toBe('?prefix=J&max-keys=2');
  });

  it('signs the SigV4 test suite’s get-vanilla-query-order-key-case (no payload header, any service)', async () => {
    // aws-sig-v4-test-suite: GET /?Param2=value2&Param1=value1, host example.amazonaws.com, 2015-08-30T12:36:00Z.
    const req: OutboundRequest = {
      method: 'GET',
      url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'),
      headers: {},
    };
    const auth = method({ type: 'aws_sigv4', region: 'us-east-1', service: 'service', content_sha256_header: false });
    await applyAuth(req, {
      method: auth,
      config: {},
      credentials: { access_key_id: 'AKIDEXAMPLE', secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: () => new Date('2015-08-30T12:36:00Z'),
    });
    expect(req.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    );
    expect(req.headers['x-amz-content-sha256']).toBeUndefined();
  });

  it('a streamed body is UNSIGNED-PAYLOAD; a session token is sent and signed; region and service from templates', async () => {
    const streamed = await signS3({ method: 'PUT', url: bucket('/big.bin'), headers: {} }, true);
    expect(streamed.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const sts = method({ type: 'aws_sigv4', region: '{{config.region}}', service: 's3' });
    const req: OutboundRequest = { method: 'GET', url: bucket('/a%20b/c.txt'), headers: { 'user-agent': 'x' } };
    await apply(req, sts, { ...s3Keys, session_token: 'FQoG-token' }, { region: 'eu-west-3' });
    expect(req.headers['x-amz-security-token']).toBe('FQoG-token');
    expect(req.headers.authorization).toContain('/20310506/eu-west-3/s3/aws4_request, ');
    expect(req.headers.authorization).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,',
    );
    expect(req.url.pathname).toBe('/a%20b/c.txt');
  });
});

describe('applyAuth: Azure Storage Shared Key and SAS', () => {
  it('Shared Key: x-ms-date set, an Authorization naming the account, a signature that depends on key and request', async () => {
    const key = Buffer.from('azure-account-key-32-bytes-long!').toString('base64');
    const shared = method({ type: 'azure_shared_key' });
    const sign = async (url: string, headers: Record<string, string>, accountKey = key) => {
      const req: OutboundRequest = {
        method: 'GET',
        url: new URL(url),
        headers: { 'x-ms-version': '2021-08-06', ...headers },
      };
      await apply(req, shared, { account_key: accountKey }, { account: 'acct' });
      return req;
    };
    const base = await sign('https://acct.blob.core.windows.net/c?restype=container&comp=list', {});
    expect(base.headers['x-ms-date']).toBe(now.toUTCString());
    expect(base.headers.authorization).toMatch(/^SharedKey acct:[A-Za-z0-9+/]{43}=$/);
    const same = await sign('https://acct.blob.core.windows.net/c?comp=list&restype=container', {});
    expect(same.headers.authorization).toBe(base.headers.authorization);
    const ranged = await sign('https://acct.blob.core.windows.net/c?restype=container&comp=list', {
      range: 'bytes=1-',
    });
    expect(ranged.headers.authorization).not.toBe(base.headers.authorization);
    const other = await sign(
      'https://acct.blob.core.windows.net/c?restype=container&comp=list',
      {},
      Buffer.from('x').toString('base64'),
    );
    expect(other.headers.authorization).not.toBe(base.headers.authorization);
  });

  it('SAS: the token’s parameters join the query, a leading ? ignored, the signature kept as issued', async () => {
    const req = request({ url: new URL('https://acct.blob.core.windows.net/c?restype=container&comp=list') });
    const token = '?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2031-06-01T00:00:00Z&sig=ab%2Bc%2Fd%3D';
    await apply(req, method({ type: 'azure_sas' }), { sas_token: token });
    expect(req.url.searchParams.get('restype')).toBe('container');
    expect(req.url.searchParams.get('sp')).toBe('rl');
    expect(req.url.searchParams.get('sig')).toBe('ab+c/d=');
    expect(req.headers.authorization).toBeUndefined();
  });
});
