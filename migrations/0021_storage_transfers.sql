-- Cloud storage transfers (src/storage): an import copies files from a connection's drive or bucket into the files
-- store; an export writes files of the store to one. Each file is an item, run by the storage worker under a lease:
-- a download's bytes go to a part file whose length is checkpointed (`bytes_done`) once flushed, so a crash or a
-- restart resumes with a ranged read instead of downloading again. A selected folder is an item too, expanded
-- into its children when it runs.
create table storage_transfers (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  connection_id text not null references connections (id) on delete cascade,
  direction text not null check (direction in ('import', 'export')),
  -- The vendor root (drive, bucket, container) and, for an export, the folder written into.
  root text not null,
  remote_folder text,
  -- The files store folder an import writes into.
  folder text not null default '/',
  -- pending (nothing run yet) | running | succeeded | partial | failed | cancelled
  state text not null default 'pending',
  -- The sync execution that made it (a scheduled incremental import), if any.
  execution_id text,
  created_by text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index storage_transfers_tenant on storage_transfers (tenant_id, id desc);
create index storage_transfers_execution on storage_transfers (execution_id) where execution_id is not null;

create table storage_transfer_items (
  id text primary key,
  transfer_id text not null references storage_transfers (id) on delete cascade,
  tenant_id text not null,
  kind text not null check (kind in ('file', 'folder')),
  -- The vendor's id and path (an import), or the files store file (an export).
  item_id text,
  path text not null,
  name text not null,
  -- Where an imported file goes in the files store.
  folder text not null,
  file_id text,
  size bigint,
  media_type text,
  -- As the vendor listed it: {md5: …, quickxor: …}, its version (ETag, rev, generation), an export format.
  vendor_hashes jsonb not null default '{}',
  version text,
  export_as text,
  rewritten boolean not null default false,
  -- queued | running | stored | skipped | failed | cancelled
  state text not null default 'queued',
  -- downloading | verifying | storing while running; why it was skipped or how it failed afterwards
  phase text,
  bytes_done bigint not null default 0,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  -- How the bytes were verified: {by: md5 | quickxor | sha1 | sha256 | dropbox | crc32c | size | received, …}.
  verification jsonb,
  error_code text,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index storage_transfer_items_transfer on storage_transfer_items (transfer_id, id);
create index storage_transfer_items_due on storage_transfer_items (next_attempt_at, id) where state = 'queued';
create index storage_transfer_items_running on storage_transfer_items (lease_until) where state = 'running';
-- Whether a transfer has files still to run (asked each time one ends).
create index storage_transfer_items_open on storage_transfer_items (transfer_id) where state in ('queued', 'running');
-- A file imported before at the same version is not downloaded again.
create index storage_transfer_items_seen on storage_transfer_items (tenant_id, item_id, version) where state = 'stored';
