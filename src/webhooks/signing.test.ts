import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ed25519PublicKey,
  generateEd25519KeyPair,
  generateHmacSecret,
  isValidSigningSecret,
  signatureHeaders,
  verify,
  type WebhookHeaders,
} from './signing.js';

// standardwebhooks 1.1.x (the npm package) verifies only `v1` (HMAC); it has no `v1a` support. ed25519 signatures are
// therefore checked with node:crypto, importing the `whpk_` key as a JWK — a path independent of signing.ts's DER
// wrappers — and against the reference Go library's published test vector.

const T0 = new Date('2026-11-24T10:00:00Z');
const HOUR = 3_600_000;
const body = JSON.stringify({ type: 'connection.created', data: { id: 'conn_1', name: 'Zoë ✓' } });

// The library checks the timestamp against Date.now(), so the clock is moved rather than the timestamps faked.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function signaturesOf(headers: WebhookHeaders, version: string): string[] {
  return headers['webhook-signature']
    .split(' ')
    .filter((s) => s.startsWith(`${version},`))
    .map((s) => s.slice(version.length + 1));
}

function libraryVerifies(secret: string, payload: string, headers: WebhookHeaders): boolean {
  try {
    new Webhook(secret).verify(payload, headers);
    return true;
  } catch {
    return false;
  }
}

