import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import { decodeCursor, encodeCursor, idParams, page, pageQuery } from '../core/http/schemas.js';
import { downloadDescription, sendBytes } from './http.js';
import { fileSchema, fileVersionSchema, presentFile, presentVersion } from './present.js';

import { listVersions } from './sql-versions.js';
import type { FileStore } from './store.js';

/** A file's bytes, current or of one version, and its versions: list them, restore one. */
const versionParams = z.object({ id: z.string().min(1).max(100), version: z.coerce.number().int().min(1) });

export function versionRoutes(deps: { db: Db; store: FileStore }): RouteDef[] {
  const { db, store } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/files/:id/content',
      operationId: 'downloadFile',
      summary: 'Download a file (its current version), whole or one byte range',
      description: downloadDescription,
      tags: ['Files'],
      access: { capability: 'view_files' },
      errors: ['not_found', 'range_not_satisfiable'],
      responseType: '*/*',
      status: 200,
      schema: { params: idParams, response: { 200: z.string().describe('The bytes'), 206: z.string() } },
      async handler(call) {
        const row = await store.get(call.tenantId, call.params.id);
        return sendBytes(call, row, (range) => store.read(row, range));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/:id/versions',
      operationId: 'listFileVersions',
      summary: 'A file’s versions, newest first',
      tags: ['Files'],
      access: { capability: 'view_files' },
      errors: ['not_found'],
      schema: { params: idParams, querystring: pageQuery, response: { 200: page(fileVersionSchema) } },
      async handler({ params, query, tenantId }) {
        const file = await store.get(tenantId, params.id);
        const before = decodeCursor(query.cursor)?.id;
        const rows = await listVersions(db, file.id, {
          before: before === undefined ? undefined : Number(before) || 0,
          limit: query.limit + 1,
        });
        const more = rows.length > query.limit;
        const shown = rows.slice(0, query.limit);
        const last = shown.at(-1);
        return {
          data: shown.map((r) => presentVersion(r, file.version)),
          next_cursor: more && last ? encodeCursor({ id: String(last.version) }) : null,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/files/:id/versions/:version/content',
      operationId: 'downloadFileVersion',
      summary: 'Download one version of a file, whole or one byte range',
      description: downloadDescription,
      tags: ['Files'],
      access: { capability: 'view_files' },
      errors: ['not_found', 'range_not_satisfiable'],
      responseType: '*/*',
      status: 200,
      schema: { params: versionParams, response: { 200: z.string().describe('The bytes'), 206: z.string() } },
      async handler(call) {
        const file = await store.get(call.tenantId, call.params.id);
        const v = await store.getVersion(call.tenantId, file.id, call.params.version);
        return sendBytes(call, { ...v, name: file.name }, (range) =>
          store.read({ tenant_id: file.tenant_id, sha256: v.sha256 }, range),
        );
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/files/:id/versions/:version/restore',
      operationId: 'restoreFileVersion',
      summary: 'Make an earlier version current again (as a new version)',
      description: 'Nothing changes when that version’s bytes are the current ones.',
      tags: ['Files'],
      access: { capability: 'manage_files' },
      audit: { action: 'file.restore', targetType: 'file' },
      errors: ['not_found'],
      schema: { params: versionParams, response: { 200: fileSchema } },
      async handler({ params, tenantId, principal, audit, transaction }) {
        const { file, newVersion } = await store.restore(tenantId, params.id, params.version, principal.id);
        audit.target(file.id, { restored: params.version, ...(newVersion ? { version: file.version } : {}) });
        await transaction(async () => {});
        return presentFile(file);
      },
    }),
  ];
}
