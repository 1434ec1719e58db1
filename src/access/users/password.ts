import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** OWASP's scrypt baseline: N=2^17, r=8, p=1 (128 MiB); maxmem must exceed 128 * N * r. */
export const DEFAULT_PASSWORD_HASH_COST = 17;
let PARAMS = { N: 2 ** DEFAULT_PASSWORD_HASH_COST, r: 8, p: 1 };

/**
 * The cost of new hashes: log2 of scrypt's N (`SWITCHYARD_PASSWORD_HASH_COST`, set by `switchyard serve`; the test
 * harness lowers it, as half a second of CPU per hash would dominate the suite). Hashes carry their own parameters, so
 * verifying a password made at another cost is unaffected.
 */
export function setPasswordHashCost(logN: number): void {
  PARAMS = { N: 2 ** logN, r: 8, p: 1 };
}
const KEY_LENGTH = 32;

/** Hash a password as `scrypt$N$r$p$salt$hash` (base64), self-describing so parameters can grow later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 256 * 1024 * 1024 });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64');
  const key = await scrypt(password, Buffer.from(saltText, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

let decoy: Promise<string> | undefined;

/** A well-formed hash of a random password: checked when the email is unknown, so timing does not tell. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
