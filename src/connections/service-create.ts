import type { AuthMethod } from '../catalog/manifest-auth.js';
import type { Manifest } from '../catalog/manifest.js';
import { getSystemConnection } from '../catalog/sql.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Principal } from '../core/principal.js';
import { publishEvent } from '../events/publish.js';
import { assertConnectorCapability, authMethodOf, connectorFor } from './connector-access.js';
import { assertReferencesExist, credentialContext, validateFields } from './credentials.js';
import {
  assertNotOAuth,
  openSystemCredentials,
  testWith,
  type ConnectionDeps,
  type ConnectionWithOutcome,
} from './service-common.js';
import { insertConnection, insertStateHistory, upsertCredential, type ConnectionRow } from './sql.js';
import { actorOf } from './states.js';

export type CreateInput = {
  connector: string;
  name?: string;
  description?: string;
  auth_method?: string;
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  validate: boolean;
};

/**
 * Where a connection's credentials come from, by the connector's management pattern: `shared` always uses the
 * platform's; `hybrid` uses the tenant's when given, the platform's otherwise; `tenant_template` and `byop` need
 * the tenant's.
 */
async function credentialSource(
  q: Queryable,
  row: { slug: string; management: string },
  manifest: Manifest,
  given: boolean,
): Promise<'tenant' | 'system'> {
  if (row.management === 'shared' || (row.management === 'hybrid' && !given)) {
    if (row.management === 'shared' && given) {
      throw new ApiError('validation_failed', `${manifest.name} uses the platform's credentials; do not send any.`, {
        errors: [{ path: 'body.credentials', message: 'not accepted for a shared connector' }],
      });
    }
    if (!(await getSystemConnection(q, row.slug))) {
      throw new ApiError(
        'connection_unusable',
        `${manifest.name} uses platform credentials, but the operator has not configured them yet.`,
      );
    }
    return 'system';
  }
  return 'tenant';
}

export async function createConnection(
  deps: ConnectionDeps,
  principal: Principal,
  input: CreateInput,
  ctx: {
    requestId: string;
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
    /** Called in the transaction, before it commits (the audit entry names the new connection). */
    onCreated?: (row: ConnectionRow) => void;
  },
): Promise<ConnectionWithOutcome> {
  const tenantId = principal.tenantId;
  const { row, manifest, warnings } = await connectorFor(deps.registry, input.connector, 'create');
  assertConnectorCapability(principal, manifest);
  const auth = authMethodOf(manifest, input.auth_method);
  assertNotOAuth(auth);
  const config = validateFields(manifest.config, input.config ?? {}, 'body.config');
  const given = input.credentials !== undefined && Object.keys(input.credentials).length > 0;
  const source = await credentialSource(deps.db, row, manifest, given);
  const credentials =
    source === 'tenant'
      ? (validateFields(auth.fields, input.credentials ?? {}, 'body.credentials') as Record<string, string>)
      : {};
  await assertReferencesExist(deps.db, tenantId, config, credentials);

  const id = newId('conn');
  let outcome = null;
  if (input.validate) {
    const used =
      source === 'system' ? ((await openSystemCredentials(deps.db, deps.vault, row.slug)) ?? {}) : credentials;
    const run = await testWith(deps, tenantId, manifest, auth, config, used);
    outcome = run.outcome;
    if (outcome.outcome !== 'connected') {
      throw new ApiError(
        'connection_test_failed',
        `The ${manifest.name} test call failed (${outcome.outcome}): ${'message' in outcome ? outcome.message : ''}`.trim(),
        {
          outcome,
        },
      );
    }
  }
  const connection = await ctx.transaction(async (tx) => {
    const created = await insertConnection(tx, {
      id,
      tenant_id: tenantId,
      connector_slug: row.slug,
      name: input.name?.trim() || manifest.name,
      description: input.description ?? '',
      config,
      auth_method: auth.type,
      credential_source: source,
      level: 'app',
      state: outcome ? 'active' : 'inactive',
      state_reason: outcome ? null : 'Saved without validation; run a test.',
      vendor_account_id: outcome?.outcome === 'connected' ? outcome.account_id : null,
      vendor_account_name: outcome?.outcome === 'connected' ? outcome.account_name : null,
      scopes_granted: [],
      last_test_at: outcome ? deps.clock.now() : null,
      last_test_outcome: outcome,
      operator_of_record: principal.id,
    });
    if (source === 'tenant') await storeCredentials(deps, tx, created, credentials);
    await insertStateHistory(tx, {
      tenantId,
      connectionId: id,
      from: null,
      to: created.state,
      reason: 'created',
      ...actorFields(principal),
    });
    await publishEvent(tx, {
      tenantId,
      type: 'connection.created',
      data: {
        connection_id: id,
        connector: row.slug,
        name: created.name,
        state: created.state,
        vendor_account_id: created.vendor_account_id,
      },
    });
    ctx.onCreated?.(created);
    return created;
  });
  return { connection, outcome, warnings };
}

export async function storeCredentials(
  deps: Pick<ConnectionDeps, 'vault'>,
  q: Queryable,
  connection: ConnectionRow,
  fields: Record<string, string>,
): Promise<void> {
  await upsertCredential(q, {
    connection_id: connection.id,
    user_id: null,
    seal: (credentialId) =>
      deps.vault.seal(q, connection.tenant_id, credentialContext(connection.id, credentialId), JSON.stringify(fields)),
  });
}

export type UpdateInput = {
  name?: string;
  description?: string;
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  validate: boolean;
};

/**
 * What an edit will store, checked: config merges over the current config; credentials replace the stored ones
 * (rotation). The caller re-tests when either changes and saves only if the test passes.
 */
export function prepareUpdate(
  manifest: Manifest,
  management: string,
  auth: AuthMethod,
  current: ConnectionRow,
  input: UpdateInput,
): { config?: Record<string, unknown>; credentials?: Record<string, string> } {
  const out: { config?: Record<string, unknown>; credentials?: Record<string, string> } = {};
  if (input.config) out.config = validateFields(manifest.config, { ...current.config, ...input.config }, 'body.config');
  if (input.credentials) {
    if (management === 'shared') {
      throw new ApiError('validation_failed', `${manifest.name} uses the platform's credentials.`);
    }
    out.credentials = validateFields(auth.fields, input.credentials, 'body.credentials') as Record<string, string>;
  }
  return out;
}

export const actorFields = (principal: Principal) => {
  const actor = actorOf(principal);
  return { actorType: actor.type, actorId: actor.id };
};
