import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { defineRoute } from '../core/http/route.js';
import { iso, isoRequired, timestamp } from '../core/http/schemas.js';
import { MasterKeyError } from './keyring.js';
import { masterKeyStatus } from './sql.js';
import type { Vault } from './vault.js';

const masterKeyStatusSchema = z
  .object({
    active: z.string().describe('Fingerprint of the key new data keys are wrapped under'),
    source: z.enum(['environment', 'file']),
    held: z.array(z.string()).describe('Fingerprints of every key this node holds'),
    keys: z.array(
      z.object({
        id: z.string(),
        data_keys: z.number().int(),
        created_at: timestamp,
        retired_at: timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'MasterKeyStatus' });

export function vaultSystemRoutes(deps: { db: Db; vault: Vault }) {
  const { db, vault } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/system/master-key',
      operationId: 'getMasterKeyStatus',
      summary: 'Which master keys wrap the data keys (fingerprints only; superuser)',
      tags: ['System'],
      access: { capability: 'manage_master_key' },
      schema: { response: { 200: masterKeyStatusSchema } },
      async handler() {
        const rows = await masterKeyStatus(db);
        return {
          active: vault.keyring.active.id,
          source: vault.keyring.source,
          held: vault.keyring.keys.map((k) => k.id),
          keys: rows.map((r) => ({
            id: r.id,
            data_keys: r.data_keys,
            created_at: isoRequired(r.created_at),
            retired_at: iso(r.retired_at),
          })),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/system/master-key/rotate',
      operationId: 'rotateMasterKey',
      summary: 'Rotate the master key online (superuser)',
      description:
        'With a generated key file: creates a new master key, re-wraps every data key under it and retires the old ' +
        'one. With SWITCHYARD_MASTER_KEY="<new>,<old>": re-wraps every data key under the first key and drops wraps ' +
        'under the others. Sealed values are never rewritten; the server keeps serving throughout.',
      tags: ['System'],
      access: { capability: 'manage_master_key' },
      audit: { action: 'master_key.rotate', targetType: 'master_key' },
      errors: ['conflict'],
      schema: {
        response: {
          200: z
            .object({ master_key_id: z.string(), rewrapped: z.number().int(), pruned: z.number().int() })
            .meta({ id: 'MasterKeyRotation' }),
        },
      },
      async handler({ audit }) {
        const ring = vault.keyring;
        const previous = ring.active.id;
        try {
          const result = await vault.rotate();
          audit.target(result.masterKeyId, { from: previous, to: result.masterKeyId, rewrapped: result.rewrapped });
          return { master_key_id: result.masterKeyId, rewrapped: result.rewrapped, pruned: result.pruned };
        } catch (error) {
          if (error instanceof MasterKeyError) throw new ApiError('conflict', error.message);
          throw error;
        }
      },
    }),
  ];
}
