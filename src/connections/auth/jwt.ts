import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthMethod } from '../../catalog/manifest/auth.js';
import { render, type TemplateContext } from '../templates.js';

type JwtMethod = Extract<AuthMethod, { type: 'jwt' }>;

// Signed tokens are reused until a minute before they expire: signing with RSA costs about a millisecond, which
// would otherwise be added to every proxied call. Keyed by a hash of key and claims, never by the key itself.
const cache = new Map<string, { token: string; expiresAt: number }>();
const keys = new Map<string, KeyObject | Uint8Array>();
const CACHE_MAX = 1000;

/** Sign a JWT with the connection's private key (or shared secret for HS*), claims from the manifest template. */
export async function signJwt(method: JwtMethod, ctx: TemplateContext, now: Date): Promise<string> {
  const secret = render(method.key, ctx);
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(method.claims))
    claims[name] = typeof value === 'string' ? render(value, ctx) : value;
  const kid = method.key_id ? render(method.key_id, ctx) : '';
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([method.algorithm, secret, kid, claims]))
    .digest('hex');
  const cached = cache.get(cacheKey);
  if (cached && cached.expiresAt - 60_000 > now.getTime()) return cached.token;

  const keyHash = createHash('sha256').update(method.algorithm).update(secret).digest('hex');
  let key = keys.get(keyHash);
  if (!key) {
    // node:crypto reads every PEM private key format (PKCS#8, PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY");
    // jose's importPKCS8 only the first, and vendors (GitHub Apps among them) hand out PKCS#1 keys. jose still
    // checks that the key fits the algorithm when it signs.
    key = method.algorithm.startsWith('HS') ? new TextEncoder().encode(secret) : createPrivateKey(secret);
    if (keys.size >= CACHE_MAX) keys.clear();
    keys.set(keyHash, key);
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: method.algorithm, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + method.expires_in_seconds)
    .sign(key);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(cacheKey, { token, expiresAt: (issuedAt + method.expires_in_seconds) * 1000 });
  return token;
}
