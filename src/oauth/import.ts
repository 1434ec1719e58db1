import { fieldValues } from '../core/http/schemas.js';
import { z } from 'zod';
import { findAuthMethod, type OAuth2Method } from '../catalog/manifest/auth.js';
import { validateFields } from '../catalog/fields.js';
import { assertConnectorCapability, connectorFor } from '../connections/connector-access.js';
import { assertReferencesExist, resolveRecord } from '../connections/credentials.js';
import { connectionKey, endUserSchema, metadataSchema, tagsSchema } from '../connections/identity.js';
import { testWith, type ConnectionWithOutcome } from '../connections/service-common.js';
import { createConnection, existingForKey, identityOf, type CreateInput } from '../connections/service-create.js';
import { passed } from '../connections/test-call.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Principal } from '../core/principal.js';
import { resolveOAuthClient } from './clients/clients.js';
import { insertOAuthConnection } from './flows/store.js';
import type { OAuthFlowDeps } from './flows/start.js';
import { endpointsOf, OAuthRefusal, OAuthUnavailable, type TokenSet } from './protocol.js';

/**
 * Moving from another platform without asking every customer to consent again: credentials held elsewhere become
 * connections here. OAuth tokens (with their expiry and scopes) or the fields of an API-key, Basic or JWT method;
 * tested with the connector's test call before anything is stored (an access token at or near its expiry is
 * refreshed first, with the refresh token given), sealed at once, audited as `connection.import`.
 */

