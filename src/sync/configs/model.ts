import { z } from 'zod';
import { eventTypeName } from '../../events/types/publishable.js';
import { fileFormatSchema, fieldTypes } from '../files/index.js';
import { mappingSchema } from '../mapping/index.js';
import { scheduleSchema } from '../schedule/cron.js';
import { normalizers } from '../twoway/normalize.js';

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

export const connectionSourceKinds = z
  .enum(['connection', 'record_store'])
  .default('connection')
  .describe('connection: read the connection itself (its API or database); record_store: what syncs stored for it');

const connectionSourceSchema = z.strictObject({
  kind: z.enum(['connection', 'record_store']),
  connection_id: z.string().min(1).max(100),
  streams: z.array(sourceStreamSchema).min(1).max(100),
});

export const importFieldSchema = z.strictObject({
  name: z.string().min(1).max(256),
  type: z.enum(fieldTypes),
  nullable: z.boolean().default(true).describe('false: a record without a value is rejected (a required field)'),
  enum: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .max(1000)
    .optional()
    .describe('The values allowed (after conversion)'),
  pattern: z.string().max(1000).optional().describe('A regular expression the whole text value must match'),
});
export type ImportField = z.output<typeof importFieldSchema>;

export const importPolicies = ['stop', 'skip', 'reject_file'] as const;
export const newColumnPolicies = ['evolve', 'freeze', 'discard_row', 'discard_value'] as const;

/**
 * A file from the files store, read as one stream: its format and options, the schema its records are checked and
 * converted against (a proposal from inspecting it, accepted or edited), further rules, and what to do with records
 * that break them or carry columns the schema lacks.
 */
export const fileSourceSchema = z.strictObject({
  kind: z.literal('file'),
  file_id: z.string().min(1).max(100),
  format: fileFormatSchema.describe('How to read the file (see POST /v1/files/{id}/inspect for a detected one)'),
  schema: z
    .array(importFieldSchema)
    .max(1000)
    .nullable()
    .default(null)
    .describe('Field types, required fields, enums and patterns; null: values as the file has them'),
  unique: z
    .array(z.array(z.string().min(1).max(256)).min(1).max(8))
    .max(10)
    .default([]),
  json_schema: z
    .record(z.string(), z.unknown())
    .nullable()
    .default(null)
    .describe('A JSON Schema every record must match (e.g. the target’s)'),
  event_type: eventTypeName
    .nullable()
    .default(null)
    .describe('Every record must also match this event type’s JSON Schema (a type of the tenant’s, with a schema)'),
  on_error: z
    .enum(importPolicies)
    .default('reject_file')
    .describe(
      'stop: end at the first bad record, importing nothing; skip: import the good records (Partial Success), ' +
        'rejecting the rest with reasons; reject_file: check the whole file first and import nothing if any is bad',
    ),
  undoable: z
    .boolean()
    .default(true)
    .describe(
      'Keep what the import changes so it can be undone (POST /v1/syncs/executions/{id}/undo). Into a database ' +
        'table this costs some write speed (about 15% on a first load); turn it off for a bulk load you will not undo',
    ),
  new_columns: z
    .enum(newColumnPolicies)
    .default('evolve')
    .describe(
      'A column the schema lacks: evolve (keep it), freeze (fail the import), discard_row (reject the record), ' +
        'discard_value (drop the column)',
    ),
  streams: z
    .array(sourceStreamSchema)
    .length(1)
    .describe('One stream: its name (the model or table written), the target name and the primary key'),
});
export type FileSourceConfig = z.output<typeof fileSourceSchema>;

/**
 * A connection's drive or bucket (a connector with a `storage:` section): its one stream, `files`, is the files below
 * a folder, read through the vendor's change feed; with the `files` target a scheduled sync keeps an import current.
 */
export const storageSourceSchema = z.strictObject({
  kind: z.literal('storage'),
  connection_id: z.string().min(1).max(100),
  root: z.string().min(1).max(1024).describe('The drive, bucket or container (an id from /v1/storage/…/roots)'),
  folder: z.string().max(2048).default('').describe('The folder read below (its id); the root’s top by default'),
  streams: z
    .array(sourceStreamSchema)
    .length(1)
    .default([{ name: 'files' }])
    .describe('One stream: files'),
});
export type StorageSourceConfig = z.output<typeof storageSourceSchema>;

/** A sync's source as stored and answered. */
export const sourceOutputSchema = z
  .discriminatedUnion('kind', [connectionSourceSchema, fileSourceSchema, storageSourceSchema])
  .meta({ id: 'SyncSource' });

/** A sync's source as a request gives it: `kind` was optional before file sources, and means a connection. */
export const sourceSchema = z.preprocess(
  (value) => (value && typeof value === 'object' && !('kind' in value) ? { ...value, kind: 'connection' } : value),
  sourceOutputSchema,
);
export type SyncSourceConfig = z.output<typeof sourceSchema>;

/**
 * A PostgreSQL connection's tables as a vector store (pgvector): per stream a table `(id text primary key, embedding
 * vector(dimensions), metadata jsonb)`, created with the `vector` extension when absent (src/sync/targets/pgvector).
 */
