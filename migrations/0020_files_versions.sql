-- Files keep their id across versions (src/files): every version's bytes and metadata in file_versions, the current
-- one's also in files (with its number). A blob goes once no version of any file of its tenant names it. Tenants may
-- have their own quota for the bytes of their distinct blobs (null: the configured default).
alter table files add column version int not null default 1;

create table file_versions (
  file_id text not null references files (id) on delete cascade,
  tenant_id text not null references tenants (id) on delete cascade,
  version int not null,
  sha256 text not null,
  size bigint not null,
  media_type text not null,
  source jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (file_id, version)
);
-- Whether a tenant still holds a blob, and the tenant's usage (its distinct blobs).
create index file_versions_blob on file_versions (tenant_id, sha256);

insert into file_versions (file_id, tenant_id, version, sha256, size, media_type, source, created_by, created_at)
  select id, tenant_id, 1, sha256, size, media_type, source, created_by, created_at from files;

-- Names are looked up per folder (an upload to a name that exists adds a version). Not unique: files made before
-- versions may share a name; new ones are checked under the tenant's files lock.
create index files_name on files (tenant_id, folder, name);

-- What a resumable upload does when its name is taken once it completes: version, rename or fail.
alter table file_uploads add column if_exists text not null default 'version';

alter table tenants add column files_quota_bytes bigint;
