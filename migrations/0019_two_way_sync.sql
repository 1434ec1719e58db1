-- Two-way syncs (src/sync/twoway): a bidirectional config's field pairs, first-run match key, timestamps and delete
-- policies; the links pairing each record on side A with its record on side B, with the normalised values each side
-- had when last read or written (a change equal to them is an echo); and the conflicts inbox.
alter table sync_configs add column two_way jsonb;

create table sync_links (
  config_id text not null references sync_configs (id) on delete cascade,
  stream text not null,
  a_id text not null,
  b_id text not null,
  a_values jsonb not null,
  b_values jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (config_id, stream, a_id)
);
create unique index sync_links_b on sync_links (config_id, stream, b_id);

create table sync_conflicts (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  config_id text not null references sync_configs (id) on delete cascade,
  stream text not null,
  a_id text not null,
  b_id text not null,
  -- [{field, a, b, base}]
  fields jsonb not null,
  -- open: waiting for a person; resolved: decided, written by the next run; applied: written to both sides.
  state text not null default 'open',
  -- {take: a | b | values, values?}
  resolution jsonb,
  execution_id text,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by text
);
create index sync_conflicts_tenant on sync_conflicts (tenant_id, id desc);
create index sync_conflicts_config on sync_conflicts (config_id, state);
-- One open or resolved (not yet applied) conflict per record of a sync at a time.
create unique index sync_conflicts_pending on sync_conflicts (config_id, stream, a_id) where state <> 'applied';
