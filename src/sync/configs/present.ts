import { z } from 'zod';
import { iso, timestamp } from '../../core/http/schemas.js';
import { executionStatuses, type ExecutionRow } from '../executions/sql.js';
import { mappingSchema } from '../mapping/index.js';
import { scheduleSchema } from '../schedule/cron.js';
import {
  conflictPolicies,
  deletionSchema,
  directions,
  sourceOutputSchema,
  syncTypes,
  targetSchema,
  twoWaySchema,
  type CreateConfigInput,
} from './model.js';
import type { ConfigListRow, ConfigRow } from './sql.js';

const counts = z.object({
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  failed: z.number().int(),
});

export const streamProgressSchema = counts
  .extend({
    status: z.enum(['pending', 'running', 'complete', 'failed', 'cancelled']),
    started_at: timestamp.optional(),
    finished_at: timestamp.optional(),
    error: z.string().optional(),
    two_way: z
      .object({
        a: z.object({ created: z.number().int(), updated: z.number().int(), deleted: z.number().int() }),
        b: z.object({ created: z.number().int(), updated: z.number().int(), deleted: z.number().int() }),
        echoes: z.number().int().describe('Changes that were our own writes coming back: not sent again'),
        conflicts: z.number().int(),
        unmatched: z.number().int().describe('Records with no counterpart: created on the other side'),
        ambiguous: z.number().int().describe('Records the match key pairs with several others: left unlinked'),
      })
      .optional()
      .describe('Two-way syncs: what the run did on each side'),
  })
  .meta({ id: 'SyncStreamProgress' });

export const executionSchema = z
  .object({
    id: z.string(),
    sync_id: z.string(),
    status: z.enum(executionStatuses),
    trigger: z.enum(['manual', 'schedule', 'webhook', 'event', 'retry']),
    triggered_by: z.string().nullable(),
    streams: z.array(z.string()),
    full_refresh: z.boolean(),
    dry_run: z.boolean().describe('Checked and counted every record, wrote nothing (an import’s check)'),
    undo: z
      .object({
        at: timestamp,
        removed: z.number().int().describe('Records the import created, now deleted'),
        restored: z.number().int().describe('Records the import changed, given back their earlier content'),
        kept: z
          .number()
          .int()
          .describe('Records changed since (by another run; in a table, by anyone), left as they are'),
      })
      .nullable()
      .describe('The undo of this import, once done'),
    attempts: z.number().int(),
    cancel_requested: z.boolean(),
    stuck: z.boolean().describe('Running, but its node has not heartbeaten for longer than its lease'),
    records: counts,
    stream_progress: z.record(z.string(), streamProgressSchema),
    error_code: z.string().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().nullable(),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
    heartbeat_at: timestamp.nullable(),
  })
  .meta({ id: 'SyncExecution' });

export function presentExecution(row: ExecutionRow, now: Date) {
  const started = row.started_at?.getTime();
  const end = row.finished_at?.getTime() ?? (row.status === 'running' ? now.getTime() : undefined);
  const progress = Object.fromEntries(
    Object.entries(row.stream_progress).map(([name, p]) => {
      const { position: _position, ...shown } = p;
      return [name, shown];
    }),
  );
  return {
    id: row.id,
    sync_id: row.config_id,
    status: row.status,
    trigger: row.trigger,
    triggered_by: row.triggered_by,
    streams: row.streams,
    full_refresh: row.full_refresh,
    dry_run: row.dry_run,
    undo: row.undone_at && row.undo ? { at: row.undone_at.toISOString(), ...row.undo } : null,
    attempts: row.attempts,
    cancel_requested: row.cancel_requested,
    stuck: row.status === 'running' && row.lease_expires_at !== null && row.lease_expires_at.getTime() < now.getTime(),
    records: {
      processed: Number(row.records_processed),
      created: Number(row.records_created),
      updated: Number(row.records_updated),
      deleted: Number(row.records_deleted),
      failed: Number(row.records_failed),
    },
    stream_progress: progress,
    error_code: row.error_code,
    error: row.error,
    duration_ms: started !== undefined && end !== undefined ? end - started : null,
    created_at: iso(row.created_at) as string,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    heartbeat_at: iso(row.heartbeat_at),
  };
}

export const configSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    source: sourceOutputSchema,
    target: targetSchema,
    type: z.enum(syncTypes),
    direction: z.enum(directions),
    conflict_policy: z.enum(conflictPolicies),
    two_way: twoWaySchema.nullable(),
    open_conflicts: z.number().int().optional().describe('Bidirectional: conflicts waiting for a person'),
    mappings: mappingSchema,
    schedule: scheduleSchema.nullable(),
    trigger_event_types: z.array(z.string()),
    enabled: z.boolean(),
    deletion: deletionSchema,
    lookback_seconds: z.number().int(),
    batch_size: z.number().int(),
    next_run_at: timestamp.nullable(),
    running_execution_id: z.string().nullable(),
    last_run: z
      .object({
        id: z.string(),
        status: z.enum(executionStatuses),
        started_at: timestamp.nullable(),
        finished_at: timestamp.nullable(),
        records_processed: z.number().int(),
      })
      .nullable()
      .optional(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'SyncConfig' });

/** A stored configuration as the body that would create it (a PATCH is merged over this and checked again). */
export function configInput(row: ConfigRow): CreateConfigInput {
  return {
    name: row.name,
    description: row.description,
    source: row.source,
    target: row.target,
    type: row.sync_type,
    direction: row.direction,
    conflict_policy: row.conflict_policy,
    two_way: row.two_way,
    mappings: row.mappings,
    schedule: row.schedule,
    trigger_event_types: row.trigger_event_types,
    enabled: row.enabled,
    deletion: { mode: row.deletion_mode, max_delete_share: row.max_delete_share },
    lookback_seconds: row.lookback_seconds,
    batch_size: row.batch_size,
  };
}

export function presentConfig(row: ConfigRow | ConfigListRow) {
  const list = 'last_execution_id' in row ? row : undefined;
  return {
    id: row.id,
    ...configInput(row),
    next_run_at: iso(row.next_run_at),
    running_execution_id: row.running_execution_id,
    ...(list
      ? {
          last_run: list.last_execution_id
            ? {
                id: list.last_execution_id,
                status: list.last_status as ExecutionRow['status'],
                started_at: iso(list.last_started_at),
                finished_at: iso(list.last_finished_at),
                records_processed: Number(list.last_records_processed ?? 0),
              }
            : null,
        }
      : {}),
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
  };
}
