import type mysql from 'mysql2/promise';
import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
} from '../../engine/types.js';
import { toStreamSpec } from '../sql/relation.js';
import { listRelations, resolveStream } from './catalog.js';
import {
  acquire,
  closePool,
  isConnectionLost,
  openMysqlPool,
  release,
  type MysqlConnectionOptions,
} from './connect.js';
import { readFull, readIncremental, sampleRows } from './read.js';

/**
 * A MySQL or MariaDB database as a sync source. Streams are the tables and views of the connection's database,
 * named as they are. Discovery, samples and reads take connections from one pool (sized by the connection's pool
 * min/max); each read holds its own connection for as long as it runs.
 *
 * @example
 * const source = createMysqlSource({ settings, allow });
 * const [stream] = await source.discover();
 * for await (const batch of source.read({ stream, mode: 'full', state: null, batchSize: 5_000, ... })) { … }
 */
export function createMysqlSource(options: MysqlConnectionOptions): SyncSource {
  let pool: Promise<mysql.Pool> | undefined;
  const getPool = () => {
    pool ??= openMysqlPool(options, 'source');
    pool.catch(() => {
      pool = undefined;
    });
    return pool;
  };

  async function withConnection<T>(use: (db: mysql.PoolConnection) => Promise<T>): Promise<T> {
    const db = await acquire(await getPool(), 'source');
    let broken = false;
    try {
      return await use(db);
    } catch (error) {
      broken = isConnectionLost(error);
      throw readError(error);
    } finally {
      release(db, broken);
    }
  }

  async function* readStream(request: ReadRequest): AsyncGenerator<SourceBatch> {
    request.signal.throwIfAborted();
    const db = await acquire(await getPool(), 'source');
    let broken = false;
    try {
      const relation = await resolveStream(db, request.stream.name);
      if (request.mode === 'full') yield* readFull(db, relation, request);
      else if (request.mode === 'incremental') yield* readIncremental(db, relation, request);
      else throw new SyncError('mode_not_supported', 'A MySQL table has no delta tokens: read it full or incremental.');
    } catch (error) {
      broken = isConnectionLost(error);
      throw readError(error);
    } finally {
      release(db, broken);
    }
  }

  return {
    discover: () => withConnection(async (db) => (await listRelations(db)).map(toStreamSpec)),
    sample(stream: StreamSpec, limit: number, signal: AbortSignal): Promise<SyncRecord[]> {
      return withConnection(async (db) => {
        signal.throwIfAborted();
        return sampleRows(db, await resolveStream(db, stream.name), limit);
      });
    },
    read: readStream,
    async close(): Promise<void> {
      const open = pool;
      pool = undefined;
      if (open) await closePool(await open.catch(() => undefined));
    },
  };
}

/** A failed statement as a run's reason: a lost connection may pass, anything else needs a person. */
function readError(error: unknown): Error {
  if (error instanceof SyncError || (error as Error).name === 'AbortError') return error as Error;
  const message = (error as Error).message;
  if (isConnectionLost(error))
    return new SyncError('source_unreachable', `The source database connection was lost: ${message}`, true);
  return new SyncError('source_read_failed', `The source database failed the read: ${message}`);
}

export type { MysqlConnectionOptions } from './connect.js';
