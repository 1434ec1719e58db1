import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford base32, lower-case: no i, l, o, u, so ids read aloud and copy cleanly.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

let lastTime = -1;
const lastRandom = Buffer.alloc(10);

/**
 * A prefixed, time-ordered id (`conn_01jd…`): 48 bits of milliseconds then 80 random bits, like a ULID. Ids sort by
 * creation time, so they double as pagination cursors; the prefix tells a human what an id names.
 *
 * Monotonic within a process (ULID's monotonic mode): ids minted in the same millisecond increment the random part
 * of the previous one instead of drawing a new one, so rows written one after the other — an outbox's events in one
 * transaction — sort in the order they were written. An explicit `now` (back-dating) is used as given.
 */
export function newId(prefix: string, now?: number): string {
  const bytes = Buffer.allocUnsafe(16);
  if (now !== undefined) {
    bytes.writeUIntBE(now, 0, 6);
    takeRandom(10).copy(bytes, 6);
    return `${prefix}_${base32(bytes)}`;
  }
  const time = Math.max(Date.now(), lastTime);
  if (time === lastTime) increment(lastRandom);
  else takeRandom(10).copy(lastRandom);
  lastTime = time;
  bytes.writeUIntBE(time, 0, 6);
  lastRandom.copy(bytes, 6);
  return `${prefix}_${base32(bytes)}`;
}

/** Add one to a big-endian number; on overflow (2^80 ids in one millisecond, never) it wraps. */
function increment(buffer: Buffer): void {
  for (let i = buffer.length - 1; i >= 0; i--) {
    const value = (buffer[i] as number) + 1;
    buffer[i] = value & 0xff;
    if (value <= 0xff) return;
  }
}

// Ids are minted on every request (request ids); one crypto call per 4 KiB instead of one per id. The pool only
// serves id randomness: secret tokens below always come from a fresh randomBytes call.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function takeRandom(n: number): Buffer {
  if (poolOffset + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** A random secret token: `prefix` + base32 of `bytes` random bytes (30 bytes = 240 bits by default). */
export function randomToken(prefix: string, bytes = 30): string {
  return `${prefix}${base32(randomBytes(bytes))}`;
}

/** SHA-256 hex digest: how high-entropy tokens (API keys, sessions) are stored and looked up. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
