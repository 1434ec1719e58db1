import { createHash } from 'node:crypto';
import type pg from 'pg';
import { SyncError, type FieldInfo, type WriteRequest } from '../../engine/types.js';
import { qualifiedName, quoteIdent } from '../../sources/postgres/connect.js';
import { deletedAt, findTable, prepareTable, syncedAt, type TargetTable } from '../postgres/table.js';

/**
 * A stream's vector table: `(id text primary key, embedding vector(N), metadata jsonb)` plus the two columns every
 * Switchyard target table keeps (synced and soft-deleted times), so that upserts, full refreshes and the deletion
 * policy run through the PostgreSQL target's writer unchanged. The `vector` type comes from the pgvector extension,
 * created when the database has it available but not installed; its schema qualifies every use of the type and of
 * its operator classes, so a search_path without it changes nothing.
 */

export type VectorIndex = { method: 'hnsw' | 'ivfflat'; distance: 'cosine' | 'l2' | 'inner_product'; lists?: number };

/** The row a vector table takes, as the PostgreSQL writer's fields. */
export const vectorFields: FieldInfo[] = [
  { name: 'id', type: 'string' },
  { name: 'embedding', type: 'vector' },
  { name: 'metadata', type: 'json' },
];

/** The schema the `vector` extension lives in, installing it first when it is not. */
export async function ensureVectorExtension(client: pg.Client): Promise<string> {
  const installed = () =>
    client.query<{ schema: string }>(
      `select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
       where e.extname = 'vector'`,
    );
  let { rows } = await installed();
  if (rows.length === 0) {
    try {
      await client.query('create extension if not exists vector');
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = (error as Error).message;
      if (code === '42501')
        throw new SyncError(
          'target_extension_missing',
          `The pgvector extension is not installed in this database and the connection's role may not install it ` +
            `(${message}): run "create extension vector" as its owner or a superuser.`,
        );
      // 0A000 / 58P01: the server has no pgvector at all (extension "vector" is not available).
      throw new SyncError(
        'target_extension_unavailable',
        `The database server cannot create the pgvector extension (${message}): pgvector must be installed on the server.`,
      );
    }
    ({ rows } = await installed());
  }
  return rows[0]?.schema ?? 'public';
}

/** Create the stream's table when absent, check its embedding's dimensions, and hand it to the PostgreSQL writer. */
export async function prepareVectorTable(
  client: pg.Client,
  schema: string,
  request: WriteRequest,
  dimensions: number,
): Promise<TargetTable> {
  const extension = await ensureVectorExtension(client);
  const target = qualifiedName(schema, request.name);
  if (!(await findTable(client, schema, request.name))) {
    await client.query(
      `create table if not exists ${target} (id text primary key, ` +
        `embedding ${quoteIdent(extension)}.vector(${dimensions}) not null, metadata jsonb not null default '{}', ` +
        `${quoteIdent(syncedAt)} timestamptz not null default now(), ${quoteIdent(deletedAt)} timestamptz)`,
    );
    request.log('info', `created table ${schema}.${request.name} for ${dimensions}-dimensional embeddings`);
  }
  const existing = (await findTable(client, schema, request.name))?.columns.find((c) => c.name === 'embedding');
  const declared = existing ? /vector\((\d+)\)$/.exec(existing.typeName)?.[1] : undefined;
  if (existing && declared !== String(dimensions))
    throw new SyncError(
      'target_dimensions_mismatch',
      `The column ${schema}.${request.name}.embedding is ${existing.typeName}, not vector(${dimensions}): ` +
        'set the target’s dimensions to the table’s, or write to another table.',
    );
  return prepareTable(client, schema, { ...request, primaryKey: ['id'], fields: vectorFields });
}

const operatorClasses = { cosine: 'vector_cosine_ops', l2: 'vector_l2_ops', inner_product: 'vector_ip_ops' } as const;

/**
 * The index the target asks for, built when missing (after the run's rows are in: an ivfflat index learns its lists
 * from the rows there are, and pgvector advises building it once the table has data). Answers whether it was built.
 */
export async function ensureVectorIndex(client: pg.Client, table: TargetTable, index: VectorIndex): Promise<boolean> {
  const extension = await ensureVectorExtension(client);
  const name = indexName(table, index);
  const { rows } = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [
    qualifiedName(table.schema, name),
  ]);
  if (rows[0]?.exists) return false;
  const target = qualifiedName(table.schema, table.table);
  let options = '';
  if (index.method === 'ivfflat') {
    // "A good place to start is rows / 1000 for up to 1M rows" (pgvector README, IVFFlat).
    const count = await client.query<{ n: string }>(`select count(*) as n from ${target}`);
    const lists = index.lists ?? Math.max(1, Math.round(Number(count.rows[0]?.n ?? 0) / 1000));
    options = ` with (lists = ${lists})`;
  }
  const opclass = `${quoteIdent(extension)}.${operatorClasses[index.distance]}`;
  await client.query(
    `create index if not exists ${quoteIdent(name)} on ${target} using ${index.method} (embedding ${opclass})${options}`,
  );
  return true;
}

/** `<table>_embedding_<method>_<distance>`, or a digest of it where that would pass PostgreSQL's 63 bytes. */
function indexName(table: TargetTable, index: VectorIndex): string {
  const name = `${table.table}_embedding_${index.method}_${index.distance}`;
  if (Buffer.byteLength(name) <= 63) return name;
  return `embedding_${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
}
