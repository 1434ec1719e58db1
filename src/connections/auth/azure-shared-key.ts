import { createHmac } from 'node:crypto';
import type { OutboundRequest } from '../../core/net/http-client.js';

/**
 * Azure Storage Shared Key, the 2009-09-19-and-later string to sign
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key):
 *
 *   VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n Content-Type \n Date \n
 *   If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n Range \n
 *   CanonicalizedHeaders (x-ms-* lower-cased, sorted, `name:value\n`) CanonicalizedResource
 *
 * The resource is `/account` + the encoded URI path, then each query parameter as `\nname:value` (names lower-cased
 * and sorted, values decoded, several values sorted and comma-joined). Content-Length is empty when it is zero
 * (version 2015-02-21 and later). The signature is HMAC-SHA256 with the base64-decoded account key.
 */
export function signAzureSharedKey(
  req: OutboundRequest,
  credentials: { account: string; key: string },
  now: Date,
): void {
  delete req.headers.authorization;
  req.headers['x-ms-date'] = now.toUTCString();
  const header = (name: string) => req.headers[name] ?? '';
  const length = req.headers['content-length'] ?? (req.body ? String(req.body.length) : '');
  const fixed = [
    req.method.toUpperCase(),
    header('content-encoding'),
    header('content-language'),
    length === '0' ? '' : length,
    header('content-md5'),
    header('content-type'),
    header('date'),
    header('if-modified-since'),
    header('if-match'),
    header('if-none-match'),
    header('if-unmodified-since'),
    header('range'),
  ];
  const msHeaders = Object.entries(req.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .filter(([name]) => name.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
  const stringToSign = `${fixed.join('\n')}\n${msHeaders}${canonicalResource(credentials.account, req.url)}`;
  const signature = createHmac('sha256', Buffer.from(credentials.key, 'base64'))
    .update(stringToSign, 'utf8')
    .digest('base64');
  req.headers.authorization = `SharedKey ${credentials.account}:${signature}`;
}

function canonicalResource(account: string, url: URL): string {
  const params = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const key = name.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  const query = [...params.keys()]
    .sort()
    .map((name) => `\n${name}:${(params.get(name) ?? []).sort().join(',')}`)
    .join('');
  return `/${account}${url.pathname}${query}`;
}
