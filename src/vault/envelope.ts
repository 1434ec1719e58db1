import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a random 96-bit IV per value and caller-supplied additional authenticated data. The AAD is not
 * stored: the reader must present the same context (tenant, record, field) or decryption fails, so a ciphertext
 * copied to another row or tenant is useless.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function encrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export class DecryptionError extends Error {
  constructor(message = 'The value cannot be decrypted with this key and context') {
    super(message);
    this.name = 'DecryptionError';
  }
}

export function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('The sealed value is truncated');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/**
 * A sealed field as stored: `v1:<data key id>:<base64url(iv | ciphertext | tag)>`. The data key id travels with
 * the value, so data keys can change without rewriting old values.
 */
export function formatSealed(dataKeyId: string, payload: Buffer): string {
  return `v1:${dataKeyId}:${payload.toString('base64url')}`;
}

export function parseSealed(sealed: string): { dataKeyId: string; payload: Buffer } {
  const [version, dataKeyId, payload] = sealed.split(':');
  if (version !== 'v1' || !dataKeyId || !payload) throw new DecryptionError('Not a sealed value');
  return { dataKeyId, payload: Buffer.from(payload, 'base64url') };
}
