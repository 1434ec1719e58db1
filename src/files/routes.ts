import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import { idParams, isoRequired, page, pageQuery, timestamp, toPage, decodeCursor } from '../core/http/schemas.js';
import { fileSchema, presentFile } from './present.js';
import { listFiles, type UploadRow } from './sql.js';
import { tooLarge, type ByteRange, type FileStore } from './store.js';

/**
 * `/v1/files`: the files store over HTTP. Upload in one request (`POST /v1/files`, the raw bytes as the body) or
 * resumably (`POST /v1/files/uploads` declares the size, `PATCH` appends at the `Upload-Offset`, `GET` tells the
 * offset to resume from); download whole or by byte range; list, read and delete. Bodies are streamed to disk,
 * never held in memory, and a file over SWITCHYARD_MAX_FILE_SIZE is refused with 413 as soon as it passes it.
 */
const nameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', 'a file name, without / \\ or NUL');
const folderSchema = z.string().max(1024).describe('A folder path such as `/imports/2026`; `/` by default');
const mediaTypeSchema = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as text/csv');

const uploadSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    folder: z.string(),
    media_type: z.string(),
    size: z.number().int(),
    offset: z.number().int().describe('Bytes received: the next append starts here'),
    file_id: z.string().nullable().describe('The file made once the last byte arrived'),
    expires_at: timestamp,
  })
  .meta({ id: 'FileUpload' });

function presentUpload(row: UploadRow) {
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    media_type: row.media_type,
    size: Number(row.size),
    offset: Number(row.received),
    file_id: row.file_id,
    expires_at: isoRequired(row.expires_at),
  };
}

