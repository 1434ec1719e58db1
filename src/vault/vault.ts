import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Db, Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';
import { decrypt, encrypt, formatSealed, parseSealed, DecryptionError } from './envelope.js';
import { generateMasterKey, keyringFromText, MasterKeyError, writeKeyFile, type Keyring } from './keyring.js';
import {
  countUnreachableDataKeys,
  dataKeysWithoutWrap,
  insertDataKey,
  insertWrap,
  latestDataKeyId,
  masterKeysInUse,
  pruneWrapsExcept,
  registerMasterKey,
  wrapsOf,
} from './sql.js';

/** What a sealed value is bound to: the AAD names the tenant, the record and the field. */
export type SealContext = { record: string; field: string };

export type RotationResult = { masterKeyId: string; rewrapped: number; pruned: number };

/** Reported after each batch of a rotation's re-wrap, so a CLI can show progress over many data keys. */
export type RotationProgress = { rewrapped: number; total: number };
export type RotationOptions = { onProgress?: (progress: RotationProgress) => void };

/**
 * Envelope encryption: each tenant has a random AES-256 data key, stored only wrapped (AES-256-GCM) by the
 * master key(s); values are sealed with the data key and bound by AAD to tenant, record and field. Unwrapped data
 * keys are cached in memory by id (ids are random, so a cached key whose row was rolled back is simply unused).
 */
