import { mapInLanes } from '../core/lanes.js';
import { z } from 'zod';
import { hashKinds } from '../catalog/manifest/storage.js';
import { channels } from '../core/db/channels.js';
import { ApiError } from '../core/errors.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import {
  decodeCursor,
  encodeCursor,
  idParams,
  iso,
  isoRequired,
  page,
  pageQuery,
  timestamp,
  toPage,
} from '../core/http/schemas.js';
import { newId } from '../core/ids.js';
import { normaliseFolder } from '../files/store.js';
import type { Capability } from '../access/capabilities.js';
import type { Principal } from '../core/principal.js';
import type { StorageItem, StorageRoot } from './adapter.js';
import { openStorage, type StorageDeps } from './open.js';
import {
  cancelTransfer,
  getTransfer,
  insertItems,
  insertTransfer,
  listItems,
  listTransfers,
  retryFailed,
  transferCounts,
  type ItemRow,
  type NewItem,
  type TransferCounts,
  type TransferRow,
} from './sql.js';
import { itemFor } from './transfers.js';

/**
 * `/v1/storage`: browse a connection's drives and buckets (through the connection: its credentials, the SSRF guard,
 * its rate budget), import files from them into the files store, and export files of the store to them. Imports and
 * exports are transfers the storage worker runs file by file, with progress, retries, resumable downloads and a
 * per-file verification (src/storage/transfers.ts).
 */

const storageItemSchema = z
  .object({
    id: z.string().describe('The vendor’s id (an item id, an object key)'),
    path: z.string(),
    name: z.string(),
    kind: z.enum(['file', 'folder']),
    size: z.number().nullable(),
    modified_at: z.string().nullable(),
    media_type: z.string().nullable(),
    hashes: z.record(z.string(), z.string()).describe('As the vendor reports them: md5, sha1, quickxor, dropbox …'),
    version: z.string().nullable().describe('ETag, rev or generation: changes when the content does'),
    export_as: z.string().nullable().describe('A vendor-native document, exported as this media type on import'),
    rewritten_on_download: z.boolean(),
  })
  .meta({ id: 'StorageItem' });

const rootSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['drive', 'site', 'shared_drive', 'bucket', 'container', 'root']),
    description: z.string().nullable(),
  })
  .meta({ id: 'StorageRoot' });

function presentItem(item: StorageItem) {
  return {
    id: item.id,
    path: item.path,
    name: item.name,
    kind: item.kind,
    size: item.size ?? null,
    modified_at: item.modifiedAt ?? null,
    media_type: item.mediaType ?? null,
    hashes: item.hashes as Record<string, string>,
    version: item.version ?? null,
    export_as: item.exportAs ?? null,
    rewritten_on_download: item.rewrittenOnDownload ?? false,
  };
}

const presentRoot = (root: StorageRoot) => ({
  id: root.id,
  name: root.name,
  kind: root.kind,
  description: root.description ?? null,
});

const countsSchema = z.object({
  files: z.number().int(),
  queued: z.number().int(),
  running: z.number().int(),
  stored: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  bytes_total: z.number(),
  bytes_done: z.number(),
  folders_pending: z.number().int().describe('Selected folders not listed yet: more files may come'),
});

const transferSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['import', 'export']),
    connection_id: z.string(),
    root: z.string(),
    folder: z.string().describe('The files store folder an import writes into'),
    remote_folder: z.string().nullable().describe('The vendor folder an export writes into'),
    state: z.enum(['pending', 'running', 'succeeded', 'partial', 'failed', 'cancelled']),
    counts: countsSchema,
    execution_id: z.string().nullable().describe('The sync run that made it (a scheduled incremental import)'),
    created_by: z.string().nullable(),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
  })
  .meta({ id: 'StorageTransfer' });

const emptyCounts: TransferCounts = {
  files: 0,
  queued: 0,
  running: 0,
  stored: 0,
  skipped: 0,
  failed: 0,
  cancelled: 0,
  bytes_total: 0,
  bytes_done: 0,
  folders_pending: 0,
};

