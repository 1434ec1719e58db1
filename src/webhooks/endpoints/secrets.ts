import type { Queryable } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import type { Vault } from '../../vault/vault.js';
import { generateEd25519KeyPair, generateHmacSecret } from '../signing.js';
import { insertEndpointSecret, type EndpointSecretRow } from './sql.js';
import { endpointHeadersContext, endpointSecretContext } from '../../vault/contexts.js';

export type SigningKind = 'hmac' | 'ed25519';

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

/** Seal custom header values (null when there are none); names stay readable in `header_names`. */
export async function sealHeaders(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  endpointId: string,
  headers: Record<string, string>,
): Promise<{ header_names: string[]; headers_sealed: string | null }> {
  const names = Object.keys(headers);
  if (names.length === 0) return { header_names: [], headers_sealed: null };
  const sealed = await vault.seal(q, tenantId, endpointHeadersContext(endpointId), JSON.stringify(headers));
  return { header_names: names, headers_sealed: sealed };
}

export async function openHeaders(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  endpointId: string,
  sealed: string | null,
): Promise<Record<string, string>> {
  if (sealed === null) return {};
  return JSON.parse(await vault.open(q, tenantId, endpointHeadersContext(endpointId), sealed)) as Record<
    string,
    string
  >;
}
