import { z } from 'zod';
import type { Db } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import {
  dateTimeQuery,
  decodeCursor,
  encodeCursor,
  isoRequired,
  iso,
  statusListQuery,
  timestamp,
} from '../../core/http/schemas.js';
import { Readable } from 'node:stream';
import { fileSchema, presentFile } from '../../files/present.js';
import type { FileStore } from '../../files/store.js';
import { fileFormats, writeRecords, type FileFormat } from '../files/index.js';
import {
  connectionInTenant,
  feedAction,
  listModels,
  liveRecords,
  modelFields,
  readFeed,
  type FeedAction,
  type FeedRow,
} from './feed.js';

/** What an export is sent as, per format. */
const exportMedia: Record<FileFormat, { type: string; ext: string }> = {
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  tsv: { type: 'text/tab-separated-values; charset=utf-8', ext: 'tsv' },
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  ndjson: { type: 'application/x-ndjson; charset=utf-8', ext: 'ndjson' },
  xml: { type: 'application/xml; charset=utf-8', ext: 'xml' },
};

/**
 * The record store's read API, after Nango's records API: a product reads what syncs brought in as a change feed,
 * `added` / `updated` / `deleted` since a cursor, in the order the changes were made. Every record carries its own
 * cursor, so a reader can store the last one it applied; `next_cursor` is null once the feed is read to its end.
 */
const actions = ['added', 'updated', 'deleted'] as const;

const feedQuery = z.object({
  connection_id: z.string().min(1).max(100).describe('The connection whose records to read'),
  model: z.string().min(1).max(200).describe('The model (the stream name a sync wrote the records under)'),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('Read the changes after this one: a `next_cursor`, or the `cursor` of the last record applied'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  modified_after: dateTimeQuery.optional().describe('Only records last changed after this time'),
  filter: statusListQuery(actions).optional().describe('Only these changes: added, updated, deleted (comma-separated)'),
});

const storedRecordSchema = z
  .object({
    id: z.string().describe('The record’s primary key value (a composite key as a JSON array)'),
    data: z.record(z.string(), z.unknown()),
    _switchyard: z.object({
      first_seen_at: timestamp,
      last_modified_at: timestamp,
      deleted_at: timestamp.nullable(),
      action: z.enum(actions).describe('added: new and unchanged since; updated: changed or revived; deleted'),
      cursor: z.string().describe('The feed position of this change: pass it as `cursor` to read what follows'),
    }),
  })
  .meta({ id: 'StoredRecord' });

const feedPage = z
  .object({ records: z.array(storedRecordSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'StoredRecordPage' });

const modelSchema = z
  .object({
    model: z.string(),
    records: z.number().int().describe('Live records'),
    deleted: z.number().int().describe('Soft-deleted records'),
    last_modified_at: timestamp,
    latest_cursor: z.string().describe('The position of the latest change: read from here for later changes only'),
  })
  .meta({ id: 'StoredRecordModel' });

/** The feed position a cursor names. Cursors are opaque: anything not issued here is a 400 `validation_failed`. */
function cursorSeq(text: string | undefined): number {
  const cursor = decodeCursor(text);
  if (!cursor) return 0;
  if (/^\d{1,15}$/.test(cursor.id)) return Number(cursor.id);
  throw new ApiError('validation_failed', 'The cursor is not one this API issued.', {
    errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }],
  });
}

const seqCursor = (seq: number) => encodeCursor({ id: String(seq) });

function presentRecord(row: FeedRow) {
  return {
    id: row.record_id,
    data: row.data,
    _switchyard: {
      first_seen_at: isoRequired(row.first_seen_at),
      last_modified_at: isoRequired(row.updated_at),
      deleted_at: iso(row.deleted_at),
      action: feedAction(row),
      cursor: seqCursor(row.seq),
    },
  };
}

async function assertConnection(db: Db, tenantId: string, connectionId: string): Promise<void> {
  if (!(await connectionInTenant(db, tenantId, connectionId))) throw notFound('Connection', connectionId);
}

