-- The files store (src/files): a tenant's files, each naming its bytes by SHA-256 (the same bytes are kept once per
-- tenant, in the files directory), and resumable uploads in progress. Imports are syncs whose source is a file: a
-- run may be a dry run (checks every record, writes nothing), and an import into the record store keeps the records
-- it changed as they were, so it can be undone.
create table files (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  folder text not null default '/',
  size bigint not null,
  media_type text not null,
  sha256 text not null,
  -- {kind: upload | export | import, ...}: where the bytes came from.
  source jsonb not null,
  created_by text,
  created_at timestamptz not null default now()
);
create index files_tenant on files (tenant_id, id desc);
create index files_folder on files (tenant_id, folder, id desc);
create index files_blob on files (tenant_id, sha256);

create table file_uploads (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  folder text not null,
  media_type text not null,
  size bigint not null,
  -- Bytes stored so far: the part file is cut back to this length before the next append (a crash mid-append).
  received bigint not null default 0,
  created_by text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  -- Set when the last byte arrived and the file was made.
  file_id text
);
create index file_uploads_tenant on file_uploads (tenant_id, id desc);
create index file_uploads_expires on file_uploads (expires_at) where file_id is null;

alter table sync_executions
  add column dry_run boolean not null default false,
  -- An import undone: when, and what the undo did ({removed, restored, kept}).
  add column undone_at timestamptz,
  add column undo jsonb;

-- What an undoable run found in the record store before it changed a record (no row: the run created it).
create table sync_record_undo (
  execution_id text not null references sync_executions (id) on delete cascade,
  connection_id text not null,
  model text not null,
  record_id text not null,
  data jsonb not null,
  hash text not null,
  deleted_at timestamptz,
  last_execution_id text,
  primary key (execution_id, connection_id, model, record_id)
);
