import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { idParams, pageQuery, page, decodeCursor, toPage } from '../../core/http/schemas.js';
import { fileSchema, presentFile } from '../../files/present.js';
import { getFile, type FileRow } from '../../files/sql.js';
import type { FileStore } from '../../files/store.js';
import { configSchema, executionSchema, presentConfig, presentExecution } from '../configs/present.js';
import { getConfig, type ConfigRow } from '../configs/sql.js';
import type { UndoCounts } from '../engine/types.js';
import { getExecution, type ExecutionRow } from '../executions/sql.js';
import {
  detectFile,
  fieldTypes,
  FileFormatError,
  fileFormatSchema,
  inferFileSample,
  writeRecords,
  type FileFormatSpec,
} from '../files/index.js';
import { lockModel, undoRun } from '../records/sql.js';
import type { SyncCatalog } from '../run/open.js';
import { dropJournal, journalKept } from '../targets/journal.js';

/**
 * File imports (seed 002, Pattern 3: bulk import with validation before anything is written). An import is a sync
 * whose source is a file of the files store (`source.kind: "file"`), so it has what every sync has — mappings,
 * targets, executions with progress, counts, a log, cancel, rejected records — and these routes add what is
 * particular to files:
 * - inspect: detect the format and propose a schema from a sample, with the first records, to accept or edit;
 * - the list of imports, each with its latest check (dry run) and import run;
 * - the errors file of a run: its rejected records as CSV, each with the reason, to fix and upload again;
 * - undo: an import into the record store or a database table removes the records it created and restores those it
 *   changed (from what it kept as it ran: `sync_record_undo`, `sync_table_undo`).
 * A dry run is `POST /v1/syncs/{id}/run` with `dry_run: true`.
 */
const inspectBody = z.strictObject({
  file_id: z.string().min(1).max(100),
  format: fileFormatSchema.optional().describe('Read with these settings instead of detecting them'),
  sample_size: z.number().int().min(1).max(10_000).default(1000).describe('Records the schema is proposed from'),
  preview: z.number().int().min(0).max(100).default(20).describe('Records shown as read'),
});

const inferredField = z.object({
  name: z.string(),
  type: z.enum(fieldTypes),
  nullable: z.boolean(),
  confidence: z.number(),
  nulls: z.number().int(),
  examples: z.array(z.unknown()),
  note: z.string().optional(),
});

const importSchema = z
  .object({
    sync: configSchema,
    file: fileSchema.nullable().describe('Null once the file was deleted'),
    last_check: executionSchema.nullable().describe('The latest dry run'),
    last_import: executionSchema.nullable().describe('The latest run that wrote'),
  })
  .meta({ id: 'FileImport' });

const errorsMedia = 'text/csv; charset=utf-8';

/** Targets that are database tables: an import into one keeps a journal in `sync_table_undo` (targets/journal.ts). */
const tableTargets: ReadonlySet<string> = new Set(['postgres', 'mysql', 'sqlite']);

