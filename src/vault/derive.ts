import { hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Keys for a purpose other than wrapping data keys (signing shared-file links), derived from the master keys with
 * HKDF-SHA256 so the master key itself never signs anything. The first key is the active one's (sign with it); the
 * others are the rest of the ring's, so what was signed before a rotation still verifies until the old key leaves.
 * Purposes are as permanent as seal contexts: a changed string invalidates everything signed under it.
 */
export function derivedKeys(keyring: Keyring, purpose: string): Buffer[] {
  return keyring.keys.map((master) =>
    Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), `switchyard/${purpose}/v1`, 32)),
  );
}
