import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type MasterKey = { id: string; key: Buffer };

/**
 * The master keys this node holds. The first is active: new data keys are wrapped under every key in the ring,
 * and a rotation re-wraps every data key under the active one. Keys come from SWITCHYARD_MASTER_KEY
 * (comma-separated base64, new key first during a rotation) or, when that is unset, from
 * `<data dir>/master.key` (one base64 key per line), generated on first start with mode 0600.
 */
export type Keyring = {
  active: MasterKey;
  keys: MasterKey[];
  source: 'environment' | 'file';
  file?: string;
};

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function fingerprint(key: Buffer): string {
  return `mk_${createHash('sha256').update('switchyard master key\0').update(key).digest('hex').slice(0, 20)}`;
}

export function parseMasterKey(text: string, where: string): MasterKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.trim()) {
    throw new MasterKeyError(
      `${where} must be 32 bytes in base64 (44 characters); generate one with "switchyard keys generate".`,
    );
  }
  return { id: fingerprint(key), key };
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

export function keyringFromText(text: string, source: Keyring['source'], where: string, file?: string): Keyring {
  const keys = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((k, i) => parseMasterKey(k, `${where} (key ${i + 1})`));
  const active = keys[0];
  if (!active) throw new MasterKeyError(`${where} holds no key.`);
  return { active, keys, source, ...(file ? { file } : {}) };
}

export const masterKeyFile = (dataDir: string) => path.join(dataDir, 'master.key');

/**
 * Load the keyring. `onGenerated` is told when a new key file was written, so the caller can warn that the key
 * now lives next to the data it protects.
 */
export function loadKeyring(options: {
  masterKey: string | undefined;
  dataDir: string;
  onGenerated?: (file: string) => void;
}): Keyring {
  if (options.masterKey) return keyringFromText(options.masterKey, 'environment', 'SWITCHYARD_MASTER_KEY');
  const file = masterKeyFile(options.dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    writeKeyFile(file, [generateMasterKey()]);
    options.onGenerated?.(file);
  }
  return keyringFromText(fs.readFileSync(file, 'utf8'), 'file', file, file);
}

/** Replace the key file atomically (write, fsync, rename), readable by the owner only. */
export function writeKeyFile(file: string, keys: string[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${keys.join('\n')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}