function presentTransfer(row: TransferRow, counts: TransferCounts | undefined) {
  return {
    id: row.id,
    direction: row.direction,
    connection_id: row.connection_id,
    root: row.root,
    folder: row.folder,
    remote_folder: row.remote_folder,
    state: row.state,
    counts: counts ?? emptyCounts,
    execution_id: row.execution_id,
    created_by: row.created_by,
    created_at: isoRequired(row.created_at),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
  };
}

const transferItemSchema = z
  .object({
    id: z.string(),
    path: z.string().describe('At the vendor'),
    name: z.string(),
    folder: z.string().describe('In the files store'),
    state: z.enum(['queued', 'running', 'stored', 'skipped', 'failed', 'cancelled']),
    phase: z
      .string()
      .nullable()
      .describe('downloading, verifying, storing while it runs; new file, new version, unchanged … once done'),
    size: z.number().nullable(),
    bytes_done: z.number(),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable().describe('A queued file waiting for a throttle or a retry'),
    verification: z
      .object({
        by: z.string().describe('md5, sha1, quickxor, dropbox, crc32c, sha256, size, or received (not checkable)'),
        listed_size: z.number().optional(),
        received_size: z.number().optional(),
        listed: z.string().optional(),
        received: z.string().optional(),
        note: z.string().optional(),
      })
      .nullable(),
    file_id: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
  })
  .meta({ id: 'StorageTransferItem' });

function presentTransferItem(row: ItemRow) {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    folder: row.folder,
    state: row.state,
    phase: row.phase,
    size: row.size === null ? null : Number(row.size),
    bytes_done: Number(row.bytes_done),
    attempts: row.attempts,
    next_attempt_at: row.state === 'queued' ? iso(row.next_attempt_at) : null,
    verification: row.verification,
    file_id: row.file_id,
    error: row.error_code ? { code: row.error_code, message: row.error ?? '' } : null,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
  };
}

const connectionParams = z.object({ id: z.string().min(1).max(100) });
const rootQuery = z.string().min(1).max(1024).describe('A root’s id, from …/roots');

/** Imports and exports also need the files store's own capability. */
function requireCapability(principal: Principal, capability: Capability, what: string): void {
  if (!principal.capabilities.has(capability)) {
    throw new ApiError('forbidden', `You need the ${capability} capability to ${what}.`, { capability });
  }
}

