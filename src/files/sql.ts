import type { Queryable } from '../core/db/port.js';

/** The files store's rows (migration 0017). */
export type FileSource =
  | { kind: 'upload' }
  | { kind: 'export'; connection_id?: string; model?: string; execution_id?: string }
  | { kind: 'import'; connection_id: string; path: string };

export type FileRow = {
  id: string;
  tenant_id: string;
  name: string;
  folder: string;
  size: string;
  media_type: string;
  sha256: string;
  source: FileSource;
  created_by: string | null;
  created_at: Date;
};

export type UploadRow = {
  id: string;
  tenant_id: string;
  name: string;
  folder: string;
  media_type: string;
  size: string;
  received: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  file_id: string | null;
};

export async function insertFile(q: Queryable, row: Omit<FileRow, 'created_at'>): Promise<FileRow> {
  const { rows } = await q.query<FileRow>(
    `insert into files (id, tenant_id, name, folder, size, media_type, sha256, source, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [
      row.id,
      row.tenant_id,
      row.name,
      row.folder,
      row.size,
      row.media_type,
      row.sha256,
      JSON.stringify(row.source),
      row.created_by,
    ],
  );
  return rows[0] as FileRow;
}

export async function getFile(q: Queryable, tenantId: string, id: string): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>('select * from files where tenant_id = $1 and id = $2', [tenantId, id]);
  return rows[0];
}

export async function listFiles(
  q: Queryable,
  tenantId: string,
  options: { folder?: string | undefined; before?: string | undefined; limit: number },
): Promise<FileRow[]> {
  const { rows } = await q.query<FileRow>(
    `select * from files
      where tenant_id = $1 and ($2::text is null or folder = $2) and ($3::text is null or id < $3)
      order by id desc limit $4`,
    [tenantId, options.folder ?? null, options.before ?? null, options.limit],
  );
  return rows;
}

/** Delete a file's row; answers it, and whether another file of the tenant still names the same bytes. */
export async function deleteFile(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ row: FileRow; shared: boolean } | undefined> {
  const { rows } = await q.query<FileRow>('delete from files where tenant_id = $1 and id = $2 returning *', [
    tenantId,
    id,
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const { rowCount } = await q.query('select 1 from files where tenant_id = $1 and sha256 = $2 limit 1', [
    tenantId,
    row.sha256,
  ]);
  return { row, shared: rowCount > 0 };
}

export async function insertUpload(
  q: Queryable,
  row: Pick<UploadRow, 'id' | 'tenant_id' | 'name' | 'folder' | 'media_type' | 'size' | 'created_by' | 'expires_at'>,
): Promise<UploadRow> {
  const { rows } = await q.query<UploadRow>(
    `insert into file_uploads (id, tenant_id, name, folder, media_type, size, created_by, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [row.id, row.tenant_id, row.name, row.folder, row.media_type, row.size, row.created_by, row.expires_at],
  );
  return rows[0] as UploadRow;
}

export async function getUpload(q: Queryable, tenantId: string, id: string): Promise<UploadRow | undefined> {
  const { rows } = await q.query<UploadRow>('select * from file_uploads where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

/** Move an upload's offset from `from` to `to` (compare-and-set): false when another append moved it first. */
export async function advanceUpload(q: Queryable, id: string, from: number, to: number): Promise<boolean> {
  const { rowCount } = await q.query(
    'update file_uploads set received = $3 where id = $1 and received = $2 and file_id is null',
    [id, from, to],
  );
  return rowCount === 1;
}

export async function completeUpload(q: Queryable, id: string, fileId: string): Promise<void> {
  await q.query('update file_uploads set file_id = $2 where id = $1', [id, fileId]);
}

export async function deleteUpload(q: Queryable, tenantId: string, id: string): Promise<UploadRow | undefined> {
  const { rows } = await q.query<UploadRow>('delete from file_uploads where tenant_id = $1 and id = $2 returning *', [
    tenantId,
    id,
  ]);
  return rows[0];
}

/** Uploads left unfinished past their expiry, removed with their part files by the store's sweep. */
export async function takeExpiredUploads(q: Queryable, now: Date, limit: number): Promise<UploadRow[]> {
  const { rows } = await q.query<UploadRow>(
    `delete from file_uploads where id in (
       select id from file_uploads where file_id is null and expires_at < $1 order by expires_at limit $2
     ) returning *`,
    [now, limit],
  );
  return rows;
}
