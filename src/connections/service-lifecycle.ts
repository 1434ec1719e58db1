import type { Queryable } from '../core/db/port.js';
import { ApiError, notFound } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { publishEvent } from '../events/publish.js';
import { assertConnectorCapability, authMethodOf, connectorFor } from './connector-access.js';
import { assertCredentialAuthority, movedDestinationFields } from './credential-authority.js';
import { assertReferencesExist, resolveRecord } from './credentials.js';
import { prepareUpdate, storeCredentials, type UpdateInput } from './service-create.js';
import {
  stateForOutcome,
  testSavedConnection,
  testWith,
  type ConnectionDeps,
  type ConnectionWithOutcome,
} from './service-common.js';
import { passed, type TestOutcome } from './test-call.js';
import { getConnection, lockConnection, updateConnection, type ConnectionRow, type ConnectionState } from './sql.js';
import { actorOf, transition } from './states.js';

type Ctx = {
  requestId: string;
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
  /** Called in the transaction that records a test or a pause, before it commits (the audit entry's diff). */
  onChange?: (row: ConnectionRow, outcome?: TestOutcome) => void;
};

async function load(deps: ConnectionDeps, tenantId: string, id: string): Promise<ConnectionRow> {
  const row = await getConnection(deps.db, tenantId, id);
  if (!row) throw notFound('Connection', id);
  return row;
}

/**
 * Test a connection (or, with `resume`, test it to resume it). The state shows `testing` while the call is out:
 * one transaction marks it, the call runs outside any transaction (a vendor taking ten seconds must not hold a
 * database connection), a second transaction records the outcome. A paused connection stays paused when tested;
 * resume moves it to active when the test passes and to error when it fails.
 */
export async function testConnection(
  deps: ConnectionDeps,
  principal: Principal,
  id: string,
  ctx: Ctx,
  options: { resume?: boolean } = {},
): Promise<ConnectionWithOutcome> {
  const tenantId = principal.tenantId;
  const current = await load(deps, tenantId, id);
  if (options.resume && current.state !== 'paused')
    throw new ApiError('conflict', `The connection is ${current.state}, not paused.`);
  const { manifest, warnings } = await connectorFor(deps.registry, current.connector_slug, 'use');
  const auth = authMethodOf(manifest, current.auth_method);
  const actor = actorOf(principal);
  const before = await deps.db.transaction(async (tx) => {
    const locked = await lockConnection(tx, tenantId, id);
    if (!locked) throw notFound('Connection', id);
    if (locked.state !== 'testing')
      await transition(tx, locked, 'testing', options.resume ? 'resuming' : 'test requested', actor);
    await deps.invalidate(tx, id);
    return locked.state === 'testing' ? 'error' : locked.state;
  });
  try {
    const outcome = await testSavedConnection(deps, current, manifest, auth, {
      principalId: principal.id,
      requestId: ctx.requestId,
    });
    const connection = await ctx.transaction(async (tx) => {
      const locked = await lockConnection(tx, tenantId, id);
      if (!locked) throw notFound('Connection', id);
      const updated = await recordOutcome(deps, tx, locked, { before, outcome, actor, resume: options.resume });
      ctx.onChange?.(updated, outcome);
      return updated;
    });
    return { connection, outcome, warnings };
  } catch (error) {
    // An unexpected failure (credentials that no longer open, the outcome that could not be recorded) must not
    // leave the connection showing `testing`: put the state back, then report the failure itself.
    await deps.db
      .transaction(async (tx) => {
        const locked = await lockConnection(tx, tenantId, id);
        if (locked?.state === 'testing') await transition(tx, locked, before, 'test could not run', actor, {}, before);
      })
      .catch(() => {});
    throw error;
  }
}

/** The outcome of a test on the (locked) connection: state, last test, vendor account, `connection.tested`. */
async function recordOutcome(
  deps: ConnectionDeps,
  tx: Queryable,
  locked: ConnectionRow,
  test: { before: ConnectionState; outcome: TestOutcome; actor: ReturnType<typeof actorOf>; resume?: boolean },
): Promise<ConnectionRow> {
  const { before, outcome } = test;
  const observed = stateForOutcome(outcome);
  const to: ConnectionState = before === 'paused' && !test.resume ? 'paused' : observed.state;
  const reason = to === 'paused' ? `paused; last test: ${outcome.outcome}` : observed.reason;
  const updated = await transition(
    tx,
    locked,
    to,
    reason,
    test.actor,
    {
      last_test_at: deps.clock.now(),
      last_test_outcome: outcome,
      ...(passed(outcome) && outcome.account_id
        ? { vendor_account_id: outcome.account_id, vendor_account_name: outcome.account_name }
        : {}),
    },
    before,
  );
  await publishEvent(tx, {
    tenantId: locked.tenant_id,
    type: 'connection.tested',
    data: { connection_id: locked.id, outcome: outcome.outcome, state: updated.state },
  });
  await deps.invalidate(tx, locked.id);
  return updated;
}

export async function pauseConnection(
  deps: ConnectionDeps,
  principal: Principal,
  id: string,
  ctx: Ctx,
): Promise<ConnectionRow> {
  return ctx.transaction(async (tx) => {
    const locked = await lockConnection(tx, principal.tenantId, id);
    if (!locked) throw notFound('Connection', id);
    if (locked.state === 'paused') throw new ApiError('conflict', 'The connection is already paused.');
    const row = await transition(tx, locked, 'paused', 'paused by an operator', actorOf(principal));
    await deps.invalidate(tx, id);
    ctx.onChange?.(row);
    return row;
  });
}