export function storageRoutes(deps: StorageDeps & { wake(): void }): RouteDef[] {
  const { db, registry } = deps;

  async function presentTransfers(rows: TransferRow[]) {
    const counts = await transferCounts(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => presentTransfer(r, counts.get(r.id)));
  }

  async function transferOf(tenantId: string, id: string, direction: 'import' | 'export') {
    const row = await getTransfer(db, tenantId, id);
    if (!row || row.direction !== direction) throw new ApiError('not_found', `${direction} ${id} does not exist.`);
    return row;
  }

  const browse: RouteDef[] = [
    defineRoute({
      method: 'GET',
      url: '/v1/storage/connections',
      operationId: 'listStorageConnections',
      summary: 'List the connections whose drives or buckets can be browsed',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      schema: {
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                connector: z.string(),
                connector_name: z.string(),
                state: z.string(),
                adapter: z.string(),
                roots: z.string(),
                search: z.boolean(),
                changes: z.string(),
                hashes: z.array(z.enum(hashKinds)),
                upload: z.boolean(),
              }),
            ),
          }),
        },
      },
      async handler({ tenantId }) {
        const { rows } = await db.query<{ id: string; name: string; connector_slug: string; state: string }>(
          'select id, name, connector_slug, state from connections where tenant_id = $1 order by name',
          [tenantId],
        );
        const data = [];
        for (const row of rows) {
          const manifest = (await registry.get(row.connector_slug))?.manifest;
          const section = manifest?.storage;
          if (!manifest || !section) continue;
          data.push({
            id: row.id,
            name: row.name,
            connector: row.connector_slug,
            connector_name: manifest.name,
            state: row.state,
            adapter: section.adapter,
            roots: section.roots,
            search: section.search,
            changes: section.changes,
            hashes: section.hashes,
            upload: section.upload,
          });
        }
        return { data };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/storage/connections/:id/roots',
      operationId: 'listStorageRoots',
      summary: 'List what a connection can browse: drives and sites, shared drives, buckets or containers',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      errors: ['not_found', 'storage_not_supported', 'storage_throttled', 'storage_vendor_error'],
      schema: { params: connectionParams, response: { 200: z.object({ data: z.array(rootSchema) }) } },
      async handler({ params, tenantId, principal }) {
        const { adapter } = await openStorage(deps, tenantId, params.id, { userId: principal.id });
        return { data: (await adapter.roots()).map(presentRoot) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/storage/connections/:id/items',
      operationId: 'listStorageItems',
      summary: 'List a folder’s files and folders, or search by name (one vendor page at a time)',
      description:
        'Without `folder`, the root’s top level. `cursor` is the vendor’s next page (answered as `next_cursor`). With ' +
        '`q`, the vendor’s search (where it has one; 422 storage_not_supported otherwise).',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      errors: ['not_found', 'storage_not_supported', 'storage_throttled', 'storage_vendor_error'],
      schema: {
        params: connectionParams,
        querystring: z.object({
          root: rootQuery,
          folder: z.string().max(2048).default('').describe('A folder’s id from an earlier listing'),
          q: z.string().min(1).max(256).optional(),
          cursor: z.string().max(8192).optional(),
        }),
        response: { 200: z.object({ data: z.array(storageItemSchema), next_cursor: z.string().nullable() }) },
      },
      async handler({ params, query, tenantId, principal }) {
        const { adapter, manifest } = await openStorage(deps, tenantId, params.id, { userId: principal.id });
        if (query.q !== undefined && !adapter.search) {
          throw new ApiError('storage_not_supported', `${manifest.name} cannot search by name; browse instead.`);
        }
        const found =
          query.q !== undefined && adapter.search
            ? await adapter.search(query.root, query.q, query.cursor)
            : await adapter.list(query.root, query.folder, query.cursor);
        return { data: found.items.map(presentItem), next_cursor: found.cursor ?? null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/storage/connections/:id/item',
      operationId: 'getStorageItem',
      summary: 'Read one file or folder as the vendor lists it now',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      errors: ['not_found', 'storage_not_supported', 'storage_throttled', 'storage_vendor_error'],
      schema: {
        params: connectionParams,
        querystring: z.object({ root: rootQuery, item: z.string().min(1).max(2048) }),
        response: { 200: storageItemSchema },
      },
      async handler({ params, query, tenantId, principal }) {
        const { adapter } = await openStorage(deps, tenantId, params.id, { userId: principal.id });
        return presentItem(await adapter.stat(query.root, query.item));
      },
    }),
  ];

  const transferRoutes = (direction: 'import' | 'export'): RouteDef[] => {
    const plural = `${direction}s`;
    const Name = direction === 'import' ? 'Import' : 'Export';
    return [
      defineRoute({
        method: 'GET',
        url: `/v1/storage/${plural}`,
        operationId: `listStorage${Name}s`,
        summary: `List ${plural} from and to cloud storage, newest first (the ${direction} history)`,
        tags: ['Storage'],
        access: { capability: 'view_files' },
        schema: {
          querystring: pageQuery.extend({ connection_id: z.string().max(100).optional() }),
          response: { 200: page(transferSchema) },
        },
        async handler({ query, tenantId }) {
          const rows = await listTransfers(db, tenantId, {
            direction,
            connectionId: query.connection_id,
            before: decodeCursor(query.cursor)?.id,
            limit: query.limit + 1,
          });
          const shown = await presentTransfers(rows.slice(0, query.limit));
          const byId = new Map(shown.map((t) => [t.id, t]));
          return toPage(rows, query.limit, (r) => byId.get(r.id) as ReturnType<typeof presentTransfer>);
        },
      }),
      defineRoute({
        method: 'GET',
        url: `/v1/storage/${plural}/:id`,
        operationId: `getStorage${Name}`,
        summary: `Read an ${direction}: its state and per-state file counts and bytes (its progress)`,
        tags: ['Storage'],
        access: { capability: 'view_files' },
        errors: ['not_found'],
        schema: { params: idParams, response: { 200: transferSchema } },
        async handler({ params, tenantId }) {
          const [shown] = await presentTransfers([await transferOf(tenantId, params.id, direction)]);
          return shown as ReturnType<typeof presentTransfer>;
        },
      }),
      defineRoute({
        method: 'GET',
        url: `/v1/storage/${plural}/:id/files`,
        operationId: `listStorage${Name}Files`,
        summary: `List an ${direction}’s files with their state, bytes, verification and error`,
        tags: ['Storage'],
        access: { capability: 'view_files' },
        errors: ['not_found'],
        schema: {
          params: idParams,
          querystring: z.object({
            state: z.enum(['queued', 'running', 'stored', 'skipped', 'failed', 'cancelled']).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
            cursor: z.string().max(500).optional(),
          }),
          response: { 200: page(transferItemSchema) },
        },
        async handler({ params, query, tenantId }) {
          await transferOf(tenantId, params.id, direction);
          const rows = await listItems(db, params.id, {
            state: query.state,
            after: decodeCursor(query.cursor)?.id,
            limit: query.limit + 1,
          });
          const more = rows.length > query.limit;
          const shown = rows.slice(0, query.limit);
          const last = shown.at(-1);
          return {
            data: shown.map(presentTransferItem),
            next_cursor: more && last ? encodeCursor({ id: last.id }) : null,
          };
        },
      }),
      defineRoute({
        method: 'POST',
        url: `/v1/storage/${plural}/:id/cancel`,
        operationId: `cancelStorage${Name}`,
        summary: `Cancel an ${direction}: queued files at once, running ones at their next checkpoint`,
        tags: ['Storage'],
        access: { capability: 'manage_files' },
        audit: { action: `storage.${direction}_cancel`, targetType: `storage_${direction}` },
        errors: ['not_found', 'conflict'],
        schema: { params: idParams, response: { 200: transferSchema } },
        async handler({ params, tenantId, audit, transaction }) {
          const row = await transferOf(tenantId, params.id, direction);
          if (row.finished_at) throw new ApiError('conflict', `${Name} ${row.id} has ended (${row.state}).`);
          audit.target(row.id);
          await transaction(async (tx) => cancelTransfer(tx, row.id));
          const [shown] = await presentTransfers([await transferOf(tenantId, params.id, direction)]);
          return shown as ReturnType<typeof presentTransfer>;
        },
      }),
      defineRoute({
        method: 'POST',
        url: `/v1/storage/${plural}/:id/retry`,
        operationId: `retryStorage${Name}`,
        summary: `Run an ended ${direction}’s failed and cancelled files again (the others stay as they are)`,
        tags: ['Storage'],
        access: { capability: 'manage_files' },
        audit: { action: `storage.${direction}_retry`, targetType: `storage_${direction}` },
        errors: ['not_found', 'conflict'],
        schema: { params: idParams, response: { 200: transferSchema } },
        async handler({ params, tenantId, audit, transaction }) {
          const row = await transferOf(tenantId, params.id, direction);
          if (!row.finished_at) throw new ApiError('conflict', `${Name} ${row.id} is still running.`);
          audit.target(row.id);
          const retried = await transaction(async (tx) => {
            const n = await retryFailed(tx, row.id);
            if (n > 0) await db.notify(tx, channels.storageTransfers, '');
            return n;
          });
          if (retried === 0) throw new ApiError('conflict', `${Name} ${row.id} has no failed or cancelled files.`);
          deps.wake();
          const [shown] = await presentTransfers([await transferOf(tenantId, params.id, direction)]);
          return shown as ReturnType<typeof presentTransfer>;
        },
      }),
    ];
  };

  const create: RouteDef[] = [
    defineRoute({
      method: 'POST',
      url: '/v1/storage/imports',
      operationId: 'createStorageImport',
      summary: 'Import files and folders (recursively) from a connection’s drive or bucket into the files store',
      description:
        'Each selected item is read from the vendor as it is now; a folder is listed when the import runs and its ' +
        'files follow it (their vendor folders become folders below `folder`). Files run a few at a time with ' +
        'per-file progress, retries on throttling (the vendor’s `Retry-After`) and resumable downloads, and are ' +
        'verified with the vendor’s hash. A file already imported at the same version is skipped; the same bytes are ' +
        'stored once. Poll the import (or its files) for progress.',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      audit: { action: 'storage.import', targetType: 'storage_import' },
      errors: ['not_found', 'storage_not_supported', 'storage_throttled', 'storage_vendor_error', 'validation_failed'],
      status: 201,
      schema: {
        body: z.strictObject({
          connection_id: z.string().min(1).max(100),
          root: rootQuery,
          items: z
            .array(z.string().min(1).max(2048))
            .min(1)
            .max(1000)
            .describe('Ids of the files and folders picked (from a listing)'),
          folder: z.string().max(1024).default('/imports').describe('The files store folder to import into'),
        }),
        response: { 201: transferSchema },
      },
      async handler({ body, tenantId, principal, audit, transaction }) {
        requireCapability(principal, 'manage_files', 'import files into the files store');
        const folder = normaliseFolder(body.folder);
        const { adapter, connection } = await openStorage(deps, tenantId, body.connection_id, {
          userId: principal.id,
        });
        const picked = await mapInLanes([...new Set(body.items)], 8, (id) => adapter.stat(body.root, id));
        const items: NewItem[] = picked.map((entry) => itemFor(entry, folder));
        const id = newId('stimp');
        audit.target(id, { connection_id: connection.id, items: items.length, folder });
        const row = await transaction(async (tx) => {
          const made = await insertTransfer(tx, {
            id,
            tenant_id: tenantId,
            connection_id: connection.id,
            direction: 'import',
            root: body.root,
            remote_folder: null,
            folder,
            created_by: principal.id,
          });
          await insertItems(tx, made, items);
          await db.notify(tx, channels.storageTransfers, '');
          return made;
        });
        deps.wake();
        const [shown] = await presentTransfers([row]);
        return shown as ReturnType<typeof presentTransfer>;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/storage/exports',
      operationId: 'createStorageExport',
      summary: 'Write files of the files store to a folder of a connection’s drive or bucket',
      tags: ['Storage'],
      access: { capability: 'browse_storage' },
      audit: { action: 'storage.export', targetType: 'storage_export' },
      errors: ['not_found', 'storage_not_supported', 'validation_failed'],
      status: 201,
      schema: {
        body: z.strictObject({
          connection_id: z.string().min(1).max(100),
          root: rootQuery,
          folder: z
            .string()
            .max(2048)
            .default('')
            .describe('The vendor folder written into: a path below the root (`/reports/2026`), made where missing'),
          file_ids: z.array(z.string().min(1).max(100)).min(1).max(1000),
        }),
        response: { 201: transferSchema },
      },
      async handler({ body, tenantId, principal, audit, transaction }) {
        requireCapability(principal, 'view_files', 'read the files it exports');
        const { connection, section, manifest } = await openStorage(deps, tenantId, body.connection_id, {
          userId: principal.id,
        });
        if (!section.upload) throw new ApiError('storage_not_supported', `${manifest.name} does not take files.`);
        const ids = [...new Set(body.file_ids)];
        const { rows } = await db.query<{ id: string; name: string; folder: string; size: string }>(
          'select id, name, folder, size from files where tenant_id = $1 and id = any($2)',
          [tenantId, ids],
        );
        const missing = ids.filter((id) => !rows.some((r) => r.id === id));
        if (missing.length) throw new ApiError('not_found', `File ${missing[0]} does not exist.`);
        const exportId = newId('stexp');
        audit.target(exportId, { connection_id: connection.id, files: rows.length });
        const row = await transaction(async (tx) => {
          const made = await insertTransfer(tx, {
            id: exportId,
            tenant_id: tenantId,
            connection_id: connection.id,
            direction: 'export',
            root: body.root,
            remote_folder: body.folder,
            folder: '/',
            created_by: principal.id,
          });
          await insertItems(
            tx,
            made,
            rows.map((f) => ({
              id: newId('stfi'),
              kind: 'file',
              file_id: f.id,
              path: `${body.folder}/${f.name}`,
              name: f.name,
              folder: f.folder,
              size: Number(f.size),
            })),
          );
          await db.notify(tx, channels.storageTransfers, '');
          return made;
        });
        deps.wake();
        const [shown] = await presentTransfers([row]);
        return shown as ReturnType<typeof presentTransfer>;
      },
    }),
  ];

  return [...browse, ...create, ...transferRoutes('import'), ...transferRoutes('export')];
}