/** One `bytes=` range of a file of `size` bytes (suffix and open ranges too); undefined: the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () =>
    new ApiError(
      'range_not_satisfiable',
      `The file has ${size} bytes; ask for one range within them.`,
      {},
      {
        'content-range': `bytes */${size}`,
      },
    );
  if (!match || (match[1] === '' && match[2] === '')) throw unsatisfiable();
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw unsatisfiable();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) throw unsatisfiable();
  return { start, end };
}

/**
 * A request refused before or while its body is read: the answer closes the connection, so the rest of a large body
 * is not read (nor stored) only to be dropped.
 */
async function closingOnError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new ApiError(error.code, error.detail, error.extensions, { ...error.headers, connection: 'close' });
  }
}

const contentDisposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Routes with a JSON body (or none). */
export function fileRoutes(deps: { db: Db; store: FileStore }): RouteDef[] {
  const { db, store } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/files',
      operationId: 'listFiles',
      summary: 'List files, newest first',
      tags: ['Files'],
      access: { capability: 'view_files' },
      schema: {
        querystring: pageQuery.extend({ folder: folderSchema.optional() }),
        response: { 200: page(fileSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listFiles(db, tenantId, {
          folder: query.folder,
          before: decodeCursor(query.cursor)?.id,
          limit: query.limit + 1,
        });
        return toPage(rows, query.limit, presentFile);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/:id',
      operationId: 'getFile',
      summary: 'Read a file’s details',
      tags: ['Files'],
      access: { capability: 'view_files' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: fileSchema } },
      async handler({ params, tenantId }) {
        return presentFile(await store.get(tenantId, params.id));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/:id/content',
      operationId: 'downloadFile',
      summary: 'Download a file, whole or one byte range',
      description:
        'Answers the bytes with the file’s media type, an `ETag` of its SHA-256 and `Accept-Ranges: bytes`. With ' +
        '`Range: bytes=a-b` (or `a-`, or `-n` for the last n bytes) it answers 206 with that range, so an interrupted ' +
        'download resumes where it stopped; a range outside the file answers 416.',
      tags: ['Files'],
      access: { capability: 'view_files' },
      errors: ['not_found', 'range_not_satisfiable'],
      responseType: '*/*',
      status: 200,
      schema: { params: idParams, response: { 200: z.string().describe('The bytes'), 206: z.string() } },
      async handler({ params, tenantId, req, reply, respond }) {
        const row = await store.get(tenantId, params.id);
        const size = Number(row.size);
        const range = parseRange(req.headers.range, size);
        reply
          .header('content-type', row.media_type)
          .header('content-disposition', contentDisposition(row.name))
          .header('etag', `"${row.sha256}"`)
          .header('accept-ranges', 'bytes');
        if (range) {
          respond(206);
          reply
            .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
            .header('content-length', String(range.end - range.start + 1));
        } else {
          reply.header('content-length', String(size));
        }
        return reply.send(store.read(row, range));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/files/:id',
      operationId: 'deleteFile',
      summary: 'Delete a file (its bytes go once no other file holds them)',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.delete', targetType: 'file' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, audit, transaction }) {
        const row = await store.remove(tenantId, params.id);
        audit.target(row.id, { name: row.name, size: Number(row.size) });
        await transaction(async () => {});
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/files/uploads',
      operationId: 'createFileUpload',
      summary: 'Start a resumable upload: declare the name and size, then append the bytes',
      description:
        'Answers the upload with `offset: 0`. Send the bytes with `PATCH /v1/files/uploads/{id}` and an ' +
        '`Upload-Offset` header (in one request or several); after a dropped connection, `GET` the upload for the ' +
        'offset to resume from. The last byte makes the file. An upload not finished within 24 hours is removed.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload_start', targetType: 'file_upload' },
      errors: ['body_too_large'],
      status: 201,
      schema: {
        body: z.strictObject({
          name: nameSchema,
          folder: folderSchema.optional(),
          media_type: mediaTypeSchema.optional(),
          size: z.number().int().min(1).describe('The file’s size in bytes'),
        }),
        response: { 201: uploadSchema },
      },
      async handler({ body, tenantId, principal, audit, transaction }) {
        const row = await store.createUpload(tenantId, {
          name: body.name,
          ...(body.folder !== undefined ? { folder: body.folder } : {}),
          ...(body.media_type ? { mediaType: body.media_type } : {}),
          size: body.size,
          createdBy: principal.id,
        });
        audit.target(row.id, { name: row.name, size: body.size });
        await transaction(async () => {});
        return presentUpload(row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/uploads/:id',
      operationId: 'getFileUpload',
      summary: 'Read an upload’s offset (where to resume)',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: uploadSchema } },
      async handler({ params, tenantId }) {
        return presentUpload(await store.getUpload(tenantId, params.id));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/files/uploads/:id',
      operationId: 'abortFileUpload',
      summary: 'Abandon an upload and drop its bytes',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload_abort', targetType: 'file_upload' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, audit, transaction }) {
        const row = await store.abortUpload(tenantId, params.id);
        audit.target(row.id, { name: row.name });
        await transaction(async () => {});
      },
    }),
  ];
}

/** Routes whose body is the file's bytes, streamed (registered with registerStreamedBodyRoutes). */
export function fileContentRoutes(deps: { store: FileStore }): RouteDef[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/files',
      operationId: 'uploadFile',
      summary: 'Upload a file in one request: the body is its bytes',
      description:
        'The body is stored as it arrives (any size up to SWITCHYARD_MAX_FILE_SIZE, in constant memory) under the ' +
        '`name` and `folder` given in the query; its media type is the request’s `Content-Type`. For large files over ' +
        'unreliable networks use a resumable upload instead.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload', targetType: 'file' },
      errors: ['body_too_large'],
      requestTypes: ['*/*'],
      status: 201,
      schema: {
        querystring: z.object({ name: nameSchema, folder: folderSchema.optional() }),
        response: { 201: fileSchema },
      },
      async handler({ query, req, tenantId, principal, audit, transaction }) {
        const declared = Number(req.headers['content-length'] ?? Number.NaN);
        const mediaType = req.headers['content-type']?.split(';')[0]?.trim();
        const row = await closingOnError(async () => {
          if (declared > store.maxBytes) throw tooLarge(store.maxBytes);
          return store.put(tenantId, req.raw, {
            name: query.name,
            ...(query.folder !== undefined ? { folder: query.folder } : {}),
            ...(mediaType && mediaTypeSchema.safeParse(mediaType).success ? { mediaType } : {}),
            source: { kind: 'upload' },
            createdBy: principal.id,
          });
        });
        audit.target(row.id, { name: row.name, size: Number(row.size) });
        await transaction(async () => {});
        return presentFile(row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/files/uploads/:id',
      operationId: 'appendFileUpload',
      summary: 'Append bytes to an upload at its offset',
      description:
        'The body is the next bytes; `Upload-Offset` must equal the upload’s offset (else 409 ' +
        '`upload_offset_mismatch` with the right `offset`). Answers the new offset, and the file once complete.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload_append', targetType: 'file_upload' },
      errors: ['not_found', 'upload_offset_mismatch', 'body_too_large', 'conflict'],
      requestTypes: ['application/offset+octet-stream', 'application/octet-stream'],
      schema: {
        params: idParams,
        response: { 200: uploadSchema.extend({ file: fileSchema.nullable() }) },
      },
      async handler({ params, req, tenantId, audit, transaction }) {
        const header = req.headers['upload-offset'];
        const offset = typeof header === 'string' && /^\d{1,16}$/.test(header) ? Number(header) : Number.NaN;
        const { upload, file } = await closingOnError(async () => {
          if (Number.isNaN(offset)) {
            throw new ApiError('validation_failed', 'Send the Upload-Offset header: the byte the body starts at.', {
              errors: [{ path: 'headers.upload-offset', message: 'a non-negative integer' }],
            });
          }
          return store.append(tenantId, params.id, offset, req.raw);
        });
        audit.target(upload.id, { offset: Number(upload.received), ...(file ? { file_id: file.id } : {}) });
        await transaction(async () => {});
        return { ...presentUpload(upload), file: file ? presentFile(file) : null };
      },
    }),
  ];
}
