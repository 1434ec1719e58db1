import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundHeaders, InboundSecret, VerifyFailure, VerifyFailureReason } from './types.js';

/** Lower-cased header names. A repeated header is joined with ", " as node's HTTP parser does for most headers. */
export function normaliseHeaders(headers: InboundHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

export function fail(reason: VerifyFailureReason, message: string): VerifyFailure {
  return { ok: false, reason, message };
}

/** Secrets still valid at `now`: one whose `expiresAt` is at or before `now` is over. */
export function liveSecrets(secrets: readonly InboundSecret[], now: Date): string[] {
  return secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime()).map((s) => s.value);
}

export function hmac(algorithm: 'sha1' | 'sha256' | 'sha512', key: string, content: Buffer): Buffer {
  return createHmac(algorithm, key).update(content).digest();
}

/** Constant-time equality of two byte strings; unequal lengths are simply unequal (the length is not secret). */
export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Constant-time equality of two texts of any length: both are hashed first, so the comparison runs on equal-length
 * buffers and reveals neither the expected value nor its length. For passwords and API keys.
 */
export function equalText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * A received signature as bytes, or undefined when it is not strict hex / base64. `Buffer.from` alone skips junk
 * characters, which would let "ab!cd" compare equal to "abcd".
 */
export function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (encoding === 'hex') {
    return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  }
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined;
}

/**
 * Checks a Unix-seconds timestamp header against `now`. Distinguishes a stale request (a replay, or a queue that
 * held it too long) from one from the future (a sender's clock is off), because the fixes differ.
 */
export function checkTimestamp(
  text: string,
  now: Date,
  toleranceSeconds: number,
  unit: 'seconds' | 'milliseconds' = 'seconds',
): VerifyFailure | undefined {
  if (!/^\d{1,15}$/.test(text)) return fail('malformed', `The timestamp is not a number of ${unit} since 1970`);
  const sent = unit === 'seconds' ? Number(text) : Math.floor(Number(text) / 1000);
  const age = Math.floor(now.getTime() / 1000) - sent;
  if (age > toleranceSeconds) {
    return fail('stale_timestamp', `The timestamp is ${age} s old; at most ${toleranceSeconds} s is accepted`);
  }
  if (-age > toleranceSeconds) {
    return fail(
      'future_timestamp',
      `The timestamp is ${-age} s in the future; at most ${toleranceSeconds} s of clock skew is accepted`,
    );
  }
  return undefined;
}

/** The `id` and `type` string fields of a JSON object body, when it is one. Only read after verification. */
export function jsonIdAndType(rawBody: Buffer): { id?: string; type?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { id, type } = parsed as Record<string, unknown>;
  return { id: typeof id === 'string' ? id : undefined, type: typeof type === 'string' ? type : undefined };
}

/** An ok outcome without the keys whose value is missing, so `toEqual` and JSON output stay clean. */
export function passed(deliveryId: string | undefined, eventType: string | undefined) {
  return {
    ok: true as const,
    ...(deliveryId ? { deliveryId } : {}),
    ...(eventType ? { eventType } : {}),
  };
}

export type SchemeCheck<S> = {
  scheme: S;
  url?: string | undefined;
  method?: string | undefined;
  rawBody: Buffer;
  headers: Map<string, string>;
  now: Date;
  secrets: string[];
};

// More signatures than any rotation needs is not worth the CPU of checking them all.
const MAX_SIGNATURES_CHECKED = 10;

/** Whether any received signature equals the HMAC under any live secret. */
export function anySignatureMatches(received: Buffer[], secrets: string[], expected: (secret: string) => Buffer) {
  const limited = received.slice(0, MAX_SIGNATURES_CHECKED);
  for (const secret of secrets) {
    const digest = expected(secret);
    if (limited.some((signature) => equalBytes(digest, signature))) return true;
  }
  return false;
}