export function importRoutes(deps: {
  db: Db;
  files: FileStore;
  clock: Clock;
  /** Undoes an import into a database table, on the table's database. */
  catalog: Pick<SyncCatalog, 'undo'>;
}) {
  const { db, files, clock, catalog } = deps;

  async function fileOf(tenantId: string, id: string) {
    const file = await getFile(db, tenantId, id);
    if (!file) throw new ApiError('not_found', `File ${id} does not exist.`);
    return file;
  }

  function unreadable(error: unknown): never {
    if (error instanceof FileFormatError) {
      throw new ApiError('file_unreadable', error.message, {
        reason: error.code,
        ...(error.line !== undefined ? { line: error.line } : {}),
        ...(error.record !== undefined ? { record: error.record } : {}),
      });
    }
    throw error;
  }

  /** Per import of a page, its file and its latest check and latest import run: two queries for the whole page. */
  async function importDetails(tenantId: string, configs: ConfigRow[]) {
    const fileIds = configs.flatMap((c) => (c.source.kind === 'file' ? [c.source.file_id] : []));
    const { rows: fileRows } = await db.query<FileRow>('select * from files where tenant_id = $1 and id = any($2)', [
      tenantId,
      fileIds,
    ]);
    const { rows: runs } = await db.query<ExecutionRow>(
      `select distinct on (config_id, dry_run) * from sync_executions
        where config_id = any($1) order by config_id, dry_run, id desc`,
      [configs.map((c) => c.id)],
    );
    const files = new Map(fileRows.map((f) => [f.id, f]));
    const latest = (configId: string, dryRun: boolean) =>
      runs.find((r) => r.config_id === configId && r.dry_run === dryRun);
    return (config: ConfigRow) => ({
      file: config.source.kind === 'file' ? files.get(config.source.file_id) : undefined,
      check: latest(config.id, true),
      run: latest(config.id, false),
    });
  }

  async function mustExecution(tenantId: string, id: string): Promise<{ execution: ExecutionRow; config: ConfigRow }> {
    const execution = await getExecution(db, tenantId, id);
    if (!execution) throw new ApiError('not_found', `Sync run ${id} does not exist.`);
    const config = await getConfig(db, tenantId, execution.config_id);
    if (!config) throw new ApiError('not_found', `Sync run ${id} does not exist.`);
    return { execution, config };
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/imports/inspect',
      operationId: 'inspectImportFile',
      summary: 'Detect a file’s format, propose a schema from a sample and show its first records',
      description:
        'The proposal never fails on a guess: every field is proposed nullable, a field with a few odd values ' +
        'becomes text with a note saying which, and each field carries a confidence and examples. Accept or edit it ' +
        'as the import’s `source.schema`. A file that is not what its format says answers 422 `file_unreadable` with ' +
        'the line.',
      tags: ['Imports'],
      access: { capability: 'view_files' },
      audit: false,
      auditReason: 'Reads a file; changes nothing.',
      errors: ['not_found', 'file_unreadable'],
      schema: {
        body: inspectBody,
        response: {
          200: z.object({
            file: fileSchema,
            detection: z
              .object({
                confidence: z.number(),
                reasons: z.array(z.string()),
                warnings: z.array(z.string()),
              })
              .nullable()
              .describe('Why this format was detected; null when the format was given'),
            format: fileFormatSchema,
            schema: z.object({ fields: z.array(inferredField), sampled: z.number().int() }),
            sample: z.array(z.record(z.string(), z.unknown())),
          }),
        },
      },
      async handler({ body, tenantId }) {
        const file = await fileOf(tenantId, body.file_id);
        let format: FileFormatSpec;
        let detection: { confidence: number; reasons: string[]; warnings: string[] } | null = null;
        if (body.format) {
          format = body.format;
        } else {
          const detected = await detectFile(files.read(file), { fileName: file.name, mediaType: file.media_type });
          if (!detected.format) {
            throw new ApiError(
              'file_unreadable',
              `${file.name} cannot be imported: ${detected.error ?? 'unknown format'}.`,
            );
          }
          format = fileFormatSchema.parse({ format: detected.format, options: detected.options });
          detection = { confidence: detected.confidence, reasons: detected.reasons, warnings: detected.warnings };
        }
        try {
          // One read gives the proposal and the preview (its first records): the preview is never larger.
          const { schema, records } = await inferFileSample(files.read(file), format.format, format.options as never, {
            sampleSize: Math.max(body.sample_size, body.preview),
          });
          const sample = records.slice(0, body.preview);
          return { file: presentFile(file), detection, format, schema, sample };
        } catch (error) {
          return unreadable(error);
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/imports',
      operationId: 'listImports',
      summary: 'File imports, newest first, each with its file, latest check and latest import run',
      tags: ['Imports'],
      access: { capability: 'view_syncs' },
      schema: { querystring: pageQuery, response: { 200: page(importSchema) } },
      async handler({ query, tenantId }) {
        const { rows } = await db.query<ConfigRow>(
          `select * from sync_configs
            where tenant_id = $1 and source ->> 'kind' = 'file' and ($2::text is null or id < $2)
            order by id desc limit $3`,
          [tenantId, decodeCursor(query.cursor)?.id ?? null, query.limit + 1],
        );
        const now = clock.now();
        const details = await importDetails(tenantId, rows.slice(0, query.limit));
        return toPage(rows, query.limit, (row) => {
          const { file, check, run } = details(row);
          return {
            sync: presentConfig(row),
            file: file ? presentFile(file) : null,
            last_check: check ? presentExecution(check, now) : null,
            last_import: run ? presentExecution(run, now) : null,
          };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/executions/:id/errors-file',
      operationId: 'downloadSyncErrorsFile',
      summary: 'The records a run rejected, as CSV with the reason in a last column, to fix and import again',
      description:
        'Each rejected record with its fields as they were read (in the order they first appear), then `_stream` ' +
        'and `_error` (where in the file and why). Streamed; formula-like text is escaped as in exports.',
      tags: ['Imports'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      responseType: '*/*',
      schema: { params: idParams, response: { 200: z.string().describe('CSV') } },
      async handler({ params, tenantId, reply }) {
        const { execution, config } = await mustExecution(tenantId, params.id);
        const { rows: keys } = await db.query<{ key: string }>(
          `select key from (
             select k.key, min(r.id) as first from sync_rejected_records r,
                    jsonb_object_keys(case when jsonb_typeof(r.record) = 'object' then r.record else '{}' end) k(key)
              where r.execution_id = $1 group by k.key) f
            order by first, key`,
          [execution.id],
        );
        // Stored records are jsonb, whose keys come back sorted: a file's schema gives the columns their file order.
        const declared = config.source.kind === 'file' ? (config.source.schema ?? []).map((f) => f.name) : [];
        const rest = keys.map((k) => k.key).filter((k) => !declared.includes(k));
        const columns = [...declared, ...rest, '_stream', '_error'];
        async function* pages(): AsyncGenerator<Record<string, unknown>[]> {
          let after: string | null = null;
          for (;;) {
            type Rejected = { id: string; stream: string; record: unknown; reason: string };
            const { rows }: { rows: Rejected[] } = await db.query<Rejected>(
              `select id::text, stream, record, reason from sync_rejected_records
                where execution_id = $1 and ($2::bigint is null or id > $2) order by id limit 1000`,
              [execution.id, after],
            );
            if (rows.length === 0) return;
            yield rows.map((r) => ({
              ...(r.record && typeof r.record === 'object' ? (r.record as Record<string, unknown>) : {}),
              _stream: r.stream,
              _error: r.reason,
            }));
            after = (rows.at(-1) as { id: string }).id;
          }
        }
        return reply
          .header('content-type', errorsMedia)
          .header('content-disposition', `attachment; filename="errors-${execution.id}.csv"`)
          .send(Readable.from(writeRecords(pages(), 'csv', {}, { columns })));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/executions/:id/undo',
      operationId: 'undoSyncExecution',
      summary: 'Undo an import: remove the records it created and restore the ones it changed',
      description:
        'For a finished (or failed, or cancelled) run of a file import into the record store or into a PostgreSQL, ' +
        'MySQL/MariaDB or SQLite table: records (rows) it created are removed, those it changed get back what they ' +
        'had, column for column; records a full-refresh import into the record store deleted come back. Records changed since — by another run, or in a table by anyone — are left as they ' +
        'are (counted as kept). A table is undone in one transaction of its database, through the target ' +
        'connection. An import is undone once; a dry run, a run still going, a full-refresh import into a table ' +
        '(it replaced the table’s rows and deleted those the file lacked) and other targets answer 409 ' +
        '`import_not_undoable` with the reason.',
      tags: ['Imports'],
      access: { capability: 'run_syncs' },
      audit: { action: 'sync.import_undo', targetType: 'sync_execution' },
      errors: ['not_found', 'import_not_undoable', 'connection_paused', 'connection_unusable', 'source_unavailable'],
      schema: { params: idParams, response: { 200: executionSchema } },
      async handler({ params, tenantId, transaction, audit }) {
        const { execution, config } = await mustExecution(tenantId, params.id);
        const refuse = (why: string) => new ApiError('import_not_undoable', why);
        const target = config.target;
        const intoTable = tableTargets.has(target.kind);
        if (config.source.kind !== 'file') throw refuse('Only a file import can be undone.');
        if (config.source.undoable === false)
          throw refuse('The import was set not to keep what it changed (undoable: false), so it cannot be undone.');
        if (target.kind !== 'record_store' && !intoTable) {
          throw refuse(
            'Only an import into the record store or a database table keeps what it changed; this one wrote elsewhere.',
          );
        }
        if (execution.dry_run) throw refuse('A dry run wrote nothing.');
        if (execution.status === 'pending' || execution.status === 'running') {
          throw refuse('The import is still running; cancel it first or wait for it to finish.');
        }
        if (intoTable && execution.full_refresh) {
          throw refuse(
            'A full-refresh import replaced the table’s rows (and deleted those the file lacked); it cannot be undone.',
          );
        }
        const connectionId = target.kind === 'record_store' ? target.connection_id : undefined;
        if (!intoTable && !connectionId) throw refuse('The import names no connection its records were kept under.');
        const model = config.source.streams[0]?.target ?? config.source.streams[0]?.name ?? '';
        const row = await transaction(async (tx) => {
          // NO KEY UPDATE: two undos of one run take turns, while the journal's own rows (which reference the run)
          // can still be written by the table undo below, on another connection.
          const { rows: locked } = await tx.query<ExecutionRow>(
            'select * from sync_executions where id = $1 for no key update',
            [execution.id],
          );
          if (locked[0]?.undone_at) throw refuse('The import was undone already.');
          let counts: UndoCounts;
          if (connectionId) {
            const scope = { tenantId, connectionId, model };
            await lockModel(tx, scope);
            counts = await undoRun(tx, scope, execution.id);
          } else {
            const wrote = Number(execution.records_created) + Number(execution.records_updated) > 0;
            if (wrote && !(await journalKept(tx, execution.id)))
              throw refuse(
                'The import kept no record of what it changed (it ran before table imports could be undone).',
              );
            // The table is undone (and committed) on its database first; this transaction then marks the run.
            counts = await catalog.undo(config, execution.id, model);
            await dropJournal(tx, execution.id);
          }
          const { rows } = await tx.query<ExecutionRow>(
            'update sync_executions set undone_at = now(), undo = $2 where id = $1 returning *',
            [execution.id, JSON.stringify(counts)],
          );
          audit.target(execution.id, { sync_id: config.id, ...counts });
          return rows[0] as ExecutionRow;
        });
        return presentExecution(row, clock.now());
      },
    }),
  ];
}
