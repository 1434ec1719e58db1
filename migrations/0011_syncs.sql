-- Syncs: configurations (what moves where, how and when), executions (the row is both the run's record and the
-- job the runner claims), per-stream checkpoints, a run's log and rejected records, schedule ticks (each instant
-- fires once across every node), and the record store a sync fills.

create table sync_configs (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text not null default '',
  -- Deleting a connection deletes the syncs that read from or write to it (the API says so first).
  source_connection_id text references connections (id) on delete cascade,
  target_connection_id text references connections (id) on delete cascade,
  -- {kind, connection_id?, streams: [{name, target?}], ...}: src/sync/configs/model.ts.
  source jsonb not null,
  -- {kind: record_store | postgres | connection, connection_id?, schema?, table?/stream?}.
  target jsonb not null,
  sync_type text not null check (sync_type in ('full', 'incremental', 'delta')),
  direction text not null check (direction in ('inbound', 'outbound', 'bidirectional')),
  conflict_policy text not null default 'source_wins'
    check (conflict_policy in ('source_wins', 'target_wins', 'latest_timestamp', 'manual')),
  -- [{stream?, to, from? | constant? | template?, cast?}] and {select: mapped | all}.
  mappings jsonb not null default '{"fields": [], "select": "all"}'::jsonb,
  -- {cron, timezone, misfire: skip | run_once, overlap: skip | queue_one | cancel_running}, or null: manual only.
  schedule jsonb,
  -- Event types (platform or tenant) whose publication starts a run.
  trigger_event_types text[] not null default '{}',
  enabled boolean not null default true,
  deletion_mode text not null default 'soft' check (deletion_mode in ('soft', 'hard', 'none')),
  max_delete_share real not null default 0.5 check (max_delete_share between 0 and 1),
  lookback_seconds integer not null default 0 check (lookback_seconds between 0 and 2592000),
  batch_size integer not null default 5000 check (batch_size between 1 and 100000),
  -- The next scheduled instant (null: no schedule, or disabled); the scheduler claims configs whose time came.
  next_run_at timestamptz,
  -- The execution holding the config (claimed, running): set and cleared by compare-and-set, so one runs at a time.
  running_execution_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sync_configs_tenant on sync_configs (tenant_id, id desc);
create index sync_configs_due on sync_configs (next_run_at) where next_run_at is not null and enabled;
create index sync_configs_source on sync_configs (source_connection_id) where source_connection_id is not null;
create index sync_configs_target on sync_configs (target_connection_id) where target_connection_id is not null;
create index sync_configs_trigger on sync_configs using gin (trigger_event_types) where enabled;

create table sync_executions (
  id text primary key,
  tenant_id text not null,
  config_id text not null references sync_configs (id) on delete cascade,
  status text not null
    check (status in ('pending', 'running', 'success', 'partial_success', 'failed', 'cancelled')),
  trigger text not null check (trigger in ('manual', 'schedule', 'webhook', 'event', 'retry')),
  -- Who or what started it: a principal id, an inbound event id, an event id, a schedule instant.
  triggered_by text,
  -- The streams this run reads (empty: every stream of the config) and whether it refreshes them from scratch.
  streams text[] not null default '{}',
  full_refresh boolean not null default false,
  -- A run may be claimed from this time (queued behind a running one, or retried later).
  due_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  attempts integer not null default 0,
  cancel_requested boolean not null default false,
  records_processed bigint not null default 0,
  records_created bigint not null default 0,
  records_updated bigint not null default 0,
  records_deleted bigint not null default 0,
  records_failed bigint not null default 0,
  -- {stream: {status, processed, created, updated, deleted, failed, started_at, finished_at, error?}}.
  stream_progress jsonb not null default '{}'::jsonb,
  error_code text,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index sync_executions_config on sync_executions (config_id, created_at desc);
create index sync_executions_tenant on sync_executions (tenant_id, created_at desc);
create index sync_executions_due on sync_executions (due_at) where status = 'pending';
create index sync_executions_leased on sync_executions (lease_expires_at) where status = 'running';

-- A stream's checkpoint, saved only after the target committed every record before it.
create table sync_state (
  config_id text not null references sync_configs (id) on delete cascade,
  stream text not null,
  state jsonb not null,
  execution_id text,
  updated_at timestamptz not null default now(),
  primary key (config_id, stream)
);

create table sync_execution_logs (
  id bigint generated always as identity primary key,
  execution_id text not null references sync_executions (id) on delete cascade,
  at timestamptz not null default now(),
  level text not null check (level in ('debug', 'info', 'warn', 'error')),
  stream text,
  message text not null
);
create index sync_execution_logs_execution on sync_execution_logs (execution_id, id);

create table sync_rejected_records (
  id bigint generated always as identity primary key,
  execution_id text not null references sync_executions (id) on delete cascade,
  stream text not null,
  record_key text,
  record jsonb not null,
  reason text not null,
  at timestamptz not null default now()
);
create index sync_rejected_records_execution on sync_rejected_records (execution_id, id);

-- One row per (config, scheduled instant): the insert that wins fires the run, on whichever node it happens.
create table sync_schedule_ticks (
  config_id text not null references sync_configs (id) on delete cascade,
  instant timestamptz not null,
  execution_id text,
  outcome text not null check (outcome in ('started', 'queued', 'skipped_overlap', 'skipped_misfire')),
  created_at timestamptz not null default now(),
  primary key (config_id, instant)
);

-- The record store: what syncs bring in, per connection and model, keyed by the record's primary key. `seq` moves
-- on every change (insert, content change, delete), so the change feed reads `seq > cursor`.
create sequence sync_records_seq;
create table sync_records (
  tenant_id text not null references tenants (id) on delete cascade,
  connection_id text not null references connections (id) on delete cascade,
  model text not null,
  record_id text not null,
  data jsonb not null,
  -- SHA-256 of the canonical JSON: an unchanged record is not rewritten and makes no change-feed entry.
  hash text not null,
  seq bigint not null default nextval('sync_records_seq'),
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  -- The last run that saw it: a full refresh soft-deletes what its run did not see.
  last_execution_id text,
  primary key (connection_id, model, record_id)
);
create index sync_records_feed on sync_records (connection_id, model, seq);

-- New pending runs wake the runners on every node (the channel as in 0006).
create function sync_executions_wake() returns trigger language plpgsql as $$
begin
  perform pg_notify(coalesce(nullif(current_setting('switchyard.namespace', true), ''), 'switchyard')
    || '_sync_executions', '');
  return null;
end
$$;
create trigger sync_executions_wake after insert on sync_executions
  for each statement execute function sync_executions_wake();

-- An id like src/core/ids.ts `newId` mints (prefix, 48 bits of milliseconds, 80 random bits, Crockford base32), for
-- rows SQL inserts on its own.
create function switchyard_new_id(prefix text) returns text language plpgsql volatile as $$
declare
  alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
  bytes bytea := decode(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0'), 'hex')
    || substr(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), 1, 10);
  out text := '';
  bits integer := 0;
  value bigint := 0;
begin
  for i in 0 .. 15 loop
    value := ((value << 8) | get_byte(bytes, i)) & 65535;
    bits := bits + 8;
    while bits >= 5 loop
      out := out || substr(alphabet, ((value >> (bits - 5)) & 31)::integer + 1, 1);
      bits := bits - 5;
    end loop;
  end loop;
  if bits > 0 then
    out := out || substr(alphabet, ((value << (5 - bits)) & 31)::integer + 1, 1);
  end if;
  return prefix || '_' || out;
end
$$;

-- A published event starts the runs of the enabled syncs that name its type, in the publishing transaction (the
-- outbox: the event and its runs commit together). A sync that already has a run waiting gets no second one. One
-- statement per insert statement, not per event: publishing stays as cheap when no sync listens.
create function sync_event_triggers() returns trigger language plpgsql as $$
begin
  insert into sync_executions (id, tenant_id, config_id, status, trigger, triggered_by)
  select switchyard_new_id('sxr'), c.tenant_id, c.id, 'pending', 'event', min(n.id)
    from inserted n
    join sync_configs c on c.tenant_id = n.tenant_id and c.enabled and n.type = any (c.trigger_event_types)
   where not exists (select 1 from sync_executions p where p.config_id = c.id and p.status = 'pending')
   group by c.tenant_id, c.id;
  return null;
end
$$;
create trigger sync_event_triggers after insert on events
  referencing new table as inserted for each statement execute function sync_event_triggers();