export function recordRoutes(deps: { db: Db; files: FileStore }) {
  const { db, files } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/records',
      operationId: 'listRecords',
      summary: 'Read the records a sync stored, as a change feed (added, updated, deleted) after a cursor',
      description:
        'Records of one connection and model in the order they changed. Store the `cursor` of the last record you ' +
        'applied (or the `next_cursor`) and pass it next time to read only later changes. A record changed while you ' +
        'page may show up again later in the feed, with its newer content.',
      tags: ['Records'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: { querystring: feedQuery, response: { 200: feedPage } },
      async handler({ query, tenantId }) {
        const afterSeq = cursorSeq(query.cursor);
        await assertConnection(db, tenantId, query.connection_id);
        const rows = await readFeed(
          db,
          { tenantId, connectionId: query.connection_id, model: query.model },
          {
            afterSeq,
            limit: query.limit + 1,
            modifiedAfter: query.modified_after,
            actions: query.filter?.split(',') as FeedAction[] | undefined,
          },
        );
        const more = rows.length > query.limit;
        const page = more ? rows.slice(0, query.limit) : rows;
        const last = page.at(-1);
        return { records: page.map(presentRecord), next_cursor: more && last ? seqCursor(last.seq) : null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/records/export',
      operationId: 'exportRecords',
      summary: 'Download a model’s live records as CSV, TSV, JSON, NDJSON or XML, streamed',
      description:
        'Every live record of one connection and model, in change order, written as it is read (a model of any size ' +
        'in constant memory). CSV and TSV columns are the fields the records carry, in the order they first appear; ' +
        'a text value that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a CR) is ' +
        "written with a leading `'`. A failure part way ends the download early.",
      tags: ['Records'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      responseType: '*/*',
      schema: {
        querystring: z.object({
          connection_id: z.string().min(1).max(100),
          model: z.string().min(1).max(200),
          format: z.enum(fileFormats).default('csv'),
        }),
        response: { 200: z.string().describe('The file') },
      },
      async handler({ query, tenantId, reply }) {
        await assertConnection(db, tenantId, query.connection_id);
        const scope = { tenantId, connectionId: query.connection_id, model: query.model };
        const columns = await modelFields(db, scope);
        const media = exportMedia[query.format];
        const name = `${query.model.replace(/[^\w.-]+/g, '_')}.${media.ext}`;
        return reply
          .header('content-type', media.type)
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(writeRecords(liveRecords(db, scope), query.format, {}, { columns })));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/records/export',
      operationId: 'exportRecordsToFile',
      summary: 'Write a model’s live records to the files store as CSV, TSV, JSON, NDJSON or XML',
      description:
        'The same export as `GET /v1/records/export`, written to a new file of the files store (streamed, in constant ' +
        'memory) instead of downloaded; answers the file. Needs `view_syncs` as well as `manage_files`.',
      tags: ['Records'],
      access: { capability: 'manage_files' },
      audit: { action: 'records.export', targetType: 'file' },
      errors: ['not_found', 'body_too_large'],
      status: 201,
      schema: {
        body: z.strictObject({
          connection_id: z.string().min(1).max(100),
          model: z.string().min(1).max(200),
          format: z.enum(fileFormats).default('csv'),
          name: z
            .string()
            .min(1)
            .max(255)
            .regex(/^[^/\\\0]+$/, 'a file name')
            .optional(),
          folder: z.string().max(1024).default('/exports'),
        }),
        response: { 201: fileSchema },
      },
      async handler({ body, tenantId, principal, audit, transaction }) {
        if (!principal.capabilities.has('view_syncs')) {
          throw new ApiError('forbidden', 'Reading the record store needs view_syncs.', {
            missing_capability: 'view_syncs',
          });
        }
        await assertConnection(db, tenantId, body.connection_id);
        const scope = { tenantId, connectionId: body.connection_id, model: body.model };
        const columns = await modelFields(db, scope);
        const media = exportMedia[body.format];
        const row = await files.put(tenantId, writeRecords(liveRecords(db, scope), body.format, {}, { columns }), {
          name: body.name ?? `${body.model.replace(/[^\w.-]+/g, '_')}.${media.ext}`,
          folder: body.folder,
          mediaType: media.type.split(';')[0] as string,
          source: { kind: 'export', connection_id: body.connection_id, model: body.model },
          createdBy: principal.id,
        });
        audit.target(row.id, { connection_id: body.connection_id, model: body.model, format: body.format });
        await transaction(async () => {});
        return presentFile(row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/records/models',
      operationId: 'listRecordModels',
      summary: 'The models a connection has stored records of, with counts and the last change',
      tags: ['Records'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: {
        querystring: z.object({ connection_id: z.string().min(1).max(100) }),
        response: { 200: z.object({ data: z.array(modelSchema) }) },
      },
      async handler({ query, tenantId }) {
        await assertConnection(db, tenantId, query.connection_id);
        const rows = await listModels(db, tenantId, query.connection_id);
        return {
          data: rows.map((row) => ({
            model: row.model,
            records: row.records,
            deleted: row.deleted,
            last_modified_at: isoRequired(row.last_modified_at),
            latest_cursor: seqCursor(row.last_seq),
          })),
        };
      },
    }),
  ];
}
