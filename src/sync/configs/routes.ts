import { z } from 'zod';
import { getConnection } from '../../connections/sql.js';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { ApiError, type ErrorCode } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, timestamp, toPage } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import { openConflictCounts } from '../twoway/sql.js';
import type { StreamSpec } from '../engine/types.js';
import { enqueueRun } from '../executions/enqueue.js';
import { checkMapping, mappingSchema, previewMapping } from '../mapping/index.js';
import { loadStates, saveState } from '../run/sql.js';
import { nextRuns, scheduleSchema } from '../schedule/cron.js';
import { firstRunAt } from '../schedule/scheduler.js';
import type { SyncCatalog } from '../run/open.js';
import {
  connectionSourceKinds,
  createConfigBody,
  fileSourceSchema,
  patchConfigBody,
  sourceStreamSchema,
  type CreateConfigInput,
  type SyncSourceConfig,
} from './model.js';
import { configInput, configSchema, executionSchema, presentConfig, presentExecution } from './present.js';
import {
  deleteConfig,
  getConfig,
  insertConfig,
  listConfigs,
  lockConfig,
  syncStats,
  updateConfig,
  type ConfigFields,
  type ConfigRow,
} from './sql.js';

export type SyncRouteDeps = { db: Db; clock: Clock; catalog: SyncCatalog };

const streamSchema = z
  .object({
    name: z.string(),
    primary_key: z.array(z.string()),
    cursor_field: z.string().nullable(),
    supports: z.object({ full: z.boolean(), incremental: z.boolean(), delta: z.boolean() }),
    fields: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean().optional() })),
    description: z.string().nullable(),
  })
  .meta({ id: 'SyncStream' });

function presentStream(s: StreamSpec) {
  return {
    name: s.name,
    primary_key: s.primaryKey,
    cursor_field: s.cursorField ?? null,
    supports: s.supports,
    fields: s.fields,
    description: s.description ?? null,
  };
}

const stateSchema = z
  .object({
    stream: z.string(),
    state: z.record(z.string(), z.unknown()),
    execution_id: z.string().nullable(),
    updated_at: timestamp,
  })
  .meta({ id: 'SyncStreamState' });

const runBody = z.strictObject({
  streams: z.array(z.string().min(1).max(128)).max(100).default([]).describe('Only these streams; all by default'),
  full_refresh: z
    .boolean()
    .default(false)
    .describe(
      'Read everything again (the target is swapped on success, never emptied while it runs); for a file import: ' +
        'replace, deleting records of the model the file no longer has (under the deletion policy)',
    ),
  dry_run: z
    .boolean()
    .default(false)
    .describe('Check and count every record as the run would, writing nothing (an import’s check before it runs)'),
});

const statsSchema = z
  .object({
    configs: z.number().int(),
    enabled: z.number().int(),
    running: z.number().int(),
    runs: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    success_rate: z.number().nullable(),
    records: z.number().int(),
    open_conflicts: z.number().int().describe('Two-way syncs: conflicts waiting in the inbox'),
    since: timestamp,
  })
  .meta({ id: 'SyncStats' });

/** The config fields a create or update writes, from the API's shape. */
function fieldsOf(input: CreateConfigInput): ConfigFields {
  return {
    name: input.name,
    description: input.description,
    source_connection_id: input.source.kind === 'file' ? null : input.source.connection_id,
    target_connection_id: ('connection_id' in input.target ? input.target.connection_id : undefined) ?? null,
    source: input.source,
    target: input.target,
    sync_type: input.type,
    direction: input.direction,
    conflict_policy: input.conflict_policy,
    two_way: input.two_way,
    mappings: input.mappings,
    schedule: input.schedule,
    trigger_event_types: input.trigger_event_types,
    enabled: input.enabled,
    deletion_mode: input.deletion.mode,
    max_delete_share: input.deletion.max_delete_share,
    lookback_seconds: input.lookback_seconds,
    batch_size: input.batch_size,
    next_run_at: null,
  };
}

