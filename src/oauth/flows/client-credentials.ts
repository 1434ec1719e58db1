import { assertReferencesExist, resolveRecord } from '../../connections/credentials.js';
import {
  testWith,
  type ConnectionWithOutcome,
  type OAuthConnectInput,
  type ClientCredentialsConnect,
} from '../../connections/service-common.js';
import { ApiError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { resolveOAuthClient } from '../clients/clients.js';
import { requestedScopes } from './input.js';
import type { OAuthFlowDeps } from './start.js';
import { insertOAuthConnection, withTokenResponse } from './store.js';
import { passed } from '../../connections/test-call.js';
import { endpointsOf, OAuthRefusal, OAuthUnavailable, type TokenSet } from '../protocol.js';

/**
 * A machine-to-machine connection (OAuth client-credentials grant), made by `POST /v1/connections` without any
 * browser: a token is fetched with the tenant's or the platform's OAuth app, the connector's test call runs with
 * it (unless `validate: false`), and only then is the connection stored `active` with its token. There is no
 * refresh token: the refresh engine fetches a new token before `expires_at`.
 */
export async function connectClientCredentials(
  deps: Omit<OAuthFlowDeps, 'auth' | 'publicUrl' | 'revoker'>,
  principal: Principal,
  input: OAuthConnectInput,
  ctx: Parameters<ClientCredentialsConnect>[2],
): Promise<ConnectionWithOutcome> {
  const tenantId = principal.tenantId;
  const { row, manifest, warnings } = input.connector;
  const scopes = requestedScopes(manifest, input.method, input.scopes);
  await assertReferencesExist(deps.db, tenantId, { 'body.config': input.config });
  const client = await resolveOAuthClient(deps.db, deps.vault, tenantId, row);
  const endpoints = endpointsOf(input.method, await resolveRecord(deps.db, deps.vault, tenantId, input.config));
  let tokens: TokenSet;
  try {
    tokens = await deps.protocol.clientCredentials(input.method, endpoints, client, scopes);
  } catch (error) {
    throw tokenError(error, manifest.name);
  }
  const config = withTokenResponse(manifest, input.method, input.config, tokens);
  let outcome = null;
  if (input.validate) {
    const credentials = { access_token: tokens.access_token, token_type: tokens.token_type };
    outcome = (await testWith(deps, tenantId, manifest, input.method, config, credentials)).outcome;
    if (!passed(outcome)) {
      throw new ApiError(
        'connection_test_failed',
        `The ${manifest.name} test call failed (${outcome.outcome}): ${outcome.message}`,
        { outcome },
      );
    }
  }
  const connection = await ctx.transaction(async (tx) => {
    const created = await insertOAuthConnection(deps, tx, {
      id: newId('conn'),
      principal,
      connector: row,
      method: input.method,
      name: input.name?.trim() || manifest.name,
      description: input.description ?? '',
      config,
      level: 'app',
      scopes,
      tokens,
      source: client.source,
      outcome,
      identity: input.identity,
    });
    ctx.onCreated?.(created);
    return created;
  });
  return { connection, outcome, warnings };
}

function tokenError(error: unknown, name: string): unknown {
  if (error instanceof OAuthRefusal) {
    return new ApiError(
      'oauth_refused',
      `${name}'s token endpoint refused the client credentials (${error.error})${error.description ? `: ${error.description}` : '.'}`,
      { oauth_error: error.error },
    );
  }
  if (error instanceof OAuthUnavailable) {
    return new ApiError('oauth_unavailable', `${name}'s token endpoint could not be reached: ${error.message}`);
  }
  return error;
}