export const importBody = z
  .strictObject({
    connector: z.string().min(1).max(100),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    auth_method: z.string().max(50).optional().describe('An auth method type of the connector; its first by default'),
    config: fieldValues.optional(),
    credentials: fieldValues.optional().describe('API-key, Basic or JWT methods: the method’s credential fields'),
    oauth: z
      .strictObject({
        access_token: z.string().min(1).max(10_000),
        refresh_token: z.string().min(1).max(10_000).optional(),
        token_type: z.string().max(50).default('bearer'),
        expires_at: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('When the access token expires; one past or within a minute is refreshed before the test'),
        scopes: z.array(z.string().min(1).max(200)).max(100).optional().describe('The scopes the grant holds'),
      })
      .optional()
      .describe('OAuth 2.0 methods: the tokens the other platform holds (an app-level connection)'),
    validate: z.boolean().default(true),
    key: connectionKey.optional(),
    end_user: endUserSchema.optional(),
    tags: tagsSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .refine((b) => (b.credentials === undefined) !== (b.oauth === undefined), {
    message: 'give either credentials (API key, Basic, JWT) or oauth (tokens), not both',
    path: ['oauth'],
  });

export type ImportInput = z.output<typeof importBody>;

type Ctx = {
  requestId: string;
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
  onCreated?: (row: ConnectionWithOutcome['connection']) => void;
};

export async function importConnection(
  deps: Omit<OAuthFlowDeps, 'auth' | 'publicUrl' | 'revoker'>,
  principal: Principal,
  input: ImportInput,
  ctx: Ctx,
): Promise<ConnectionWithOutcome & { repeated?: boolean }> {
  const { oauth, ...rest } = input;
  if (!oauth) return createConnection(deps, principal, rest as CreateInput, ctx);
  const tenantId = principal.tenantId;
  const { row, manifest, warnings } = await connectorFor(deps.registry, input.connector, 'create');
  assertConnectorCapability(principal, manifest);
  const method = findAuthMethod(manifest.auth, input.auth_method ?? 'oauth2');
  if (method?.type !== 'oauth2') {
    throw new ApiError('validation_failed', `${manifest.name} has no OAuth 2.0 method to import tokens into.`, {
      errors: [{ path: 'body.oauth', message: 'the connector does not connect with OAuth 2.0' }],
    });
  }
  const config = validateFields(manifest.config, input.config ?? {}, 'body.config');
  await assertReferencesExist(deps.db, tenantId, { 'body.config': config });
  const identity = identityOf(rest as CreateInput);
  const earlier = await existingForKey(deps.db, tenantId, identity);
  if (earlier) return { connection: earlier, outcome: null, warnings, repeated: true };

  const tokens = await freshTokens(deps, tenantId, row, method, config, oauth, manifest.name);
  let outcome = null;
  if (input.validate) {
    const credentials = { access_token: tokens.access_token, token_type: tokens.token_type };
    outcome = (await testWith(deps, tenantId, manifest, method, config, credentials)).outcome;
    if (!passed(outcome)) {
      throw new ApiError(
        'connection_test_failed',
        `Nothing was imported: the ${manifest.name} test call failed (${outcome.outcome}): ${outcome.message}`,
        { outcome },
      );
    }
  }
  const connection = await ctx.transaction(async (tx) => {
    const created = await insertOAuthConnection(deps, tx, {
      id: newId('conn'),
      principal,
      connector: row,
      method,
      name: input.name?.trim() || manifest.name,
      description: input.description ?? '',
      config,
      level: 'app',
      scopes: oauth.scopes ?? tokens.scope ?? [],
      tokens,
      source: 'tenant',
      outcome,
      identity,
    });
    ctx.onCreated?.(created);
    return created;
  });
  return { connection, outcome, warnings };
}

/** The imported tokens, refreshed first when the access token has expired or is about to. */
async function freshTokens(
  deps: Omit<OAuthFlowDeps, 'auth' | 'publicUrl' | 'revoker'>,
  tenantId: string,
  connector: Parameters<typeof resolveOAuthClient>[3],
  method: OAuth2Method,
  config: Record<string, unknown>,
  given: NonNullable<ImportInput['oauth']>,
  name: string,
): Promise<TokenSet> {
  const imported: TokenSet = {
    access_token: given.access_token,
    token_type: given.token_type,
    ...(given.refresh_token ? { refresh_token: given.refresh_token } : {}),
    ...(given.expires_at ? { expires_at: new Date(given.expires_at) } : {}),
    ...(given.scopes ? { scope: given.scopes } : {}),
    extra: {},
  };
  const expiring = imported.expires_at && imported.expires_at.getTime() <= deps.clock.now().getTime() + 60_000;
  if (!expiring) return imported;
  if (!imported.refresh_token) {
    throw new ApiError('validation_failed', 'The access token has expired and no refresh token was given.', {
      errors: [{ path: 'body.oauth.refresh_token', message: 'needed to renew an expired access token' }],
    });
  }
  const client = await resolveOAuthClient(deps.db, deps.vault, tenantId, connector);
  const endpoints = endpointsOf(method, await resolveRecord(deps.db, deps.vault, tenantId, config));
  try {
    const renewed = await deps.protocol.refresh(method, endpoints, client, imported.refresh_token);
    // A server that does not rotate refresh tokens answers without one: the imported one stays valid.
    const scope = renewed.scope ?? imported.scope;
    return { ...renewed, refresh_token: renewed.refresh_token ?? imported.refresh_token, ...(scope ? { scope } : {}) };
  } catch (error) {
    if (error instanceof OAuthRefusal) {
      throw new ApiError(
        'oauth_refused',
        `Nothing was imported: ${name}'s token endpoint refused the refresh token (${error.error})${error.description ? `: ${error.description}` : '.'}`,
        { oauth_error: error.error },
      );
    }
    // The request may have reached the vendor, which may have rotated the refresh token before the answer was lost
    // (a timeout, a gateway's 502 or 504): importing the same token again would present a used one, which reuse
    // detection answers by revoking the whole grant. Say so, instead of inviting a retry.
    if (error instanceof OAuthUnavailable && error.answerLost) {
      throw new ApiError(
        'oauth_refresh_unconfirmed',
        `Nothing was imported: ${name}'s token endpoint was sent the refresh token, but its answer was lost ` +
          `(${error.message}). The vendor may have rotated the token already, and presenting it again could end ` +
          'the whole grant: check the grant where it came from, or connect through the OAuth flow.',
      );
    }
    if (error instanceof OAuthUnavailable) {
      throw new ApiError('oauth_unavailable', `${name}'s token endpoint could not be reached: ${error.message}`);
    }
    throw error;
  }
}
