import type { Queryable } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import type { Vault } from '../../vault/vault.js';
import { generateEd25519KeyPair, generateHmacSecret } from '../signing.js';
import { insertEndpointSecret, type EndpointSecretRow } from './sql.js';

export type SigningKind = 'hmac' | 'ed25519';

export const endpointSecretContext = (secretId: string) => ({ record: `webhook_secret:${secretId}`, field: 'secret' });

/**
 * Mint a signing secret for an endpoint and store it sealed. The clear value is returned to the caller once (the
 * create or rotate response) and never again: it is not in the row, the audit diff or the logs.
 */
export async function createEndpointSecret(
  q: Queryable,
  vault: Vault,
  input: { tenantId: string; endpointId: string; kind: SigningKind },
): Promise<{ row: EndpointSecretRow; secret: string }> {
  const id = newId('whs');
  const pair = input.kind === 'ed25519' ? generateEd25519KeyPair() : undefined;
  const secret = pair ? pair.secret : generateHmacSecret();
  const sealed = await vault.seal(q, input.tenantId, endpointSecretContext(id), secret);
  const row = await insertEndpointSecret(q, {
    id,
    endpoint_id: input.endpointId,
    kind: input.kind,
    public_key: pair ? pair.public : null,
    secret_sealed: sealed,
  });
  return { row, secret };
}
