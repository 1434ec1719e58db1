// Google Cloud Storage JSON API fake, as documented:
// - https://cloud.google.com/storage/docs/json_api/v1/buckets/list (project, pageToken/nextPageToken)
// - https://cloud.google.com/storage/docs/json_api/v1/objects/list (prefix, delimiter → `prefixes`, maxResults,
//   pageToken/nextPageToken)
// - https://cloud.google.com/storage/docs/json_api/v1/objects (size and generation as strings, md5Hash and crc32c
//   base64, updated RFC 3339)
// - https://cloud.google.com/storage/docs/json_api/v1/objects/get (alt=media, ifGenerationMatch → 412, Range → 206
//   with Content-Range, x-goog-generation)
// - https://cloud.google.com/storage/docs/json_api/v1/objects/insert (/upload/storage/v1 …?uploadType=media&name=)
// - https://cloud.google.com/storage/docs/json_api/v1/status-codes (401, 404, 412, 429 with the JSON error body)
// - https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth and https://google.aip.dev/auth/4111
//   (a self-signed JWT as the bearer: RS256, kid, iss = sub = the service account, aud https://storage.googleapis.com/)
import { createHash, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

type GcsObject = { bucket: string; name: string; data: Buffer; generation: number; contentType: string; updated: Date };

export async function startGcsFake(options: { project: string; email: string; keyId: string; publicKey: KeyObject }) {
  const buckets = new Map<string, Map<string, GcsObject>>();
  let generation = 1_700_000_000_000_000;
  let throttleNext = 0;
  let throttleRetryAfter: number | undefined;

  const error = (status: number, reason: string, message: string): FakeReply => ({
    status,
    json: { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } },
  });

  async function authorized(req: FakeRequest): Promise<boolean> {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token) return false;
    try {
      if (decodeProtectedHeader(token).kid !== options.keyId) return false;
      const { payload } = await jwtVerify(token, options.publicKey, {
        algorithms: ['RS256'],
        issuer: options.email,
        subject: options.email,
        // The documented audience, or the fake's own origin where a test rewrote the manifest's vendor URLs to it.
        audience: ['https://storage.googleapis.com/', `${server.url}/`],
      });
      return (payload.exp ?? 0) - (payload.iat ?? 0) <= 3600;
    } catch {
      return false;
    }
  }

  const resource = (o: GcsObject) => ({
    kind: 'storage#object',
    id: `${o.bucket}/${o.name}/${o.generation}`,
    name: o.name,
    bucket: o.bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: o.contentType,
    size: String(o.data.length),
    md5Hash: createHash('md5').update(o.data).digest('base64'),
    crc32c: crc32cBase64(o.data),
    etag: Buffer.from(String(o.generation)).toString('base64'),
    updated: o.updated.toISOString(),
    timeCreated: o.updated.toISOString(),
  });

  /** Page `sorted` from the token (the last name of the previous page), `max` at a time. */
  function page<T>(sorted: T[], keyOf: (t: T) => string, token: string | null, max: number) {
    const start = token ? sorted.findIndex((t) => keyOf(t) > Buffer.from(token, 'base64url').toString()) : 0;
    const from = start < 0 ? sorted.length : start;
    const slice = sorted.slice(from, from + max);
    const more = from + max < sorted.length;
    const last = slice.at(-1);
    return { slice, next: more && last ? Buffer.from(keyOf(last)).toString('base64url') : undefined };
  }

  function listObjects(bucket: Map<string, GcsObject>, req: FakeRequest): FakeReply {
    const prefix = req.query.get('prefix') ?? '';
    const delimiter = req.query.get('delimiter') ?? '';
    const max = Math.min(Number(req.query.get('maxResults') ?? 1000), 1000);
    // Objects and prefixes are listed in name order; a page holds up to maxResults of both together.
    const entries: { key: string; object?: GcsObject }[] = [];
    const seen = new Set<string>();
    for (const o of [...bucket.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!o.name.startsWith(prefix)) continue;
      const cut = delimiter ? o.name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const p = o.name.slice(0, cut + delimiter.length);
        if (!seen.has(p)) entries.push({ key: p });
        seen.add(p);
      } else entries.push({ key: o.name, object: o });
    }
    const { slice, next } = page(entries, (e) => e.key, req.query.get('pageToken'), max);
    const items = slice.flatMap((e) => (e.object ? [resource(e.object)] : []));
    const prefixes = slice.flatMap((e) => (e.object ? [] : [e.key]));
    return {
      json: {
        kind: 'storage#objects',
        ...(items.length ? { items } : {}),
        ...(prefixes.length ? { prefixes } : {}),
        ...(next ? { nextPageToken: next } : {}),
      },
    };
  }

  function media(o: GcsObject, req: FakeRequest): FakeReply {
    const match = req.query.get('ifGenerationMatch');
    if (match !== null && match !== String(o.generation))
      return error(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
    const headers = { 'content-type': o.contentType, 'x-goog-generation': String(o.generation) };
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    if (range) {
      const start = Number(range[1]);
      const part = o.data.subarray(start);
      return {
        status: 206,
        headers: { ...headers, 'content-range': `bytes ${start}-${o.data.length - 1}/${o.data.length}` },
        body: part.toString('latin1'),
      };
    }
    return { headers, body: o.data.toString('latin1') };
  }

  const server = await startFakeServer(async (req) => {
    if (throttleNext > 0) {
      throttleNext -= 1;
      return {
        ...error(429, 'rateLimitExceeded', 'The rate of change requests to the object is too high.'),
        ...(throttleRetryAfter !== undefined ? { headers: { 'retry-after': String(throttleRetryAfter) } } : {}),
      };
    }
    if (!(await authorized(req))) return error(401, 'authError', 'Invalid Credentials');
    const path = req.path;
    if (req.method === 'GET' && path === '/storage/v1/b') {
      if (req.query.get('project') !== options.project) return error(404, 'notFound', 'The project does not exist.');
      const names = [...buckets.keys()].sort();
      const { slice, next } = page(
        names,
        (n) => n,
        req.query.get('pageToken'),
        Number(req.query.get('maxResults') ?? 1000),
      );
      return {
        json: {
          kind: 'storage#buckets',
          items: slice.map((name) => ({ kind: 'storage#bucket', id: name, name })),
          ...(next ? { nextPageToken: next } : {}),
        },
      };
    }
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
    if (upload && req.method === 'POST') {
      const bucket = buckets.get(upload[1] as string);
      const name = req.query.get('name');
      if (!bucket) return error(404, 'notFound', 'The specified bucket does not exist.');
      if (req.query.get('uploadType') !== 'media' || !name) return error(400, 'invalid', 'Required parameter: name');
      const o = put(
        upload[1] as string,
        name,
        req.body,
        String(req.headers['content-type'] ?? 'application/octet-stream'),
      );
      return { json: resource(o) };
    }
    const object = /^\/storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(path);
    const bucket = object && buckets.get(object[1] as string);
    if (!object || !bucket) return error(404, 'notFound', 'The specified bucket does not exist.');
    if (!object[2]) return listObjects(bucket, req);
    const o = bucket.get(object[2]);
    if (!o) return error(404, 'notFound', `No such object: ${object[1]}/${object[2]}`);
    return req.query.get('alt') === 'media' ? media(o, req) : { json: resource(o) };
  });

  function put(bucket: string, name: string, data: Buffer, contentType = 'text/plain'): GcsObject {
    generation += 1;
    const o = { bucket, name, data, generation, contentType, updated: new Date() };
    buckets.get(bucket)?.set(name, o);
    return o;
  }

  return {
    url: server.url,
    requests: server.requests,
    createBucket: (name: string) => void buckets.set(name, new Map()),
    put,
    remove: (bucket: string, name: string) => void buckets.get(bucket)?.delete(name),
    /** Answer the next `times` calls 429 rateLimitExceeded, with Retry-After when given. */
    throttle(times: number, retryAfter?: number) {
      throttleNext = times;
      throttleRetryAfter = retryAfter;
    },
    close: server.close,
  };
}

/** CRC32C (Castagnoli), as GCS reports it: the big-endian 4 bytes, base64. */
function crc32cBase64(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}