export function createVault(deps: { db: Db; keyring: Keyring }) {
  let keyring = deps.keyring;
  let rotating = false;
  const unwrapped = new Map<string, Buffer>();

  const wrapAad = (tenantId: string, dataKeyId: string) => `switchyard/data-key/v1|${tenantId}|${dataKeyId}`;
  const valueAad = (tenantId: string, c: SealContext) => `switchyard/value/v1|${tenantId}|${c.record}|${c.field}`;

  async function unwrapDataKey(q: Queryable, dataKeyId: string): Promise<{ key: Buffer; tenantId: string }> {
    const wraps = await wrapsOf(q, dataKeyId);
    const tenantId = wraps[0]?.tenant_id;
    if (!tenantId) throw new DecryptionError(`Data key ${dataKeyId} does not exist`);
    for (const master of keyring.keys) {
      const wrap = wraps.find((w) => w.master_key_id === master.id);
      if (wrap)
        return {
          key: decrypt(master.key, Buffer.from(wrap.wrapped, 'base64'), wrapAad(tenantId, dataKeyId)),
          tenantId,
        };
    }
    throw new MasterKeyError(
      `Data key ${dataKeyId} is wrapped under ${wraps.map((w) => w.master_key_id).join(', ')}, none of which this node holds.`,
    );
  }

  async function dataKey(q: Queryable, dataKeyId: string): Promise<Buffer> {
    const cached = unwrapped.get(dataKeyId);
    if (cached) return cached;
    const { key } = await unwrapDataKey(q, dataKeyId);
    unwrapped.set(dataKeyId, key);
    return key;
  }

  /** Create a tenant's data key, wrapped under every master key this node holds. Call inside the tenant's creation. */
  async function createDataKey(q: Queryable, tenantId: string): Promise<string> {
    const id = newId('dek');
    const key = randomBytes(32);
    await insertDataKey(q, id, tenantId);
    for (const master of keyring.keys) {
      await registerMasterKey(q, master.id);
      const wrapped = encrypt(master.key, key, wrapAad(tenantId, id)).toString('base64');
      await insertWrap(q, { data_key_id: id, master_key_id: master.id, wrapped });
    }
    unwrapped.set(id, key);
    return id;
  }

  async function rewrapAll(options: RotationOptions): Promise<number> {
    const target = keyring.active;
    const total = options.onProgress ? await countUnreachableDataKeys(deps.db, [target.id]) : 0;
    let rewrapped = 0;
    for (;;) {
      if (rewrapped > 0) options.onProgress?.({ rewrapped, total });
      const ids = await dataKeysWithoutWrap(deps.db, target.id, 100);
      if (ids.length === 0) return rewrapped;
      for (const id of ids) {
        await deps.db.transaction(async (tx) => {
          const { key, tenantId } = await unwrapDataKey(tx, id);
          await registerMasterKey(tx, target.id);
          await insertWrap(tx, {
            data_key_id: id,
            master_key_id: target.id,
            wrapped: encrypt(target.key, key, wrapAad(tenantId, id)).toString('base64'),
          });
        });
        rewrapped++;
      }
    }
  }

  /**
   * Re-wrap every data key under the active master key, then drop the wraps under other keys. Sealed values are
   * not touched. Online: until the prune, every data key stays readable with the old key too.
   */
  async function rotateToActiveKey(options: RotationOptions): Promise<RotationResult> {
    const rewrapped = await rewrapAll(options);
    const pruned = await deps.db.transaction((tx) => pruneWrapsExcept(tx, keyring.active.id));
    return { masterKeyId: keyring.active.id, rewrapped, pruned };
  }

  /**
   * Generate a new master key and put it first in the key file (the old one stays until the re-wrap is done, so a
   * crash in between loses nothing), re-wrap, then leave only the new key in the file.
   */
  async function rotateGeneratedKey(file: string, options: RotationOptions): Promise<RotationResult> {
    const next = generateMasterKey();
    const current = keyring.keys.map((k) => k.key.toString('base64'));
    writeKeyFile(file, [next, ...current]);
    keyring = keyringFromText(fs.readFileSync(file, 'utf8'), 'file', file, file);
    const result = await rotateToActiveKey(options);
    writeKeyFile(file, [next]);
    keyring = keyringFromText(next, 'file', file, file);
    return result;
  }

  return {
    get keyring(): Keyring {
      return keyring;
    },

    createDataKey,

    /** Seal a secret for a tenant. The result is safe to store; it names the data key it was sealed with. */
    async seal(q: Queryable, tenantId: string, context: SealContext, plaintext: string): Promise<string> {
      const dataKeyId = (await latestDataKeyId(q, tenantId)) ?? (await createDataKey(q, tenantId));
      const key = await dataKey(q, dataKeyId);
      return formatSealed(dataKeyId, encrypt(key, Buffer.from(plaintext, 'utf8'), valueAad(tenantId, context)));
    },

    /** Open a sealed value; fails unless tenant and context match what it was sealed with. */
    async open(q: Queryable, tenantId: string, context: SealContext, sealed: string): Promise<string> {
      const { dataKeyId, payload } = parseSealed(sealed);
      const key = await dataKey(q, dataKeyId);
      return decrypt(key, payload, valueAad(tenantId, context)).toString('utf8');
    },

    /**
     * Start-up check: every stored data key must be unwrappable with a key this node holds. Fails with a message
     * naming the keys the database expects, so a wrong SWITCHYARD_MASTER_KEY is caught before serving anything.
     */
    async verifyMasterKey(): Promise<void> {
      const unreachable = await countUnreachableDataKeys(
        deps.db,
        keyring.keys.map((k) => k.id),
      );
      if (unreachable === 0) return;
      const expected = await masterKeysInUse(deps.db);
      throw new MasterKeyError(
        `The master key does not match this database: ${unreachable} data key(s) are wrapped under ` +
          `${expected.join(', ')}, but the configured key${keyring.keys.length > 1 ? 's are' : ' is'} ` +
          `${keyring.keys.map((k) => k.id).join(', ')} (from ${keyring.source === 'file' ? keyring.file : 'SWITCHYARD_MASTER_KEY'}). ` +
          'Start with the master key this database was sealed with.',
      );
    },

    /**
     * Rotate the master key online. With a generated key file: a new key is created and becomes active. With
     * SWITCHYARD_MASTER_KEY="<new>,<old>": the first key becomes the only one wrapping data keys.
     */
    async rotate(options: RotationOptions = {}): Promise<RotationResult> {
      // One rotation at a time: two overlapping key-file rotations each generate a key, prune with whichever key
      // is active when they get there and write the file last-one-wins, which can leave the file holding a key
      // that no longer wraps every data key (a retried HTTP call is enough to get there).
      if (rotating) throw new MasterKeyError('A master-key rotation is already running; wait for it to finish.');
      const file = keyring.source === 'file' ? keyring.file : undefined;
      if (!file && keyring.keys.length < 2) {
        throw new MasterKeyError(
          'The master key comes from SWITCHYARD_MASTER_KEY. To rotate it: generate a key ("switchyard keys generate"), ' +
            'restart every node with SWITCHYARD_MASTER_KEY="<new key>,<old key>", run the rotation, then restart ' +
            'with the new key alone.',
        );
      }
      rotating = true;
      try {
        if (file) return await rotateGeneratedKey(file, options);
        return await rotateToActiveKey(options);
      } finally {
        rotating = false;
      }
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
