import { createHash, createHmac } from 'node:crypto';
import type { OutboundRequest } from '../../core/net/http-client.js';

/**
 * AWS Signature Version 4, header form, from the published algorithm
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html and, for S3's own rules,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
 *
 *   canonical request = METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
 *   string to sign    = AWS4-HMAC-SHA256 \n amz-date \n date/region/service/aws4_request \n hex(sha256(canonical))
 *   signing key       = HMAC chain "AWS4"+secret → date → region → service → "aws4_request"
 *
 * The request is signed exactly as it will be sent: its path and query are read back from `req.url`, every header
 * it carries is signed except the ones proxies and clients may rewrite (the AWS SDKs' unsignable list).
 */
export type Sigv4Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  /** STS temporary credentials' session token (x-amz-security-token), when there is one. */
  sessionToken?: string;
  region: string;
  service: string;
  /** Send the payload's hash as x-amz-content-sha256 (S3 requires it). */
  contentSha256Header: boolean;
};

/** The body's hash when the bytes are known; a streamed body is sent as UNSIGNED-PAYLOAD (S3 allows it). */
export type Sigv4Payload = { kind: 'buffered'; data: Buffer | undefined } | { kind: 'unsigned' };

// Headers a hop may add, drop or rewrite (the AWS SDK for JavaScript's ALWAYS_UNSIGNABLE_HEADERS, plus the length,
// which the HTTP client computes for a buffered body).
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'content-length',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

export function signSigv4(req: OutboundRequest, creds: Sigv4Credentials, payload: Sigv4Payload, now: Date): void {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = payload.kind === 'unsigned' ? 'UNSIGNED-PAYLOAD' : sha256Hex(payload.data ?? Buffer.alloc(0));
  delete req.headers.authorization;
  req.headers['x-amz-date'] = amzDate;
  if (creds.contentSha256Header) req.headers['x-amz-content-sha256'] = payloadHash;
  if (creds.sessionToken) req.headers['x-amz-security-token'] = creds.sessionToken;

  const headers = new Map<string, string>([['host', req.headers.host ?? req.url.host]]);
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (!UNSIGNABLE.has(lower) && lower !== 'host') headers.set(lower, value.trim().replace(/\s+/g, ' '));
  }
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonical = [
    req.method.toUpperCase(),
    canonicalUri(req.url.pathname, creds.service === 's3'),
    canonicalQuery(req.url.search),
    names.map((name) => `${name}:${headers.get(name)}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${creds.region}/${creds.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${creds.secretAccessKey}`, day);
  for (const part of [creds.region, creds.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  req.headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, ` +
    `Signature=${signature}`;
}

/**
 * Each path segment URI-encoded (RFC 3986 unreserved characters kept, upper-case hex) from its decoded form. S3
 * encodes once and keeps the path as it is; every other service encodes the encoded path again.
 */
function canonicalUri(pathname: string, s3: boolean): string {
  const once = pathname
    .split('/')
    .map((segment) => uriEncode(decode(segment)))
    .join('/');
  const path = once || '/';
  return s3 ? path : path.split('/').map(uriEncode).join('/');
}

/** Parameters decoded (a `+` read as a space, as servers read a query) and re-encoded, sorted by name then value. */
function canonicalQuery(search: string): string {
  const raw = search.replace(/^\?/, '');
  if (!raw) return '';
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [uriEncode(decode(name.replace(/\+/g, ' '))), uriEncode(decode(value.replace(/\+/g, ' ')))] as const;
    })
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (encodeURIComponent leaves !'()* alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
