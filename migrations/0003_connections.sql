-- Connector registry, connections, their credentials, state history, the proxy request log, and the events outbox.

-- The global registry. Built-in entries are seeded from connectors/*.yaml at every start; a superuser's changes to
-- availability and management pattern are kept as overrides, so a newer manifest does not undo them.
create table connectors (
  slug text primary key,
  manifest jsonb not null,
  source text not null check (source in ('builtin', 'custom')),
  availability text not null check (availability in ('active', 'coming_soon', 'deprecated', 'maintenance')),
  management text not null check (management in ('shared', 'tenant_template', 'byop', 'hybrid')),
  availability_overridden boolean not null default false,
  management_overridden boolean not null default false,
  manifest_hash text not null,
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Data keys may belong to the platform (no tenant): system-level connection credentials are sealed under one.
alter table data_keys alter column tenant_id drop not null;

-- Credentials the platform provides for shared and hybrid connectors (one per connector).
create table system_connections (
  connector_slug text primary key references connectors (slug) on delete cascade,
  auth_method text not null,
  config jsonb not null default '{}'::jsonb,
  credentials_sealed text not null,
  updated_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table connections (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  connector_slug text not null references connectors (slug),
  name text not null,
  description text not null default '',
  config jsonb not null default '{}'::jsonb,
  auth_method text not null,
  credential_source text not null check (credential_source in ('tenant', 'system')),
  level text not null default 'app' check (level in ('app', 'user')),
  state text not null
    check (state in ('inactive', 'testing', 'active', 'paused', 'auth_expired', 'auth_revoked', 'error')),
  state_reason text,
  vendor_account_id text,
  vendor_account_name text,
  scopes_granted text[] not null default '{}',
  last_test_at timestamptz,
  last_test_outcome jsonb,
  last_delivery_at timestamptz,
  operator_of_record text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index connections_tenant on connections (tenant_id, id desc);
create index connections_tenant_state on connections (tenant_id, state, id desc);

-- Sealed credentials: one app-level row (user_id null) or one row per user for user-level OAuth connections.
create table connection_credentials (
  id text primary key,
  connection_id text not null references connections (id) on delete cascade,
  user_id text,
  sealed text not null,
  expires_at timestamptz,
  scopes text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index connection_credentials_app on connection_credentials (connection_id) where user_id is null;
create unique index connection_credentials_user on connection_credentials (connection_id, user_id)
  where user_id is not null;

create table connection_state_history (
  id text primary key,
  tenant_id text not null,
  connection_id text not null references connections (id) on delete cascade,
  from_state text,
  to_state text not null,
  reason text,
  actor_type text not null,
  actor_id text,
  created_at timestamptz not null default now()
);
create index connection_state_history_conn on connection_state_history (connection_id, id desc);

-- Proxy and test-call log. No foreign key: entries outlive a disconnected connection until retention removes them.
create table connection_requests (
  id text primary key,
  tenant_id text not null,
  connection_id text not null,
  kind text not null check (kind in ('proxy', 'test')),
  method text not null,
  path text not null,
  status integer,
  latency_ms numeric(10, 2) not null,
  bytes_in bigint not null default 0,
  bytes_out bigint not null default 0,
  retries integer not null default 0,
  error text,
  request_id text,
  created_at timestamptz not null default now()
);
create index connection_requests_conn on connection_requests (tenant_id, connection_id, id desc);
create index connection_requests_created on connection_requests (created_at);

-- Events: the transactional outbox. Platform events are inserted in the transaction of the change they describe;
-- outbound webhook delivery reads from here.
create table events (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  type text not null,
  data jsonb not null,
  source text not null default 'platform' check (source in ('platform', 'api')),
  idempotency_key text,
  created_at timestamptz not null default now()
);
create index events_tenant on events (tenant_id, id desc);
create index events_tenant_type on events (tenant_id, type, id desc);
create unique index events_idempotency on events (tenant_id, idempotency_key) where idempotency_key is not null;
