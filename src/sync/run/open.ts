import type { Registry } from '../../catalog/registry.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import { authMethodOf, connectorFor } from '../../connections/connector-access.js';
import { openConnectionCredentials } from '../../connections/credentials.js';
import type { Proxy } from '../../connections/proxy/proxy.js';
import { getConnection, type ConnectionRow } from '../../connections/sql.js';
import { render } from '../../connections/templates.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Cidr } from '../../core/net/cidr.js';
import type { FileStore } from '../../files/store.js';
import type { Vault } from '../../vault/vault.js';
import { getFile } from '../../files/sql.js';
import type { FileSourceConfig, SyncSourceConfig, SyncTargetConfig } from '../configs/model.js';
import { getEventType } from '../../events/types/sql.js';
import type { ConfigRow } from '../configs/sql.js';
import {
  SyncError,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
  type SyncTarget,
  type UndoCounts,
} from '../engine/types.js';
import { createRecordStoreSource } from '../records/source.js';
import { createRecordStoreTarget } from '../records/target.js';
import { createFileSource } from '../sources/file/index.js';
import { createPostgresSource } from '../sources/postgres/index.js';
import { createRestSource } from '../sources/rest/source.js';
import { createStorageSource } from '../sources/storage/index.js';
import { createFilesTarget } from '../targets/files.js';
import { createTableJournal } from '../targets/journal.js';
import { openStorage } from '../../storage/open.js';
import type { Outbound } from '../../core/net/http-client.js';
import { createPgvectorTarget } from '../targets/pgvector/index.js';
import { createPostgresTarget } from '../targets/postgres/index.js';
import { createRestPushTarget } from '../targets/rest-push.js';
import type { Endpoints } from './execute.js';
import { openDatabaseSource, openDatabaseTarget } from './open-databases.js';

export type OpenDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  proxy: Pick<Proxy, 'call' | 'stream'>;
  outbound: Outbound;
  files: FileStore;
  /** The storage worker, woken when a storage sync queues files, and telling when a transfer ended. */
  transfers: { wake(): void; ended(id: string, atMostMs: number, signal: AbortSignal): Promise<void> };
  allow: readonly Cidr[];
  /** The directory SQLite connections may open files in (config.sqliteDir); unset: SQLite is off. */
  sqliteDir?: string | undefined;
};

/**
 * What the API asks of sources before a run (their streams, and sample records for mapping previews), and of a
 * table target after an import (its undo).
 */
export type SyncCatalog = {
  streams(tenantId: string, source: SyncSourceConfig, target: SyncTargetConfig): Promise<StreamSpec[]>;
  sample(tenantId: string, source: SyncSourceConfig, stream: StreamSpec, limit: number): Promise<SyncRecord[]>;
  /** Undo what a run wrote into a stream of the config's target, from the journal it kept (SyncTarget.undo). */
  undo(config: ConfigRow, executionId: string, name: string): Promise<UndoCounts>;
};

const POSTGRES = 'postgresql';

/** A storage failure opening a source, as the sync engine reports it (a vendor hiccup is worth a retry). */
function asSyncError(error: unknown): never {
  if (error instanceof ApiError) {
    const retryable = ['storage_throttled', 'upstream_unreachable', 'upstream_timeout'].includes(error.code);
    throw new SyncError(error.code, error.detail, retryable);
  }
  throw error;
}

/**
 * Sources and targets from a sync's connections: a PostgreSQL connection is read and written with its connection
 * string (through the SSRF guard, to the address it checked), any other connector through its manifest's streams
 * and the API proxy (its credentials, retries, rate budget and request log), and the record store in this database.
 * A connection that is paused or whose credentials broke ends a run at once, with the reason.
 */
