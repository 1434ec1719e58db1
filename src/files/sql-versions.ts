import type { Queryable } from '../core/db/port.js';
import type { FileVersionRow } from './sql.js';

/** The files store's version rows, and what they decide: which blobs a tenant holds, and its usage and quota. */
const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

export async function listVersions(
  q: Queryable,
  fileId: string,
  options: { before?: number | undefined; limit: number },
): Promise<FileVersionRow[]> {
  const { rows } = await q.query<FileVersionRow>(
    `select * from file_versions where file_id = $1 and ($2::int is null or version < $2)
      order by version desc limit $3`,
    [fileId, nullable(options.before), options.limit],
  );
  return rows;
}

export async function getVersion(q: Queryable, fileId: string, version: number): Promise<FileVersionRow | undefined> {
  const { rows } = await q.query<FileVersionRow>('select * from file_versions where file_id = $1 and version = $2', [
    fileId,
    version,
  ]);
  return rows[0];
}

/** Of these blobs, the ones no version of any of the tenant's files names. */
export async function unreferencedBlobs(q: Queryable, tenantId: string, sha256s: string[]): Promise<string[]> {
  if (sha256s.length === 0) return [];
  const { rows } = await q.query<{ sha256: string }>(
    `select s.sha256 from unnest($2::text[]) as s (sha256)
      where not exists (select 1 from file_versions v where v.tenant_id = $1 and v.sha256 = s.sha256)`,
    [tenantId, sha256s],
  );
  return rows.map((r) => r.sha256);
}

export async function blobHeld(q: Queryable, tenantId: string, sha256: string): Promise<boolean> {
  const { rowCount } = await q.query('select 1 from file_versions where tenant_id = $1 and sha256 = $2 limit 1', [
    tenantId,
    sha256,
  ]);
  return rowCount > 0;
}

export type FilesUsage = { used_bytes: number; files: number; versions: number };

/** A tenant's stored bytes (each distinct blob once), files and versions. */
export async function filesUsage(q: Queryable, tenantId: string): Promise<FilesUsage> {
  const { rows } = await q.query<{ used: string; files: number; versions: number }>(
    `select
       (select coalesce(sum(size), 0)::text from (
          select distinct on (sha256) size from file_versions where tenant_id = $1 order by sha256) b) as used,
       (select count(*)::int from files where tenant_id = $1) as files,
       (select count(*)::int from file_versions where tenant_id = $1) as versions`,
    [tenantId],
  );
  const row = rows[0] as { used: string; files: number; versions: number };
  return { used_bytes: Number(row.used), files: row.files, versions: row.versions };
}

/** The tenant's own files quota (null: the configured default). */
export async function tenantFilesQuota(q: Queryable, tenantId: string): Promise<number | null> {
  const { rows } = await q.query<{ files_quota_bytes: string | null }>(
    'select files_quota_bytes from tenants where id = $1',
    [tenantId],
  );
  const quota = rows[0]?.files_quota_bytes;
  return quota === null || quota === undefined ? null : Number(quota);
}