export function syncConfigRoutes(deps: SyncRouteDeps) {
  const { db, clock, catalog } = deps;

  /**
   * A configuration is checked before it is stored: its connections belong to the tenant, the direction fits the
   * target, the schedule compiles, the streams exist at the source, and the mapping names only fields the source
   * has (when the source can say).
   */
  async function check(tenantId: string, input: CreateConfigInput): Promise<void> {
    if (input.schedule) nextRuns(input.schedule, 1, clock.now());
    const outbound = input.target.kind === 'connection';
    if (input.direction === 'outbound' && !outbound) {
      throw invalid('body.target', 'An outbound sync writes to a connection: target.kind must be "connection".');
    }
    if (input.direction === 'inbound' && outbound) {
      throw invalid('body.direction', 'A sync that writes to a connection’s API is outbound.');
    }
    if (input.direction === 'bidirectional') {
      if (input.source.kind !== 'connection')
        throw invalid(
          'body.source.kind',
          'A two-way sync’s side A is a connection (its streams are read and written).',
        );
      if (!['record_store', 'postgres', 'connection'].includes(input.target.kind))
        throw invalid(
          'body.target.kind',
          'A two-way sync’s side B is the record store, a PostgreSQL table or a connection.',
        );
      if (!input.two_way) throw invalid('body.two_way', 'A two-way sync needs its field pairs (two_way.fields).');
      if (input.type === 'delta')
        throw invalid('body.type', 'A two-way sync reads each side incrementally (type incremental or full).');
    } else if (input.two_way) {
      throw invalid('body.two_way', 'Field pairs are for bidirectional syncs; this one is ' + input.direction + '.');
    }
    if ((input.source.kind === 'storage') !== (input.target.kind === 'files')) {
      throw invalid(
        input.source.kind === 'storage' ? 'body.target.kind' : 'body.source.kind',
        'A storage source (a drive or bucket) imports into the files store (target.kind "files"), and only it does.',
      );
    }
    if (input.source.kind === 'storage' && input.direction !== 'inbound') {
      throw invalid('body.direction', 'An import from storage is inbound; export files with POST /v1/storage/exports.');
    }
    // One database may be both ends (a table copied into another schema), as long as no stream writes onto itself;
    // an API connection pushing back what it reads is always a loop.
    if (input.source.kind === 'file' || input.target.kind === 'files') {
      if (input.target.kind === 'record_store' && !input.target.connection_id) {
        throw invalid(
          'body.target.connection_id',
          'Records imported from a file are kept under a connection: name it in target.connection_id.',
        );
      }
    } else if (input.target.kind === 'record_store' && input.target.connection_id) {
      if (input.target.connection_id !== input.source.connection_id)
        throw invalid('body.target.connection_id', 'A connection’s records are kept under that connection.');
    } else if (input.target.kind !== 'record_store' && input.target.connection_id === input.source.connection_id) {
      const target = input.target;
      const onItself =
        target.kind === 'connection' ||
        input.source.streams.some(
          (s) => (target.kind === 'postgres' ? `${target.schema}.` : '') + (s.target ?? s.name) === s.name,
        );
      if (input.source.kind === 'connection' && onItself)
        throw invalid('body.target', 'The source and the target are the same.');
    }
    const targetConnection = 'connection_id' in input.target ? input.target.connection_id : undefined;
    if (targetConnection && !(await getConnection(db, tenantId, targetConnection))) {
      throw new ApiError('not_found', `Connection ${targetConnection} does not exist.`);
    }
    const streams = await catalog.streams(tenantId, input.source, input.target);
    const byName = new Map(streams.map((s) => [s.name, s]));
    const problems: { path: string; message: string }[] = [];
    for (const [i, chosen] of input.source.streams.entries()) {
      const spec = byName.get(chosen.name);
      if (!spec) {
        const known = streams.map((s) => s.name).slice(0, 20);
        problems.push({
          path: `body.source.streams.${i}.name`,
          message: `no stream "${chosen.name}"${known.length ? ` (streams: ${known.join(', ')})` : ''}`,
        });
        continue;
      }
      if (input.type === 'incremental' && input.source.kind !== 'file' && !spec.cursorField && !chosen.cursor_field) {
        problems.push({
          path: `body.source.streams.${i}.cursor_field`,
          message: `"${chosen.name}" has no cursor field for incremental reads; name one or use type "full"`,
        });
      }
      if (chosen.cursor_field && spec.fields.length && !spec.fields.some((f) => f.name === chosen.cursor_field)) {
        problems.push({
          path: `body.source.streams.${i}.cursor_field`,
          message: `"${chosen.name}" has no field "${chosen.cursor_field}"`,
        });
      }
      for (const p of checkMapping(input.mappings, spec)) problems.push({ path: `body.${p.path}`, message: p.message });
    }
    if (problems.length > 0) {
      const mapping = problems.every((p) => p.path.startsWith('body.mappings'));
      throw new ApiError(mapping ? 'mapping_invalid' : 'stream_unknown', problems.map((p) => p.message).join('; '), {
        errors: problems,
      });
    }
  }

  function invalid(path: string, message: string): ApiError {
    return new ApiError('validation_failed', message, { errors: [{ path, message }] });
  }

  async function mustGet(q: Queryable, tenantId: string, id: string, lock = false): Promise<ConfigRow> {
    const row = lock ? await lockConfig(q, tenantId, id) : await getConfig(q, tenantId, id);
    if (!row) throw new ApiError('not_found', `Sync ${id} does not exist.`);
    return row;
  }

  // What check() can refuse a configuration with, on create and on update.
  const checkErrors: ErrorCode[] = [
    'not_found',
    'schedule_invalid',
    'mapping_invalid',
    'stream_unknown',
    'source_unavailable',
    'connection_paused',
    'connection_unusable',
  ];

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/syncs',
      operationId: 'createSync',
      summary: 'Create a sync configuration (checked against the source’s streams and fields)',
      tags: ['Syncs'],
      access: { capability: 'manage_syncs' },
      audit: { action: 'sync.create', targetType: 'sync' },
      errors: checkErrors,
      schema: { body: createConfigBody, response: { 201: configSchema } },
      async handler({ body, tenantId, transaction, audit }) {
        await check(tenantId, body);
        const fields = fieldsOf(body);
        fields.next_run_at = firstRunAt(fields, clock.now());
        return transaction(async (tx) => {
          const row = await insertConfig(tx, { id: newId('sync'), tenant_id: tenantId, ...fields });
          audit.target(row.id, {
            name: row.name,
            type: row.sync_type,
            direction: row.direction,
            schedule: row.schedule,
          });
          return presentConfig(row);
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs',
      operationId: 'listSyncs',
      summary: 'List sync configurations with their last run and next scheduled run, newest first',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      schema: {
        querystring: pageQuery.extend({
          connection_id: z.string().max(100).optional().describe('Syncs reading from or writing to this connection'),
          search: z.string().max(200).optional(),
        }),
        response: { 200: page(configSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listConfigs(db, tenantId, {
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
          ...(query.connection_id ? { connectionId: query.connection_id } : {}),
          ...(query.search ? { search: query.search } : {}),
        });
        const open = rows.some((r) => r.direction === 'bidirectional')
          ? await openConflictCounts(db, tenantId)
          : new Map<string, number>();
        return toPage(rows, query.limit, (row) => ({
          ...presentConfig(row),
          ...(row.direction === 'bidirectional' ? { open_conflicts: open.get(row.id) ?? 0 } : {}),
        }));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/stats',
      operationId: 'getSyncStats',
      summary: 'The Sync Management dashboard figures: configurations, running, success rate, records moved',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      schema: {
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(7) }),
        response: { 200: statsSchema },
      },
      async handler({ query, tenantId }) {
        const since = new Date(clock.now().getTime() - query.days * 86_400_000);
        const s = await syncStats(db, tenantId, since);
        const finished = s.succeeded + s.failed;
        return { ...s, success_rate: finished ? s.succeeded / finished : null, since: since.toISOString() };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/schedule-preview',
      operationId: 'previewSyncSchedule',
      summary: 'The next instants a cron schedule fires in its time zone (DST-correct)',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      audit: false,
      auditReason: 'Computes a preview; changes nothing.',
      errors: ['schedule_invalid'],
      schema: {
        body: scheduleSchema.extend({ count: z.number().int().min(1).max(50).default(5) }),
        response: { 200: z.object({ next_runs: z.array(timestamp) }) },
      },
      async handler({ body }) {
        return { next_runs: nextRuns(body, body.count, clock.now()).map((d) => d.toISOString()) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/discover',
      operationId: 'discoverSyncStreams',
      summary: 'The streams (API listings, tables, models) a sync could read from a connection, with their fields',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      audit: false,
      auditReason: 'Reads the source’s catalogue; changes nothing.',
      errors: ['not_found', 'source_unavailable', 'connection_paused', 'connection_unusable'],
      schema: {
        body: z.strictObject({ kind: connectionSourceKinds, connection_id: z.string().min(1).max(100) }),
        response: { 200: z.object({ streams: z.array(streamSchema) }) },
      },
      async handler({ body, tenantId }) {
        const source = { kind: body.kind, connection_id: body.connection_id, streams: [] };
        const streams = await catalog.streams(tenantId, source, { kind: 'record_store' });
        return { streams: streams.map(presentStream) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/mapping-preview',
      operationId: 'previewSyncMapping',
      summary: 'Run field mappings on sample records read from the source, before the sync is activated',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      audit: false,
      auditReason: 'Reads a few sample records; changes nothing.',
      errors: [
        'not_found',
        'mapping_invalid',
        'stream_unknown',
        'source_unavailable',
        'connection_paused',
        'connection_unusable',
      ],
      schema: {
        body: z.union([
          z.strictObject({
            kind: connectionSourceKinds,
            connection_id: z.string().min(1).max(100),
            stream: z.string().min(1).max(128),
            mappings: mappingSchema,
            limit: z.number().int().min(1).max(50).default(5),
          }),
          z.strictObject({
            kind: z.literal('file').describe('A file of the files store, read as an import would read it'),
            file_id: fileSourceSchema.shape.file_id,
            format: fileSourceSchema.shape.format,
            schema: fileSourceSchema.shape.schema,
            stream: z.string().min(1).max(128),
            primary_key: sourceStreamSchema.shape.primary_key.describe(
              'The import’s primary key; none: records are keyed by their number in the file (`_record`)',
            ),
            mappings: mappingSchema,
            limit: z.number().int().min(1).max(50).default(5),
          }),
        ]),
        response: {
          200: z.object({
            problems: z.array(z.object({ path: z.string(), message: z.string() })),
            samples: z.array(
              z.object({
                input: z.record(z.string(), z.unknown()),
                output: z.record(z.string(), z.unknown()).nullable(),
                error: z.string().nullable(),
              }),
            ),
          }),
        },
      },
      async handler({ body, tenantId }) {
        const source: SyncSourceConfig =
          body.kind === 'file'
            ? fileSourceSchema.parse({
                kind: 'file',
                file_id: body.file_id,
                format: body.format,
                schema: body.schema,
                streams: [{ name: body.stream, ...(body.primary_key ? { primary_key: body.primary_key } : {}) }],
              })
            : { kind: body.kind, connection_id: body.connection_id, streams: [] };
        const streams = await catalog.streams(tenantId, source, { kind: 'record_store' });
        const spec = streams.find((s) => s.name === body.stream);
        if (!spec) throw new ApiError('stream_unknown', `The source has no stream "${body.stream}".`);
        const records = await catalog.sample(tenantId, source, spec, body.limit);
        return {
          problems: checkMapping(body.mappings, spec).map((p) => ({ path: `body.${p.path}`, message: p.message })),
          samples: previewMapping(body.mappings, spec, records).map((p) => ({
            input: p.input,
            output: 'output' in p ? p.output : null,
            error: 'error' in p ? p.error : null,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/:id',
      operationId: 'getSync',
      summary: 'Get a sync configuration',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: configSchema } },
      async handler({ params, tenantId }) {
        return presentConfig(await mustGet(db, tenantId, params.id));
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/syncs/:id',
      operationId: 'updateSync',
      summary: 'Change a sync configuration, or enable / disable it',
      tags: ['Syncs'],
      access: { capability: 'manage_syncs' },
      audit: { action: 'sync.update', targetType: 'sync' },
      errors: checkErrors,
      schema: { params: idParams, body: patchConfigBody, response: { 200: configSchema } },
      async handler({ params, body, tenantId, transaction, audit }) {
        const current = await mustGet(db, tenantId, params.id);
        const merged: CreateConfigInput = { ...configInput(current), ...body } as CreateConfigInput;
        const structural = ['source', 'target', 'type', 'direction', 'mappings', 'schedule'].some((k) => k in body);
        if (structural) await check(tenantId, merged);
        const fields = fieldsOf(merged);
        const rescheduled = 'schedule' in body || 'enabled' in body;
        return transaction(async (tx) => {
          await mustGet(tx, tenantId, params.id, true);
          const { next_run_at: _next, ...rest } = fields;
          const change: Partial<ConfigFields> = rescheduled
            ? { ...rest, next_run_at: firstRunAt(fields, clock.now()) }
            : rest;
          const row = await updateConfig(tx, tenantId, params.id, change);
          if (!row) throw new ApiError('not_found', `Sync ${params.id} does not exist.`);
          audit.target(row.id, body);
          return presentConfig(row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/syncs/:id',
      operationId: 'deleteSync',
      summary: 'Delete a sync configuration, its runs and checkpoints (records it stored stay)',
      tags: ['Syncs'],
      access: { capability: 'manage_syncs' },
      audit: { action: 'sync.delete', targetType: 'sync' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        await transaction(async (tx) => {
          const row = await mustGet(tx, tenantId, params.id, true);
          if (row.running_execution_id) await db.notify(tx, channels.syncCancel, row.running_execution_id);
          await deleteConfig(tx, tenantId, params.id);
          audit.target(params.id, { name: row.name });
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/:id/run',
      operationId: 'runSync',
      summary: 'Run a sync now (queued behind a run in progress; a second ask while one waits answers the waiting one)',
      tags: ['Syncs'],
      access: { capability: 'run_syncs' },
      audit: { action: 'sync.run', targetType: 'sync' },
      errors: ['not_found', 'sync_disabled', 'stream_unknown'],
      status: 202,
      schema: {
        params: idParams,
        body: runBody,
        response: { 202: z.object({ outcome: z.enum(['started', 'queued', 'existing']), execution: executionSchema }) },
      },
      async handler({ params, body, tenantId, principal, transaction, audit }) {
        return transaction(async (tx) => {
          const config = await mustGet(tx, tenantId, params.id, true);
          if (!config.enabled)
            throw new ApiError('sync_disabled', `Sync "${config.name}" is disabled; enable it to run it.`);
          const unknown = body.streams.filter((s) => !config.source.streams.some((c) => c.name === s));
          if (unknown.length)
            throw new ApiError('stream_unknown', `Sync "${config.name}" has no stream ${unknown.join(', ')}.`);
          const asked = await enqueueRun(db, tx, config, {
            trigger: 'manual',
            triggeredBy: principal.id,
            streams: body.streams,
            fullRefresh: body.full_refresh,
            overlap: 'queue_one',
            dryRun: body.dry_run,
          });
          if (asked.outcome === 'skipped') throw new Error('a manual run is never skipped');
          audit.target(config.id, { execution_id: asked.execution.id, ...body });
          return { outcome: asked.outcome, execution: presentExecution(asked.execution, clock.now()) };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/:id/state',
      operationId: 'getSyncState',
      summary: 'The per-stream checkpoints of a sync (where the next incremental read starts)',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: z.object({ data: z.array(stateSchema) }) } },
      async handler({ params, tenantId }) {
        await mustGet(db, tenantId, params.id);
        const { rows } = await db.query<{
          stream: string;
          state: Record<string, unknown>;
          execution_id: string | null;
          updated_at: Date;
        }>('select stream, state, execution_id, updated_at from sync_state where config_id = $1 order by stream', [
          params.id,
        ]);
        return { data: rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() })) };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/syncs/:id/state/:stream',
      operationId: 'setSyncStreamState',
      summary: 'Set (edit or rewind) a stream’s checkpoint; audited with the old and new values',
      tags: ['Syncs'],
      access: { capability: 'manage_syncs' },
      audit: { action: 'sync.state_set', targetType: 'sync' },
      errors: ['not_found', 'sync_running', 'stream_unknown'],
      schema: {
        params: z.object({ id: idParams.shape.id, stream: z.string().min(1).max(128) }),
        body: z.strictObject({ state: z.record(z.string(), z.unknown()) }),
        response: { 200: stateSchema },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const config = await mustGet(tx, tenantId, params.id, true);
          assertIdle(config);
          if (!config.source.streams.some((s) => s.name === params.stream)) {
            throw new ApiError('stream_unknown', `Sync "${config.name}" has no stream "${params.stream}".`);
          }
          const before = (await loadStates(tx, config.id)).get(params.stream) ?? null;
          await saveState(tx, config.id, params.stream, body.state, null);
          audit.target(config.id, { stream: params.stream, before, after: body.state });
          return {
            stream: params.stream,
            state: body.state,
            execution_id: null,
            updated_at: clock.now().toISOString(),
          };
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/:id/reset',
      operationId: 'resetSyncState',
      summary: 'Reset the checkpoints of some streams, or all: their next run reads everything (records stay)',
      tags: ['Syncs'],
      access: { capability: 'manage_syncs' },
      audit: { action: 'sync.reset', targetType: 'sync' },
      errors: ['not_found', 'sync_running', 'stream_unknown'],
      schema: {
        params: idParams,
        body: z.strictObject({
          streams: z.array(z.string().min(1).max(128)).max(100).default([]).describe('All when empty'),
        }),
        response: { 200: z.object({ reset: z.array(z.string()) }) },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const config = await mustGet(tx, tenantId, params.id, true);
          assertIdle(config);
          const unknown = body.streams.filter((s) => !config.source.streams.some((c) => c.name === s));
          if (unknown.length)
            throw new ApiError('stream_unknown', `Sync "${config.name}" has no stream ${unknown.join(', ')}.`);
          const { rows } = await tx.query<{ stream: string }>(
            `delete from sync_state where config_id = $1 and (cardinality($2::text[]) = 0 or stream = any ($2))
             returning stream`,
            [config.id, body.streams],
          );
          const reset = rows.map((r) => r.stream).sort();
          audit.target(config.id, { streams: body.streams.length ? body.streams : 'all', reset });
          return { reset };
        });
      },
    }),
  ];
}

/** State is not changed under a run (the run would overwrite it, or resume from what was removed). */
function assertIdle(config: ConfigRow): void {
  if (config.running_execution_id) {
    throw new ApiError(
      'sync_running',
      `Sync "${config.name}" is running (${config.running_execution_id}); cancel it or wait for it to finish.`,
    );
  }
}
