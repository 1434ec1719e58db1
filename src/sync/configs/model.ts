import { z } from 'zod';
import { eventTypeName } from '../../events/types/publishable.js';
import { mappingSchema } from '../mapping/index.js';
import { scheduleSchema } from '../schedule/cron.js';

/**
 * A sync configuration: what is read (a connection's streams, or the record store), where it goes (the record
 * store, a PostgreSQL connection's tables, or a connection's API), how (full / incremental / delta), when (a
 * schedule, events, webhooks, by hand) and what a full read does to records the source no longer has.
 */

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, _ . - (a stream, table or model name)');

export const sourceStreamSchema = z.strictObject({
  name: name.describe('The stream (REST listing), table (schema.table) or record-store model read'),
  target: name.optional().describe('The target table / model / stream it is written to; the stream name by default'),
  cursor_field: z.string().max(128).optional().describe('Overrides the stream’s incremental cursor field'),
  primary_key: z.array(z.string().min(1).max(128)).min(1).max(8).optional().describe('Overrides the primary key'),
});
export type SourceStream = z.output<typeof sourceStreamSchema>;

export const sourceSchema = z
  .strictObject({
    kind: z
      .enum(['connection', 'record_store'])
      .default('connection')
      .describe('connection: read the connection itself (its API or database); record_store: what syncs stored for it'),
    connection_id: z.string().min(1).max(100),
    streams: z.array(sourceStreamSchema).min(1).max(100),
  })
  .meta({ id: 'SyncSource' });
export type SyncSourceConfig = z.output<typeof sourceSchema>;

export const targetSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('record_store'),
      // The record store keeps records under the source connection (and model = target name).
    }),
    z.strictObject({
      kind: z.literal('postgres'),
      connection_id: z.string().min(1).max(100),
      schema: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
        .default('public'),
    }),
    z.strictObject({
      kind: z.literal('mysql'),
      connection_id: z.string().min(1).max(100).describe('A MySQL / MariaDB connection: tables in its database'),
    }),
    z.strictObject({
      kind: z.literal('sqlite'),
      connection_id: z.string().min(1).max(100).describe('A SQLite connection: tables in its file'),
    }),
    z.strictObject({
      kind: z.literal('connection'),
      connection_id: z.string().min(1).max(100).describe('Records are pushed to this connection’s stream endpoints'),
    }),
  ])
  .meta({ id: 'SyncTarget' });
export type SyncTargetConfig = z.output<typeof targetSchema>;

export const syncTypes = ['full', 'incremental', 'delta'] as const;
export const directions = ['inbound', 'outbound', 'bidirectional'] as const;
export const conflictPolicies = ['source_wins', 'target_wins', 'latest_timestamp', 'manual'] as const;

export const deletionSchema = z
  .strictObject({
    mode: z
      .enum(['soft', 'hard', 'none'])
      .default('soft')
      .describe('What a full sync does to records the source no longer has: mark deleted, remove, or nothing'),
    max_delete_share: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('A full sync that would delete more than this share of the target stops instead'),
  })
  .meta({ id: 'SyncDeletionPolicy' });

export const configFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  source: sourceSchema,
  target: targetSchema,
  type: z.enum(syncTypes),
  direction: z.enum(directions),
  conflict_policy: z.enum(conflictPolicies).describe('Bidirectional syncs only: which side wins a conflict'),
  mappings: mappingSchema,
  schedule: scheduleSchema.nullable().describe('null: runs only by hand, by webhook rule or by event'),
  trigger_event_types: z
    .array(eventTypeName)
    .max(50)
    .describe('Event types (platform or the tenant’s) whose publication starts a run'),
  enabled: z.boolean(),
  deletion: deletionSchema,
  lookback_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86400)
    .describe('Incremental reads re-read this far before the saved cursor (late commits), deduplicated by key'),
  batch_size: z.number().int().min(1).max(100_000),
};

export const createConfigBody = z.strictObject({
  name: configFields.name,
  description: configFields.description.default(''),
  source: configFields.source,
  target: configFields.target.default({ kind: 'record_store' }),
  type: configFields.type.default('incremental'),
  direction: configFields.direction.default('inbound'),
  conflict_policy: configFields.conflict_policy.default('source_wins'),
  mappings: configFields.mappings.default({ select: 'all', fields: [] }),
  schedule: configFields.schedule.default(null),
  trigger_event_types: configFields.trigger_event_types.default([]),
  enabled: configFields.enabled.default(true),
  deletion: configFields.deletion.default({ mode: 'soft', max_delete_share: 0.5 }),
  lookback_seconds: configFields.lookback_seconds.default(0),
  batch_size: configFields.batch_size.default(5000),
});
export type CreateConfigInput = z.output<typeof createConfigBody>;

export const patchConfigBody = z.strictObject({
  name: configFields.name.optional(),
  description: configFields.description.optional(),
  source: configFields.source.optional(),
  target: configFields.target.optional(),
  type: configFields.type.optional(),
  direction: configFields.direction.optional(),
  conflict_policy: configFields.conflict_policy.optional(),
  mappings: configFields.mappings.optional(),
  schedule: configFields.schedule.optional(),
  trigger_event_types: configFields.trigger_event_types.optional(),
  enabled: configFields.enabled.optional(),
  deletion: configFields.deletion.optional(),
  lookback_seconds: configFields.lookback_seconds.optional(),
  batch_size: configFields.batch_size.optional(),
});
export type PatchConfigInput = z.output<typeof patchConfigBody>;
