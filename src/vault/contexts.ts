import type { SealContext } from './vault.js';

/**
 * Every seal context (the record and field bound into a sealed value's AAD), in one place. They are as permanent as
 * error codes: a value sealed under a context opens only under the same one, so changing a string here makes every
 * value already stored under it unreadable. Add new ones; never edit one (contexts.test.ts pins each).
 */

/** A connection's credential fields. */
export const credentialContext = (connectionId: string, credentialId: string): SealContext => ({
  record: `connection:${connectionId}:credential:${credentialId}`,
  field: 'fields',
});

/** A connector's system connection (platform-owned credentials). */
export const systemCredentialContext = (slug: string): SealContext => ({
  record: `system_connection:${slug}`,
  field: 'fields',
});

/** A tenant's (or the platform's) OAuth app secret for a connector. */
export const oauthClientContext = (slug: string): SealContext => ({
  record: `oauth_client:${slug}`,
  field: 'client_secret',
});

/** The PKCE code verifier of an OAuth flow in progress. */
export const verifierContext = (flowId: string): SealContext => ({
  record: `oauth_flow:${flowId}`,
  field: 'code_verifier',
});

/** One version of a named secret. */
export const secretContext = (secretId: string, version: number): SealContext => ({
  record: `secret:${secretId}:${version}`,
  field: 'value',
});

/** An inbound source's URL token. */
export const sourceTokenContext = (sourceId: string): SealContext => ({
  record: `inbound_source:${sourceId}`,
  field: 'token',
});

/** An inbound source's forward headers. */
export const forwardHeadersContext = (sourceId: string): SealContext => ({
  record: `inbound_source:${sourceId}`,
  field: 'forward_headers',
});

/** An inbound source's verification secret. */
export const sourceSecretContext = (secretId: string): SealContext => ({
  record: `inbound_secret:${secretId}`,
  field: 'secret',
});

/** An outbound endpoint's signing secret. */
export const endpointSecretContext = (secretId: string): SealContext => ({
  record: `webhook_secret:${secretId}`,
  field: 'secret',
});

/** An outbound endpoint's custom headers. */
export const endpointHeadersContext = (endpointId: string): SealContext => ({
  record: `webhook_endpoint:${endpointId}`,
  field: 'headers',
});
