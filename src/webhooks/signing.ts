import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, spec 1.0.0).
 *
 * The signed content is `${webhook-id}.${webhook-timestamp}.${body}` over the raw body bytes. Two schemes:
 * - `v1,<base64 HMAC-SHA256>` with a `whsec_<base64 key>` secret (24–64 random bytes);
 * - `v1a,<base64 ed25519 signature>` with a `whsk_<base64 32-byte seed>` private key, verified with
 *   `whpk_<base64 32-byte raw public key>` — the encodings of the reference Go library (`ed25519.NewKeyFromSeed`).
 * `webhook-signature` carries several space-separated signatures, one per valid secret, so receivers keep
 * verifying with the old secret while a rotation is under way.
 */

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** One secret of an endpoint. Without `expiresAt` it never expires; after it, it neither signs nor verifies. */
export type SigningSecret = { secret: string; expiresAt?: Date | null };

export type Ed25519KeyPair = { secret: string; public: string };

export type VerifyResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature';
    };

const HMAC_PREFIX = 'whsec_';
const PRIVATE_PREFIX = 'whsk_';
const PUBLIC_PREFIX = 'whpk_';
const HMAC_SECRET_BYTES = 32;
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
// A header with more signatures than any rotation needs is not worth the CPU of checking them all.
const MAX_SIGNATURES_CHECKED = 10;

// DER wrappers that turn a raw 32-byte ed25519 seed / public key into PKCS#8 / SPKI, which node:crypto imports.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

type ParsedKey =
  { scheme: 'v1'; key: KeyObject } | { scheme: 'v1a'; privateKey: KeyObject | undefined; publicKey: KeyObject };

// Key objects are cached per secret string: decoding and importing a key costs more than the HMAC itself.
// Bounded, least recently used first out, so a stream of rotated secrets cannot grow it without limit.
const KEY_CACHE_LIMIT = 1024;
const keyCache = new Map<string, ParsedKey>();

/** A new HMAC secret, `whsec_` + base64 of 32 random bytes. */
export function generateHmacSecret(): string {
  return HMAC_PREFIX + randomBytes(HMAC_SECRET_BYTES).toString('base64');
}

/** A new ed25519 key pair: `whsk_` + base64 seed (kept by us, signs) and `whpk_` + base64 public key (given out). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  return { secret: PRIVATE_PREFIX + seed.toString('base64'), public: PUBLIC_PREFIX + raw.toString('base64') };
}

/** The `whpk_` public key of a `whsk_` private key, to show a tenant after a rotation. */
export function ed25519PublicKey(privateKey: string): string {
  const parsed = parseKey(privateKey);
  if (parsed.scheme !== 'v1a' || !parsed.privateKey) throw new Error('Expected a whsk_ ed25519 private key');
  const raw = parsed.publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  return PUBLIC_PREFIX + raw.toString('base64');
}

/** Whether a secret is well formed (prefix, base64, length), so a route can refuse a bad one up front. */
export function isValidSigningSecret(secret: string): boolean {
  try {
    parseKey(secret);
    return true;
  } catch {
    return false;
  }
}

/**
 * The three Standard Webhooks headers for one attempt. Every secret still valid at `now` (default: `timestamp`)
 * contributes one signature, so during a rotation both the old and the new secret sign until the old one expires.
 * Throws when no secret is valid: sending an unsigned webhook is never what the caller wants.
 */
export function signatureHeaders(input: {
  id: string;
  timestamp: Date;
  body: Buffer | string;
  secrets: readonly SigningSecret[];
  now?: Date;
}): WebhookHeaders {
  const seconds = Math.floor(input.timestamp.getTime() / 1000);
  const now = input.now ?? input.timestamp;
  const content = signedContent(input.id, String(seconds), input.body);
  const signatures: string[] = [];
  for (const secret of validSecrets(input.secrets, now)) {
    const key = parseKey(secret.secret);
    if (key.scheme === 'v1') {
      signatures.push(`v1,${createHmac('sha256', key.key).update(content).digest('base64')}`);
    } else if (key.privateKey) {
      signatures.push(`v1a,${sign(null, content, key.privateKey).toString('base64')}`);
    } else {
      throw new Error('A whpk_ public key cannot sign; sign with its whsk_ private key');
    }
  }
  if (signatures.length === 0) throw new Error('No valid signing secret: every secret has expired');
  return {
    [WEBHOOK_ID_HEADER]: input.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(seconds),
    [WEBHOOK_SIGNATURE_HEADER]: signatures.join(' '),
  };
}

