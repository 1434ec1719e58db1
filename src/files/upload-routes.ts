import { z } from 'zod';
import { ApiError } from '../core/errors.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import { idParams, isoRequired, timestamp } from '../core/http/schemas.js';
import { closingOnError, folderSchema, ifExistsSchema, mediaTypeSchema, nameSchema } from './http.js';
import { fileSchema, presentFile } from './present.js';
import type { UploadRow } from './sql.js';
import { tooLarge, type FileStore } from './store.js';

/**
 * Uploads: in one request (`POST /v1/files`, the raw bytes as the body) or resumably (`POST /v1/files/uploads`
 * declares the size, `PATCH` appends at the `Upload-Offset`, `GET` tells the offset to resume from). Bodies are
 * streamed to disk, never held in memory; a file over SWITCHYARD_MAX_FILE_SIZE, or over the tenant's quota, is
 * refused with 413 before its body is read when its size is declared, else as soon as its bytes pass the limit.
 * To a folder and name that exist, an upload adds a version (or, by `if_exists`, takes another name or fails).
 */
const uploadSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    folder: z.string(),
    media_type: z.string(),
    size: z.number().int(),
    offset: z.number().int().describe('Bytes received: the next append starts here'),
    if_exists: ifExistsSchema,
    file_id: z.string().nullable().describe('The file made (or given a version) once the last byte arrived'),
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
    if_exists: row.if_exists,
    file_id: row.file_id,
    expires_at: isoRequired(row.expires_at),
  };
}

/** Routes with a JSON body (or none). */
export function uploadRoutes(deps: { store: FileStore }): RouteDef[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/files/uploads',
      operationId: 'createFileUpload',
      summary: 'Start a resumable upload: declare the name and size, then append the bytes',
      description:
        'Answers the upload with `offset: 0`. Send the bytes with `PATCH /v1/files/uploads/{id}` and an ' +
        '`Upload-Offset` header (in one request or several); after a dropped connection, `GET` the upload for the ' +
        'offset to resume from. The last byte makes the file. An upload not finished within 24 hours is removed. ' +
        'A size over the file size limit or the tenant’s room answers 413 at once.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload_start', targetType: 'file_upload' },
      errors: ['body_too_large', 'files_quota_exceeded', 'conflict'],
      status: 201,
      schema: {
        body: z.strictObject({
          name: nameSchema,
          folder: folderSchema.optional(),
          media_type: mediaTypeSchema.optional(),
          size: z.number().int().min(1).describe('The file’s size in bytes'),
          if_exists: ifExistsSchema.optional(),
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
          ...(body.if_exists ? { ifExists: body.if_exists } : {}),
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
        '`name` and `folder` given in the query; its media type is the request’s `Content-Type`. Answers 201 with a ' +
        'new file, or 200 with the file of that name given a new version (or unchanged, for the same bytes). For ' +
        'large files over unreliable networks use a resumable upload instead.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload', targetType: 'file' },
      errors: ['body_too_large', 'files_quota_exceeded', 'conflict'],
      requestTypes: ['*/*'],
      status: 201,
      schema: {
        querystring: z.object({
          name: nameSchema,
          folder: folderSchema.optional(),
          if_exists: ifExistsSchema.optional(),
        }),
        response: { 201: fileSchema, 200: fileSchema },
      },
      async handler({ query, req, tenantId, principal, audit, transaction, respond }) {
        const declared = Number(req.headers['content-length'] ?? Number.NaN);
        const mediaType = req.headers['content-type']?.split(';')[0]?.trim();
        const outcome = await closingOnError(async () => {
          if (declared > 0) await store.ensureRoom(tenantId, declared);
          if (declared > store.maxBytes) throw tooLarge(store.maxBytes);
          return store.write(tenantId, req.raw, {
            name: query.name,
            ...(query.folder !== undefined ? { folder: query.folder } : {}),
            ...(mediaType && mediaTypeSchema.safeParse(mediaType).success ? { mediaType } : {}),
            source: { kind: 'upload' },
            createdBy: principal.id,
            ...(query.if_exists ? { ifExists: query.if_exists } : {}),
          });
        });
        const row = outcome.file;
        if (!outcome.created) respond(200);
        audit.target(row.id, { name: row.name, size: Number(row.size), version: row.version });
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
        '`upload_offset_mismatch` with the right `offset`). Answers the new offset, and the file once complete. ' +
        'When the last byte arrives but the file cannot be kept (the quota is used up meanwhile, the name was taken ' +
        'with `if_exists: fail`), an empty append at the end retries.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.upload_append', targetType: 'file_upload' },
      errors: ['not_found', 'upload_offset_mismatch', 'body_too_large', 'files_quota_exceeded', 'conflict'],
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