const pgvectorTargetSchema = z
  .strictObject({
    kind: z.literal('pgvector'),
    connection_id: z.string().min(1).max(100),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
      .default('public'),
    dimensions: z
      .number()
      .int()
      .min(1)
      .max(16_000)
      .describe('The length of every embedding (pgvector: at most 16,000)'),
    id_field: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('The field whose value is the row id; the stream’s primary key by default'),
    embedding_field: z.string().min(1).max(128).default('embedding').describe('The field holding the embedding'),
    metadata_fields: z
      .array(z.string().min(1).max(128))
      .max(500)
      .optional()
      .describe('The fields kept in metadata (jsonb); every field but the id and the embedding by default'),
    index: z
      .strictObject({
        method: z.enum(['hnsw', 'ivfflat']),
        distance: z.enum(['cosine', 'l2', 'inner_product']).default('cosine'),
        lists: z.number().int().min(1).max(32_768).optional().describe('ivfflat: lists (default rows / 1000)'),
      })
      .optional()
      .describe('An approximate-nearest-neighbour index on the embedding, built when the run finishes'),
  })
  // pgvector indexes vectors of up to 2,000 dimensions (README, "Indexing").
  .refine((t) => !t.index || t.dimensions <= 2000, {
    message: 'pgvector indexes (hnsw, ivfflat) take at most 2,000 dimensions',
    path: ['index'],
  });

export const targetSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('record_store'),
      // The record store keeps records under the source connection (and model = target name).
      connection_id: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('The connection records are kept under: required for a file source, the source’s otherwise'),
    }),
    z.strictObject({
      kind: z.literal('postgres'),
      connection_id: z.string().min(1).max(100),
      schema: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
        .default('public'),
    }),
    pgvectorTargetSchema,
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
    z.strictObject({
      kind: z.literal('files'),
      folder: z
        .string()
        .max(1024)
        .default('/imports')
        .describe('The files store folder a storage source’s files are imported into (their folders follow them)'),
    }),
  ])
  .meta({ id: 'SyncTarget' });
export type SyncTargetConfig = z.output<typeof targetSchema>;

export const syncTypes = ['full', 'incremental', 'delta'] as const;
export const directions = ['inbound', 'outbound', 'bidirectional'] as const;
export const conflictPolicies = ['source_wins', 'target_wins', 'latest_timestamp', 'manual'] as const;

const fieldPath = z.string().min(1).max(500).describe('A field name or nested path: `email`, `properties.email`');
const normalizer = z
  .enum(normalizers)
  .default('none')
  .describe('How values are compared: none, trim, lower, email (trim + lower case), phone (digits and a leading +)');
const deletePolicy = z
  .enum(['propagate', 'soft', 'ignore'])
  .describe(
    'What a delete on this side does to the other: propagate (delete it, as that side deletes), soft (mark it ' +
      'deleted where that side can: the record store, a table; a vendor API is not asked to delete), ignore (keep it, unlinked)',
  );

/**
 * A bidirectional sync's two sides, field by field. Side A is the source (a connection's streams, read and written
 * through its API), side B the target (the record store, a PostgreSQL table, another connection's stream). The field
 * pairs give both directions' mappings at once, so they cannot disagree.
 */
export const twoWaySchema = z
  .strictObject({
    fields: z
      .array(
        z.strictObject({
          a: fieldPath.describe('The field on side A (the source)'),
          b: fieldPath.describe('The field on side B (the target)'),
          direction: z
            .enum(['both', 'a_to_b', 'b_to_a'])
            .default('both')
            .describe('both; a_to_b: never written back to A; b_to_a: never written to B'),
          normalize: normalizer,
        }),
      )
      .min(1)
      .max(500),
    match: z
      .strictObject({ a: fieldPath, b: fieldPath, normalize: normalizer })
      .nullable()
      .default(null)
      .describe('How the first run pairs records both sides already have (e.g. by e-mail); null: it does not'),
    timestamps: z
      .strictObject({ a: fieldPath.optional(), b: fieldPath.optional() })
      .default({})
      .describe('Each side’s record modification time, for the latest_timestamp policy'),
    deletes: z
      .strictObject({ a: deletePolicy.default('propagate'), b: deletePolicy.default('propagate') })
      .default({ a: 'propagate', b: 'propagate' })
      .describe('Per side: what a delete there does to the other side'),
  })
  .meta({ id: 'SyncTwoWay' });
export type TwoWayConfig = z.output<typeof twoWaySchema>;

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
  two_way: twoWaySchema.nullable().describe('Bidirectional syncs: the field pairs, match key, timestamps and deletes'),
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
  two_way: configFields.two_way.default(null),
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
  two_way: configFields.two_way.optional(),
  mappings: configFields.mappings.optional(),
  schedule: configFields.schedule.optional(),
  trigger_event_types: configFields.trigger_event_types.optional(),
  enabled: configFields.enabled.optional(),
  deletion: configFields.deletion.optional(),
  lookback_seconds: configFields.lookback_seconds.optional(),
  batch_size: configFields.batch_size.optional(),
});
export type PatchConfigInput = z.output<typeof patchConfigBody>;