export function createEndpoints(deps: OpenDeps): Endpoints & SyncCatalog {
  const { db, vault, registry } = deps;
  // Where imports into database tables keep what they changed, for their undo.
  const journal = createTableJournal(db);

  async function usableConnection(
    tenantId: string,
    id: string,
  ): Promise<{ connection: ConnectionRow; manifest: Manifest }> {
    const connection = await getConnection(db, tenantId, id);
    if (!connection) throw new SyncError('not_found', `Connection ${id} does not exist.`);
    const reason = connection.state_reason ? ` (${connection.state_reason})` : '';
    if (connection.state === 'paused') {
      throw new SyncError('connection_paused', `The connection "${connection.name}" is paused; resume it to sync.`);
    }
    if (connection.state === 'auth_expired' || connection.state === 'auth_revoked') {
      throw new SyncError(
        'connection_unusable',
        `The credentials of "${connection.name}" are ${connection.state === 'auth_expired' ? 'expired' : 'revoked'}${reason}; reauthorize or rotate them.`,
      );
    }
    const { manifest } = await connectorFor(registry, connection.connector_slug, 'use');
    return { connection, manifest };
  }

  async function connectionString(connection: ConnectionRow, manifest: Manifest): Promise<string> {
    const auth = authMethodOf(manifest, connection.auth_method);
    if (auth.type !== 'connection_string') {
      throw new SyncError('source_unsupported', `"${connection.name}" does not authenticate with a connection string.`);
    }
    const credentials = await openConnectionCredentials(db, vault, connection);
    return render(auth.value, { config: connection.config, credentials });
  }

  /** A file source checked against an event type: that type's JSON Schema joins the source's own. */
  async function withEventTypeSchema(tenantId: string, source: FileSourceConfig): Promise<FileSourceConfig> {
    if (!source.event_type) return source;
    const type = await getEventType(db, tenantId, source.event_type);
    if (!type || type.archived_at || !type.schema) {
      throw new SyncError(
        'event_type_invalid',
        `"${source.event_type}" is not an active event type of this tenant with a JSON Schema.`,
      );
    }
    const schema = source.json_schema ? { allOf: [source.json_schema, type.schema] } : type.schema;
    return { ...source, json_schema: schema };
  }

  async function openSource(tenantId: string, source: SyncSourceConfig): Promise<SyncSource> {
    if (source.kind === 'file') {
      const file = await getFile(db, tenantId, source.file_id);
      if (!file) throw new SyncError('not_found', `File ${source.file_id} does not exist (any more).`);
      return createFileSource({
        settings: await withEventTypeSchema(tenantId, source),
        fileName: file.name,
        open: async () => deps.files.read(file),
      });
    }
    if (source.kind === 'storage') {
      const { adapter } = await openStorage(deps, tenantId, source.connection_id).catch(asSyncError);
      const folder = source.folder
        ? { id: source.folder, path: (await adapter.stat(source.root, source.folder).catch(asSyncError)).path }
        : { id: '', path: '/' };
      return createStorageSource({ adapter, root: source.root, folder });
    }
    if (source.kind === 'record_store') {
      const connection = await getConnection(db, tenantId, source.connection_id);
      if (!connection) throw new SyncError('not_found', `Connection ${source.connection_id} does not exist.`);
      return createRecordStoreSource({ db, tenantId, connectionId: connection.id });
    }
    const { connection, manifest } = await usableConnection(tenantId, source.connection_id);
    if (connection.connector_slug === POSTGRES) {
      return createPostgresSource({
        connectionString: await connectionString(connection, manifest),
        allow: deps.allow,
      });
    }
    const database = await openDatabaseSource(deps, connection, manifest);
    if (database) return database;
    if (manifest.streams.length === 0) {
      throw new SyncError('source_unsupported', `${manifest.name} declares no streams a sync could read.`);
    }
    return createRestSource({
      call: (request) => deps.proxy.call(request),
      tenantId,
      connectionId: connection.id,
      manifest,
      config: connection.config,
    });
  }

  async function openTarget(tenantId: string, config: Pick<ConfigRow, 'source' | 'target'>): Promise<SyncTarget> {
    const target = config.target;
    if (target.kind === 'files') {
      if (config.source.kind !== 'storage') {
        throw new SyncError('target_unsupported', 'The files store takes the files of a storage source.');
      }
      const { connection_id: connectionId, root } = config.source;
      return createFilesTarget({
        db,
        tenantId,
        connectionId,
        root,
        folder: target.folder,
        wake: () => deps.transfers.wake(),
        ended: (id, atMostMs, signal) => deps.transfers.ended(id, atMostMs, signal),
        removeImported: async (itemIds) => {
          const { rows } = await db.query<{ id: string }>(
            `select id from files where tenant_id = $1 and source->>'kind' = 'import'
                and source->>'connection_id' = $2 and source->>'item_id' = any($3)`,
            [tenantId, connectionId, itemIds],
          );
          for (const row of rows) await deps.files.remove(tenantId, row.id);
          return rows.length;
        },
      });
    }
    if (target.kind === 'record_store') {
      const connectionId =
        target.connection_id ?? (config.source.kind === 'file' ? undefined : config.source.connection_id);
      if (!connectionId) throw new SyncError('target_unsupported', 'Name the connection the records are kept under.');
      if (!(await getConnection(db, tenantId, connectionId)))
        throw new SyncError('not_found', `Connection ${connectionId} does not exist.`);
      return createRecordStoreTarget({ db, tenantId, connectionId });
    }
    const { connection, manifest } = await usableConnection(tenantId, target.connection_id);
    if (target.kind === 'postgres') {
      if (connection.connector_slug !== POSTGRES) {
        throw new SyncError('target_unsupported', `"${connection.name}" is not a PostgreSQL connection.`);
      }
      return createPostgresTarget({
        connectionString: await connectionString(connection, manifest),
        allow: deps.allow,
        schema: target.schema,
        journal,
      });
    }
    const database = await openDatabaseTarget(deps, connection, manifest, target, journal);
    if (database) return database;
    if (target.kind === 'pgvector') {
      if (connection.connector_slug !== POSTGRES) {
        throw new SyncError('target_unsupported', `"${connection.name}" is not a PostgreSQL connection.`);
      }
      return createPgvectorTarget({
        connectionString: await connectionString(connection, manifest),
        allow: deps.allow,
        schema: target.schema,
        dimensions: target.dimensions,
        embeddingField: target.embedding_field,
        ...(target.id_field ? { idField: target.id_field } : {}),
        ...(target.metadata_fields ? { metadataFields: target.metadata_fields } : {}),
        ...(target.index ? { index: target.index } : {}),
      });
    }
    return createRestPushTarget({
      call: (request) => deps.proxy.call(request),
      tenantId,
      connectionId: connection.id,
      manifest,
      config: connection.config,
    });
  }

  /** An API caller's view of a failure to open a source: the same reason, as a problem response. */
  function asApiError(error: unknown): never {
    if (!(error instanceof SyncError)) throw error;
    if (error.code === 'not_found') throw new ApiError('not_found', error.message);
    if (error.code === 'connection_paused' || error.code === 'connection_unusable')
      throw new ApiError(error.code, error.message);
    throw new ApiError('source_unavailable', error.message, { reason: error.code });
  }

  return {
    source: (config) => openSource(config.tenant_id, config.source),
    target: (config) => openTarget(config.tenant_id, config),
    async streams(tenantId, source) {
      let opened: SyncSource | undefined;
      try {
        opened = await openSource(tenantId, source);
        return await opened.discover();
      } catch (error) {
        return asApiError(error);
      } finally {
        await opened?.close().catch(() => {});
      }
    },
    async sample(tenantId, source, stream, limit) {
      let opened: SyncSource | undefined;
      try {
        opened = await openSource(tenantId, source);
        return await opened.sample(stream, limit, AbortSignal.timeout(30_000));
      } catch (error) {
        return asApiError(error);
      } finally {
        await opened?.close().catch(() => {});
      }
    },
    async undo(config, executionId, name) {
      let opened: SyncTarget | undefined;
      try {
        opened = await openTarget(config.tenant_id, config);
        if (!opened.undo) throw new SyncError('undo_unsupported', 'The target keeps no journal to undo from.');
        return await opened.undo({ name, executionId });
      } catch (error) {
        return asApiError(error);
      } finally {
        await opened?.close().catch(() => {});
      }
    },
  };
}
