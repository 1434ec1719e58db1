import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, toPage } from '../core/http/schemas.js';
import { folderSchema, nameSchema } from './http.js';
import { fileSchema, presentFile } from './present.js';
import { listFiles, listFolders } from './sql.js';
import { normaliseFolder, type FileStore } from './store.js';

/**
 * `/v1/files`: the files store over HTTP — list (by folder, name, source), the folder tree, usage against the
 * quota, read, move or rename, delete. Uploads are in upload-routes.ts, versions in version-routes.ts, shared links
 * in link-routes.ts.
 */
const usageSchema = z
  .object({
    used_bytes: z.number().int().describe('Bytes of the distinct blobs the tenant holds (every version counted once)'),
    quota_bytes: z.number().int().nullable().describe('The tenant’s quota; null: unlimited'),
    files: z.number().int(),
    versions: z.number().int(),
  })
  .meta({ id: 'FilesUsage' });

const folderEntrySchema = z
  .object({
    name: z.string(),
    path: z.string(),
    files: z.number().int().describe('Files in this folder and below it'),
    bytes: z.number().int().describe('Their size (current versions)'),
  })
  .meta({ id: 'FileFolder' });

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
        querystring: pageQuery.extend({
          folder: folderSchema.optional().describe('Only the files directly in this folder'),
          q: z.string().min(1).max(255).optional().describe('Only files whose name contains this (any case)'),
          source: z.enum(['upload', 'export', 'import']).optional().describe('Only files from this kind of source'),
        }),
        response: { 200: page(fileSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listFiles(db, tenantId, {
          folder: query.folder === undefined ? undefined : normaliseFolder(query.folder),
          q: query.q,
          source: query.source,
          before: decodeCursor(query.cursor)?.id,
          limit: query.limit + 1,
        });
        return toPage(rows, query.limit, presentFile);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/folders',
      operationId: 'listFileFolders',
      summary: 'The subfolders of a folder, with the files and bytes under each',
      description: 'Folders exist while a file is in them (or below them). `parent` is `/` by default.',
      tags: ['Files'],
      access: { capability: 'view_files' },
      schema: {
        querystring: z.object({ parent: folderSchema.optional() }),
        response: { 200: z.object({ parent: z.string(), folders: z.array(folderEntrySchema) }) },
      },
      async handler({ query, tenantId }) {
        const parent = normaliseFolder(query.parent);
        const rows = await listFolders(db, tenantId, parent);
        return {
          parent,
          folders: rows.map((r) => ({
            name: r.name,
            path: `${parent === '/' ? '' : parent}/${r.name}`,
            files: r.files,
            bytes: Number(r.bytes),
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/usage',
      operationId: 'getFilesUsage',
      summary: 'The tenant’s stored bytes against its quota',
      tags: ['Files'],
      access: { capability: 'view_files' },
      schema: { response: { 200: usageSchema } },
      async handler({ tenantId }) {
        return store.usage(tenantId);
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
      method: 'PATCH',
      url: '/v1/files/:id',
      operationId: 'moveFile',
      summary: 'Rename a file or move it to another folder',
      description: 'Answers 409 `conflict` when the target folder already holds a file of that name.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.move', targetType: 'file' },
      errors: ['not_found', 'conflict'],
      schema: {
        params: idParams,
        body: z.strictObject({ name: nameSchema.optional(), folder: folderSchema.optional() }),
        response: { 200: fileSchema },
      },
      async handler({ params, body, tenantId, audit, transaction }) {
        const before = await store.get(tenantId, params.id);
        const row = await store.move(tenantId, params.id, body);
        audit.target(row.id, {
          ...(before.name !== row.name ? { name: { from: before.name, to: row.name } } : {}),
          ...(before.folder !== row.folder ? { folder: { from: before.folder, to: row.folder } } : {}),
        });
        await transaction(async () => {});
        return presentFile(row);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/files/:id',
      operationId: 'deleteFile',
      summary: 'Delete a file and its versions (their bytes go once no other file holds them)',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.delete', targetType: 'file' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, audit, transaction }) {
        const row = await store.remove(tenantId, params.id);
        audit.target(row.id, { name: row.name, size: Number(row.size), versions: row.version });
        await transaction(async () => {});
      },
    }),
  ];
}
