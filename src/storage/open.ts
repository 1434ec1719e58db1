import type { Manifest } from '../catalog/manifest/manifest.js';
import type { StorageSection } from '../catalog/manifest/storage.js';
import type { Registry } from '../catalog/registry.js';
import { connectorFor } from '../connections/connector-access.js';
import type { Proxy } from '../connections/proxy/proxy.js';
import { getConnection, type ConnectionRow } from '../connections/sql.js';
import type { Db } from '../core/db/port.js';
import type { Outbound } from '../core/net/http-client.js';
import { request } from 'undici';
import { ApiError } from '../core/errors.js';
import type { StorageAdapter, StorageContext } from './adapter.js';
import { storageAdapterFactories } from './adapters/index.js';

export type StorageDeps = { db: Db; registry: Registry; proxy: Pick<Proxy, 'call' | 'stream'>; outbound: Outbound };

export type OpenedStorage = {
  adapter: StorageAdapter;
  connection: ConnectionRow;
  manifest: Manifest;
  section: StorageSection;
};

/**
 * A connection's storage, ready to browse: its connector's adapter, making every call through the connection (as
 * `userId` at user level: whose own OAuth credential signs it). A connection whose connector has no `storage:`
 * section answers 422 storage_not_supported; the proxy refuses a paused or broken connection on the first call.
 */
export async function openStorage(
  deps: StorageDeps,
  tenantId: string,
  connectionId: string,
  options: { userId?: string | null; requestId?: string } = {},
): Promise<OpenedStorage> {
  const connection = await getConnection(deps.db, tenantId, connectionId);
  if (!connection) throw new ApiError('not_found', `Connection ${connectionId} does not exist.`);
  const { manifest } = await connectorFor(deps.registry, connection.connector_slug, 'use');
  const section = manifest.storage;
  const factory = section && storageAdapterFactories[section.adapter];
  if (!section || !factory) {
    throw new ApiError(
      'storage_not_supported',
      `${manifest.name} has no storage to browse; connect OneDrive/SharePoint, Google Drive, Dropbox, Box, S3, Azure Blob or Google Cloud Storage.`,
    );
  }
  const bound = {
    tenantId,
    connectionId,
    userId: options.userId ?? null,
    kind: 'sync' as const,
    ...(options.requestId ? { requestId: options.requestId } : {}),
  };
  const ctx: StorageContext = {
    call: (request) => deps.proxy.call({ ...request, ...bound }),
    stream: (request, upload) => deps.proxy.stream({ ...request, ...bound }, upload),
    async fetchUrl(url, init = {}) {
      const res = await request(url, {
        method: init.method ?? 'GET',
        headers: { 'user-agent': 'Switchyard', ...init.headers },
        ...(init.body ? { body: init.body } : {}),
        dispatcher: deps.outbound.dispatcherFor(),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    },
    config: connection.config,
    section,
  };
  return { adapter: factory(ctx), connection, manifest, section };
}
