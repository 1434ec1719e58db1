import type { Queryable } from '../core/db/port.js';

/** The files store's rows (migrations 0017 and 0020). */
export type FileSource =
  | { kind: 'upload' }
  | { kind: 'export'; connection_id?: string; model?: string; execution_id?: string }
  | {
      kind: 'import';
      connection_id: string;
      path: string;
      item_id?: string;
      version?: string;
      import_id?: string;
    };

export type IfExists = 'version' | 'rename' | 'fail';

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
  /** The current version's number (1 for a new file). */
  version: number;
};

export type FileVersionRow = {
  file_id: string;
  tenant_id: string;
  version: number;
  sha256: string;
  size: string;
  media_type: string;
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
  if_exists: IfExists;
};

const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** A new file with its first version, in one statement. */
export async function insertFile(q: Queryable, row: Omit<FileRow, 'created_at' | 'version'>): Promise<FileRow> {
  const { rows } = await q.query<FileRow>(
    `with file as (
       insert into files (id, tenant_id, name, folder, size, media_type, sha256, source, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *
     ), version as (
       insert into file_versions (file_id, tenant_id, version, sha256, size, media_type, source, created_by, created_at)
       select id, tenant_id, version, sha256, size, media_type, source, created_by, created_at from file
     )
     select * from file`,
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

/** The file's current version as a version row (`at`: the file's creation for its first, else now). */
async function insertVersionRow(q: Queryable, file: FileRow, at: Date | null): Promise<void> {
  await q.query(
    `insert into file_versions (file_id, tenant_id, version, sha256, size, media_type, source, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))`,
    [
      file.id,
      file.tenant_id,
      file.version,
      file.sha256,
      file.size,
      file.media_type,
      JSON.stringify(file.source),
      file.created_by,
      at,
    ],
  );
}

/** Make new bytes the file's current version (the next number); answers the file as it is now. */
export async function addVersion(
  q: Queryable,
  tenantId: string,
  id: string,
  v: Pick<FileVersionRow, 'sha256' | 'size' | 'media_type' | 'source' | 'created_by'>,
): Promise<FileRow> {
  const { rows } = await q.query<FileRow>(
    `update files set version = version + 1, sha256 = $3, size = $4, media_type = $5, source = $6, created_by = $7
     where tenant_id = $1 and id = $2 returning *`,
    [tenantId, id, v.sha256, v.size, v.media_type, JSON.stringify(v.source), v.created_by],
  );
  const file = rows[0] as FileRow;
  await insertVersionRow(q, file, null);
  return file;
}

export async function getFile(q: Queryable, tenantId: string, id: string): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>('select * from files where tenant_id = $1 and id = $2', [tenantId, id]);
  return rows[0];
}

/** A file by id in any tenant: only for shared links, whose signature then covers the tenant it names. */
export async function getFileInAnyTenant(q: Queryable, id: string): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>('select * from files where id = $1', [id]);
  return rows[0];
}

/** The file with this name in this folder (the newest, where files made before versions share a name). */
export async function findFileByName(
  q: Queryable,
  tenantId: string,
  folder: string,
  name: string,
): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>(
    'select * from files where tenant_id = $1 and folder = $2 and name = $3 order by id desc limit 1',
    [tenantId, folder, name],
  );
  return rows[0];
}

/** A file whose current version holds these bytes, else any file with a version that does. */
export async function findFileBySha256(q: Queryable, tenantId: string, sha256: string): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>(
    `select f.* from files f join file_versions v on v.file_id = f.id
      where v.tenant_id = $1 and v.sha256 = $2 order by (f.sha256 = v.sha256) desc, f.id desc limit 1`,
    [tenantId, sha256],
  );
  return rows[0];
}

export async function listFiles(
  q: Queryable,
  tenantId: string,
  options: {
    folder?: string | undefined;
    q?: string | undefined;
    source?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<FileRow[]> {
  const { rows } = await q.query<FileRow>(
    `select * from files
      where tenant_id = $1 and ($2::text is null or folder = $2) and ($3::text is null or id < $3)
        and ($5::text is null or strpos(lower(name), lower($5)) > 0)
        and ($6::text is null or source->>'kind' = $6)
      order by id desc limit $4`,
    [
      tenantId,
      nullable(options.folder),
      nullable(options.before),
      options.limit,
      nullable(options.q),
      nullable(options.source),
    ],
  );
  return rows;
}

export async function moveFile(
  q: Queryable,
  tenantId: string,
  id: string,
  to: { folder: string; name: string },
): Promise<FileRow | undefined> {
  const { rows } = await q.query<FileRow>(
    'update files set folder = $3, name = $4 where tenant_id = $1 and id = $2 returning *',
    [tenantId, id, to.folder, to.name],
  );
  return rows[0];
}

/** The immediate subfolders of `parent` (`/` or `/a/b`), each with the files and bytes (current versions) under it. */
export async function listFolders(
  q: Queryable,
  tenantId: string,
  parent: string,
): Promise<{ name: string; files: number; bytes: string }[]> {
  const prefix = parent === '/' ? '/' : `${parent}/`;
  const { rows } = await q.query<{ name: string; files: number; bytes: string }>(
    `select split_part(substr(folder, length($2) + 1), '/', 1) as name, count(*)::int as files,
            coalesce(sum(size), 0)::text as bytes
       from files where tenant_id = $1 and left(folder, length($2)) = $2 and length(folder) > length($2)
      group by 1 order by 1`,
    [tenantId, prefix],
  );
  return rows;
}

/** Delete a file's row and its versions; answers it and the SHA-256 of every version it had. */
export async function deleteFile(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ row: FileRow; blobs: string[] } | undefined> {
  const { rows: held } = await q.query<{ sha256: string }>(
    'select distinct sha256 from file_versions where tenant_id = $1 and file_id = $2',
    [tenantId, id],
  );
  const { rows } = await q.query<FileRow>('delete from files where tenant_id = $1 and id = $2 returning *', [
    tenantId,
    id,
  ]);
  const row = rows[0];
  if (!row) return undefined;
  return { row, blobs: held.map((h) => h.sha256) };
}

export async function insertUpload(
  q: Queryable,
  row: Pick<
    UploadRow,
    'id' | 'tenant_id' | 'name' | 'folder' | 'media_type' | 'size' | 'created_by' | 'expires_at' | 'if_exists'
  >,
): Promise<UploadRow> {
  const { rows } = await q.query<UploadRow>(
    `insert into file_uploads (id, tenant_id, name, folder, media_type, size, created_by, expires_at, if_exists)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [
      row.id,
      row.tenant_id,
      row.name,
      row.folder,
      row.media_type,
      row.size,
      row.created_by,
      row.expires_at,
      row.if_exists,
    ],
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