function ed25519Verifies(publicKey: string, payload: string, headers: WebhookHeaders): boolean {
  const x = Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  const content = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${payload}`);
  return signaturesOf(headers, 'v1a').some((sig) => cryptoVerify(null, content, key, Buffer.from(sig, 'base64')));
}

describe('secrets', () => {
  it('generates whsec_ secrets of 32 random bytes, different each time', () => {
    const a = generateHmacSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateHmacSecret()).not.toBe(a);
    expect(isValidSigningSecret(a)).toBe(true);
  });

  it('generates ed25519 pairs as a 32-byte seed and a 32-byte raw public key', () => {
    const pair = generateEd25519KeyPair();
    expect(Buffer.from(pair.secret.slice('whsk_'.length), 'base64')).toHaveLength(32);
    expect(Buffer.from(pair.public.slice('whpk_'.length), 'base64')).toHaveLength(32);
    expect(ed25519PublicKey(pair.secret)).toBe(pair.public);
  });

  it('refuses malformed secrets', () => {
    expect(isValidSigningSecret('whsec_short')).toBe(false);
    expect(isValidSigningSecret('whsec_' + Buffer.alloc(16).toString('base64'))).toBe(false);
    expect(isValidSigningSecret('whsec_' + 'A'.repeat(43) + '*')).toBe(false);
    expect(isValidSigningSecret('secret_' + Buffer.alloc(32).toString('base64'))).toBe(false);
    expect(isValidSigningSecret('whsk_' + Buffer.alloc(31).toString('base64'))).toBe(false);
  });
});

describe('reference vectors', () => {
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = new Date(1614265330_000);
  const payload = '{"test": 2432232314}';

  it('matches the v1 signature of the standardwebhooks test suite', () => {
    const headers = signatureHeaders({
      id,
      timestamp,
      body: payload,
      secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
    });
    expect(headers).toEqual({
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('matches the v1a signature of the reference Go library (whsk_ is the base64 seed)', () => {
    const headers = signatureHeaders({
      id,
      timestamp,
      body: Buffer.from(payload),
      secrets: [{ secret: 'whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=' }],
    });
    expect(headers['webhook-signature']).toBe(
      'v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==',
    );
  });
});

describe('signatureHeaders verified by the standardwebhooks package', () => {
  it('signs a string and a Buffer body identically, and the library verifies it', () => {
    const secret = generateHmacSecret();
    const fromString = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: [{ secret }] });
    const fromBuffer = signatureHeaders({ id: 'msg_1', timestamp: T0, body: Buffer.from(body), secrets: [{ secret }] });
    expect(fromBuffer).toEqual(fromString);
    expect(fromString['webhook-timestamp']).toBe(String(T0.getTime() / 1000));
    expect(new Webhook(secret).verify(body, fromString)).toEqual(JSON.parse(body));
  });

  it('fails verification when the body, timestamp or id is tampered with, or the secret is another', () => {
    const secret = generateHmacSecret();
    const headers = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: [{ secret }] });
    expect(libraryVerifies(secret, body, headers)).toBe(true);
    expect(libraryVerifies(secret, body.replace('conn_1', 'conn_2'), headers)).toBe(false);
    expect(libraryVerifies(secret, body, { ...headers, 'webhook-timestamp': String(T0.getTime() / 1000 + 1) })).toBe(
      false,
    );
    expect(libraryVerifies(secret, body, { ...headers, 'webhook-id': 'msg_2' })).toBe(false);
    expect(libraryVerifies(generateHmacSecret(), body, headers)).toBe(false);
  });

  it('during a rotation sends both signatures, each secret alone verifies; after expiry only the new one', () => {
    const oldSecret = generateHmacSecret();
    const newSecret = generateHmacSecret();
    const secrets = [
      { secret: oldSecret, expiresAt: new Date(T0.getTime() + HOUR) },
      { secret: newSecret, expiresAt: null },
    ];

    const during = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets });
    expect(signaturesOf(during, 'v1')).toHaveLength(2);
    expect(libraryVerifies(oldSecret, body, during)).toBe(true);
    expect(libraryVerifies(newSecret, body, during)).toBe(true);

    const later = new Date(T0.getTime() + 2 * HOUR);
    vi.setSystemTime(later);
    const after = signatureHeaders({ id: 'msg_1', timestamp: later, body, secrets });
    expect(signaturesOf(after, 'v1')).toHaveLength(1);
    expect(libraryVerifies(oldSecret, body, after)).toBe(false);
    expect(libraryVerifies(newSecret, body, after)).toBe(true);
  });

  it('skips expired secrets by `now`, not by the timestamp, when both are given', () => {
    const oldSecret = generateHmacSecret();
    const secrets = [{ secret: oldSecret, expiresAt: new Date(T0.getTime() + 1000) }, { secret: generateHmacSecret() }];
    const headers = signatureHeaders({ id: 'msg_1', timestamp: T0, now: new Date(T0.getTime() + 1000), body, secrets });
    expect(libraryVerifies(oldSecret, body, headers)).toBe(false);
  });

  it('refuses to sign when every secret has expired, or with a public key', () => {
    const expired = [{ secret: generateHmacSecret(), expiresAt: T0 }];
    expect(() => signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: expired })).toThrow(/expired/);
    const { public: publicKey } = generateEd25519KeyPair();
    expect(() => signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: [{ secret: publicKey }] })).toThrow(
      /cannot sign/,
    );
  });
});

describe('ed25519 (v1a) signatures', () => {
  it('verify with the whpk_ public key; HMAC beside them still verifies with the library', () => {
    const pair = generateEd25519KeyPair();
    const hmac = generateHmacSecret();
    const headers = signatureHeaders({
      id: 'msg_1',
      timestamp: T0,
      body,
      secrets: [{ secret: pair.secret }, { secret: hmac }],
    });
    expect(headers['webhook-signature']).toMatch(/^v1a,\S+ v1,\S+$/);
    expect(ed25519Verifies(pair.public, body, headers)).toBe(true);
    expect(libraryVerifies(hmac, body, headers)).toBe(true);
    expect(ed25519Verifies(pair.public, body + ' ', headers)).toBe(false);
    expect(ed25519Verifies(pair.public, body, { ...headers, 'webhook-id': 'msg_2' })).toBe(false);
    expect(ed25519Verifies(pair.public, body, { ...headers, 'webhook-timestamp': '1' })).toBe(false);
    expect(ed25519Verifies(generateEd25519KeyPair().public, body, headers)).toBe(false);
  });

  it('rotates like HMAC: both keys sign until the old one expires', () => {
    const oldPair = generateEd25519KeyPair();
    const newPair = generateEd25519KeyPair();
    const secrets = [{ secret: oldPair.secret, expiresAt: new Date(T0.getTime() + HOUR) }, { secret: newPair.secret }];
    const during = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets });
    expect(ed25519Verifies(oldPair.public, body, during)).toBe(true);
    expect(ed25519Verifies(newPair.public, body, during)).toBe(true);
    const after = signatureHeaders({ id: 'msg_1', timestamp: new Date(T0.getTime() + 2 * HOUR), body, secrets });
    expect(ed25519Verifies(oldPair.public, body, after)).toBe(false);
    expect(ed25519Verifies(newPair.public, body, after)).toBe(true);
  });
});

describe('verify', () => {
  const hmac = generateHmacSecret();
  const pair = generateEd25519KeyPair();

  it('accepts what we sign, by HMAC secret or by ed25519 public key, with any header case', () => {
    const headers = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: [{ secret: hmac }] });
    expect(verify({ headers, body, secrets: [{ secret: hmac }], now: T0 })).toEqual({ ok: true });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify({ headers: upper, body: Buffer.from(body), secrets: [{ secret: hmac }], now: T0 })).toEqual({
      ok: true,
    });
    const signed = signatureHeaders({ id: 'msg_1', timestamp: T0, body, secrets: [{ secret: pair.secret }] });
    expect(verify({ headers: signed, body, secrets: [{ secret: pair.public }], now: T0 })).toEqual({ ok: true });
  });

  it('accepts a header signed by the library itself', () => {
    const headers = {
      'webhook-id': 'msg_lib',
      'webhook-timestamp': String(T0.getTime() / 1000),
      'webhook-signature': new Webhook(hmac).sign('msg_lib', T0, body),
    };
    expect(verify({ headers, body, secrets: [{ secret: hmac }], now: T0 })).toEqual({ ok: true });
  });

  it('rejects tampering, wrong keys, expired keys, stale timestamps and missing headers', () => {
    const headers = signatureHeaders({
      id: 'msg_1',
      timestamp: T0,
      body,
      secrets: [{ secret: hmac }, { secret: pair.secret }],
    });
    const mismatch = { ok: false, reason: 'no_matching_signature' };
    const both = [{ secret: hmac }, { secret: pair.public }];
    expect(verify({ headers, body: body + 'x', secrets: both, now: T0 })).toEqual(mismatch);
    expect(verify({ headers: { ...headers, 'webhook-id': 'msg_2' }, body, secrets: both, now: T0 })).toEqual(mismatch);
    const shifted = { ...headers, 'webhook-timestamp': String(T0.getTime() / 1000 - 1) };
    expect(verify({ headers: shifted, body, secrets: both, now: T0 })).toEqual(mismatch);
    expect(verify({ headers, body, secrets: [{ secret: generateHmacSecret() }], now: T0 })).toEqual(mismatch);
    expect(verify({ headers, body, secrets: [{ secret: hmac, expiresAt: T0 }], now: T0 })).toEqual(mismatch);
    expect(verify({ headers, body, secrets: both, now: new Date(T0.getTime() + 301_000) })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verify({ headers: { ...headers, 'webhook-timestamp': '1e9' }, body, secrets: both, now: T0 })).toEqual({
      ok: false,
      reason: 'invalid_timestamp',
    });
    expect(verify({ headers: { 'webhook-id': 'msg_1' }, body, secrets: both, now: T0 })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    const garbage = { ...headers, 'webhook-signature': 'v1 v1, v1a,!!!! v2,abc' };
    expect(verify({ headers: garbage, body, secrets: both, now: T0 })).toEqual(mismatch);
  });
});
