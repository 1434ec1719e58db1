import { describe, expect, it } from 'vitest';
import * as contexts from './contexts.js';

// Values stored under these contexts open only under the very same strings: this pins every one of them.
describe('seal contexts', () => {
  it('never change', () => {
    expect({
      credential: contexts.credentialContext('conn_1', 'cred_1'),
      system: contexts.systemCredentialContext('stripe'),
      oauthClient: contexts.oauthClientContext('github'),
      verifier: contexts.verifierContext('oaf_1'),
      secret: contexts.secretContext('sec_1', 3),
      sourceToken: contexts.sourceTokenContext('whin_1'),
      forwardHeaders: contexts.forwardHeadersContext('whin_1'),
      sourceSecret: contexts.sourceSecretContext('whis_1'),
      endpointSecret: contexts.endpointSecretContext('whsec_1'),
      endpointHeaders: contexts.endpointHeadersContext('ep_1'),
    }).toEqual({
      credential: { record: 'connection:conn_1:credential:cred_1', field: 'fields' },
      system: { record: 'system_connection:stripe', field: 'fields' },
      oauthClient: { record: 'oauth_client:github', field: 'client_secret' },
      verifier: { record: 'oauth_flow:oaf_1', field: 'code_verifier' },
      secret: { record: 'secret:sec_1:3', field: 'value' },
      sourceToken: { record: 'inbound_source:whin_1', field: 'token' },
      forwardHeaders: { record: 'inbound_source:whin_1', field: 'forward_headers' },
      sourceSecret: { record: 'inbound_secret:whis_1', field: 'secret' },
      endpointSecret: { record: 'webhook_secret:whsec_1', field: 'secret' },
      endpointHeaders: { record: 'webhook_endpoint:ep_1', field: 'headers' },
    });
    expect(Object.keys(contexts)).toHaveLength(10);
  });
});