/**
 * Checks a received webhook: the timestamp within `toleranceSeconds` of `now`, then any `v1` / `v1a` signature
 * matching any secret still valid at `now` (`whsec_` for v1; `whpk_` or `whsk_` for v1a). Header names are
 * matched case-insensitively. A mismatch is a value, not an exception.
 */
export function verify(input: {
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer | string;
  secrets: readonly SigningSecret[];
  now?: Date;
  toleranceSeconds?: number;
}): VerifyResult {
  const headers = lowerCaseKeys(input.headers);
  const id = headers[WEBHOOK_ID_HEADER];
  const timestamp = headers[WEBHOOK_TIMESTAMP_HEADER];
  const signatureHeader = headers[WEBHOOK_SIGNATURE_HEADER];
  if (!id || !timestamp || !signatureHeader) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid_timestamp' };
  const now = input.now ?? new Date();
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > tolerance) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const content = signedContent(id, timestamp, input.body);
  const keys = validSecrets(input.secrets, now).map((s) => parseKey(s.secret));
  const received = signatureHeader.split(' ').filter(Boolean).slice(0, MAX_SIGNATURES_CHECKED);
  for (const entry of received) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const signature = Buffer.from(entry.slice(comma + 1), 'base64');
    if (signature.length === 0) continue;
    for (const key of keys) {
      if (version === 'v1' && key.scheme === 'v1') {
        const expected = createHmac('sha256', key.key).update(content).digest();
        if (expected.length === signature.length && timingSafeEqual(expected, signature)) return { ok: true };
      } else if (version === 'v1a' && key.scheme === 'v1a') {
        if (verifySignature(null, content, key.publicKey, signature)) return { ok: true };
      }
    }
  }
  return { ok: false, reason: 'no_matching_signature' };
}

function signedContent(id: string, timestamp: string, body: Buffer | string): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // ed25519 signs one buffer (no streaming update), so the content is assembled once and shared by every key.
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bodyBytes]);
}

function validSecrets(secrets: readonly SigningSecret[], now: Date): SigningSecret[] {
  return secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime());
}

function lowerCaseKeys(headers: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function parseKey(secret: string): ParsedKey {
  const cached = keyCache.get(secret);
  if (cached) {
    // Re-insert so the map's insertion order doubles as recency order.
    keyCache.delete(secret);
    keyCache.set(secret, cached);
    return cached;
  }
  const parsed = importKey(secret);
  if (keyCache.size >= KEY_CACHE_LIMIT) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  keyCache.set(secret, parsed);
  return parsed;
}

function importKey(secret: string): ParsedKey {
  if (secret.startsWith(HMAC_PREFIX)) {
    const bytes = decodeBase64(secret.slice(HMAC_PREFIX.length));
    if (bytes.length < 24 || bytes.length > 64) throw new Error('A whsec_ secret must hold 24 to 64 bytes');
    return { scheme: 'v1', key: createSecretKey(bytes) };
  }
  if (secret.startsWith(PRIVATE_PREFIX)) {
    const seed = decodeBase64(secret.slice(PRIVATE_PREFIX.length));
    if (seed.length !== 32) throw new Error('A whsk_ key must hold a 32-byte ed25519 seed');
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    return { scheme: 'v1a', privateKey, publicKey: createPublicKey(privateKey) };
  }
  if (secret.startsWith(PUBLIC_PREFIX)) {
    const raw = decodeBase64(secret.slice(PUBLIC_PREFIX.length));
    if (raw.length !== 32) throw new Error('A whpk_ key must hold a 32-byte ed25519 public key');
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    return { scheme: 'v1a', privateKey: undefined, publicKey };
  }
  throw new Error('A signing secret starts with whsec_, whsk_ or whpk_');
}

function decodeBase64(text: string): Buffer {
  // Buffer.from(…, 'base64') silently skips junk; a secret with junk in it is a typo to report, not to sign with.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('Secret is not valid base64');
  return Buffer.from(text, 'base64');
}