/**
 * Edit a connection. Name and description change at once. A config change or a credential rotation is tested
 * first (unless `validate: false`): if the test fails nothing changes and the outcome is returned as a 422.
 * Rotating credentials, or changing a config field that decides where they are sent, needs credential authority
 * (credential-authority.ts); other config fields need only `edit_connection`.
 */
export async function editConnection(
  deps: ConnectionDeps,
  principal: Principal,
  id: string,
  input: UpdateInput,
  ctx: Ctx,
): Promise<ConnectionWithOutcome> {
  const tenantId = principal.tenantId;
  const current = await load(deps, tenantId, id);
  const { row: connector, manifest, warnings } = await connectorFor(deps.registry, current.connector_slug, 'use');
  if (input.credentials) assertCredentialAuthority(principal, manifest);
  const auth = authMethodOf(manifest, current.auth_method);
  if (input.credentials && auth.type === 'oauth2') {
    throw new ApiError('oauth_flow_required', 'OAuth credentials are renewed by re-authorizing, not by sending them.');
  }
  const next = prepareUpdate(manifest, connector.management, auth, current, input);
  // Moving the destination hands the stored credential to whoever names the new host: credential authority.
  if (next.config) {
    const moved = movedDestinationFields(manifest, auth, current.config, next.config);
    if (moved.length > 0) assertCredentialAuthority(principal, manifest, moved);
  }
  await assertReferencesExist(deps.db, tenantId, { 'body.config': next.config, 'body.credentials': next.credentials });
  let outcome = null;
  if ((next.config || next.credentials) && input.validate) {
    const log = { connectionId: id, requestId: ctx.requestId };
    outcome = next.credentials
      ? (
          await testWith(
            deps,
            tenantId,
            manifest,
            auth,
            next.config ?? current.config,
            await resolveRecord(deps.db, deps.vault, tenantId, next.credentials),
            log,
          )
        ).outcome
      : await testSavedConnection(deps, current, manifest, auth, {
          principalId: principal.id,
          requestId: ctx.requestId,
          ...(next.config ? { config: next.config } : {}),
        });
    if (!passed(outcome)) {
      throw new ApiError(
        'connection_test_failed',
        `The change was not saved: the ${manifest.name} test call failed (${outcome.outcome}).`,
        { outcome },
      );
    }
  }
  const connection = await ctx.transaction(async (tx) => {
    const locked = await lockConnection(tx, tenantId, id);
    if (!locked) throw notFound('Connection', id);
    let row = await updateConnection(tx, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      ...(next.config ? { config: next.config } : {}),
      ...(next.credentials ? { credential_source: 'tenant' as const } : {}),
      ...(outcome ? { last_test_at: deps.clock.now(), last_test_outcome: outcome } : {}),
      // New credentials or config may reach another vendor account: record the one the test found.
      ...(outcome && passed(outcome) && outcome.account_id
        ? { vendor_account_id: outcome.account_id, vendor_account_name: outcome.account_name }
        : {}),
    });
    if (next.credentials) await storeCredentials(deps, tx, row, next.credentials);
    if (outcome && row.state !== 'paused') {
      row = await transition(tx, row, 'active', stateForOutcome(outcome).reason, actorOf(principal));
    }
    if ((next.config || next.credentials) && !outcome && row.state !== 'paused') {
      row = await transition(tx, row, 'inactive', 'Changed without validation; run a test.', actorOf(principal));
    }
    await publishEvent(tx, {
      tenantId,
      type: 'connection.updated',
      data: { connection_id: id, fields: Object.keys(input).filter((k) => k !== 'validate') },
    });
    await deps.invalidate(tx, id);
    return row;
  });
  return { connection, outcome, warnings };
}

/**
 * Disconnect: the connection and its sealed credentials are deleted at once (what depends on the connection goes
 * with it through the schema's cascades); its request log stays until retention removes it.
 */
export async function disconnectConnection(
  deps: ConnectionDeps,
  principal: Principal,
  id: string,
  ctx: Ctx & { onDeleted?: (connection: ConnectionRow, extra: Record<string, unknown>) => void },
  beforeDelete?: (connection: ConnectionRow) => Promise<Record<string, unknown>>,
): Promise<{ connection: ConnectionRow; extra: Record<string, unknown> }> {
  const tenantId = principal.tenantId;
  const current = await load(deps, tenantId, id);
  const connector = await deps.registry.get(current.connector_slug);
  if (connector) assertConnectorCapability(principal, connector.manifest);
  // Vendor-side cleanup (OAuth token revocation) runs before the local removal and never blocks it.
  const extra = beforeDelete
    ? await beforeDelete(current).catch((error: unknown) => ({ cleanup_error: (error as Error).message }))
    : {};
  await ctx.transaction(async (tx) => {
    const locked = await lockConnection(tx, tenantId, id);
    if (!locked) throw notFound('Connection', id);
    await tx.query('delete from connections where id = $1', [id]);
    await publishEvent(tx, {
      tenantId,
      type: 'connection.deleted',
      data: { connection_id: id, connector: current.connector_slug, name: current.name, ...extra },
    });
    await deps.invalidate(tx, id);
    ctx.onDeleted?.(current, extra);
  });
  return { connection: current, extra };
}
